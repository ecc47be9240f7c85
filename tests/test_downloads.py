"""Data to take away: every table of the catalogue can be downloaded, CSV files meant for people
open correctly in Excel (a byte-order mark), and data/ itself stays strict UTF-8 without one.

The teacher edition offers the data folder byte for byte; the student edition's copies (and the
data of its lab bundles) hold back the module's answers to the device activities, and still load
through the contract."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from edition_leaks import held_back_texts, normalise

from conftest import DATA_DIR
from reading_deterrence import load, table_names
from reading_deterrence.facts import STUDENT_HELD_BACK
from reading_deterrence.rendering.base import HELD_BACK, HeldBack
from reading_deterrence.rendering.withheld import offered_data, withhold_table

BOM = b"\xef\xbb\xbf"


def test_data_folder_has_no_byte_order_mark():
    for path in DATA_DIR.iterdir():
        if path.suffix in {".csv", ".json"}:
            assert not path.read_bytes().startswith(BOM), f"{path.name} starts with a byte-order mark"


def test_every_table_is_offered_on_the_catalogue(built_book):
    page = (built_book.html / "chapters" / "reference" / "data-catalogue.html").read_text(encoding="utf-8")
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    downloads = built_book.html / "downloads" / "data"
    for res in descriptor["resources"]:
        assert f'href="../../downloads/data/{res["path"]}"' in page, f"no download link for {res['path']}"
        offered = (downloads / res["path"]).read_bytes()
        assert offered == BOM + (DATA_DIR / res["path"]).read_bytes(), res["path"]
        # What a spreadsheet user gets back is what the book reads.
        pd.testing.assert_frame_equal(
            pd.read_csv(io.BytesIO(offered), encoding="utf-8-sig", dtype=str),
            pd.read_csv(DATA_DIR / res["path"], encoding="utf-8", dtype=str),
        )
    assert 'href="../../downloads/data/reading-deterrence-data.zip"' in page
    assert (downloads / "datapackage.json").read_bytes() == (DATA_DIR / "datapackage.json").read_bytes()


def test_data_package_zip_is_the_data_folder_byte_for_byte(built_book):
    with zipfile.ZipFile(built_book.html / "downloads" / "data" / "reading-deterrence-data.zip") as zf:
        names = set(zf.namelist())
        descriptor = json.loads(zf.read("data/datapackage.json"))
        for res in descriptor["resources"]:
            assert zf.read(f"data/{res['path']}") == (DATA_DIR / res["path"]).read_bytes()
    assert names == {"data/datapackage.json"} | {f"data/{r['path']}" for r in descriptor["resources"]}


def test_generated_spreadsheets_open_in_excel(built_book):
    sheets = sorted((built_book.html / "downloads").glob("*.csv"))
    assert len(sheets) >= 5, sheets
    for sheet in sheets:
        data = sheet.read_bytes()
        assert data.startswith(BOM), f"{sheet.name}: no byte-order mark, Excel would garble it"
        assert not data[3:].startswith(BOM), f"{sheet.name}: two byte-order marks"
        data.decode("utf-8")


# --- the student edition's copies hold back the activities' answers --------------------------------

HELD = STUDENT_HELD_BACK


def test_with_nothing_held_back_the_offered_data_are_the_data_folder_byte_for_byte():
    for held in (None, HeldBack()):
        offered = offered_data(DATA_DIR, held)
        assert offered.notes == {}
        files = offered.files()
        assert set(files) == {p.name for p in DATA_DIR.iterdir() if p.suffix in {".csv", ".json"}}
        for name, data in files.items():
            assert data == (DATA_DIR / name).read_bytes(), name


def secrets_of(coding: pd.DataFrame, claims: pd.DataFrame) -> list[str]:
    """Texts that hold a held-back answer: the IDs and notes of the held-back sentences' codes, and
    the held-back claims' evidence and what would verify them (from a teacher edition's tables)."""
    codes = coding[coding["sentence_id"].isin(HELD.sentences)]
    found = list(codes["code_id"]) + [note for note in codes["note"].dropna() if len(note) >= 20]
    rows = claims[claims["claim_id"].isin(HELD.claims)]
    found += list(rows["evidence"]) + list(rows["what_would_verify"])
    assert len(codes) >= 4 * len(HELD.sentences) and len(rows) == len(HELD.claims)
    return found


def test_the_student_data_hold_back_the_answers_and_still_load(tmp_path):
    offered = offered_data(DATA_DIR, HELD)
    files = offered.files()
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    loaded = {name: load(name, tmp_path) for name in table_names(tmp_path)}  # the contract's checks pass
    coding, claims = load("coding", DATA_DIR), load("claims", DATA_DIR)
    text = "\n".join(data.decode("utf-8") for data in files.values())
    leaked = [secret for secret in secrets_of(coding, claims) if secret in text]
    assert leaked == []
    # coding: the held-back sentences' rows are left out, every other row is there as it was
    kept = coding[~coding["sentence_id"].isin(HELD.sentences)].reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded["coding"], kept)
    # claims: the held-back claims are left out; in the held-back sentences, who asserts says so
    expected = claims[~claims["claim_id"].isin(HELD.claims)].reset_index(drop=True)
    in_held = expected["sentence_id"].isin(HELD.sentences)
    assert in_held.any()
    expected.loc[in_held, ["asserted_by", "evidence"]] = HELD_BACK
    pd.testing.assert_frame_equal(loaded["claims"], expected)
    # the rows that stay keep their bytes; every other table is the data folder's
    original = (DATA_DIR / "coding.csv").read_text(encoding="utf-8").splitlines()
    assert set(files["coding.csv"].decode("utf-8").splitlines()) <= set(original)
    changed = {name for name in files if files[name] != (DATA_DIR / name).read_bytes()}
    assert changed == {"coding.csv", "claims.csv", "codebook.csv", "datapackage.json"}
    # codebook: no held-back sentence is a value's example (the field is optional)
    book = load("codebook", DATA_DIR)
    assert book["example_sentence_id"].isin(HELD.sentences).any()
    expected_book = book.copy()
    expected_book.loc[book["example_sentence_id"].isin(HELD.sentences), "example_sentence_id"] = pd.NA
    pd.testing.assert_frame_equal(loaded["codebook"], expected_book)
    # the descriptor says what was held back, table by table and for the package
    desc = json.loads(files["datapackage.json"])
    source = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for res, before in zip(desc["resources"], source["resources"]):
        if res["name"] in ("coding", "claims"):
            assert res["description"].startswith(before["description"] + " In the student edition")
            assert all(sid in res["description"] for sid in HELD.sentences)
        elif res["name"] == "codebook":
            assert res["description"].startswith(before["description"] + " In the student edition")
        else:
            assert res == before
    assert all(
        claim in desc["resources"][[r["name"] for r in desc["resources"]].index("claims")]["description"]
        for claim in HELD.claims
    )
    assert desc["description"].startswith(source["description"]) and "held back" in desc["description"]


def test_held_back_rows_keep_the_csv_as_written_and_a_changed_row_is_quoted_as_needed():
    held = HeldBack(claims=frozenset({"c02"}), sentences=frozenset({"p01s01"}))
    text = (
        "claim_id,sentence_id,claim,asserted_by,evidence\n"
        'c01,p01s01,"a ""quoted""\nline, two",reporter,"says ""orders"""\n'
        "c02,p02s01,gone,reporter,x\n"
        'c03,p03s01,"kept ""as is""",reporter,"y"\n'
    )
    out, note = withhold_table("claims", text, held)
    assert out == (
        "claim_id,sentence_id,claim,asserted_by,evidence\n"
        'c01,p01s01,"a ""quoted""\nline, two",held back,held back\n'
        'c03,p03s01,"kept ""as is""",reporter,"y"\n'
    )
    assert "claims c02 are left out" in note and "(p01s01)" in note
    assert withhold_table("claims", text, None) == (text, "")
    assert withhold_table("sources", text, held) == (text, "")


