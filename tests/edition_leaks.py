"""What a built teacher edition holds that its student edition must not: the texts a leak test
looks for in the student build.

:func:`teacher_only_texts` reads a built teacher edition and returns, as paragraph-sized chunks
of text (whitespace normalised, at least :data:`MIN_CHARS` characters):

- every exercise solution (sphinx-exercise's ``div.solution``);
- every page under ``chapters/teachers/`` (the guide, lesson plans, lesson packs, rubrics, keys);
- every ``{only} teacher_edition`` block (the extension gives its content the class
  ``rd-teacher-only``).

A chunk is the text of a paragraph, list item, definition, code block or heading, or of a whole
table.

A chunk that also appears in the teacher edition's *public* text (the pages students get too,
outside solutions and teacher-only blocks) is not teacher-only: a lesson pack that reprints the
content note, a vocabulary box from the glossary or the self-checks' feedback. Those are left
out, so that each text returned must be absent from a correct student edition.

:func:`held_back_texts` adds the module's answers that the student edition's views hold back
(the claim ledger's evidence for the lateral-reading claims).
"""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

#: The shortest chunk worth looking for (shorter ones, such as "Answer: 3", recur by chance).
MIN_CHARS = 40
#: Elements whose own text is a chunk (the innermost of them: a ``p`` inside an ``li`` is the chunk).
BLOCKS = ("p", "li", "dt", "dd", "pre", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "blockquote")
TEACHER_PAGES = "chapters/teachers/"
TEACHER_ONLY_CLASS = "rd-teacher-only"
SPACE = re.compile(r"\s+")
#: Sphinx's own pages (no content of the book).
SKIP = {"search.html", "genindex.html", "index.html"}


def normalise(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def pages(html_dir: Path) -> dict[str, BeautifulSoup]:
    """Every content page of a built book, by its path relative to ``html_dir`` (POSIX)."""
    found = {}
    for page in sorted(Path(html_dir).rglob("*.html")):
        name = page.relative_to(html_dir).as_posix()
        if "_static" in page.parts or name in SKIP:
            continue
        found[name] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return found


def content(soup: BeautifulSoup) -> Tag:
    """The page's own content, without the theme's navigation and banners."""
    for selector in ("article.bd-article", "div[role=main]", "div.body", "body"):
        found = soup.select_one(selector)
        if found is not None:
            return found
    return soup


def chunks(element: Tag) -> list[str]:
    """The text of each innermost block element under ``element`` (or of ``element`` itself if it
    has none), normalised, at least :data:`MIN_CHARS` long. A table is one chunk: a teacher-only
    table may share rows with the student edition's version of it (held-back rows aside)."""
    found = []
    for block in element.find_all((*BLOCKS, "table")):
        if block.find_parent("table") is not None or (block.name != "table" and block.find(BLOCKS)):
            continue
        text = normalise(block.get_text(" "))
        if len(text) >= MIN_CHARS:
            found.append(text)
    if not found and element.name in BLOCKS:
        text = normalise(element.get_text(" "))
        if len(text) >= MIN_CHARS:
            found.append(text)
    return found


def _split(html_dir: Path) -> tuple[list[str], str]:
    """The teacher-only chunks of a built teacher edition, and its public text (one string)."""
    private: list[str] = []
    public: list[str] = []
    for name, soup in pages(html_dir).items():
        main = content(soup)
        if name.startswith(TEACHER_PAGES):
            private += chunks(main)
            continue
        for element in main.select(f"div.solution, .{TEACHER_ONLY_CLASS}"):
            private += chunks(element)
            element.decompose()
        public.append(normalise(main.get_text(" ")))
    return private, "\n".join(public)


def teacher_only_texts(teacher_html_dir) -> list[str]:
    """Every solution's, teacher page's and teacher-only block's text in a built teacher edition,
    as chunks that do not also appear on the edition's public pages (sorted, each once)."""
    private, public = _split(Path(teacher_html_dir))
    return sorted({chunk for chunk in private if chunk not in public})


def held_back_texts(teacher_html_dir) -> list[str]:
    """The claim ledger's entry (what would verify it, evidence, verdict), in the teacher edition,
    for each claim the student edition holds back (``facts.LATERAL_READING_CLAIMS``)."""
    from reading_deterrence.facts import LATERAL_READING_CLAIMS

    found = []
    for soup in pages(Path(teacher_html_dir)).values():
        for claim in LATERAL_READING_CLAIMS:
            target = soup.find(id=f"claim-{claim.lower()}")
            if target is None:
                continue
            # the entry is the definition list that carries its target (or, where definition lists
            # are off, the paragraphs from its target to the next claim's)
            entry = []
            for element in [target, *target.find_all_next(True)] if target.name != "dl" else [target]:
                if element is not target and (element.get("id", "").startswith("claim-") or element.name[0] == "h"):
                    break
                entry += chunks(element) if element.name == "dl" or element.find(BLOCKS) is None else []
            found += [text for text in dict.fromkeys(entry) if "Evidence:" in text or "Verdict:" in text]
    return found


def text_of_build(html_dir) -> str:
    """All the text a reader or a search of a built book can reach: every HTML page's text, the
    search index and the search text written for offline search (``_static/search-*.js``, whose
    gzipped, base64-encoded strings are decoded), normalised (for ``chunk in text_of_build(...)``)."""
    html_dir = Path(html_dir)
    parts = [
        normalise(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" "))
        for page in sorted(html_dir.rglob("*.html"))
        if "_static" not in page.parts
    ]
    scripts = [html_dir / "searchindex.js", *sorted((html_dir / "_static").glob("search-*.js"))]
    for script in scripts:
        if not script.exists():
            continue
        text = script.read_text(encoding="utf-8")
        parts.append(text)
        for encoded in re.findall(r'"(H4sI[A-Za-z0-9+/=]{20,})"', text):
            parts.append(normalise(gzip.decompress(base64.b64decode(encoded)).decode("utf-8")))
    return "\n".join(parts)


