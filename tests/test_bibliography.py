"""The bibliography: every entry a real work with a DOI, an ISBN or a stable URL and a note of
where it was checked; every entry cited; every citation and glossary reference resolvable."""

from __future__ import annotations

import re

import pybtex.database
import pytest

from conftest import ROOT
from reading_deterrence import load

BIB = pybtex.database.parse_file(str(ROOT / "references.bib"))

#: Works with no DOI, ISBN or stable URL that could be verified, each with the reason.
NO_IDENTIFIER = {
    "snyder1961deterrence": "published in 1961, before ISBNs; no stable catalogue URL could be verified",
    "snyder1965balance": "a 1965 book chapter, before ISBNs; editor and publisher from secondary sources",
    "ipa1937detect": "an unsigned 1937 bulletin article; no identifier exists (issue confirmed by Sproule 2001, which has a DOI)",
}


@pytest.mark.parametrize("key", sorted(BIB.entries))
def test_entry_has_an_identifier_and_a_verification_note(key):
    fields = BIB.entries[key].fields
    assert fields.get("verified"), f"{key}: say where the entry was checked"
    if key not in NO_IDENTIFIER:
        assert any(fields.get(f) for f in ("doi", "isbn", "url")), f"{key}: no DOI, ISBN or URL"
    if fields.get("doi"):
        assert re.fullmatch(r"10\.\d{4,9}/\S+", fields["doi"]), fields["doi"]
    if fields.get("isbn"):
        digits = re.sub(r"[^0-9X]", "", fields["isbn"])
        assert len(digits) in (10, 13), fields["isbn"]
        assert isbn_checksum_ok(digits), f"{key}: ISBN {fields['isbn']} fails its check digit"


def isbn_checksum_ok(isbn: str) -> bool:
    if len(isbn) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    return sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(isbn)) % 10 == 0


def cited_keys() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "chapters").rglob("*.md"))
    keys = set()
    for match in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
        keys.update(k.strip() for k in match.group(1).split(","))
    for refs in load("glossary")["reference"].dropna():
        keys.update(k.strip() for k in refs.split(";") if k.strip())
    return keys


def test_every_entry_is_cited_and_every_citation_exists():
    cited = cited_keys()
    assert cited - set(BIB.entries) == set(), "cited but not in references.bib"
    assert set(BIB.entries) - cited == set(), "in references.bib but never cited"
