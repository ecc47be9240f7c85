"""The quotation audit and the claim ledger: they point at the article, quote it verbatim, use
their verdict scales, cite existing sources, and malformed copies fail clearly."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import DATA_DIR
from reading_deterrence import DataError, descriptor, load

SCALES = {
    "quotation_audit": {"matches", "altered", "paraphrase presented as quotation", "translation artefact", "not traceable"},
    "claims": {"supported", "partly supported", "unsupported", "not verifiable from public sources"},
}
QUOTED = {"quotation_audit": "span", "claims": "claim"}


@pytest.fixture(scope="module")
def text():
    return load("article_sentences").set_index("sentence_id")["text"]


@pytest.mark.parametrize("table", ["quotation_audit", "claims"])
def test_rows_quote_the_article_verbatim_with_a_verdict_and_sources(table, text):
    rows = load(table)
    sources = set(load("sources")["source_id"])
    assert len(rows) > 0
    for row in rows.to_dict("records"):
        assert row["sentence_id"] in text.index
        assert row[QUOTED[table]] in text[row["sentence_id"]], row
        assert row["verdict"] in SCALES[table]
        ids = [s.strip() for s in row["source_ids"].split(";") if s.strip()]
        assert ids and set(ids) <= sources, row


def test_the_scales_in_the_descriptor_are_the_documented_ones():
    for res in descriptor()["resources"]:
        if res["name"] in SCALES:
            verdict = next(f for f in res["schema"]["fields"] if f["name"] == "verdict")
            assert set(verdict["constraints"]["enum"]) == SCALES[res["name"]]


def test_every_quotation_in_the_article_is_audited(text):
    """Every stretch inside quotation marks (“…” or ‘…’) has an audit row."""
    audited = {(r.sentence_id, r.span.rstrip(",")) for r in load("quotation_audit").itertuples()}
    found = set()
    for sid, sentence in text.items():
        for match in re.finditer(r"“([^”]+)”|‘([^’]+)’", sentence):
            found.add((sid, (match.group(1) or match.group(2)).rstrip(",")))
    assert found and found == audited, found ^ audited


def test_claims_hold_both_sides_to_the_same_standard():
    """A report of what one side said is judged as a report, whichever side it is."""
    claims = load("claims").set_index("claim_id")
    assert claims.loc["c07", "asserted_by"].startswith("Washington and Seoul")
    assert claims.loc["c14", "asserted_by"].startswith("KCNA")
    assert claims.loc["c07", "verdict"] == claims.loc["c14", "verdict"] == "supported"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_dangling_source_fails_with_row_and_column(data):
    edit(data / "claims.csv", "yonhap-2023-01-31-austin-lee;", "no-such-source;")
    with pytest.raises(DataError) as err:
        load("claims", data)
    [problem] = err.value.problems  # that one problem, and no other
    assert problem.column == "source_ids" and problem.row == 6  # c05 is the fifth claim
    assert "'no-such-source' is not a source_id in sources" in str(err.value)


def test_a_verdict_off_the_scale_fails(data):
    edit(data / "quotation_audit.csv", ",altered,", ",probably fake,")  # q02, the first altered row
    with pytest.raises(DataError) as err:
        load("quotation_audit", data)
    assert [(problem.row, problem.column) for problem in err.value.problems] == [(3, "verdict")]


def test_an_audit_row_without_sources_fails(data):
    path = data / "quotation_audit.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1][: lines[1].rindex(",")] + ","
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load("quotation_audit", data)
    assert [(problem.row, problem.column) for problem in err.value.problems] == [(2, "source_ids")]
