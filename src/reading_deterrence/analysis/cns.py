"""A reader for a teacher's copy of the CNS North Korea Missile Test Database (:func:`read_cns`).

The module does not redistribute the database. A teacher downloads it from NTI, saves its
"Missile Tests" sheet as CSV from a spreadsheet program, and passes the file's path; every cell
the reader uses is checked, and a problem is reported with its row and column as
:class:`~reading_deterrence.contract.errors.DataError`, as the module's own tables are. An invented
file in the same layout, to try it on, sits beside chapter 5 (``cns-invented-sample.csv``).

Why our own code: the file is a spreadsheet's export of a third-party workbook, not a table
written for a program. Its header sits below title rows, it is often Windows-1252 rather than
UTF-8, its dates come in several forms (``09-Apr-84``, ``Sep-84``, ``2023-03-16``, ``3/16/2023``)
and its distances in several more (``1,380 km``, ``between 25 and 90 km``, ``Unknown``). No
library reads that layout, and a general CSV reader either guesses (a date, a number) or fails
without saying where. The cells are split by the data contract's own tokenizer
(:func:`~reading_deterrence.contract.csvfile.tokenize`), which locates every quoting problem; this
module finds the header, reads each cell by the kind of its column, and builds a typed DataFrame.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..contract import DataError, Problem
from ..contract.csvfile import tokenize

__all__ = ["CNS_COLUMNS", "read_cns"]


#: The columns of the CNS North Korea Missile Test Database that :func:`read_cns` knows:
#: header in the file -> (our column name, kind, required). See :func:`read_cns` for where they
#: were verified. Kinds: ``date``, ``km`` (a distance, "Unknown"/"N/A" for missing), ``number``,
#: ``text``.
CNS_COLUMNS: dict[str, tuple[str, str, bool]] = {
    "F1": ("cns_row", "text", False),
    "Date": ("date", "date", True),
    "Date Entered/Updated": ("entered", "text", False),
    "Launch Time (UTC)": ("launch_time_utc", "text", False),
    "Missile Name": ("missile_name", "text", True),
    "Missile Type": ("missile_type", "text", True),
    "Launch Agency/Authority": ("launch_agency", "text", False),
    "Facility Name": ("facility_name", "text", True),
    "Facility Location": ("facility_location", "text", False),
    "Other Name": ("other_name", "text", False),
    "Facility Latitude": ("latitude", "number", False),
    "Facility Longitude": ("longitude", "number", False),
    "Landing Location": ("landing_location", "text", False),
    "Apogee": ("apogee_km", "km", True),
    "Distance Travelled": ("distance_km", "km", True),
    "Confirmation Status": ("confirmation", "text", False),
    "Test Outcome": ("outcome", "text", True),
    "Additional Information": ("additional_information", "text", False),
    "Source(s)": ("sources", "text", False),
}
REQUIRED = [name for name, (_, _, needed) in CNS_COLUMNS.items() if needed]
#: The header row is the first row with a cell reading each of these.
HEADER_MARKS = {"Date", "Missile Name"}

MISSING = re.compile(r"^(unknown.*|n/?a|)$", re.IGNORECASE)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 900, 1,380, 12.5
KM = re.compile(rf"^(?P<n>{_NUMBER})\s*(?:km)?$", re.IGNORECASE)
KM_RANGE = re.compile(rf"^between\s+(?P<a>{_NUMBER})\s*(?:km)?\s+and\s+(?P<b>{_NUMBER})\s*(?:km)?$", re.IGNORECASE)
#: Control characters have no place in a text cell (tab, line feed and carriage return do).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
COORDINATE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
DATE_FORMATS = {  # format -> precision
    "%Y-%m-%d": "day",
    "%Y-%m-%d %H:%M:%S": "day",
    "%d-%b-%y": "day",
    "%d-%b-%Y": "day",
    "%m/%d/%Y": "day",
    "%b-%y": "month",
}
DATE_HELP = "accepted: 2023-03-16, 16-Mar-23, 16-Mar-2023, 03/16/2023, or Mar-23 for a month"
KM_HELP = "accepted: 900, 900 km, 1,380 km, between 25 and 90 km; Unknown or N/A if missing"
NUMBER_HELP = "accepted: 40.1 or -128.5; Unknown or N/A if missing"
#: The first bytes of files that are not CSV text, and what to do instead.
NOT_CSV = {
    b"PK\x03\x04": "it is a zip file, as an Excel workbook (.xlsx) is, not CSV: open it in a "
    "spreadsheet program and save the 'Missile Tests' sheet as CSV",
    b"\xd0\xcf\x11\xe0": "it is an old Excel workbook (.xls), not CSV: open it in a spreadsheet "
    "program and save the 'Missile Tests' sheet as CSV",
    b"\xff\xfe": "it is UTF-16 text (what Excel calls 'Unicode Text'), not UTF-8 or Windows-1252: "
    "save the sheet as 'CSV UTF-8' or 'CSV (Comma delimited)'",
    b"\xfe\xff": "it is UTF-16 text, not UTF-8 or Windows-1252: save the sheet as 'CSV UTF-8'",
}


def read_cns(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV copy of the CNS North Korea Missile Test Database, checking every cell it uses.

    **The database.** The James Martin Center for Nonproliferation Studies (CNS) compiles it for
    the Nuclear Threat Initiative (NTI), which publishes it as an Excel workbook on nti.org ("The
    CNS North Korea Missile Test Database"). It records flight tests of North Korean missiles
    capable of delivering a payload of at least 500 kg at least 300 km, from April 1984 on. The
    module does not redistribute it: download it from NTI, save its "Missile Tests" sheet as CSV,
    and pass the file's path. ``chapters/05-numbers/cns-invented-sample.csv`` is an invented file
    to try it on.

    **Columns this function relies on** (required; a missing one is an error):

    - ``Date``: the date of the test, as ``2023-03-16`` (a time after it is ignored),
      ``16-Mar-23``, ``16-Mar-2023``, ``03/16/2023`` (month first, as US Excel writes it) or
      ``Mar-23`` when only the month is known. Becomes ``date`` (the first of the month for a
      month), with ``date_precision`` (``day`` or ``month``).
    - ``Missile Name`` -> ``missile_name``; ``Missile Type`` (SRBM, ICBM, ...) ->
      ``missile_type``; ``Facility Name`` -> ``facility_name``: text, kept as written.
    - ``Apogee`` -> ``apogee_km`` and ``Distance Travelled`` -> ``distance_km``: kilometres,
      written ``900``, ``900 km``, ``1,380 km`` or ``between 25 and 90 km`` (the larger figure is
      kept, as the module's own tables keep the largest); ``Unknown`` or ``N/A`` for missing.
      The text as written is kept in ``apogee_as_given`` and ``distance_as_given``.
    - ``Test Outcome`` -> ``outcome`` (Success, Failure, Unknown): text, kept as written.

    **Columns kept if present** (optional): ``F1`` (the database's row number) -> ``cns_row``,
    ``Date Entered/Updated``, ``Launch Time (UTC)``, ``Launch Agency/Authority``,
    ``Facility Location``, ``Other Name``, ``Facility Latitude`` and ``Facility Longitude``
    (numbers), ``Landing Location``, ``Confirmation Status`` (Confirmed, Unconfirmed),
    ``Additional Information`` and ``Source(s)``; see :data:`CNS_COLUMNS` for their new names.
    Columns the function does not know are kept unchanged, as text under their own header.
    The columns may come in any order. Cells under a column with no header are ignored.

    **Where the columns were verified.** The stored nti.org pages we could search ("Understanding
    North Korea's Missile Tests", by CNS) and an R package's documentation on rdrr.io
    (knapply/data4ds4da, "The CNS Missile and SLV Launch Databases") confirm the database, its
    publisher and its 500 kg / 300 km rule, but show no column list. The nineteen header names
    above come from code that reads the real file: that package's
    ``data-raw/north_korea_missile_test_database.R`` (file downloaded from
    nti.org/documents/2137/north_korea_missile_test_database.xlsx on 11 January 2020), which
    lists all nineteen in order, and two independent scripts reading CSV exports of the sheet,
    which use the same names, a header row starting ``F1`` below a few title rows, dates such as
    ``09-Apr-84`` and ``Sep-84``, distances such as ``1,380 km`` and ``between 25 and 90 km``,
    and ``Unknown`` and ``N/A`` for missing values. NTI may have changed the layout since: if
    this function reports a missing column, compare the file's header with this list.

    **Checks.** The header row may follow title rows: it is the first row that names ``Date``
    and ``Missile Name``. Every required column must be present, and no column may be named
    twice. Every ``Date`` must be a date in one of the forms above, every distance and
    coordinate a number. Anything else raises
    :class:`~reading_deterrence.contract.errors.DataError`, listing each problem with its row
    (counted as a spreadsheet counts them: the file's first row is row 1) and column; a problem
    of the whole file (it does not exist, is empty, or is a workbook rather than CSV) has neither.
    Empty rows are skipped. The file may be UTF-8 (with or without a byte-order mark) or
    Windows-1252 (Excel's usual CSV encoding), with LF, CRLF or CR line endings. A quoted cell
    that is never closed, a lone quote inside a quoted cell, and a cell holding a control
    character (as a file that is not text does) are errors too.
    """
    path = Path(path)
    shown = str(path)
    records, quoting = tokenize(_decode(_read(path, shown), shown))
    rows = [(record.row, [cell.strip() for cell in record.cells]) for record in records]
    at = _find_header(rows, quoting, shown)
    header_row, header = rows[at]
    # From a quoting problem on, the cells are not the cells the file meant: report it first. Title
    # rows above the header are not read, so a quoting problem there does not matter.
    located = [_locate(row, i, message, header_row, header, shown) for row, i, message in quoting if row >= header_row]
    if located:
        raise DataError(located)
    _check_header(header, header_row, shown)
    problems: list[Problem] = []
    table = [_read_row(number, cells, header, problems, shown) for number, cells in rows[at + 1 :] if any(cells)]
    if problems:
        raise DataError(problems)
    if not table:
        raise DataError([Problem(shown, header_row + 1, None, "the file has a header but no rows")])
    return _frame(table, header)


