"""The in-page lab "Spot the changed words": what its script computes from, its markup, and what
the page shows without JavaScript.

From the validated tables (``article_sentences`` and ``quotation_audit``), :func:`words_lab`
makes:

- ``data``: the JSON the page's script (``lab-words.js``) reads: every word inside the article's
  quotation marks, with whether it was changed (the one definition,
  :func:`reading_deterrence.analysis.wordmarks.changed_words`; the script only reads it);
- ``html``: the interactive part, hidden until the script starts: the article with every word
  inside quotation marks a native toggle button (``aria-pressed``), the controls, and the places
  the score is written;
- ``fallback``: MyST text, the quoted stretches and the audit's verdicts as a table, with the
  changed words named, then the audit's reasons; visible without JavaScript, and the answers the
  script reveals.

Nothing here is held back in the student edition: the quotation audit is shown there in full, and
the lab uses only the article's text and the audit (not the module's coding). Every stretch inside
quotation marks must have its audit row, with its words exactly as printed, and every audit row
must be such a stretch: otherwise a :class:`~reading_deterrence.contract.DataError` names the row.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.wordmarks import changed_words, quoted_stretches
from ..contract import DataError, Problem, data_files, display_path, load
from .text import escape, json_script

__all__ = ["STORAGE_KEY", "WordsLab", "words_lab"]

#: The browser's local storage key for a student's marks.
STORAGE_KEY = "rd-lab-words-v1"
#: The id of the data's <script type="application/json"> element.
DATA_ID = "rd-lab-words-data"
ORDINALS = ("first", "second", "third", "fourth", "fifth")


@dataclass
class WordsLab:
    """Everything the ``{words-lab}`` directive puts on the page (see the module docstring)."""

    data: dict
    html: str
    fallback: str
    files: list[Path] = field(default_factory=list)

    def data_script(self) -> str:
        """The data as the page's inline JSON (:func:`~.text.json_script`)."""
        return json_script(self.data, DATA_ID)


def _check(audit: pd.DataFrame, sentences: pd.DataFrame, audit_file: str) -> None:
    """Every quoted stretch of the article has its audit row, and every audit row is one."""
    quoted = {(r.sentence_id, r.span) for r in quoted_stretches(sentences).itertuples(index=False)}
    audited = {(r.sentence_id, r.span) for r in audit.itertuples(index=False)}
    problems = [
        Problem(audit_file, i + 2, "span", f"{r.span!r} is not a stretch inside quotation marks in {r.sentence_id}")
        for i, r in enumerate(audit.itertuples(index=False))
        if (r.sentence_id, r.span) not in quoted
    ]
    problems += [
        Problem(audit_file, None, "span", f"{sid} quotes {span!r}, and no row audits it (the lab needs each quotation)")
        for sid, span in sorted(quoted - audited)
    ]
    if problems:
        raise DataError(problems)


def _stretch_html(audit_id: str, span: str, table: pd.DataFrame) -> str:
    """A quoted stretch with each of its words a toggle button."""
    out, last = [f'<span class="rd-words-stretch" role="group" aria-label="Quotation {audit_id}">'], 0
    for row in table.itertuples(index=False):
        out.append(html.escape(span[last : row.start]))
        out.append(
            f'<button type="button" class="rd-words-word" aria-pressed="false" data-word="{row.word_id}">'
            f"{html.escape(row.word)}</button>"
        )
        last = row.end
    out.append(html.escape(span[last:]) + "</span>")
    return "".join(out)


def _sentence_html(sentence: pd.Series, stretches: pd.DataFrame, table: pd.DataFrame) -> str:
    """A sentence with each quoted stretch's words as buttons (``stretches``: its quoted stretches,
    with ``audit_id``)."""
    text, out, last = sentence.text, [], 0
    for row in stretches[stretches["sentence_id"] == sentence.sentence_id].itertuples(index=False):
        out.append(html.escape(text[last : row.start]))
        out.append(_stretch_html(row.audit_id, row.span, table[table["audit_id"] == row.audit_id]))
        last = row.end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _app_html(sentences: pd.DataFrame, audit: pd.DataFrame, table: pd.DataFrame) -> str:
    """The interactive part: the article, the controls, the score (long because it is one page of markup)."""
    ids = audit[["sentence_id", "span", "audit_id"]]
    stretches = quoted_stretches(sentences).merge(ids, on=["sentence_id", "span"])
    paragraphs = []
    for _, para in sentences.sort_values(["paragraph", "sentence"]).groupby("paragraph", sort=True):
        role = para["role"].iloc[0]
        body = " ".join(_sentence_html(s, stretches, table) for _, s in para.iterrows())
        paragraphs.append(f'<p class="rd-words-{html.escape(role)}">{body}</p>')
    total = len(table)
    return "\n".join(
        [
            '<div class="rd-words-app" hidden>',
            f'<p class="rd-words-intro">The article has {len(audit)} stretches inside quotation marks, '
            f"{total} words in all. Each of those words is a button: press it to mark the word as changed, "
            "press it again to take the mark off.</p>",
            '<div class="rd-words-article">',
            *paragraphs,
            "</div>",
            f'<p class="rd-words-count">You have marked <span class="rd-words-n">0</span> of {total} words.</p>',
            '<div class="rd-words-controls">',
            '<button type="button" class="rd-words-show">Show the answers</button>',
            '<button type="button" class="rd-words-hide" hidden>Hide the answers and try again</button>',
            '<button type="button" class="rd-words-erase">Erase my marks</button>',
            "</div>",
            '<div class="rd-words-results" hidden>',
            '<p class="rd-words-reading"></p>',
            '<ul class="rd-words-lists"></ul>',
            '<div class="rd-words-scroll"><table class="rd-words-score">',
            "<caption>Your marks against the audit, word by word</caption>",
            '<thead><tr><th scope="col">Your mark</th><th scope="col">Changed word</th>'
            '<th scope="col">Word not changed</th></tr></thead>',
            '<tbody><tr><th scope="row">Marked</th><td data-score="hits">0 hits</td>'
            '<td data-score="false_alarms">0 false alarms</td></tr>',
            '<tr><th scope="row">Not marked</th><td data-score="misses">0 misses</td>'
            '<td data-score="correct_rejections">0 correct rejections</td></tr></tbody>',
            "</table></div>",
            "<p>Below: the audit's verdict on each quotation, what the sources said, and the audit's reasons.</p>",
            "</div>",
            '<p class="rd-words-live visually-hidden" aria-live="polite"></p>',
            "</div>",
        ]
    )


