"""Data to take away: every table of the catalogue can be downloaded, CSV files meant for people
open correctly in Excel (a byte-order mark), and data/ itself stays strict UTF-8 without one."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from conftest import DATA_DIR

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
