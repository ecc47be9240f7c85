"""Result files of the discernment check: read, checked against the bank, scored, paired (issue 14).

A result file is what the check-yourself page downloads: one student's answers to one form, as a
CSV with the columns :data:`RESULT_COLUMNS` (``code, form, phase, item_id, rating,
answered_at``), one row per item. A class report reads a folder of them. :func:`read_results`
reads and checks them, with the data contract's strict CSV reader, and reports every problem
with its file, row (as a spreadsheet numbers it: the header is row 1) and column, never a wrong
number; :func:`class_scores` scores each code's form with
:func:`~reading_deterrence.analysis.discernment.score`, and :func:`paired` puts each code's
before (pre) and after (post) side by side.

No file carries a score the class report trusts: scores are always recomputed from the ratings.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..contract import DataError, Problem, display_path
from ..contract.csvfile import tokenize
from .discernment import score

__all__ = ["CODE", "PHASES", "RESULT_COLUMNS", "SCORE_COLUMNS", "class_scores", "paired", "read_results"]

#: The columns of a result file, one row per item answered.
RESULT_COLUMNS = ("code", "form", "phase", "item_id", "rating", "answered_at")
#: Score columns a result file may also carry (the page writes none): each is recomputed from the
#: ratings, and a value that disagrees is an error, so that an edited score cannot pass.
SCORE_COLUMNS = ("hit_rate", "false_alarm_rate", "d_prime", "c", "auc")
#: How far a score column may be from the recomputed score (it may be rounded to 2 decimals).
TOLERANCE = 0.006
PHASES = ("pre", "post")
#: A code a student chooses: 2 to 20 letters, digits, "-" or "_" (so no space, no "@": no e-mail
#: address, and no full name); the page says never to use a name.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,19}")
RATING = re.compile(r"[1-6]")


def read_results(source: str | os.PathLike | Iterable[str | os.PathLike], bank: pd.DataFrame) -> pd.DataFrame:
    """Read result files (a folder of ``*.csv``, one file, or a list), checked against the bank.

    Returns one row per answer: ``file``, ``row`` and the :data:`RESULT_COLUMNS` (``rating`` an
    int). Raises :class:`DataError` listing every problem with its file, row and column: a
    missing or unexpected column, an empty file, a code that is not a code (:data:`CODE`), a
    phase other than pre/post, a form the bank lacks, an unknown item, an item of another form,
    a rating outside 1-6, a date-time that is not ISO 8601, an item answered twice, a form not
    answered in full, the same code twice in one phase, and a score column (:data:`SCORE_COLUMNS`)
    that disagrees with the ratings.
    """
    problems: list[Problem] = []
    frames, first_seen = [], {}
    for path in _result_files(source):
        shown = path.name
        records, found = _records(path, shown)
        problems += found
        if found:
            continue
        frame, found = _answers(records, shown, bank)
        problems += found
        if found:
            continue
        problems += _check_blocks(frame, shown, bank)
        for (code, phase), block in frame.groupby(["code", "phase"], sort=False):
            if (code, phase) in first_seen:
                message = f"code {code} already has a {phase} form, in {first_seen[code, phase]}"
                problems.append(Problem(shown, int(block["row"].iloc[0]), "code", message))
            first_seen.setdefault((code, phase), shown)
        frames.append(frame)
    if problems:
        raise DataError(problems)
    return pd.concat(frames, ignore_index=True)[["file", "row", *RESULT_COLUMNS]]


def _result_files(source) -> list[Path]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            files = sorted(path.glob("*.csv"))
            if not files:
                raise DataError([Problem(display_path(path), None, None, "no result files (*.csv) in this folder")])
            return files
        return [path]
    return [Path(p) for p in source]


def _records(path: Path, shown: str) -> tuple[list, list[Problem]]:
    """The file's records (header first), read with the contract's strict reader, or its problems."""
    if not path.is_file():
        return [], [Problem(shown, None, None, "the file does not exist")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(shown, None, None, "the file is not UTF-8 text; save it as CSV UTF-8")]
    records, found = tokenize(text)
    if found:
        return [], [Problem(shown, row, None, f"cell {index + 1}: {message}") for row, index, message in found]
    records = [r for r in records if any(cell.strip() for cell in r.cells)]
    if not records:
        return [], [Problem(shown, None, None, "the file is empty")]
    header = [h.strip() for h in records[0].cells]
    problems = [
        Problem(shown, 1, c, "missing column (a result file has: " + ", ".join(RESULT_COLUMNS) + ")")
        for c in RESULT_COLUMNS
        if c not in header
    ]
    problems += [
        Problem(shown, 1, h or f"number {i + 1}", "column appears twice" if h in header[:i] else "unexpected column")
        for i, h in enumerate(header)
        if h not in RESULT_COLUMNS + SCORE_COLUMNS or h in header[:i]
    ]
    if not problems and len(records) == 1:
        problems.append(Problem(shown, 2, None, "the file has a header but no answers"))
    return records, problems


def _answers(records: list, shown: str, bank: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Each row's cells checked one by one; the rows as a frame (scores kept as text)."""
    header = [h.strip() for h in records[0].cells]
    form_of = dict(zip(bank["item_id"], bank["form"]))
    forms = sorted(set(form_of.values()))
    problems, rows = [], []
    for record in records[1:]:
        cells = dict(zip(header, (c.strip() for c in record.cells)))
        if len(record.cells) != len(header):
            problems.append(Problem(shown, record.row, None, f"{len(record.cells)} cells, not {len(header)}"))
            continue
        checks = {
            "code": (CODE.fullmatch(cells["code"]), f"{cells['code']!r} is not a code (2-20 letters, digits, - or _)"),
            "form": (cells["form"] in forms, f"{cells['form']!r} is not a form of the bank ({', '.join(forms)})"),
            "phase": (cells["phase"] in PHASES, f"{cells['phase']!r} is not a phase (pre or post)"),
            "item_id": (cells["item_id"] in form_of, f"{cells['item_id']!r} is not an item of the bank"),
            "rating": (RATING.fullmatch(cells["rating"]), f"{cells['rating']!r} is not a rating from 1 to 6"),
            "answered_at": (_is_datetime(cells["answered_at"]), f"{cells['answered_at']!r} is not an ISO date-time"),
        }
        found = [Problem(shown, record.row, column, message) for column, (ok, message) in checks.items() if not ok]
        if not found and form_of[cells["item_id"]] != cells["form"]:
            message = f"item {cells['item_id']} is in form {form_of[cells['item_id']]}, not form {cells['form']}"
            found.append(Problem(shown, record.row, "item_id", message))
        problems += found
        rows.append({"file": shown, "row": record.row, **cells})
    frame = pd.DataFrame(rows)
    if not problems:
        frame["rating"] = frame["rating"].astype(int)
    return frame, problems


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return len(text) > 10


