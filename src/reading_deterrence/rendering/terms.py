"""Which words of a page stand for a glossary term, and the glossary's list of abbreviations.

A glossary row's ``forms`` cell lists the words that link to that entry by themselves at their
first use on a page: the term and its other forms (a plural, the words an abbreviation stands
for), separated by semicolons. Forms are listed, never guessed (no stemming, no plural rule): a
form that is not listed does not link. A row with no forms links only where an author writes
``{term}`` (ordinary words with a special sense here, such as *practical*).

Case: a form with a capital letter (KCNA, ICBMs, Cold War) matches only as written, so "AP"
never matches "ap"; an all-lower-case form (sanctions) also matches with a capital first
letter, at the start of a sentence. Forms match whole words, and the longest form wins where
two overlap ("extended deterrence" before "deterrence").

This is the pure part of the automatic term links: it knows strings and the glossary table, not
documents. The Sphinx layer (:mod:`reading_deterrence.sphinxext.glossary`) decides which text of
a page is running text and makes the links. It lives in rendering because it decides what a page
shows; it needs no DataFrame computation of the analysis layer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from ..contract import DataError, Problem, data_files, display_path, load
from .base import View
from .text import escape

__all__ = ["ABBREVIATION", "TermMatcher", "abbreviations", "forms_of", "matcher", "stands_for"]

#: A term that is an abbreviation: two or more capitals in a row, and no lower-case letter but a
#: final plural "s" (ICBM, DPRK, ICBMs).
ABBREVIATION = re.compile(r"^(?=.*[A-Z]{2})[A-Z0-9&-]+s?$")
#: What an abbreviation's definition begins with: the words it stands for, then a colon.
STANDS_FOR = re.compile(r"^([^:]+?):\s")
APOSTROPHES = "'’"


@dataclass(frozen=True)
class Found:
    """One form found in a text: where, which form, and the glossary term it stands for."""

    start: int
    end: int
    term: str


def forms_of(cell) -> list[str]:
    """The forms in a ``forms`` cell (empty list for an empty cell)."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [form.strip() for form in cell.split(";")]


def stands_for(term: str, definition: str) -> str | None:
    """What an abbreviation stands for, from the start of its definition; None for other terms."""
    if not ABBREVIATION.match(term):
        return None
    match = STANDS_FOR.match(definition)
    return match.group(1) if match else None


def _pattern(form: str) -> str:
    """A form as a regular expression: any run of spaces for a space, either apostrophe, and a
    capital first letter allowed when the form is all lower case."""
    parts = []
    for i, ch in enumerate(form):
        if ch.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in APOSTROPHES:
            parts.append(f"[{APOSTROPHES}]")
        elif i == 0 and form == form.lower() and ch.isalpha():
            parts.append(f"[{ch}{ch.upper()}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


class TermMatcher:
    """Finds the first use of each glossary term in pieces of running text.

    ``forms`` maps each term to the forms that stand for it. Feed it a page's texts in reading
    order with :meth:`first_uses`, passing the set of terms already linked on the page.
    """

    def __init__(self, forms: Mapping[str, Iterable[str]]):
        self.term_of: dict[str, str] = {}
        for term, listed in forms.items():
            for form in listed:
                self.term_of[form] = term
        ordered = sorted(self.term_of, key=lambda f: (-len(f), f))
        alternatives = "|".join(f"(?P<f{i}>{_pattern(f)})" for i, f in enumerate(ordered))
        self._regex = re.compile(rf"(?<![\w&-])(?:{alternatives})(?![\w&-])") if ordered else None
        self._forms = ordered

    def __bool__(self) -> bool:
        return self._regex is not None

    def find_all(self, text: str) -> Iterator[Found]:
        """Every use of a form in ``text``, left to right, the longest form where two overlap."""
        if self._regex is None:
            return
        for match in self._regex.finditer(text):
            index = int(match.lastgroup[1:])
            yield Found(match.start(), match.end(), self.term_of[self._forms[index]])

    def first_uses(self, text: str, done: set[str], skip: Iterable[tuple[int, int]] = ()) -> list[Found]:
        """The first use in ``text`` of each term not in ``done``; adds those terms to ``done``.

        A use of a term already done still takes its words, so "extended deterrence" linked
        earlier does not let the "deterrence" inside a later "extended deterrence" link. Uses
        that start inside a ``skip`` span (a quotation: :func:`quoted_spans`) are not first uses.
        """
        skip = list(skip)
        found = []
        for use in self.find_all(text):
            if any(start <= use.start < end for start, end in skip):
                continue
            if use.term not in done:
                done.add(use.term)
                found.append(use)
        return found


#: Quotation marks that open and close a quotation; a straight double quote does either.
OPENING, CLOSING, STRAIGHT = "\u201c", "\u201d", '"'


def quoted_spans(text: str, inside: bool = False) -> tuple[list[tuple[int, int]], bool]:
    """The spans of ``text`` inside double quotation marks, and whether a quotation is still open
    at its end. ``inside``: a quotation opened in an earlier piece of the same paragraph. Words
    inside quotation marks are the source's, not ours: no glossary link is put among them.
    Single quotation marks are not followed: they cannot be told from apostrophes."""
    spans: list[tuple[int, int]] = []
    start: int | None = 0 if inside else None
    for index, char in enumerate(text):
        if start is None and char in (OPENING, STRAIGHT):
            start = index
        elif start is not None and char in (CLOSING, STRAIGHT):
            spans.append((start, index + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def _checked_forms(table: pd.DataFrame, path: str) -> dict[str, list[str]]:
    """term -> forms, or a DataError naming the row and column of each empty, duplicated or
    abbreviation-less form."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for number, (term, cell) in enumerate(zip(table["term"], table["forms"]), start=2):
        forms = forms_of(cell)
        for form in forms:
            if not form:
                problems.append(Problem(path, number, "forms", "an empty form (two semicolons, or one at an end)"))
            elif form in seen:
                problems.append(Problem(path, number, "forms", f"{form!r} is already a form of {seen[form]!r}"))
            else:
                seen[form] = term
        out[term] = [f for f in forms if f]
    if problems:
        raise DataError(problems)
    return out


def matcher(package: str | os.PathLike | None = None) -> TermMatcher:
    """The matcher for the glossary's forms (a DataError when a form is empty or belongs to two terms)."""
    table = load("glossary", package)
    return TermMatcher(_checked_forms(table, display_path(data_files(package, "glossary")[1])))


def abbreviations(package: str | os.PathLike | None = None) -> View:
    """The glossary's abbreviations at a glance: each links to its entry, with what it stands for.

    An abbreviation whose definition does not begin with what it stands for ("ICBM" with
    "Intercontinental ballistic missile: ...") is a DataError naming its row.
    """
    table = load("glossary", package)
    path = display_path(data_files(package, "glossary")[1])
    rows, problems = [], []
    for number, (term, definition) in enumerate(zip(table["term"], table["definition"]), start=2):
        if not ABBREVIATION.match(term):
            continue
        expansion = stands_for(term, definition)
        if expansion is None:
            message = f"the abbreviation {term!r} must begin with what it stands for, then ':'"
            problems.append(Problem(path, number, "definition", message))
        rows.append((term, expansion))
    if problems:
        raise DataError(problems)
    lines = [":::{container} rd-abbreviations", ""]
    for term, expansion in sorted(rows, key=lambda r: r[0].casefold()):
        lines.append(f"- {{term}}`{term}`: {escape(expansion)}")
    lines += ["", ":::"]
    return View("\n".join(lines) + "\n", data_files(package, "glossary"))