# --- the built student edition --------------------------------------------------------------------


def student_downloads(html) -> dict[str, str]:
    """Every file the student edition offers under downloads/ (zip members by ``zip!member``), as text."""
    found = {}
    for path in sorted((html / "downloads").rglob("*")):
        name = path.relative_to(html).as_posix()
        if path.suffix == ".zip" and path.stem.startswith("reading-deterrence-") and path.parent.name == "downloads":
            continue  # an offline package of the whole site, which other tests check
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    found[f"{name}!{member}"] = zf.read(member).decode("utf-8", errors="replace")
        elif path.is_file():
            found[name] = path.read_bytes().decode("utf-8", errors="replace")
    return found


def held_back_secrets(teacher_html) -> list[str]:
    """The held-back answers as the teacher edition offers them: from its data downloads (see
    :func:`secrets_of`), and its claim ledger's text for those claims (edition_leaks)."""
    data = teacher_html / "downloads" / "data"
    coding = pd.read_csv(data / "coding.csv", encoding="utf-8-sig", dtype=str)
    claims = pd.read_csv(data / "claims.csv", encoding="utf-8-sig", dtype=str)
    return secrets_of(coding, claims) + held_back_texts(teacher_html)


@pytest.mark.build
def test_the_student_downloads_hold_none_of_the_held_back_answers(student_book, built_book, tmp_path):
    secrets = held_back_secrets(built_book.html)
    offered = student_downloads(student_book.html)
    assert any(name.endswith(".ipynb") for name in offered) and "downloads/data/coding.csv" in offered
    leaks = [
        (name, secret[:60])
        for name, text in offered.items()
        for secret in secrets
        if secret in text or secret in normalise(text)
    ]
    assert leaks == []
    # the copies are the student data exactly, with a byte-order mark on each CSV
    files = offered_data(DATA_DIR, HELD).files()
    downloads = student_book.html / "downloads" / "data"
    for name, data in files.items():
        assert (downloads / name).read_bytes() == (BOM + data if name.endswith(".csv") else data), name
    with zipfile.ZipFile(downloads / "reading-deterrence-data.zip") as zf:
        assert {n: zf.read(n) for n in zf.namelist()} == {f"data/{n}": d for n, d in files.items()}
        zf.extractall(tmp_path)
    for name in table_names(tmp_path / "data"):
        load(name, tmp_path / "data")
    page = (student_book.html / "chapters" / "reference" / "data-catalogue.html").read_text(encoding="utf-8")
    assert "hold back the module's answers to activities you do yourself" in normalise(page)
    for res in json.loads(files["datapackage.json"])["resources"]:
        assert f'href="../../downloads/data/{res["path"]}"' in page, f"no download link for {res['path']}"