def _check_blocks(frame: pd.DataFrame, shown: str, bank: pd.DataFrame) -> list[Problem]:
    """Each code's answers to one phase: one form, answered in full, each item once; scores true."""
    problems = []
    for (code, phase), block in frame.groupby(["code", "phase"], sort=False):
        first = int(block["row"].iloc[0])
        if block["form"].nunique() > 1:
            problems.append(Problem(shown, first, "form", f"code {code}'s {phase} answers mix forms"))
            continue
        form = block["form"].iloc[0]
        twice = block[block["item_id"].duplicated()]
        problems += [
            Problem(shown, int(r.row), "item_id", f"item {r.item_id} is answered twice by code {code} ({phase})")
            for r in twice.itertuples()
        ]
        missing = sorted(set(bank.loc[bank["form"] == form, "item_id"]) - set(block["item_id"]))
        if missing:
            message = f"code {code}'s {phase} answers lack items of form {form}: {', '.join(missing)}"
            problems.append(Problem(shown, None, "item_id", message))
        if twice.empty and not missing:
            problems += _check_scores(block, shown, bank)
    return problems


def _check_scores(block: pd.DataFrame, shown: str, bank: pd.DataFrame) -> list[Problem]:
    """Any score column present must agree, on every row, with the score of the ratings."""
    true = score(dict(zip(block["item_id"], block["rating"])), bank)
    problems = []
    for column in (c for c in SCORE_COLUMNS if c in block.columns):
        for r in block.itertuples():
            given = getattr(r, column)
            try:
                value = float(given) if given != "" else true[column]
            except ValueError:
                value = math.nan
            if not abs(value - true[column]) <= TOLERANCE:
                message = f"says {given} but the ratings give {true[column]:.2f}: the score or the ratings were changed"
                problems.append(Problem(shown, int(r.row), column, message))
                break
    return problems


def class_scores(results: pd.DataFrame, bank: pd.DataFrame) -> pd.DataFrame:
    """One row per code and phase (from :func:`read_results`): the form, the file and the score."""
    rows = []
    for (code, phase), block in results.groupby(["code", "phase"], sort=True):
        s = score(dict(zip(block["item_id"], block["rating"])), bank)
        rows.append({"code": code, "phase": phase, "form": block["form"].iloc[0], "file": block["file"].iloc[0], **s})
    return pd.DataFrame(rows)


def paired(scores: pd.DataFrame) -> pd.DataFrame:
    """Codes with both a pre and a post score: d′, c and AUC before and after, and the change."""
    wide = scores.pivot(index="code", columns="phase", values=["d_prime", "c", "auc"])
    wide = wide.dropna() if set(PHASES) <= set(scores["phase"]) else wide.iloc[0:0]
    out = pd.DataFrame(index=wide.index)
    for measure in ("d_prime", "c", "auc"):
        pre, post = (wide[(measure, p)].astype(float) if (measure, p) in wide else math.nan for p in PHASES)
        out[f"{measure}_pre"], out[f"{measure}_post"], out[f"{measure}_change"] = pre, post, post - pre
    return out.rename_axis(index=None, columns="code")
