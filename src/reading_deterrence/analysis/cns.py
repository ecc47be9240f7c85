"""A reader for a teacher's copy of the CNS North Korea Missile Test Database (:func:`read_cns`).

The module does not redistribute the database. A teacher downloads it from NTI, saves its
"Missile Tests" sheet as CSV from a spreadsheet program, and passes the file's path; every cell
the reader uses is checked, and a problem is reported with its row and column as
:class:`~reading_deterrence.contract.errors.DataError`, as the module's own tables are. An invented
file in the same layout, to try it on, sits beside chapter 5 (``cns-invented-sample.csv``).
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..contract import DataError, Problem

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

MISSING = re.compile(r"^(unknown.*|n/?a|)$", re.IGNORECASE)
KM = re.compile(r"^(?P<n>\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(km)?$", re.IGNORECASE)
KM_RANGE = re.compile(
    r"^between\s+(?P<a>[\d,.]+)\s*(km)?\s+and\s+(?P<b>[\d,.]+)\s*(km)?$", re.IGNORECASE
)
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


def _parse_date(text: str) -> tuple[date, str] | None:
    for fmt, precision in DATE_FORMATS.items():
        try:
            return datetime.strptime(text, fmt).date(), precision
        except ValueError:
            continue
    return None


def _parse_km(text: str) -> float | None:
    """A distance in km; None for a missing value. Raises ValueError for anything else."""
    if MISSING.match(text):
        return None
    if KM.match(text):
        return float(re.sub(r"(?i)km|,|\s", "", text))
    found = KM_RANGE.match(text)
    if found:
        a, b = (found.group(g).replace(",", "") for g in ("a", "b"))
        try:
            return max(float(a), float(b))
        except ValueError:
            pass
    raise ValueError(text)


def _decode(raw: bytes) -> str:
    """UTF-8 if it is; otherwise Windows-1252, the encoding of a CSV saved by Excel."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def read_cns(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV copy of the CNS North Korea Missile Test Database, checking every cell it uses.

    **The database.** The James Martin Center for Nonproliferation Studies (CNS) compiles it for
    the Nuclear Threat Initiative (NTI), which publishes it as an Excel workbook on nti.org ("The
    CNS North Korea Missile Test Database"). It records flight tests of North Korean missiles
    capable of delivering a payload of at least 500 kg at least 300 km, from April 1984 on. The
    module does not redistribute it: download it from NTI, save its "Missile Tests" sheet as CSV,
    and pass the file's path. ``chapters/05-numbers/cns-invented-sample.csv`` is an invented file to try it on.

    **Columns this function relies on** (required; a missing one is an error):

    - ``Date``: the date of the test, as ``2023-03-16``, ``16-Mar-23``, ``16-Mar-2023``,
      ``03/16/2023`` (month first, as US Excel writes it) or ``Mar-23`` when only the month is
      known. Becomes ``date`` (the first of the month for a month), with ``date_precision``
      (``day`` or ``month``).
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
    Columns the function does not know are kept unchanged.

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
    and ``Missile Name``. Every required column must be present, every ``Date`` must be a date in
    one of the forms above, every distance and coordinate a number. Anything else raises
    :class:`~reading_deterrence.contract.errors.DataError`, listing each problem with its row (counted as a
    spreadsheet counts them: the file's first row is row 1) and column. Empty rows are skipped.
    The file may be UTF-8 or Windows-1252 (Excel's usual CSV encoding).
    """
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise DataError([Problem(shown, None, None, "the file does not exist")])
    rows = list(csv.reader(io.StringIO(_decode(path.read_bytes()), newline="")))
    required = [name for name, (_, _, needed) in CNS_COLUMNS.items() if needed]

    header_at = next(
        (i for i, row in enumerate(rows[:30])
         if {"Date", "Missile Name"} <= {cell.strip() for cell in row}),
        None,
    )
    if header_at is None:
        first = [cell.strip() for cell in rows[0]] if rows else []
        missing = [name for name in required if name not in first]
        raise DataError(
            [Problem(shown, 1, name, "missing column: no row of the file names both 'Date' and "
                     "'Missile Name', so this does not look like the CNS database")
             for name in missing]
        )
    header = [cell.strip() for cell in rows[header_at]]
    header_row = header_at + 1
    missing = [name for name in required if name not in header]
    if missing:
        raise DataError(
            [Problem(shown, header_row, name,
                     "missing column (the loader needs: " + ", ".join(required) + ")")
             for name in missing]
        )

    problems: list[Problem] = []
    records = []
    for number, row in enumerate(rows[header_at + 1:], start=header_row + 1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        record: dict[str, object] = {"row": number}
        for name, text in zip(header, cells):
            if not name:
                continue
            new, kind, _ = CNS_COLUMNS.get(name, (name, "text", False))
            if kind == "date":
                parsed = _parse_date(text)
                if parsed is None:
                    message = ("empty cell: a date is required" if not text
                               else f"{text!r} is not a date ({DATE_HELP})")
                    problems.append(Problem(shown, number, name, message))
                    record[new], record["date_precision"] = None, None
                else:
                    record[new], record["date_precision"] = parsed
            elif kind == "km":
                try:
                    record[new] = _parse_km(text)
                except ValueError:
                    problems.append(Problem(
                        shown, number, name, f"{text!r} is not a number of km ({KM_HELP})"))
                    record[new] = None
                record[new.replace("_km", "_as_given")] = text or None
            elif kind == "number":
                if MISSING.match(text):
                    record[new] = None
                else:
                    try:
                        record[new] = float(text)
                    except ValueError:
                        problems.append(Problem(shown, number, name, f"{text!r} is not a number"))
                        record[new] = None
            else:
                record[new] = text or None
        records.append(record)
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError([Problem(shown, header_row + 1, None, "the file has a header but no rows")])

    out = pd.DataFrame.from_records(records).set_index("row")
    out.index.name = "row"
    out["date"] = pd.to_datetime(out["date"])
    for name, (new, kind, _) in CNS_COLUMNS.items():
        if new not in out.columns:
            continue
        if kind in ("km", "number"):
            out[new] = out[new].astype("Float64")
        elif kind == "text":
            out[new] = out[new].astype("string")
    for given in ("apogee_as_given", "distance_as_given"):
        out[given] = out[given].astype("string")
    out["date_precision"] = out["date_precision"].astype("string")
    return out
