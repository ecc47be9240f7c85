"""Stage 1 of the contract: the CSV file itself, read once, strictly, with every problem located.

Why our own reader: Python's :mod:`csv` and pandas forgive too much, and where they do not they
raise without a column. Between them they crash on CR-only line endings (``_csv.Error``), turn
``"a "quoted" word"`` into different text without a word, count a blank line as a row of empty
cells (and then as a duplicate key), and name no column when a quoted cell never closes. A
spreadsheet export can produce every one of these. :func:`tokenize` follows RFC 4180 (a quote
opens a quoted cell only at the start of a cell; inside one, ``""`` is a quote) and accepts LF,
CRLF and CR line endings, mixed; anything it cannot read exactly becomes a :class:`Problem` with
its row and column, never a guess.

:func:`read_table` adds the checks of a whole file: it exists, it is UTF-8 (a byte-order mark, as
Excel's "CSV UTF-8" writes, is allowed and dropped), it has no control characters, it ends with a
line break (a file cut off in a cell does not), its header names the schema's columns once each,
in order, and every row has one cell per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, display_path

__all__ = ["Table", "read_table", "tokenize"]

#: Control characters that have no place in a text cell (tab, line feed and carriage return do).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Record:
    """One row of the file: its number (header = row 1) and its cells."""

    row: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """A file that passed stage 1: its header, its rows (cells as strings) and their row numbers."""

    path: Path
    shown: str
    header: list[str]
    rows: list[list[str]]
    numbers: list[int]


def tokenize(text: str) -> tuple[list[Record], list[tuple[int, int, str]]]:
    """Split CSV text into records; return them and the problems as (row, cell index, message).

    Line breaks inside a quoted cell are kept as ``\\n`` whatever the file uses. A record that
    is a blank line has one empty cell.
    """
    records: list[Record] = []
    problems: list[tuple[int, int, str]] = []
    row, cells, cell, i, n = 1, [], [], 0, len(text)
    at_start = True  # at the start of a cell
    while i < n:
        ch = text[i]
        if ch == '"' and at_start:
            j, opened = i + 1, (row, len(cells))
            while True:
                k = text.find('"', j)
                if k == -1:
                    problems.append((*opened, "a quoted cell is never closed: the file looks truncated"))
                    cell.append(text[j:])
                    i = n
                    break
                cell.append(text[j:k])
                if text.startswith('""', k):
                    cell.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            if i < n and text[i] not in ",\r\n":
                problems.append(
                    (
                        *opened,
                        'a quote inside a quoted cell must be doubled (""): the cell ends at the quote '
                        f"before {text[i : i + 12]!r}",
                    )
                )
                # read on to the end of the cell, so that one bad quote is one problem
                while i < n and text[i] not in ",\r\n":
                    cell.append(text[i])
                    i += 1
            at_start = False
            continue
        if ch == ",":
            cells.append("".join(cell).replace("\r\n", "\n").replace("\r", "\n"))
            cell, at_start = [], True
        elif ch in "\r\n":
            cells.append("".join(cell).replace("\r\n", "\n").replace("\r", "\n"))
            records.append(Record(row, cells))
            row, cells, cell, at_start = row + 1, [], [], True
            if ch == "\r" and text.startswith("\n", i + 1):
                i += 1
        else:
            cell.append(ch)
            at_start = False
        i += 1
    if cells or cell or not at_start:
        cells.append("".join(cell))
        records.append(Record(row, cells))
    return records, problems


def _decode(raw: bytes, shown: str, col) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        prefix = raw[: err.start].decode("utf-8", errors="replace")
        before, _ = tokenize(prefix)
        if not before or prefix.endswith(("\n", "\r")):
            row, index = (before[-1].row + 1 if before else 1), 0
        else:
            row, index = before[-1].row, len(before[-1].cells) - 1
        return None, [
            Problem(
                shown,
                row,
                col(index),
                f"the file is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                "save it as UTF-8 (in a spreadsheet: CSV UTF-8)",
            )
        ]
    return text.removeprefix("\ufeff"), []


def read_table(path: Path, fields: list[str], raw: bytes | None = None) -> tuple[Table | None, list[Problem]]:
    """Read ``path`` against the schema's column names; return the table, or the problems.

    ``raw`` is the file's bytes when the caller has read them already (to hash them): then what
    is checked is exactly what was hashed."""
    shown = display_path(path)

    def col(index: int) -> str | None:
        return fields[index] if 0 <= index < len(fields) else None

    if raw is None and path.is_dir():
        return None, [Problem(shown, None, None, "this is a folder, not a CSV file")]
    if raw is None and not path.is_file():
        return None, [Problem(shown, None, None, "the file does not exist")]
    raw = path.read_bytes() if raw is None else raw
    text, problems = _decode(raw, shown, col)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(shown, 1, col(0), "the file is empty; expected a header row: " + ",".join(fields))]
    records, found = tokenize(text)
    problems = [Problem(shown, row, col(index), message) for row, index, message in found]
    if not problems and not text.endswith(("\n", "\r")):
        last = records[-1]
        problems.append(
            Problem(
                shown,
                last.row,
                col(len(last.cells) - 1),
                "the file does not end with a line break: it looks truncated in this cell",
            )
        )
    if problems:
        return None, problems
    header, body = records[0].cells, records[1:]
    problems = _check_header(shown, header, fields)
    if problems:  # the rows cannot be read against a header that is wrong
        return None, problems
    for record in body:
        problems += _check_record(shown, record, fields, col)
    if not problems and not body:
        problems.append(Problem(shown, 2, None, "the table has a header but no rows"))
    if problems:
        return None, problems
    return Table(path, shown, header, [r.cells for r in body], [r.row for r in body]), []


def _check_header(shown: str, header: list[str], fields: list[str]) -> list[Problem]:
    if header == fields:
        return []
    problems = []
    if "" in header:  # a spreadsheet's empty columns at the end: one problem for all of them
        places = [str(i + 1) for i, h in enumerate(header) if h == ""]
        listed = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
        problems.append(Problem(shown, 1, None, f"column {listed} of the header has no name: delete empty columns"))
    problems += [
        Problem(shown, 1, name, "the column name appears more than once")
        for name in dict.fromkeys(h for h in header if h and header.count(h) > 1)
    ]
    problems += [
        Problem(shown, 1, name, "missing column (the schema expects: " + ", ".join(fields) + ")")
        for name in fields
        if name not in header
    ]
    problems += [
        Problem(shown, 1, name, "unexpected column: it is not in the schema")
        for name in dict.fromkeys(header)
        if name and name not in fields
    ]
    if not problems:
        problems = [
            Problem(
                shown,
                1,
                None,
                "the columns are out of order: expected " + ", ".join(fields) + "; found " + ", ".join(header),
            )
        ]
    return problems


def _check_record(shown: str, record: Record, fields: list[str], col) -> list[Problem]:
    cells = record.cells
    if not any(cell.strip() for cell in cells):
        return [Problem(shown, record.row, None, "blank row: delete it (an empty row is not data)")]
    problems = []
    for index, cell in enumerate(cells):
        bad = CONTROL.search(cell)
        if bad:
            problems.append(
                Problem(
                    shown,
                    record.row,
                    col(index),
                    f"control character U+{ord(bad.group(0)):04X} in the cell (at character {bad.start() + 1}); "
                    "delete it",
                )
            )
    if len(cells) < len(fields):
        problems.append(
            Problem(
                shown,
                record.row,
                col(len(cells)),
                f"the row has too few cells ({len(cells)}; the header has {len(fields)})",
            )
        )
    elif len(cells) > len(fields):
        problems.append(
            Problem(
                shown,
                record.row,
                None,
                f"the row has too many cells ({len(cells)}; the header has {len(fields)}): is there an unquoted comma?",
            )
        )
    return problems
