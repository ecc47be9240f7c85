"""The coded article: who speaks, through whom, how, and what kind of claim, sentence by sentence.

The coding lives in ``data/coding.csv`` (long format) and its layers and values in
``data/codebook.csv``. This module turns them into what pages and labs need, checks the rules the
tables cannot express on their own, and compares a student's coding sheet with the module's.

Sentence layers (speaker, quotation, claim kind, verifiability) take exactly one value per
sentence; span layers (attribution, quote, loaded) mark exact words of a sentence, which must
occur once in it and either nest inside or stay clear of the sentence's other spans.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from ..contract import Problem, data_files, display_path
from ..contract import load as load_table

__all__ = ["SHEET_LAYERS", "CodedArticle", "check_coding", "coded_sentences", "span_layers", "spans"]

#: The sentence layers a student codes on the coding sheet, in sheet order.
SHEET_LAYERS = ["speaker", "quotation", "claim_kind", "verifiability"]


@dataclass(frozen=True)
class CodedArticle:
    """The three tables the coding is made of; every function of this module takes one.

    ``coding_file`` is how problems name ``coding.csv``. :meth:`load` is the one place here that
    reads data; pass your own DataFrames to work on a changed copy.
    """

    sentences: pd.DataFrame
    coding: pd.DataFrame
    codebook: pd.DataFrame
    coding_file: str = "coding.csv"

    @classmethod
    def load(cls, package: str | os.PathLike | None = None) -> CodedArticle:
        """The article, the module's coding and the codebook from the data package."""
        return cls(
            load_table("article_sentences", package),
            load_table("coding", package),
            load_table("codebook", package),
            display_path(data_files(package, "coding")[1]),
        )


def sentence_layers(codebook: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(codebook.loc[codebook["scope"] == "sentence", "layer"]))


def span_layers(codebook: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(codebook.loc[codebook["scope"] == "span", "layer"]))


def coded_sentences(article: CodedArticle) -> pd.DataFrame:
    """One row per sentence: ID, paragraph, role, text, word count and each sentence layer's value."""
    sentences, coding, codebook = article.sentences, article.coding, article.codebook
    wide = (
        coding[coding["layer"].isin(sentence_layers(codebook))]
        .pivot(index="sentence_id", columns="layer", values="value")
        .reset_index()
    )
    out = sentences.merge(wide, on="sentence_id", how="left")
    out["words"] = out["text"].str.split().str.len().astype("Int64")
    return out


def spans(article: CodedArticle) -> pd.DataFrame:
    """The span codes, with the start and end offsets of each span in its sentence."""
    sentences = article.sentences.set_index("sentence_id")["text"]
    coding, codebook = article.coding, article.codebook
    out = coding[coding["layer"].isin(span_layers(codebook))].copy()
    out["start"] = [sentences[s].find(span) for s, span in zip(out["sentence_id"], out["span"])]
    out["end"] = out["start"] + out["span"].str.len()
    return out.reset_index(drop=True)


def check_coding(article: CodedArticle) -> list[Problem]:
    """Rules beyond the data contract; returns the problems, located in ``coding.csv`` (empty
    when all hold).

    - every sentence has exactly one value for each sentence layer;
    - sentence layers have no span, span layers have one;
    - every span occurs exactly once in its sentence (so it can be found again);
    - two spans of a sentence either nest or do not overlap.
    """
    sentences = article.sentences.set_index("sentence_id")["text"]
    coding, codebook, shown = article.coding, article.codebook, article.coding_file
    rows = {code: number for number, code in enumerate(coding["code_id"], start=2)}
    problems = [
        Problem(shown, None, "sentence_id", message) for message in _one_value_each(sentences, coding, codebook)
    ]
    problems += [
        Problem(shown, rows[code], column, message)
        for code, column, message in _span_rules(sentences, coding, codebook)
    ]
    problems += [Problem(shown, rows[code], "span", message) for code, message in _overlaps(spans(article))]
    return problems


def _one_value_each(sentences: pd.Series, coding: pd.DataFrame, codebook: pd.DataFrame) -> list[str]:
    out = []
    for layer in sentence_layers(codebook):
        counts = coding[coding["layer"] == layer].groupby("sentence_id").size()
        for sid in sentences.index:
            n = int(counts.get(sid, 0))
            if n != 1:
                out.append(f"{sid}: {n} values for sentence layer {layer!r} (exactly one needed)")
    return out


def _span_rules(sentences: pd.Series, coding: pd.DataFrame, codebook: pd.DataFrame) -> list[tuple[str, str, str]]:
    scope = dict(zip(zip(codebook["layer"], codebook["value"]), codebook["scope"]))
    out = []
    for row in coding.itertuples():
        has_span = not pd.isna(row.span)
        if scope[(row.layer, row.value)] == "sentence" and has_span:
            out.append((row.code_id, "span", f"{row.code_id}: a sentence layer has no span"))
        if scope[(row.layer, row.value)] == "span":
            if not has_span:
                out.append((row.code_id, "span", f"{row.code_id}: a span layer needs the exact words it marks"))
                continue
            count = sentences[row.sentence_id].count(row.span)
            if count != 1:
                where = "not in" if count == 0 else f"{count} times in"
                out.append((row.code_id, "span", f"{row.code_id}: span {row.span!r} occurs {where} {row.sentence_id}"))
    return out


def _overlaps(located: pd.DataFrame) -> list[tuple[str, str]]:
    out = []
    for sid, group in located[located["start"] >= 0].groupby("sentence_id"):
        marks = list(group[["start", "end", "code_id"]].itertuples(index=False))
        for i, a in enumerate(marks):
            for b in marks[i + 1 :]:
                overlap = a.start < b.end and b.start < a.end
                nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
                if overlap and not nested:
                    out.append((b.code_id, f"{sid}: spans {a.code_id} and {b.code_id} overlap without nesting"))
    return out