# --- the file: bytes to text ----------------------------------------------------------------------


def _read(path: Path, shown: str) -> bytes:
    if not path.exists():
        raise DataError([Problem(shown, None, None, "the file does not exist")])
    if not path.is_file():
        raise DataError([Problem(shown, None, None, "this is a folder, not a file")])
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError([Problem(shown, None, None, f"the file cannot be read: {error.strerror}")]) from None


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8 (a byte-order mark is dropped) if it is; otherwise Windows-1252, as Excel saves CSV.

    Latin-1, which decodes any bytes, catches the five bytes Windows-1252 leaves undefined; they
    become control characters, which :func:`_read_row` reports with their row and column.
    """
    for start, message in NOT_CSV.items():
        if raw.startswith(start):
            raise DataError([Problem(shown, None, None, f"this file cannot be read: {message}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if not text.strip():
        message = "the file is empty: it should hold the database's 'Missile Tests' sheet"
        raise DataError([Problem(shown, None, None, message)])
    return text


# --- the header row -------------------------------------------------------------------------------


def _find_header(rows: list[tuple[int, list[str]]], quoting: list[tuple[int, int, str]], shown: str) -> int:
    """The index in ``rows`` of the header: the first row with a cell 'Date' and a cell 'Missile Name'.

    Without one, the error names the required columns missing from the row most like a header
    (the first row, if none names a column of the database), after anything that may have hidden
    the header: a quoting problem, or a control character, the sign of a file that is not text.
    """
    for at, (_, cells) in enumerate(rows):
        if HEADER_MARKS <= set(cells):
            return at
    problems = [Problem(shown, row, None, message) for row, _, message in quoting]
    control = next(((row, found) for row, cells in rows if (found := CONTROL.search("".join(cells)))), None)
    if control:
        row, found = control
        problems.append(Problem(shown, row, None, f"the row holds a control character (U+{ord(found[0]):04X}), "
                                "which no text holds: is this a CSV file as a spreadsheet program saves it?"))
    best = max(range(len(rows)), key=lambda at: (len(set(rows[at][1]) & set(CNS_COLUMNS)), -at), default=None)
    number, cells = rows[best] if best is not None else (1, [])
    why = "missing column: no row of the file names both 'Date' and 'Missile Name', so " + (
        "the header was not found; this row, which names the most columns of the database, lacks this one"
        if set(cells) & set(CNS_COLUMNS)
        else "this does not look like the CNS database"
    )
    raise DataError(problems + [Problem(shown, number, name, why) for name in REQUIRED if name not in cells])


def _check_header(header: list[str], number: int, shown: str) -> None:
    """Every required column present, none named twice, no two giving the table the same column name."""
    named = [name for name in header if name]
    problems = [
        Problem(shown, number, name, "the header names this column more than once, in columns "
                + " and ".join(_letter(i) for i, other in enumerate(header) if other == name)
                + ": delete or rename all but one")
        for name in dict.fromkeys(name for name in named if named.count(name) > 1)
    ]
    problems += [
        Problem(shown, number, name, "missing column (the reader needs: " + ", ".join(REQUIRED) + ")")
        for name in REQUIRED
        if name not in header
    ]
    given = {"row": "the row numbers"}  # our column name -> what it holds
    for name in dict.fromkeys(named):
        for new in _columns(name):
            if new in given:
                problems.append(Problem(shown, number, name, f"the table would have two columns named {new!r}: "
                                        f"this one and {given[new]}; rename this column"))
            given.setdefault(new, f"column {name!r}")
    if problems:
        raise DataError(problems)


def _columns(name: str) -> dict[str, str]:
    """The columns of the table that a column of the file becomes, with their kinds."""
    new, kind, _ = CNS_COLUMNS.get(name, (name, "text", False))
    if kind == "date":
        return {new: "date", "date_precision": "text"}
    if kind == "km":
        return {new: "km", new.removesuffix("_km") + "_as_given": "text"}
    return {new: kind}


def _letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it, from its index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _locate(row: int, index: int, message: str, header_row: int, header: list[str], shown: str) -> Problem:
    """A problem the tokenizer found at (row, cell index), with its column named if the header names it."""
    column = (header[index] or None) if row > header_row and index < len(header) else None
    return Problem(shown, row, column, message)


# --- the cells --------------------------------------------------------------------------------------


def _read_row(number: int, cells: list[str], header: list[str], problems: list[Problem], shown: str) -> dict:
    """One row as a record of typed values; what cannot be read goes to ``problems`` (and becomes None)."""
    record: dict[str, object] = {"row": number}
    for name, text in zip(header, cells + [""] * (len(header) - len(cells))):
        if not name:
            continue
        columns = list(_columns(name))
        kind = CNS_COLUMNS.get(name, (name, "text", False))[1]
        try:
            control = CONTROL.search(text)
            if control:
                raise ValueError(f"the cell holds a control character (U+{ord(control[0]):04X}), which no "
                                 "text holds: is this a CSV file as a spreadsheet program saves it?")
            values = PARSERS[kind](text)
        except ValueError as error:
            problems.append(Problem(shown, number, name, str(error)))
            values = (None, None)
        if kind == "km":
            values = (values[0], text or None)  # the distance as written, whatever it is
        record.update(zip(columns, values))
    return record


def _date(text: str) -> tuple[date, str]:
    """A date and its precision ('day' or 'month'), from one of the forms of :data:`DATE_FORMATS`."""
    for fmt, precision in DATE_FORMATS.items():
        try:
            return datetime.strptime(text, fmt).date(), precision
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date ({DATE_HELP})" if text else "empty cell: a date is required")


def _km(text: str) -> tuple[float | None]:
    """A distance in km (the larger of a range); None for a missing value."""
    if MISSING.match(text):
        return (None,)
    found = KM.match(text) or KM_RANGE.match(text)
    if not found:
        raise ValueError(f"{text!r} is not a number of km ({KM_HELP})")
    return (max(float(figure.replace(",", "")) for figure in found.groups()),)


def _number(text: str) -> tuple[float | None]:
    """A number such as a coordinate; None for a missing value."""
    if MISSING.match(text):
        return (None,)
    if not COORDINATE.match(text):
        raise ValueError(f"{text!r} is not a number ({NUMBER_HELP})")
    return (float(text),)


#: For each kind of column, how a cell is read: a function of the stripped text returning the
#: values of the table's columns for it (see :func:`_columns`), or raising ValueError(message).
PARSERS = {
    "date": _date,
    "km": _km,
    "number": _number,
    "text": lambda text: (text or None,),
}


# --- the table --------------------------------------------------------------------------------------


def _frame(records: list[dict], header: list[str]) -> pd.DataFrame:
    """The records as a DataFrame indexed by row: dates as datetimes, numbers as Float64, text as string."""
    kinds = {new: kind for name in header if name for new, kind in _columns(name).items()}
    out = pd.DataFrame.from_records(records, columns=["row", *kinds]).set_index("row")
    for column, kind in kinds.items():
        if kind == "date":
            out[column] = pd.to_datetime(out[column])
        else:
            out[column] = out[column].astype("Float64" if kind in ("km", "number") else "string")
    return out
