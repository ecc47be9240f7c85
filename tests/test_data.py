"""The data contract: every table validates, and bad data fails with file, row and column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reading_deterrence import DATA_DIR, DataError, descriptor, load, table_names
from reading_deterrence.data import _check_file, _unclosed_quote


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


# --- bad data: each case names the file, the row and the column ------------------------------------


@pytest.fixture
def bad(tmp_path):
    """A copy of data/ to break; returns (folder, helper to rewrite a file's text or bytes)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)

    def rewrite(name: str, change):
        path = folder / name
        content = path.read_bytes()
        new = change(content.decode("utf-8")) if callable(change) else change
        path.write_bytes(new.encode("utf-8") if isinstance(new, str) else new)
        return path

    return folder, rewrite


def only_problem(err: pytest.ExceptionInfo) -> object:
    problems = err.value.problems
    assert len(problems) >= 1
    return problems[0]


def replace_line(text: str, number: int, change) -> str:
    """Apply ``change`` to line ``number`` (1-based) of ``text``."""
    lines = text.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


def test_missing_column(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: "\n".join(",".join(c for i, c in enumerate(l.split(",", 4)) if i != 3) for l in t.split("\n")))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert problem.file.endswith("article_sentences.csv")
    assert (problem.row, problem.column) == (1, "role")
    assert "missing column" in problem.message
    assert "article_sentences.csv, row 1, column 'role': missing column" in str(err.value)


def test_unexpected_and_reordered_columns(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: t.replace("source_id,publisher", "source_id,publisher_name", 1))
    with pytest.raises(DataError) as err:
        load("sources", folder)
    cols = {(p.row, p.column) for p in err.value.problems}
    assert {(1, "publisher"), (1, "publisher_name")} <= cols


def test_wrong_type(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 4, lambda l: l.replace(",3,1,body,", ",three,1,body,", 1)))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (4, "paragraph")
    assert "'three' is not a valid integer" in problem.message


def test_wrong_date(bad):
    folder, rewrite = bad
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda l: l.replace(l.split(",")[1], "2023-02-30", 1)))
    with pytest.raises(DataError) as err:
        load("timeline", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (2, "date_start")
    assert "not a valid date" in problem.message


def test_value_outside_the_allowed_set(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 5, lambda l: l.replace(",body,", ",lede,", 1)))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (5, "role")
    assert "'lede' breaks a constraint" in problem.message and "enum" in problem.message


def test_duplicate_id(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 3, lambda l: "p01s01" + l[6:]))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problems = err.value.problems
    assert any(p.row == 3 and p.column == "sentence_id" and "duplicate" in p.message for p in problems), problems


def test_dangling_foreign_key(bad):
    folder, rewrite = bad
    # point the first timeline row at a sentence that does not exist
    def change(text):
        lines = text.split("\n")
        header = lines[0].split(",")
        assert "sentence_id" in header
        row = lines[1]
        first = load("timeline", DATA_DIR).iloc[0]
        if pd.isna(first["sentence_id"]):
            pytest.skip("first timeline row has no sentence")
        lines[1] = row.replace(f",{first['sentence_id']},", ",p99s99,", 1)
        return "\n".join(lines)

    rewrite("timeline.csv", change)
    with pytest.raises(DataError) as err:
        load("timeline", folder)
    problem = only_problem(err)
    assert problem.file.endswith("timeline.csv")
    assert (problem.row, problem.column) == (2, "sentence_id")
    assert "p99s99" in problem.message and "article_sentences" in problem.message


