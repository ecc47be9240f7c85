"""Zip a built edition into an offline package: ``python -m tools.package HTML ZIP --edition E``.

The package is the built HTML folder under one top folder (``reading-deterrence-student/``), with a
``README.txt`` that says how to open it (no install, no network: open ``index.html``, or serve the
folder with any static web server), what is inside, which edition it is, and where the source and
its README are (the project's ``README.md`` is included as ``SOURCE-README.md``, with the commit the
package was built from). Entries are written in a fixed order with a fixed date (the lab bundles'
``write_bundle``), so that the same build gives the same bytes.

Why not ``shutil.make_archive``: it cannot add the README beside the folder, and it stamps every
entry with the file's time, so two builds of the same source differ.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from reading_deterrence.rendering.labs import write_bundle

ROOT = Path(__file__).resolve().parents[1]
#: Build by-products that a reader never needs.
SKIP = {".buildinfo", ".nojekyll"}

README = """Reading Deterrence: {edition_title}
{underline}

An open teaching module on deterrence theory and on reading state media critically, built around
one news article about the 10 April 2023 meeting of North Korea's Central Military Commission.

{edition_text}

HOW TO OPEN IT
  1. Unzip this file (on Windows: right-click, "Extract All"; opening it inside the zip does
     not work).
  2. Open the folder {folder} and double-click index.html. Any modern browser works,
     offline: nothing is loaded from the internet.
  Or put the folder {folder} on any static web server: a school intranet, or your own
  computer (`python3 -m http.server --directory {folder}`, then open
  http://127.0.0.1:8000/).

WHAT IS INSIDE {folder}
  index.html   the module: start here
  handouts/    print-ready PDFs: a student handout for every lesson, the worksheets{teacher_pdfs}
  downloads/   data tables (CSV, they open in a spreadsheet), templates, and the data labs as
               Jupyter notebooks (zip){student_zip}

WHERE THE SOURCE IS
  This package was built from the Reading Deterrence source (Git commit {commit}). The source's own
  README, with how to build the book, run its tests and contribute, is SOURCE-README.md beside this
  file. The text is CC BY 4.0, the code MIT, the data CC BY 4.0 except the article itself, which is
  quoted for criticism and teaching (see SOURCE-README.md, "Licences").
"""

EDITIONS = {
    "student": (
        "student edition",
        "This is the STUDENT EDITION: the lessons, activities, self-checks and handouts, without the\n"
        "answer keys, exercise solutions, lesson plans or teacher's notes.",
        "",
        "",
    ),
    "teacher": (
        "teacher edition",
        "This is the TEACHER EDITION: everything in the student edition, plus exercise solutions, a\n"
        "lesson pack for every lesson (teacher's sheet with timings, keys and the self-check answers),\n"
        "lesson plans, rubrics and answer keys. Give students the student edition\n"
        "(downloads/reading-deterrence-student.zip inside the module).",
        ",\n               and a teacher's sheet for every lesson",
        "\n  downloads/reading-deterrence-student.zip\n               the student package, to hand out",
    ),
}


def commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def readme(edition: str, folder: str) -> str:
    title, text, teacher_pdfs, student_zip = EDITIONS[edition]
    head = f"Reading Deterrence: {title}"
    return README.format(
        edition_title=title,
        underline="=" * len(head),
        edition_text=text,
        folder=folder,
        teacher_pdfs=teacher_pdfs,
        student_zip=student_zip,
        commit=commit(),
    )


def check_edition(html: Path, edition: str) -> None:
    """Refuse a folder that is not a build of ``edition`` (its pages carry the edition's banner),
    and, for the student edition, one that holds anything of the teacher's part."""
    page = next((p for p in sorted(html.glob("chapters/**/*.html"))), None)
    if page is None or f"rd-edition-{edition}" not in page.read_text(encoding="utf-8"):
        raise SystemExit(f"{html}: not a build of the {edition} edition (no rd-edition-{edition} banner)")
    if edition == "student":
        teacher = [
            p for p in html.rglob("*") if "teachers" in p.relative_to(html).parts or p.name.endswith("-teacher.pdf")
        ]
        if teacher:
            raise SystemExit(f"{html}: the student edition holds teacher's files: {teacher[:3]}")


def package(html: Path, target: Path, edition: str) -> Path:
    if not (html / "index.html").is_file():
        raise SystemExit(f"{html}: no index.html; build the {edition} edition first")
    check_edition(html, edition)
    folder = f"reading-deterrence-{edition}"
    contents = {
        "README.txt": readme(edition, folder).encode("utf-8"),
        "SOURCE-README.md": (ROOT / "README.md").read_bytes(),
    }
    for path in sorted(p for p in html.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(html)
        if rel.name in SKIP or rel.parts[0] == "_sources" or path.resolve() == target.resolve():
            continue
        contents[f"{folder}/{rel.as_posix()}"] = path.read_bytes()
    write_bundle(target, contents)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("zip", type=Path)
    parser.add_argument("--edition", choices=sorted(EDITIONS), required=True)
    args = parser.parse_args(argv)
    path = package(args.html, args.zip, args.edition)
    print(f"[package] {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