def _changed_list(words: pd.DataFrame) -> str:
    """The changed words of one stretch, in words: “in”, “hands-on”; a repeated word says which."""
    if not words["changed"].any():
        return "none"
    named = []
    for row in words[words["changed"]].itertuples(index=False):
        same = words[words["word"].str.casefold() == row.word.casefold()]
        which = ""
        if len(same) > 1:
            nth = list(same["position"]).index(row.position)
            which = f"the {ORDINALS[nth] if nth < len(ORDINALS) else f'number {nth + 1}'} "
        named.append(f"{which}“{escape(row.word)}”")
    return ", ".join(named)


def bold_changed(span: str, words: pd.DataFrame) -> str:
    """``span`` as MyST with the words that ``words`` (its rows of
    :func:`~reading_deterrence.analysis.wordmarks.changed_words`) counts as changed in bold: the
    lab's answers and the quotation audit (:mod:`.media`) print them by this one rule, so "US" for
    "U.S." is no change and a repeated word can count."""
    out, last = [], 0
    for row in words.itertuples(index=False):
        out.append(escape(span[last : row.start]))
        out.append(f"**{escape(row.word)}**" if row.changed else escape(row.word))
        last = row.end
    return "".join(out) + escape(span[last:])


def _fallback(audit: pd.DataFrame, table: pd.DataFrame) -> str:
    """The answers as MyST: a table of the quotations, then the audit's reasons, quotation by quotation."""
    lines = [
        ":::{container} rd-words-nojs",
        "The interactive version of this lab, where you mark the words yourself and get a score, needs "
        "JavaScript, which is off or unavailable in this browser. Here are the answers instead: each "
        "quotation, its verdict, the words in it that were changed and what the sources said, then the "
        "audit's reasons.",
        ":::",
        "",
        "::::{list-table} The quotations, the audit's verdicts and the changed words",
        ":header-rows: 1",
        ":class: rd-words-answers",
        "",
        "* - Quotation in the article",
        "  - Verdict",
        "  - Changed words",
        "  - KCNA's English",
        "  - Wire copy",
    ]
    reasons = ["", ":::{container} rd-words-reasons", "**Why each verdict**", ""]
    for row in audit.itertuples(index=False):
        words = table[table["audit_id"] == row.audit_id]
        kcna = "*(none found)*" if pd.isna(row.kcna_english) else f"“{escape(row.kcna_english)}”"
        wire = "*(none found)*" if pd.isna(row.wire_wording) else escape(row.wire_wording)
        lines += [
            f"* - {{ref}}`{row.audit_id} <audit-{row.audit_id}>` ({{sentence}}`{row.sentence_id}`): "
            f"“{bold_changed(row.span, words)}”",
            f"  - {row.verdict}",
            f"  - {_changed_list(words)}",
            f"  - {kcna}",
            f"  - {wire}",
        ]
        reasons += [f"{row.audit_id}, “{escape(row.span)}” ({row.verdict})", f": {escape(row.explanation)}", ""]
    return "\n".join([*lines, "::::", *reasons, ":::", ""])


def words_lab(package: str | os.PathLike | None = None) -> WordsLab:
    """The lab's data, markup and no-JavaScript fallback, from the data package ``package``."""
    sentences = load("article_sentences", package)
    audit = load("quotation_audit", package)
    files = data_files(package, "quotation_audit", "article_sentences", "sources")
    _check(audit, sentences, display_path(files[1]))
    table = changed_words(audit)
    data = {
        "key": STORAGE_KEY,
        "stretches": [
            {"id": r.audit_id, "sentence": r.sentence_id, "verdict": r.verdict} for r in audit.itertuples(index=False)
        ],
        "words": [
            {"id": r.word_id, "stretch": r.audit_id, "word": r.word, "changed": bool(r.changed)}
            for r in table.itertuples(index=False)
        ],
    }
    return WordsLab(data, _app_html(sentences, audit, table), _fallback(audit, table), files)
