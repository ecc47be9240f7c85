"""No abbreviation a student meets is left unexplained: every abbreviation a chapter page uses is
spelled out on that page ("Joint Chiefs of Staff (JCS)", "JCS (Joint Chiefs of Staff)", "JCS: South
Korea's Joint Chiefs of Staff") or is a glossary term (whose first use on the page carries its
definition).

What is read: each built page under chapters/, but not the reference pages (source titles and
data field names quoted as published) or the teachers' pages (for adults; their students' copies
are the handouts, which are read); of a page, its main article only, without code, scripts, the
tooltips (definitions, checked by test_glossary.py), and the names of the sources and works it cites
(a link into the Sources page or the bibliography, or a publisher's name of two or more words
written as data/sources.csv has it, such as "Associated Press (via KSL TV)", "TRT World" or "Sino-NK": the
entry in Sources says what kind of outlet it is).
An abbreviation is two or more capitals (and a plural "s": ICBMs), not a model or document number
(KF-16, KN-23, UTF-8: a designation, not a word to define).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reading_deterrence import load
from reading_deterrence.rendering.terms import TermMatcher, forms_of

#: Two or more capitals (digits and & inside), a plural "s"; not the start of a designation.
ABBREVIATION = re.compile(r"(?<![\w&.])([A-Z][A-Z0-9&]*[A-Z])(s?)(?![\w&]|-\d|-[A-Z]+\d)")
ROMAN = re.compile(r"M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})")

#: Abbreviations no page needs to explain, each with the reason.
ALLOWED = {
    "US": "the United States, as every newspaper writes it",
    "UK": "the United Kingdom, as every newspaper writes it",
    "TV": "television: an everyday word",
    "PDF": "the file format of every printable handout, named by its everyday abbreviation",
    "CNN": "the US news channel, known only by these letters",
    "NA": "pandas' mark for an empty cell (<NA>) in a table a lab prints",
    "SEOUL": "a dateline quoted as the wire printed it ('SEOUL, Feb 19 (Reuters)')",
    "MAR": "a date quoted as South Korea's defence ministry printed it ('from MAR 13-23')",
    "URGENT": "the first word of an invented post in the simulation, quoted as it shouts",
    "README": "the name of the project's read-me file",
    "MIT": "the MIT licence, a software licence known by that name",
    "BY": "part of CC BY 4.0, the name of a Creative Commons licence, named in full beside it",
}
#: Pages not read, with the reason (folders under chapters/).
SKIPPED = {
    "reference": "the sources, bibliography, data catalogue and codebook quote titles and field names as published",
    "teachers": "written for teachers; what their students read is in handouts/, which is read",
}
#: What is not the page's own text.
NOT_TEXT = "script, style, code, pre, kbd, .rd-tip, .headerlink, a.citation-reference"
CITED = re.compile(r"(^|/)(reference/sources|reference/bibliography)\.html#")


def _drop(page: BeautifulSoup, selector: str) -> None:
    for node in page.select(selector):
        node.decompose()


def texts(html: str) -> tuple[str, str]:
    """(the text whose abbreviations must be explained, the whole text where they may be)."""
    page = BeautifulSoup(html, "html.parser")
    article = page.select_one("article.bd-article") or page.select_one("article") or page.body or page
    _drop(article, NOT_TEXT)
    whole = " ".join(article.get_text(" ").split())
    for link in article.find_all("a", href=True):
        if CITED.search(link["href"]) or "citation" in " ".join(link.get("class", [])):
            link.decompose()
    return " ".join(article.get_text(" ").split()), whole


def _letters_spell(abbreviation: str, words: str) -> bool:
    """Whether ``words`` spell ``abbreviation``: its letters in order, the first at the start of a
    word ("intercontinental ballistic missile" spells ICBM, "Joint Chiefs of Staff" JCS)."""
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    text = words.lower()
    for start in (m.start() for m in re.finditer(r"\b\w", text)):
        if text[start] != letters[0]:
            continue
        at, ok = start + 1, True
        for letter in letters[1:]:
            at = text.find(letter, at) + 1
            if at == 0:
                ok = False
                break
        if ok:
            return True
    return False


def spelled_out(abbreviation: str, text: str) -> bool:
    """Whether ``text`` spells the abbreviation out beside it: "words (ABBR)", "ABBR (words)",
    "ABBR [words]" (in a quotation), "ABBR: words" or "ABBR is words"."""
    name = re.escape(abbreviation)
    before = rf"((?:[\w’'.-]+\s+){{1,10}})\(\s*(?:the\s+|an?\s+)?{name}s?\s*[),;]"
    after = (
        rf"(?<![\w&]){name}s?\s*(?:\(([^()]{{3,160}})\)|\[([^\[\]]{{3,160}})\]"
        rf"|(?::|\s(?:is|are|stands for|means))\s*([^;.:()]{{3,160}}))"
    )
    for match in re.finditer(before, text):
        if _letters_spell(abbreviation, match.group(1)):
            return True
    return any(_letters_spell(abbreviation, next(g for g in m.groups() if g)) for m in re.finditer(after, text))


def glossary_matcher() -> tuple[TermMatcher, set[str]]:
    """The glossary's forms as a matcher (to blank out multi-word forms such as "NK News"), and
    every term and form that is itself an abbreviation."""
    table = load("glossary")
    forms = {term: [term, *forms_of(cell)] for term, cell in zip(table["term"], table["forms"])}
    names = {name for listed in forms.values() for name in listed}
    return TermMatcher(forms), {name for name in names if ABBREVIATION.fullmatch(name)}


def cited_names() -> list[str]:
    """Publishers' names of two or more words (Sino-NK counts), as data/sources.csv writes them,
    longest first."""
    names = {name for name in load("sources")["publisher"] if re.search(r"[\s(-]", name)}
    return sorted(names, key=len, reverse=True)


def unexplained(html: str, matcher: TermMatcher, glossary: set[str], allowed=ALLOWED, names=()) -> dict[str, int]:
    """Abbreviations of a page neither spelled out on it, in the glossary, nor allowed: name -> uses."""
    text, whole = texts(html)
    for name in names:  # a source's name, as cited
        text = text.replace(name, " " * len(name))
    # a multi-word glossary form ("NK News", "US imperialists") explains the capitals inside it
    for use in sorted(matcher.find_all(text), key=lambda u: -u.start):
        text = text[: use.start] + " " * (use.end - use.start) + text[use.end :]
    found: dict[str, int] = {}
    for match in ABBREVIATION.finditer(text):
        name, plural = match.group(1), match.group(2)
        if name in allowed or ROMAN.fullmatch(name) or {name, name + plural} & glossary:
            continue
        if spelled_out(name, whole):
            continue
        found[name] = found.get(name, 0) + 1
    return found


def chapter_pages(html_root: Path) -> list[Path]:
    pages = sorted((html_root / "chapters").rglob("*.html"))
    return [p for p in pages if p.relative_to(html_root / "chapters").parts[0] not in SKIPPED]


def unexplained_in_book(html_root: Path) -> dict[str, dict[str, int]]:
    matcher, glossary = glossary_matcher()
    names = cited_names()
    report = {}
    for page in chapter_pages(html_root):
        found = unexplained(page.read_text(encoding="utf-8"), matcher, glossary, names=names)
        if found:
            report[str(page.relative_to(html_root))] = found
    return report


# --- the detector, on small pages -----------------------------------------------------------------

PAGE = """<html><body><article class="bd-article">
<h1>Launches</h1>
<p>South Korea's Joint Chiefs of Staff (JCS) counted two SRBMs; the FTX went on.
KF-16 fighters flew. The US and the UK watched on TV. Part II.
<a class="reference internal" href="../reference/sources.html#src-kbs">KBS World</a> reported it,
as did <a class="reference internal" href="../reference/glossary.html#term-NK-News">NK News</a>.</p>
<p>An ICBM (intercontinental ballistic missile) and a CSG: a carrier strike group.</p>
<pre>JSON</pre><span class="rd-tip" role="tooltip">MRL: in a definition</span>
</article></body></html>"""


def test_the_detector_finds_what_is_neither_spelled_out_nor_in_the_glossary():
    matcher = TermMatcher({"short-range ballistic missile": ["SRBM", "SRBMs"], "NK News": ["NK News"]})
    found = unexplained(PAGE, matcher, {"SRBM", "SRBMs"})
    # JCS, ICBM and CSG are spelled out; SRBMs and NK News are glossary forms; KF-16 a designation;
    # US, UK, TV allowed; II a numeral; KBS the name of a cited source; JSON code; MRL a tooltip
    assert found == {"FTX": 1}


def test_spelled_out_takes_the_usual_forms_and_checks_the_letters():
    assert spelled_out("JCS", "the Joint Chiefs of Staff (JCS) said")
    assert spelled_out("JCS", "the JCS (South Korea's Joint Chiefs of Staff) said")
    assert spelled_out("JCS", "JCS: South Korea's Joint Chiefs of Staff; MOD: ...")
    assert spelled_out("ICBMs", "two intercontinental ballistic missiles (ICBMs)")
    assert spelled_out("FTX", '"combined FTXs [field training exercises] that"')
    assert not spelled_out("KCNA", "KCNA (North Korea's state news agency)")
    assert not spelled_out("FTX", "the FTX (a big drill) went on")
    assert not spelled_out("JCS", "Joint Chiefs of Staff said; later the JCS added")


def test_a_glossary_abbreviation_passes_and_removing_it_fails():
    page = "<article class='bd-article'><p>The DMZ and the ICBMs.</p></article>"
    assert unexplained(page, TermMatcher({}), {"DMZ", "ICBM"}) == {}
    assert unexplained(page, TermMatcher({}), {"ICBM"}) == {"DMZ": 1}


def test_every_glossary_abbreviation_is_found_by_the_detector():
    """The glossary's abbreviations are what the detector calls abbreviations (else the glossary
    could not explain them)."""
    table = load("glossary")
    from reading_deterrence.rendering.terms import ABBREVIATION as TERM_ABBREVIATION

    for term in table["term"]:
        if TERM_ABBREVIATION.match(term):
            assert ABBREVIATION.fullmatch(term), term


# --- the book -------------------------------------------------------------------------------------


def test_every_abbreviation_in_the_chapters_is_spelled_out_or_in_the_glossary(built_book):
    report = unexplained_in_book(built_book.html)
    assert report == {}, "abbreviations neither spelled out on the page nor in data/glossary.csv: " + "; ".join(
        f"{page}: {', '.join(sorted(found))}" for page, found in sorted(report.items())
    )


@pytest.mark.parametrize("folder", sorted(SKIPPED))
def test_skipped_folders_exist(folder):
    """A renamed folder must not silently leave the test with nothing to skip (or to read)."""
    from conftest import ROOT

    assert (ROOT / "chapters" / folder).is_dir()