#: How close (in characters) a held-back sentence's ID and one of its attribution words must be for
#: the text to count as saying which words attribute that sentence.
NEAR = 40


def held_sentence_leaks(html_dir, data_dir=None) -> list[tuple[str, str]]:
    """Where a built edition gives the module's coding of a sentence the coding activities ask for
    (``facts.CODING_ACTIVITY_SENTENCES``), as (page, text) pairs:

    - a table row headed by such a sentence's ID that holds one of the module's values for it (a
      value of a sentence layer, its label, or a span it marks), or one of its attribution words;
    - text where one of its attribution words, in quotation marks, stands within :data:`NEAR`
      characters of its ID (“orders” (p02s01));
    - the codebook page naming such a sentence (as a value's example).

    Empty for a correct student edition; a teacher edition has them."""
    from reading_deterrence import load
    from reading_deterrence.facts import CODING_ACTIVITY_SENTENCES

    coding, book = load("coding", data_dir), load("codebook", data_dir)
    label = dict(zip(zip(book["layer"], book["value"]), book["label"]))
    codes, verbs = {}, {}
    for sid in CODING_ACTIVITY_SENTENCES:
        rows = coding[coding["sentence_id"] == sid]
        found = {value for value in rows["value"] if "_" in value}  # values such as kim_via_kcna
        found |= {label[(r.layer, r.value)] for r in rows[rows["span"].isna()].itertuples()}  # sentence layers
        found |= {span for span in rows["span"].dropna()}
        codes[sid] = found
        verbs[sid] = set(rows.loc[rows["layer"] == "attribution", "span"].dropna())
    leaks = []
    for name, soup in pages(Path(html_dir)).items():
        main = content(soup)
        for row in main.select("tr"):
            cells = [normalise(cell.get_text(" ")) for cell in row.find_all(("th", "td"))]
            if cells and cells[0] in codes and set(cells[1:]) & (codes[cells[0]] | verbs[cells[0]]):
                leaks.append((name, " | ".join(cells)))
        text = normalise(main.get_text(" "))
        for sid, words in verbs.items():
            for word in words:
                quoted = rf"[“\"‘']{re.escape(word)}[”\"’']"
                pattern = rf"{quoted}.{{0,{NEAR}}}\b{sid}\b|\b{sid}\b.{{0,{NEAR}}}{quoted}"
                leaks += [(name, match.group(0)) for match in re.finditer(pattern, text)]
        if name.endswith("reference/codebook.html"):
            leaks += [(name, sid) for sid in codes if re.search(rf"\b{sid}\b", text)]
    return leaks