def test_dangling_foreign_key_to_sources(bad):
    folder, rewrite = bad
    first = load("timeline").iloc[0]
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda l: l.replace(f",{first['source_id']},", ",no-such-source,", 1)))
    with pytest.raises(DataError) as err:
        load("timeline", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (2, "source_id")
    assert "no-such-source" in problem.message


def test_a_broken_referenced_table_stops_the_referring_one(bad):
    folder, rewrite = bad
    rewrite("sources.csv", b"")
    with pytest.raises(DataError) as err:
        load("timeline", folder)
    assert only_problem(err).file.endswith("sources.csv")


def test_empty_file(bad):
    folder, rewrite = bad
    rewrite("sources.csv", b"")
    with pytest.raises(DataError) as err:
        load("sources", folder)
    problem = only_problem(err)
    assert problem.file.endswith("sources.csv")
    assert (problem.row, problem.column) == (1, "source_id")
    assert "empty" in problem.message


def test_header_without_rows(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: t.split("\n")[0] + "\n")
    with pytest.raises(DataError) as err:
        load("sources", folder)
    problem = only_problem(err)
    assert problem.row == 2 and "no rows" in problem.message


def test_truncated_mid_cell(bad):
    folder, rewrite = bad
    path = rewrite("article_sentences.csv", lambda t: t[: t.rindex("Nuclear talks") + len("Nuclear talks")])
    rows = path.read_text(encoding="utf-8").count("\n") + 1
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (rows, "text")
    assert "truncated" in problem.message


def test_truncated_inside_a_quoted_cell(bad):
    folder, rewrite = bad
    # the headline (row 2) is quoted because it contains a comma: cut the file inside it
    rewrite("article_sentences.csv", lambda t: t[: t.index('"N Korea') + 12])
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert (problem.row, problem.column) == (2, "text")
    assert "never closed" in problem.message and "truncated" in problem.message


def test_truncated_mid_row(bad):
    folder, rewrite = bad
    # a whole row cut after its third cell, but ending with a line break
    rewrite("article_sentences.csv", lambda t: t.rstrip("\n").rsplit("\n", 1)[0] + "\np13s01,13,1\n")
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problems = err.value.problems
    rows = len(load("article_sentences")) + 1
    assert any(p.row == rows and p.column in ("role", "text") for p in problems), problems


def test_not_utf8(bad):
    folder, rewrite = bad
    text = (DATA_DIR / "article_sentences.csv").read_text(encoding="utf-8")
    # re-encode as Windows-1252, as a spreadsheet "CSV" export often does: curly quotes become single bytes
    rewrite("article_sentences.csv", text.encode("cp1252"))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    problem = only_problem(err)
    assert problem.file.endswith("article_sentences.csv")
    # the first non-ASCII character is the apostrophe in the headline (row 2, column text)
    assert (problem.row, problem.column) == (2, "text")
    assert "not valid UTF-8" in problem.message


def test_byte_order_mark(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: "\ufeff" + t)
    with pytest.raises(DataError) as err:
        load("sources", folder)
    assert "byte-order mark" in only_problem(err).message


def test_missing_file(bad):
    folder, _ = bad
    (folder / "sources.csv").unlink()
    with pytest.raises(DataError) as err:
        load("sources", folder)
    assert "does not exist" in only_problem(err).message


def test_unknown_table():
    with pytest.raises(KeyError, match="no table named 'nope'"):
        load("nope")


def test_a_fixed_file_loads_again(bad):
    """Validation results are cached, but never for a file that has changed since."""
    folder, rewrite = bad
    good = (folder / "sources.csv").read_bytes()
    load("sources", folder)
    rewrite("sources.csv", b"")
    with pytest.raises(DataError):
        load("sources", folder)
    rewrite("sources.csv", good)
    assert len(load("sources", folder)) > 0


def test_error_lists_at_most_ten_problems(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: t.replace(",body,", ",lede,"))
    with pytest.raises(DataError) as err:
        load("article_sentences", folder)
    assert len(err.value.problems) > 10
    assert "more problems" in str(err.value)


# --- the quote scanner (used to find truncated files) ----------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ('a,b\n1,"x"\n', None),
        ('a,b\n1,"x ""y"", z"\n', None),  # doubled quotes inside a quoted cell
        ('a,b\n1,"x\n', (2, 1)),
        ('a,b\n1,"x ""y""\n', (2, 1)),
        ('a,b\n"1\n2",3\n4,"5', (3, 1)),  # a quoted cell spanning two lines counts as one row
        ('a,b\n1,x"y\n', None),  # a quote inside an unquoted cell does not open one
    ],
)
def test_unclosed_quote(text, expected):
    assert _unclosed_quote(text) == expected


def test_check_file_accepts_the_real_files():
    for res in descriptor()["resources"]:
        assert _check_file(DATA_DIR / res["path"], [f["name"] for f in res["schema"]["fields"]]) == []


def test_data_files_are_small_and_tidy():
    for path in DATA_DIR.iterdir():
        assert path.stat().st_size < 1_000_000, f"{path.name} is over 1 MB"
        assert path.suffix in (".csv", ".json"), f"unexpected file in data/: {path.name}"
    json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
