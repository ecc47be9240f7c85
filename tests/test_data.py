"""The real data: every table validates and loads with its schema's dtypes, and is documented.

Malformed data is tested in test_contract.py."""

from __future__ import annotations

import json

import pytest

from conftest import DATA_DIR
from reading_deterrence import descriptor, load, table_names
from reading_deterrence.contract.csvfile import read_table

# --- the real data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", table_names())
def test_every_table_validates_and_loads(name):
    frame = load(name)
    fields = [f["name"] for f in next(r for r in descriptor()["resources"] if r["name"] == name)["schema"]["fields"]]
    assert list(frame.columns) == fields
    assert len(frame) > 0


def test_dtypes_follow_the_schema():
    timeline = load("timeline")
    assert str(timeline["date_start"].dtype).startswith("datetime64")
    assert str(load("article_sentences")["paragraph"].dtype) == "Int64"
    assert str(timeline["note"].dtype) == "string"
    # empty cells are missing values, not empty strings
    assert timeline["date_end"].isna().any()


def test_descriptor_documents_every_table_and_field():
    desc = descriptor()
    assert desc.get("licenses"), "the package needs a licence"
    for res in desc["resources"]:
        for key in ("title", "description", "sources", "schema", "path", "encoding"):
            assert res.get(key), f"{res['name']}: missing {key}"
        assert res["encoding"] == "utf-8"
        assert res["schema"].get("primaryKey"), f"{res['name']}: no primary key"
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']}: no description"
    # every CSV in data/ is described (no undocumented tables)
    described = {r["path"] for r in desc["resources"]}
    assert {p.name for p in DATA_DIR.glob("*.csv")} == described


def test_article_provenance_is_recorded():
    res = next(r for r in descriptor()["resources"] if r["name"] == "article_sentences")
    provenance = res["provenance"]
    for key in ("outlet", "date", "wire_origin", "rights", "confidence"):
        assert provenance.get(key), key
    sources = load("sources").set_index("source_id")
    assert provenance["outlet_source_id"] in sources.index
    assert provenance["wire_origin_source_id"] in sources.index
    assert res["licenses"][0]["name"] == "quotation-only"


def test_sources_urls_are_absolute_https_or_http():
    for url in load("sources")["url"]:
        assert url.startswith(("https://", "http://")), url


def test_every_real_file_passes_stage_one():
    for res in descriptor()["resources"]:
        table, problems = read_table(DATA_DIR / res["path"], [f["name"] for f in res["schema"]["fields"]])
        assert problems == [] and table is not None and len(table.rows) > 0


def test_data_files_are_small_and_tidy():
    for path in DATA_DIR.iterdir():
        assert path.stat().st_size < 1_000_000, f"{path.name} is over 1 MB"
        assert path.suffix in (".csv", ".json"), f"unexpected file in data/: {path.name}"
    json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
