"""The data contract against malformed data, as a teacher's spreadsheet export can produce it.

Every case either loads exactly the data the file holds, or stops with a DataError that names
the file, the row and the column: never a traceback, never silently changed data.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil

import pandas as pd
import pytest

from conftest import DATA_DIR
from reading_deterrence import DataError, descriptor, load
from reading_deterrence.contract import UnknownTable
from reading_deterrence.contract.csvfile import tokenize

#: the module (the package re-exports its function of the same name)
descriptor_module = importlib.import_module("reading_deterrence.contract.descriptor")


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


def only_problem(err: pytest.ExceptionInfo):
    """The one problem of the error: a second problem (a bogus follow-on) fails the test."""
    problems = err.value.problems
    assert len(problems) == 1, problems
    return problems[0]


def replace_line(text: str, number: int, change) -> str:
    """Apply ``change`` to line ``number`` (1-based) of ``text``."""
    lines = text.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


def fails(folder, table: str):
    with pytest.raises(DataError) as err:
        load(table, folder)
    return err


# --- the header ------------------------------------------------------------------------------------


def test_missing_column(bad):
    folder, rewrite = bad
    def drop_role(text):
        return "\n".join(",".join(c for i, c in enumerate(row.split(",", 4)) if i != 3) for row in text.split("\n"))

    rewrite("article_sentences.csv", drop_role)
    problem = only_problem(fails(folder, "article_sentences"))
    assert problem.file.endswith("article_sentences.csv")
    assert (problem.row, problem.column) == (1, "role")
    assert "missing column" in problem.message


def test_unexpected_and_renamed_columns(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: t.replace("source_id,publisher", "source_id,publisher_name", 1))
    err = fails(folder, "sources")
    assert {(p.row, p.column) for p in err.value.problems} == {(1, "publisher"), (1, "publisher_name")}


def test_reordered_columns(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: t.replace("exercise_id,name,", "name,exercise_id,", 1))
    problem = only_problem(fails(folder, "exercises"))
    assert problem.row == 1 and "out of order" in problem.message


def test_duplicate_header_names(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: t.replace(",kind,", ",name,", 1))
    err = fails(folder, "exercises")
    found = {(p.row, p.column, p.message.split(" (")[0]) for p in err.value.problems}
    assert (1, "name", "the column name appears more than once") in found
    assert (1, "kind", "missing column") in found


# --- cells and types -------------------------------------------------------------------------------


def test_wrong_type(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 4, lambda line: line.replace(",3,1,body,", ",three,1,body,", 1)))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (4, "paragraph")
    assert "'three' is not a valid integer" in problem.message
    assert "article_sentences.csv, row 4, column 'paragraph': 'three' is not a valid integer" in str(problem)


def test_wrong_date(bad):
    folder, rewrite = bad
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda line: line.replace(line.split(",")[1], "2019-02-30", 1)))
    problem = only_problem(fails(folder, "timeline"))
    assert (problem.row, problem.column) == (2, "date_start")
    assert "not a valid date" in problem.message


def test_value_outside_the_allowed_set(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 5, lambda line: line.replace(",body,", ",lede,", 1)))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (5, "role")
    assert "'lede' breaks a constraint" in problem.message and "enum" in problem.message


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "NaN"])
def test_non_finite_numbers(bad, value):
    folder, rewrite = bad
    rows = load("launch_reports")
    at = int(rows.index[rows["range_km"].notna()][0]) + 2
    def change(text):
        lines = text.split("\n")
        cells = lines[at - 1].split(",")
        cells[4] = value  # range_km
        lines[at - 1] = ",".join(cells)
        return "\n".join(lines)
    rewrite("launch_reports.csv", change)
    problem = only_problem(fails(folder, "launch_reports"))
    assert (problem.row, problem.column) == (at, "range_km")
    assert f"{value!r} is not a finite number" in problem.message


@pytest.mark.parametrize("padded", [" p02s01", "p02s01 ", "p02s01\t", "\u00a0p02s01"])
def test_keys_with_surrounding_white_space(bad, padded):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 3, lambda line: padded + line[len("p02s01"):]))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (3, "sentence_id") and "white space" in problem.message


def test_text_with_surrounding_white_space_is_not_trimmed(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: replace_line(t, 2, lambda line: line.replace(",19FortyFive,", ",19FortyFive ,", 1)))
    problem = only_problem(fails(folder, "sources"))
    assert (problem.row, problem.column) == (2, "publisher")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters(bad, char):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 6, lambda line: line.replace(" ", " " + char, 1)))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (6, "text")
    assert f"U+{ord(char):04X}" in problem.message


# --- keys and references ---------------------------------------------------------------------------


def test_duplicate_id(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: replace_line(t, 3, lambda line: "p01s01" + line[6:]))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (3, "sentence_id") and "duplicate" in problem.message


def test_dangling_foreign_key(bad):
    folder, rewrite = bad
    first = load("timeline").iloc[0]
    assert not pd.isna(first["sentence_id"])
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda line: line.replace(f",{first['sentence_id']},", ",p99s99,", 1)))
    problem = only_problem(fails(folder, "timeline"))
    assert problem.file.endswith("timeline.csv")
    assert (problem.row, problem.column) == (2, "sentence_id")
    assert "p99s99" in problem.message and "article_sentences" in problem.message


def test_dangling_foreign_key_to_sources(bad):
    folder, rewrite = bad
    first = load("timeline").iloc[0]
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda line: line.replace(f",{first['source_id']},", ",no-such-source,", 1)))
    problem = only_problem(fails(folder, "timeline"))
    assert (problem.row, problem.column) == (2, "source_id")
    assert "no-such-source" in problem.message


def test_dangling_list_reference(bad):
    folder, rewrite = bad
    rewrite("claims.csv", lambda t: replace_line(t, 2, lambda line: line[: line.rindex(",") + 1] + "yonhap-no-such-source"))
    problem = only_problem(fails(folder, "claims"))
    assert (problem.row, problem.column) == (2, "source_ids")
    assert "'yonhap-no-such-source' is not a source_id in sources" in problem.message


def test_a_broken_referenced_table_stops_the_referring_one(bad):
    folder, rewrite = bad
    rewrite("sources.csv", b"")
    assert only_problem(fails(folder, "timeline")).file.endswith("sources.csv")


# --- rules across fields, declared in the descriptor -------------------------------------------------


def test_an_end_before_its_start(bad):
    folder, rewrite = bad
    rows = load("exercises")
    at = int(rows.index[rows["end"].notna()][0]) + 2
    start = f"{rows.loc[at - 2, 'start']:%Y-%m-%d}"
    end = f"{rows.loc[at - 2, 'end']:%Y-%m-%d}"
    rewrite("exercises.csv", lambda t: replace_line(t, at, lambda line: line.replace(f",{start},{end},", f",{end},{start},", 1)))
    problem = only_problem(fails(folder, "exercises"))
    assert (problem.row, problem.column) == (at, "end")
    assert "before" in problem.message


def test_an_id_whose_date_disagrees_with_the_date_column(bad):
    folder, rewrite = bad
    rewrite("launch_events.csv", lambda t: replace_line(t, 3, lambda line: line.replace(",2022-01-11,", ",2022-01-12,", 1)))
    problem = only_problem(fails(folder, "launch_events"))
    assert (problem.row, problem.column) == (3, "event_id")
    assert "2022-01-11" in problem.message and "2022-01-12" in problem.message


def test_the_rules_are_declared_in_the_descriptor():
    rules = {r["name"]: r["schema"].get("x-rules", []) for r in descriptor()["resources"]}
    assert {"rule": "not-before", "field": "end", "other": "start"} in rules["exercises"]
    assert {"rule": "date-in-id", "field": "event_id", "other": "date"} in rules["launch_events"]


# --- the file: line endings, blank rows, quotes, encodings, truncation --------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_load_the_same_data(bad, ending):
    folder, rewrite = bad
    for name in ("article_sentences.csv", "sources.csv", "timeline.csv"):
        rewrite(name, lambda t: t.replace("\n", ending))
    assert load("timeline", folder).equals(load("timeline"))
    assert load("article_sentences", folder).equals(load("article_sentences"))


def test_mixed_line_endings_load_the_same_data(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: "".join(line + ("\r\n" if i % 2 else "\r") for i, line in enumerate(t.split("\n")[:-1])))
    assert load("exercises", folder).equals(load("exercises"))


def test_a_blank_line_is_one_problem(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: replace_line(t, 4, lambda line: line + "\n"))
    problem = only_problem(fails(folder, "exercises"))
    assert (problem.row, problem.column) == (5, None) and "blank row" in problem.message


def test_a_trailing_blank_line_is_one_problem_not_a_duplicate_key(bad):
    folder, rewrite = bad
    path = rewrite("exercises.csv", lambda t: t + "\n")
    problem = only_problem(fails(folder, "exercises"))
    assert problem.row == path.read_text(encoding="utf-8").count("\n") and "blank row" in problem.message


def test_each_blank_line_and_an_empty_spreadsheet_row_is_a_problem(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: replace_line(t, 3, lambda line: line + "\n\n,,,,,,,,"))
    err = fails(folder, "exercises")
    assert [(p.row, p.column) for p in err.value.problems] == [(4, None), (5, None)]


def test_an_unescaped_quote_inside_a_quoted_cell(bad):
    folder, rewrite = bad
    # the headline (row 2) is a quoted cell: put a bare quote inside it
    rewrite("article_sentences.csv", lambda t: t.replace('"N Korea’s Kim', '"N Korea’s "Kim', 1))
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (2, "text")
    assert 'must be doubled ("")' in problem.message


def test_a_doubled_quote_inside_a_quoted_cell_is_one_quote(bad):
    folder, rewrite = bad
    name = "ROK-US combined naval exercise with USS Ronald Reagan"
    doubled = '"' + name.replace("combined", '""combined""') + '"'
    rewrite("exercises.csv", lambda t: replace_line(t, 2, lambda line: line.replace(f",{name},", f",{doubled},", 1)))
    assert load("exercises", folder).loc[0, "name"] == name.replace("combined", '"combined"')


def test_empty_file(bad):
    folder, rewrite = bad
    rewrite("sources.csv", b"")
    problem = only_problem(fails(folder, "sources"))
    assert (problem.row, problem.column) == (1, "source_id") and "empty" in problem.message


def test_header_without_rows(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: t.split("\n")[0] + "\n")
    problem = only_problem(fails(folder, "sources"))
    assert problem.row == 2 and "no rows" in problem.message


def test_truncated_mid_cell(bad):
    folder, rewrite = bad
    path = rewrite("article_sentences.csv", lambda t: t[: t.rindex("Nuclear talks") + len("Nuclear talks")])
    rows = path.read_text(encoding="utf-8").count("\n") + 1
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (rows, "text") and "truncated" in problem.message


def test_truncated_inside_a_quoted_cell(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: t[: t.index('"N Korea') + 12])
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (2, "text")
    assert "never closed" in problem.message and "truncated" in problem.message


def test_truncated_mid_row(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: t.rstrip("\n").rsplit("\n", 1)[0] + "\np13s01,13,1\n")
    problem = only_problem(fails(folder, "article_sentences"))
    assert (problem.row, problem.column) == (len(load("article_sentences")) + 1, "role")
    assert "too few cells" in problem.message


def test_too_many_cells(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: replace_line(t, 3, lambda line: line + ",extra"))
    problem = only_problem(fails(folder, "exercises"))
    assert problem.row == 3 and "too many cells" in problem.message


def test_not_utf8(bad):
    folder, rewrite = bad
    text = (DATA_DIR / "article_sentences.csv").read_text(encoding="utf-8")
    rewrite("article_sentences.csv", text.encode("cp1252"))  # a spreadsheet's "CSV" export
    problem = only_problem(fails(folder, "article_sentences"))
    assert problem.file.endswith("article_sentences.csv")
    # the first non-ASCII character is the apostrophe in the headline (row 2, column text)
    assert (problem.row, problem.column) == (2, "text")
    assert "not valid UTF-8" in problem.message


def test_a_byte_order_mark_loads_the_same_data(bad):
    folder, rewrite = bad
    rewrite("sources.csv", lambda t: "\ufeff" + t)  # Excel's "CSV UTF-8"
    assert load("sources", folder).equals(load("sources"))


def test_missing_file(bad):
    folder, _ = bad
    (folder / "sources.csv").unlink()
    assert "does not exist" in only_problem(fails(folder, "sources")).message


def test_unknown_table():
    with pytest.raises(KeyError, match="no table named 'nope'"):
        load("nope")
    with pytest.raises(UnknownTable):
        load("nope")


def test_error_lists_at_most_ten_problems(bad):
    folder, rewrite = bad
    rewrite("article_sentences.csv", lambda t: t.replace(",body,", ",lede,"))
    err = fails(folder, "article_sentences")
    assert len(err.value.problems) > 10 and "more problems" in str(err.value)


# --- the descriptor ----------------------------------------------------------------------------------


def test_missing_descriptor(bad):
    folder, _ = bad
    (folder / "datapackage.json").unlink()
    problem = only_problem(fails(folder, "sources"))
    assert problem.file.endswith("datapackage.json") and "does not exist" in problem.message


def test_unparsable_descriptor(bad):
    folder, rewrite = bad
    rewrite("datapackage.json", lambda t: t.replace('"resources": [', '"resources": [,', 1))
    problem = only_problem(fails(folder, "sources"))
    assert problem.file.endswith("datapackage.json") and "not valid JSON" in problem.message
    assert problem.row == next(i for i, text in enumerate((folder / "datapackage.json").read_text().split("\n"), 1) if '"resources": [,' in text)


def _edit_descriptor(folder, change):
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc, indent=2), encoding="utf-8")


def _resource(desc, name):
    return next(r for r in desc["resources"] if r["name"] == name)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: _resource(d, "sources")["schema"]["fields"][0].update(typ="string"), "unknown property 'typ'"),
        (lambda d: _resource(d, "sources")["schema"]["fields"][0].update(type="strng"), 'type "strng" is not supported'),
        (lambda d: _resource(d, "sources").update(pth=_resource(d, "sources").pop("path")), '"path" or "data" is required'),
        (lambda d: d.update(resourcs=d.pop("resources")), "'resources' must be a list"),
        (lambda d: _resource(d, "sources")["schema"].update(primaryKey=["id"]), "primary key"),
        (lambda d: _resource(d, "timeline")["schema"]["foreignKeys"][0]["reference"].update(resource="sentences"),
         "refers to table 'sentences'"),
        (lambda d: _resource(d, "exercises")["schema"]["x-rules"][0].update(rule="after"), "unknown rule 'after'"),
        (lambda d: _resource(d, "exercises")["schema"]["x-rules"][0].update(other="begin"), "'begin' as 'other'"),
    ],
    ids=["misspelt property", "unknown type", "no path", "no resources", "primary key", "foreign key", "rule", "rule field"],
)
def test_invalid_descriptor(bad, change, expected):
    folder, _ = bad
    _edit_descriptor(folder, change)
    err = fails(folder, "exercises")
    assert all(p.file.endswith("datapackage.json") for p in err.value.problems)
    assert any(expected in p.message for p in err.value.problems), err.value.problems


def test_a_descriptor_that_is_not_an_object(bad):
    folder, rewrite = bad
    rewrite("datapackage.json", "[]\n")
    assert "one JSON object" in only_problem(fails(folder, "sources")).message


# --- where the data are --------------------------------------------------------------------------------


def test_the_folder_can_be_given_as_a_folder_or_its_descriptor(bad):
    folder, _ = bad
    assert load("exercises", folder).equals(load("exercises", folder / "datapackage.json"))


def test_a_folder_with_no_data_package(tmp_path):
    problem = only_problem(fails(tmp_path, "sources"))
    assert "no data package here" in problem.message


def test_the_environment_variable_points_at_another_package(bad, monkeypatch):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: t + "\n")  # broken, so that we can tell which is read
    monkeypatch.setenv("READING_DETERRENCE_DATA", str(folder))
    with pytest.raises(DataError):
        load("exercises")
    monkeypatch.delenv("READING_DETERRENCE_DATA")
    assert len(load("exercises")) > 0


def test_the_books_data_is_found_from_a_chapter_folder(bad, monkeypatch):
    folder, rewrite = bad  # a book in a temporary folder, whose exercises differ from ours
    rewrite("exercises.csv", lambda t: replace_line(t, 2, lambda line: line.replace("USS Ronald Reagan", "USS Example", 1)))
    (folder.parent / "chapters" / "05-numbers").mkdir(parents=True)
    monkeypatch.chdir(folder.parent / "chapters" / "05-numbers")
    monkeypatch.setattr(descriptor_module, "_checkout_data", lambda: folder.parent / "nowhere")
    assert "USS Example" in load("exercises").loc[0, "name"]


# --- the cache can never return stale data -------------------------------------------------------------


def test_a_fixed_file_loads_again(bad):
    folder, rewrite = bad
    good = (folder / "sources.csv").read_bytes()
    load("sources", folder)
    rewrite("sources.csv", b"")
    fails(folder, "sources")
    rewrite("sources.csv", good)
    assert len(load("sources", folder)) > 0


def test_a_same_size_edit_in_the_same_instant_is_seen(bad):
    folder, rewrite = bad
    path = folder / "article_sentences.csv"
    before = os.stat(path)
    assert load("article_sentences", folder).loc[3, "paragraph"] == 4
    rewrite("article_sentences.csv", lambda t: replace_line(t, 5, lambda line: line.replace(",4,1,body,", ",x,1,body,", 1)))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert (only_problem(fails(folder, "article_sentences")).row) == 5


def test_a_changed_reference_target_is_seen(bad):
    folder, rewrite = bad
    load("timeline", folder)
    first = load("timeline").iloc[0]
    rewrite("sources.csv", lambda t: t.replace(f"\n{first['source_id']},", f"\n{first['source_id']}-gone,", 1))
    err = fails(folder, "timeline")
    assert any(p.file.endswith("timeline.csv") and p.column == "source_id" for p in err.value.problems)


def test_changing_a_loaded_frame_does_not_change_the_next_load():
    frame = load("exercises")
    frame.loc[0, "name"] = "changed"
    assert load("exercises").loc[0, "name"] != "changed"


# --- the reader itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cells, problems",
    [
        ('a,b\n1,"x"\n', [["a", "b"], ["1", "x"]], []),
        ('a,b\r\n1,"x ""y"", z"\r\n', [["a", "b"], ["1", 'x "y", z']], []),
        ('a,b\r1,"two\r\nlines"\r', [["a", "b"], ["1", "two\nlines"]], []),
        ('a,b\n1,"x\n', [["a", "b"], ["1", "x\n"]], [(2, 1, "never closed")]),
        ('a,b\n1,"x "y" z"\n', [["a", "b"], ["1", 'x y" z"']], [(2, 1, "must be doubled")]),
        ('a,b\n1,x"y\n', [["a", "b"], ["1", 'x"y']], []),  # a quote inside an unquoted cell is a character
        ('a,b\n\n1,2', [["a", "b"], [""], ["1", "2"]], []),
    ],
)
def test_tokenize(text, cells, problems):
    records, found = tokenize(text)
    assert [r.cells for r in records] == cells
    assert [(row, index) for row, index, _ in found] == [p[:2] for p in problems]
    for (_, _, message), expected in zip(found, problems):
        assert expected[2] in message


# --- cases found in review: each once a traceback, a silent pass or a wrong report --------------------


def test_a_file_holding_only_a_byte_order_mark_is_empty(bad):
    folder, rewrite = bad
    rewrite("sources.csv", "\ufeff".encode())
    problem = only_problem(fails(folder, "sources"))
    assert (problem.row, problem.column) == (1, "source_id") and "empty" in problem.message


def test_a_folder_where_the_file_should_be(bad):
    folder, _ = bad
    (folder / "sources.csv").unlink()
    (folder / "sources.csv").mkdir()
    assert "folder" in only_problem(fails(folder, "sources")).message


@pytest.mark.parametrize(
    "value, says",
    [("99999999999999999999", "too large"), ("١", "not a valid integer"), ("１", "not a valid integer"),
     ("1_000", "not a valid integer"), ("2.0", "not a valid integer")],
)
def test_integers_that_python_would_read_differently(bad, value, says):
    folder, rewrite = bad
    rewrite("launch_reports.csv", lambda t: replace_line(t, 2, lambda line: line.replace(",JCS,1,", f",JCS,{value},", 1)))
    problem = only_problem(fails(folder, "launch_reports"))
    assert (problem.row, problem.column) == (2, "missiles") and says in problem.message


def test_a_date_not_written_yyyy_mm_dd_is_located_not_skipped_by_the_rules(bad):
    folder, rewrite = bad
    # 2019-2-1 is before the start (2019-02-27); Frictionless reads it as a date, the rule would skip it
    rewrite("timeline.csv", lambda t: replace_line(t, 2, lambda line: line.replace(",2019-02-28,", ",2019-2-1,", 1)))
    problem = only_problem(fails(folder, "timeline"))
    assert (problem.row, problem.column) == (2, "date_end") and "YYYY-MM-DD" in problem.message


def test_a_rule_is_still_checked_when_another_cell_of_the_row_is_wrong(bad):
    folder, rewrite = bad
    rewrite("launch_events.csv", lambda t: replace_line(t, 3, lambda line: line.replace(",2022-01-11,", ",2022-01-12,", 1).replace(",yes,", ",maybe,", 1)))
    err = fails(folder, "launch_events")
    assert {(p.row, p.column) for p in err.value.problems} == {(3, "event_id"), (3, "kcna_reported")}


def test_empty_column_names_from_a_spreadsheet_are_one_problem(bad):
    folder, rewrite = bad
    rewrite("exercises.csv", lambda t: t.replace("\n", ",,,\n", 1))
    problem = only_problem(fails(folder, "exercises"))
    assert problem.row == 1 and "no name" in problem.message


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: _resource(d, "exercises")["schema"].update({"x-rules": {"rule": "not-before"}}), "'x-rules' must be a list"),
        (lambda d: _resource(d, "exercises")["schema"].update({"x-rules": ["not-before"]}), "each rule of 'x-rules' must be an object"),
        (lambda d: _resource(d, "claims")["schema"]["fields"][-1].update({"x-references": "sources"}), "'x-references' must be an object"),
        (lambda d: _resource(d, "claims")["schema"]["fields"][-1]["x-references"].pop("separator"), "'separator' must be a string"),
        (lambda d: _resource(d, "exercises")["schema"]["foreignKeys"][0].update(reference=["sources"]), "'reference' must be an object"),
        (lambda d: _resource(d, "exercises")["schema"]["fields"][0].pop("name"), "a field's name must be a string"),
        (lambda d: _resource(d, "exercises").update(schema="exercises.json"), "'schema' must be an object"),
        (lambda d: d.update(resources={"exercises": {}}), "'resources' must be a list"),
    ],
    ids=["rules object", "rule string", "references string", "no separator", "reference list", "field name", "schema string", "resources object"],
)
def test_descriptor_properties_of_the_wrong_type(bad, change, expected):
    folder, _ = bad
    _edit_descriptor(folder, change)
    err = fails(folder, "exercises")
    assert any(expected in p.message for p in err.value.problems), err.value.problems


def test_keys_given_as_one_name_are_valid(bad):
    folder, _ = bad
    _edit_descriptor(folder, lambda d: _resource(d, "exercises")["schema"].update(primaryKey="exercise_id"))
    assert load("exercises", folder).equals(load("exercises"))


def test_a_descriptor_with_a_byte_order_mark(bad):
    folder, rewrite = bad
    rewrite("datapackage.json", lambda t: "\ufeff" + t)
    assert load("exercises", folder).equals(load("exercises"))
