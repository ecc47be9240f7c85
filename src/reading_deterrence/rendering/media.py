"""Views of the media-literacy tools: the quotation audit and the claim ledger."""

from __future__ import annotations

import os
import re

import pandas as pd

from ..analysis.wordmarks import changed_words
from ..contract import data_files, load
from .base import HELD_BACK, HeldBack, View
from .lab_words import bold_changed
from .text import escape, sources_links

__all__ = ["claim_ledger", "mark_departures", "quotation_audit"]


WORDISH = re.compile(r"[\w’'.-]+|[^\w\s]")


def mark_departures(text: str, source: str) -> str:
    """``text`` as MyST with the words that do not occur in ``source`` in bold (case and
    surrounding punctuation ignored), so a reader sees where a quotation departs from its source."""

    def norm(word: str) -> str:
        return word.strip(".,;:“”‘’\"'()").casefold()

    known = {norm(w) for w in WORDISH.findall(source)}
    out = []
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        word = norm(token)
        out.append(f"**{escape(token)}**" if word and word not in known else escape(token))
    return "".join(out)


def quotation_audit(package: str | os.PathLike | None = None) -> View:
    """The quotation audit, side by side: each quotation as printed, in KCNA's English and in the
    wire copy, and the verdict; the reasons, the Korean where known and the sources folded for going
    further (``{going-further}``, small)."""
    audit = load("quotation_audit", package)
    lines: list[str] = []
    labels: dict[str, str] = {}
    marks = changed_words(audit)
    for row in audit.itertuples(index=False):
        # short: a long quotation as a heading wraps to many lines on a phone; it is in the table
        title = f"{row.audit_id}, sentence {row.sentence_id}: {row.verdict}"
        labels[title] = f"audit-{row.audit_id}"
        lines += [f"### {escape(title)}", ""]
        kcna = "" if pd.isna(row.kcna_english) else row.kcna_english
        printed = bold_changed(row.span, marks[marks["audit_id"] == row.audit_id])
        lines += [
            ":::{list-table}",
            ":header-rows: 1",
            ":widths: 34 33 33",
            ":class: rd-audit-table",
            "",
            f"* - This text ({{sentence}}`{row.sentence_id}`)",
            "  - KCNA's English",
            "  - Wire copy",
            f"* - “{printed}”",
            f"  - {('“' + escape(kcna) + '”') if kcna else '*(none found)*'}",
            f"  - {escape(row.wire_wording) if not pd.isna(row.wire_wording) else '*(none found)*'}",
            ":::",
            "",
        ]
        # The verdict stays open; the reasons and sources fold, for going further.
        facts = [
            f"*Verdict:* **{row.verdict}**.",
            "",
            "::::{going-further} The reasons and the sources",
            ":class: rd-compact",
            "",
        ]
        facts += [escape(row.explanation), ""]
        if not pd.isna(row.wire_source):
            facts += ["Which wire copy", f": {escape(row.wire_source)}", ""]
        if not pd.isna(row.korean_original):
            facts += ["Korean original", f": {escape(row.korean_original)}", ""]
        facts += ["Sources", f": {sources_links(row.source_ids)}", "", "::::", ""]
        lines += facts
    return View("\n".join(lines), data_files(package, "quotation_audit", "sources", "article_sentences"), labels)


def claim_ledger(package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> View:
    """The claim ledger: every claim once, with its verdict and who asserts it, and, folded for going
    further (``{going-further}``, small), what would verify it, the evidence and the sources (one
    presentation: a summary table before it only repeated the claims and verdicts).

    A claim in ``held_back.claims`` keeps its words, but its verdict says "held back" and its
    evidence gives way to ``held_back.claims_note``. A claim made in a sentence of
    ``held_back.sentences`` does not say who asserts it (that is who speaks in the sentence), nor
    give its evidence, which discusses the sentence's attribution words."""
    held = held_back or HeldBack()
    claims = load("claims", package)
    lines = ["## The ledger, claim by claim", ""]
    for row in claims.itertuples(index=False):
        lines += [
            f"(claim-{row.claim_id})=",
            f"**{row.claim_id}** ({{sentence}}`{row.sentence_id}`): “{escape(row.claim)}”",
        ]
        if row.claim_id in held.claims:
            lines += [f": *{HELD_BACK.capitalize()}:* {held.claims_note}", ""]
            continue
        masked = row.sentence_id in held.sentences
        asserted = f"{HELD_BACK} (it would say who speaks in a sentence you code yourself)" if masked else None
        evidence = f"{HELD_BACK} (it discusses the wording of a sentence you code yourself)" if masked else None
        # Each claim once: its words, verdict and who asserts it open; the evidence folded.
        lines += [
            f": *Verdict:* {row.claim_id} is **{row.verdict}**. *Asserted by:* {asserted or escape(row.asserted_by)}.",
            "",
            f"  :::{{going-further}} The evidence for {row.claim_id}",
            "  :class: rd-compact",
            f"  *What would verify it:* {escape(row.what_would_verify)}.",
            "",
            f"  *Evidence:* {evidence or escape(row.evidence)}",
            "",
            f"  *Sources:* {sources_links(row.source_ids)}.",
            "  :::",
            "",
        ]
    return View("\n".join(lines), data_files(package, "claims", "sources", "article_sentences"))
