"""The reader for a teacher's copy of the CNS North Korea Missile Test Database (read_cns).

Each fixture in tests/fixtures/cns/ was written by hand, byte for byte, and says in its first line
that it is invented. The good ones are saved as spreadsheet programs save CSV (Excel on Windows:
Windows-1252 and CRLF; UTF-8 with a byte-order mark; old Mac CR line endings); the broken ones
hold one kind of fault each. Every expected value below is read off the fixture by eye: rows are
counted as a spreadsheet counts them, the file's first row being row 1.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from conftest import ROOT
from reading_deterrence import DataError
from reading_deterrence.analysis.cns import CNS_COLUMNS, REQUIRED, read_cns

FIXTURES = ROOT / "tests" / "fixtures" / "cns"
SAMPLE = ROOT / "chapters" / "05-numbers" / "cns-invented-sample.csv"


def problems(path) -> list[tuple[int | None, str | None]]:
    """The (row, column) of each problem read_cns reports for ``path``, in its order."""
    with pytest.raises(DataError) as caught:
        read_cns(path)
    return [(p.row, p.column) for p in caught.value.problems]


def messages(path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_cns(path)
    return [p.message for p in caught.value.problems]


def column(table: pd.DataFrame, name: str) -> list:
    """A column as a plain list, missing values (pd.NA, NaT, NaN) as None, so that lists compare plainly."""
    return [None if pd.isna(value) else value for value in table[name]]


# --- the fixtures are what they say they are ----------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.csv")), ids=lambda p: p.name)
def test_every_fixture_says_it_is_invented_in_its_first_line(path):
    first = path.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines()[0]
    assert first.startswith(b"INVENTED test file for read_cns")
    assert b"NOT data from the CNS" in first


def test_the_encoding_fixtures_hold_the_bytes_they_test():
    """A checkout that rewrote line endings or re-encoded a file would make the tests below vacuous."""
    excel = (FIXTURES / "excel-crlf-cp1252.csv").read_bytes()
    assert excel.count(b"\r\n") == 9 and b"\n" not in excel.replace(b"\r\n", b"")
    assert b"A\xe9rodrome" in excel and b"teacher\x92s" in excel  # Windows-1252: e acute, curly apostrophe
    reordered = (FIXTURES / "reordered-extra-columns.csv").read_bytes()
    assert reordered.startswith(b"\xef\xbb\xbf") and b"\r" not in reordered
    assert "Teacher\u2019s".encode() in reordered
    cr = (FIXTURES / "cr-only.csv").read_bytes()
    assert cr.count(b"\r") == 4 and b"\n" not in cr and "A\u00e9rodrome".encode() in cr


# --- files a spreadsheet program saves ----------------------------------------------------------


def test_excel_export_in_windows_1252_with_crlf_and_title_rows():
    table = read_cns(FIXTURES / "excel-crlf-cp1252.csv")
    # Rows 1-2 are titles, row 3 is blank (commas only), row 4 the header; row 6 holds a cell of two
    # lines (so the file has one more line than the sheet has rows); row 7 is blank.
    assert list(table.index) == [5, 6, 8]
    assert table.index.name == "row"
    assert list(table.columns) == [
        "cns_row", "date", "date_precision", "entered", "launch_time_utc", "missile_name", "missile_type",
        "launch_agency", "facility_name", "facility_location", "other_name", "latitude", "longitude",
        "landing_location", "apogee_km", "apogee_as_given", "distance_km", "distance_as_given", "confirmation",
        "outcome", "additional_information", "sources",
    ]
    assert column(table, "date") == [pd.Timestamp("1984-04-09"), pd.Timestamp("2017-02-12"), pd.Timestamp("2016-09-05")]
    assert column(table, "date_precision") == ["day", "day", "day"]
    assert column(table, "cns_row") == ["1", "2", "3"]
    assert column(table, "facility_name") == ["Invented A\u00e9rodrome", "Invented Field", "Invented Field"]
    assert column(table, "additional_information") == [
        "The teacher\u2019s first invented row.", "Two lines:\nthe second line.", None,
    ]
    assert column(table, "apogee_km") == [None, 550.0, None]  # Unknown, "550 km", N/A
    assert column(table, "apogee_as_given") == ["Unknown", "550 km", "N/A"]
    assert column(table, "distance_km") == [1380.0, 90.0, None]  # "1,380 km", "between 25 and 90 km", Unknown
    assert column(table, "distance_as_given") == ["1,380 km", "between 25 and 90 km", "Unknown"]
    assert column(table, "latitude") == [39.5, None, -0.5]
    assert column(table, "longitude") == [127.25, None, 128.0]
    assert column(table, "launch_time_utc") == ["Unknown", "22:55", "Unknown"]  # text is kept as written
    assert column(table, "outcome") == ["Success", "Failure", "Unknown"]


def test_excel_export_has_typed_columns():
    table = read_cns(FIXTURES / "excel-crlf-cp1252.csv")
    assert pd.api.types.is_datetime64_any_dtype(table["date"])
    assert str(table["apogee_km"].dtype) == "Float64" and str(table["latitude"].dtype) == "Float64"
    assert str(table["missile_name"].dtype) == "string" and str(table["date_precision"].dtype) == "string"


def test_columns_in_another_order_with_a_column_the_reader_does_not_know():
    table = read_cns(FIXTURES / "reordered-extra-columns.csv")
    assert list(table.index) == [3, 4, 5, 6]
    assert list(table.columns) == [
        "outcome", "missile_name", "Teacher Note", "date", "date_precision", "apogee_km", "apogee_as_given",
        "facility_name", "distance_km", "distance_as_given", "missile_type", "latitude",
    ]
    assert column(table, "Teacher Note") == ["Compare: JCS, KCNA", None, "Teacher\u2019s note (UTF-8)", None]
    assert column(table, "date") == [
        pd.Timestamp("2022-03-24"),  # ISO
        pd.Timestamp("1984-09-01"),  # Sep-84: the first of the month
        pd.Timestamp("2023-03-16"),  # 3/16/2023, month first
        pd.Timestamp("2017-07-04"),  # ISO with a time
    ]
    assert column(table, "date_precision") == ["day", "month", "day", "day"]
    assert column(table, "apogee_km") == [6248.0, None, 12.5, 2802.0]  # "Unknown (invented)" is missing
    assert column(table, "distance_km") == [1090.0, None, 1000.0, 933.0]  # "933km": no space
    assert column(table, "latitude") == [39.2, None, None, 40.0]  # empty, N/A
    assert column(table, "missile_name") == ["Invented-ISO", "Invented-Month", "Invented-US", "Invented-Time"]


def test_old_mac_line_endings_in_utf8():
    table = read_cns(FIXTURES / "cr-only.csv")
    assert list(table.index) == [3, 4]
    assert column(table, "facility_name") == ["Invented A\u00e9rodrome", "Invented Field"]  # UTF-8, not cp1252
    assert column(table, "date") == [pd.Timestamp("2019-05-04"), pd.Timestamp("2019-05-10")]
    assert column(table, "distance_km") == [240.0, 420.0]
    assert list(table.columns) == [
        "date", "date_precision", "missile_name", "missile_type", "facility_name", "apogee_km", "apogee_as_given",
        "distance_km", "distance_as_given", "outcome",
    ]


def test_a_byte_order_mark_before_the_header_is_dropped(tmp_path):
    # A file with no title rows, as Excel's "CSV UTF-8" saves it: the mark sits before "Date".
    path = tmp_path / "bom.csv"
    path.write_bytes(
        b"\xef\xbb\xbfDate,Missile Name,Missile Type,Facility Name,Apogee,Distance Travelled,Test Outcome\r\n"
        b"2019-05-04,Invented,SRBM,Invented Field,60 km,240 km,Success\r\n"
    )
    table = read_cns(path)
    assert list(table.index) == [2] and table.columns[0] == "date"


# --- the chapter's invented sample --------------------------------------------------------------


def test_the_chapter_sample_says_it_is_invented_and_has_the_cns_header():
    rows = list(csv.reader(SAMPLE.open(encoding="utf-8", newline="")))
    assert "INVENTED" in rows[0][0] and "NOT data from the CNS" in rows[0][0]
    assert rows[2] == list(CNS_COLUMNS)


def test_the_chapter_sample_reads():
    table = read_cns(SAMPLE)
    assert list(table.index) == [4, 5, 6, 7]  # title row 1, blank row 2, header row 3
    assert table.loc[4, "date"] == pd.Timestamp("2021-02-03")  # 03-Feb-21
    assert table.loc[6, "date"] == pd.Timestamp("2021-07-15")  # ISO
    assert table.loc[7, "date"] == pd.Timestamp("2021-11-01")  # Nov-21: month only
    assert table.loc[7, "date_precision"] == "month"
    assert table.loc[6, "apogee_km"] == 1234  # "1,234 km"
    assert table.loc[6, "distance_km"] == 700  # "between 600 and 700 km": the larger
    assert table.loc[6, "distance_as_given"] == "between 600 and 700 km"
    assert pd.isna(table.loc[5, "apogee_km"])  # "Unknown"
    assert table.loc[4, "latitude"] == 40.0
    assert table["missile_name"].str.contains("invented").all()


def test_the_chapter_breaks_a_date_as_the_lab_shows(tmp_path):
    """The lab rewrites 2021-07-15 as 15/07/2021 (day first) and prints the problem."""
    broken = tmp_path / "broken.csv"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace("2021-07-15", "15/07/2021"), encoding="utf-8")
    assert problems(broken) == [(6, "Date")]
    assert messages(broken)[0].startswith("'15/07/2021' is not a date (accepted: 2023-03-16, 16-Mar-23")


# --- files that are not what they should be -----------------------------------------------------

REQUIRED_AT_ROW_1 = [(1, name) for name in REQUIRED]


@pytest.mark.parametrize(
    ("name", "expected", "says"),
    [
        ("title-rows-only.csv", REQUIRED_AT_ROW_1, "no row of the file names both 'Date' and 'Missile Name'"),
        # No row names both, so the row naming most of the database's columns is taken for the header.
        ("misnamed-date-column.csv", [(3, "Date")], "the header was not found; this row, which names the most"),
        ("missing-apogee.csv", [(2, "Apogee")], "missing column (the reader needs: Date, Missile Name,"),
        ("duplicate-columns.csv", [(2, "Apogee")], "more than once, in columns E and H"),
        ("clashing-column-name.csv", [(2, "date_precision")], "two columns named 'date_precision'"),
        ("header-without-rows.csv", [(3, None)], "the file has a header but no rows"),
        ("unclosed-quote.csv", [(4, "Additional Information")], "a quoted cell is never closed"),
        # Row 2, a title row, has a stray quote too; it is not read, so it is not a problem.
        ("undoubled-quote.csv", [(4, "Additional Information")], "a quote inside a quoted cell must be doubled"),
    ],
)
def test_a_malformed_file_is_one_clear_problem_per_fault(name, expected, says):
    path = FIXTURES / name
    assert problems(path) == expected
    assert all(says in message for message in messages(path))


def test_cells_that_cannot_be_read_are_each_named_by_row_and_column():
    path = FIXTURES / "bad-cells.csv"
    assert problems(path) == [
        (3, "Date"),  # 31-Feb-21: no such day
        (4, "Date"),  # empty
        (4, "Apogee"),  # about 900 km
        (4, "Facility Latitude"),  # 40 N
        (5, "Date"),  # 15/07/2021: day first
        (5, "Distance Travelled"),  # between 25 and
    ]
    said = messages(path)
    assert said[0].startswith("'31-Feb-21' is not a date")
    assert said[1] == "empty cell: a date is required"
    assert said[2].startswith("'about 900 km' is not a number of km (accepted: 900, 900 km, 1,380 km")
    assert said[3].startswith("'40 N' is not a number")


def test_bytes_that_are_not_text_are_named_by_row_and_column():
    # A NUL byte in row 3; in row 4 the byte 0x81, which neither UTF-8 nor Windows-1252 defines.
    path = FIXTURES / "non-text-bytes.csv"
    assert problems(path) == [(3, "Missile Name"), (4, "Facility Name")]
    assert [message.split(")")[0] for message in messages(path)] == [
        "the cell holds a control character (U+0000",
        "the cell holds a control character (U+0081",
    ]


def test_the_error_text_names_row_and_column():
    with pytest.raises(DataError) as caught:
        read_cns(FIXTURES / "bad-cells.csv")
    assert "bad-cells.csv, row 3, column 'Date': '31-Feb-21' is not a date" in str(caught.value)


def test_a_file_that_is_not_the_database(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("when,what\n2023-01-01,launch\n", encoding="utf-8")
    assert problems(other) == REQUIRED_AT_ROW_1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n", "the file is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a zip file, as an Excel workbook (.xlsx) is"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Excel workbook (.xls)"),
        ("Date,Missile Name\r\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["empty", "blank-lines", "xlsx", "xls", "utf-16"],
)
def test_a_file_that_is_not_csv_text_is_a_problem_of_the_whole_file(tmp_path, content, says):
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    assert problems(path) == [(None, None)]
    assert says in messages(path)[0]


def test_a_missing_file_or_a_folder_is_a_problem_of_the_whole_file(tmp_path):
    assert problems(tmp_path / "absent.csv") == [(None, None)]
    assert messages(tmp_path / "absent.csv") == ["the file does not exist"]
    assert problems(tmp_path) == [(None, None)]
    assert messages(tmp_path) == ["this is a folder, not a file"]
