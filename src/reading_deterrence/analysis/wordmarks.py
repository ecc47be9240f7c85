"""Spot the changed words: which words inside the article's quotation marks were changed from the
source, and how a reader's marks score against that, word by word.

The rule for a *changed word* (the page "Spot the changed words" states it in plain words):

1. The words of a quoted stretch are its runs of characters between spaces, without the
   punctuation at either end ("manner," is the word ``manner``); a run of punctuation alone is no
   word. Words are numbered from 1 in each stretch: ``q05-3`` is the third word of audit row q05.
2. In a stretch whose audit verdict is ``matches`` or ``translation artefact``, no word is changed:
   the words are the source's (a translation artefact is faithful to a translation that is itself
   questionable).
3. In a stretch with any other verdict (``altered``, ``paraphrase presented as quotation``,
   ``not traceable``), the stretch's words are lined up with the source's words, in order, by
   :class:`difflib.SequenceMatcher`, ignoring case, end punctuation and the dots of an
   abbreviation (so "US" and "U.S." are the same word, in every stretch): a word with no counterpart
   in the source is changed. The source is KCNA's English; where the audit has none, the wire
   wording; where it has neither, every word of the stretch is changed.

So a word swapped for a synonym ("hands-on" for "practical"), a word added ("not"), a word moved in
from outside the marks ("manner") and a repeated word standing for another ("means and means" for
"means and ways": the second "means") are changed; a word merely left out of the quotation leaves
nothing to mark.

Scoring (:func:`score`) is signal detection, word by word: a marked word that was changed is a
*hit*, a changed word left unmarked a *miss*, a marked word that was not changed a *false alarm*,
and an unmarked word that was not changed a *correct rejection*. The page's script computes the
same counts from the words this module exports (``lab-words.js``, ``score(marks)``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["FAITHFUL_VERDICTS", "PUNCTUATION", "changed_flags", "changed_words", "quoted_stretches", "score", "words"]

#: Verdicts under which no word of a stretch counts as changed.
FAITHFUL_VERDICTS = ("matches", "translation artefact")
#: The columns holding the source's wording, in the order they are used.
SOURCE_COLUMNS = ("kcna_english", "wire_wording")
#: Punctuation that is not part of a word when it stands at either end of one.
PUNCTUATION = ".,;:!?…“”‘’\"'()[]—–"
#: The keys of :func:`score`, in the order the page shows them.
SCORE_KEYS = ("hits", "misses", "false_alarms", "correct_rejections")

TOKEN = re.compile(r"\S+")
#: An abbreviation written with dots, without its final dot: single letters joined by dots
#: ("U.S", "D.P.R.K").
ABBREVIATION = re.compile(r"[^\W\d_](?:\.[^\W\d_])+")
#: A quoted stretch: between double curly quotes, or between single ones (a closing single quote
#: followed by a letter is an apostrophe, as in "Korea’s").
QUOTED = re.compile(r"“(?P<double>[^”]+)”|‘(?P<single>.+?)’(?!\w)")


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` (rule 1) as (start, end, word): ``text[start:end] == word``."""
    found = []
    for token in TOKEN.finditer(text):
        raw = token.group(0)
        core = raw.strip(PUNCTUATION)
        if core:
            start = token.start() + len(raw) - len(raw.lstrip(PUNCTUATION))
            found.append((start, start + len(core), core))
    return found


def _norm(word: str) -> str:
    """The form two words are compared in: end punctuation off, case folded, and the dots of an
    abbreviation dropped, also in a hyphenated word ("U.S." and "US" are one word; so are
    "U.S.-led" and "US-led", and "D.P.R.K." and "DPRK")."""
    parts = word.strip(PUNCTUATION).split("-")
    return "-".join(p.replace(".", "") if ABBREVIATION.fullmatch(p.rstrip(".")) else p for p in parts).casefold()


def changed_flags(span: str, source: str | None) -> list[bool]:
    """For each word of ``span``: whether it has no counterpart in ``source`` (rule 3)."""
    mine = [_norm(w) for _, _, w in words(span)]
    if source is None:
        return [True] * len(mine)
    theirs = [_norm(w) for _, _, w in words(source)]
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    kept = {block.a + i for block in matcher.get_matching_blocks() for i in range(block.size)}
    return [i not in kept for i in range(len(mine))]


def _source(row) -> str | None:
    for column in SOURCE_COLUMNS:
        value = getattr(row, column)
        if isinstance(value, str) and value.strip():
            return value
    return None


def changed_words(audit: pd.DataFrame) -> pd.DataFrame:
    """Every word inside the article's quotation marks, one row each, in audit order: ``word_id``
    (``q05-3``), ``audit_id``, ``sentence_id``, ``position`` (1, 2, ...), ``word``, ``start`` and
    ``end`` (its place in the stretch), ``verdict`` and ``changed`` (the rule in the module's
    docstring). ``audit`` is the ``quotation_audit`` table."""
    rows = []
    for row in audit.itertuples(index=False):
        faithful = row.verdict in FAITHFUL_VERDICTS
        found = words(row.span)
        flags = [False] * len(found) if faithful else changed_flags(row.span, _source(row))
        for position, ((start, end, word), changed) in enumerate(zip(found, flags, strict=True), start=1):
            rows.append(
                {
                    "word_id": f"{row.audit_id}-{position}",
                    "audit_id": row.audit_id,
                    "sentence_id": row.sentence_id,
                    "position": position,
                    "word": word,
                    "start": start,
                    "end": end,
                    "verdict": row.verdict,
                    "changed": bool(changed),
                }
            )
    columns = ["word_id", "audit_id", "sentence_id", "position", "word", "start", "end", "verdict", "changed"]
    return pd.DataFrame(rows, columns=columns)


def score(table: pd.DataFrame, marks: Iterable[str]) -> dict[str, int]:
    """How ``marks`` (word IDs a reader marked as changed) score against ``table`` (from
    :func:`changed_words`): hits, misses, false alarms and correct rejections, and the totals
    ``marked``, ``changed`` and ``words``. IDs that are not words of ``table`` are ignored (a mark
    kept from an earlier version of the data)."""
    marked = table["word_id"].isin(set(marks))
    changed = table["changed"].astype(bool)
    return {
        "hits": int((marked & changed).sum()),
        "misses": int((~marked & changed).sum()),
        "false_alarms": int((marked & ~changed).sum()),
        "correct_rejections": int((~marked & ~changed).sum()),
        "marked": int(marked.sum()),
        "changed": int(changed.sum()),
        "words": len(table),
    }


def quoted_stretches(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every stretch of the article inside quotation marks: ``sentence_id``, ``start``, ``end``
    (its place in the sentence, without the marks) and ``span`` (its words as printed).
    ``sentences`` is the ``article_sentences`` table."""
    rows = []
    for row in sentences.sort_values(["paragraph", "sentence"]).itertuples(index=False):
        for match in QUOTED.finditer(row.text):
            group = "double" if match.group("double") is not None else "single"
            rows.append(
                {
                    "sentence_id": row.sentence_id,
                    "start": match.start(group),
                    "end": match.end(group),
                    "span": match.group(group),
                }
            )
    return pd.DataFrame(rows, columns=["sentence_id", "start", "end", "span"])
