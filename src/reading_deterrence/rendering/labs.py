"""Data labs to take away: a lab's notebook in a zip with the data and the code it needs.

Unzipped, a bundle runs in a plain Jupyter with pandas and matplotlib installed, and nothing else::

    lab-who-speaks/
        lab-who-speaks.ipynb     the lab page as a notebook (rendering.notebook), no outputs
        README.txt               what is here and how to run it
        LICENSE.txt              the code's licence (the data's is in data/datapackage.json)
        data/                    the tables the lab reads and every table they refer to, byte for
                                 byte (but for the rows the student edition holds back), with the
                                 descriptor cut down to them
        reading_deterrence/      the modules of this package the notebook imports, and the
                                 modules those import, copied as they are, with BUNDLE.txt
        example-sheet.csv ...    the files the page offers beside it ({download}, {generated})

The notebook runs in its own folder, as Jupyter runs it: ``import reading_deterrence`` finds the
copy beside it, and :func:`~reading_deterrence.contract.descriptor.package_path` finds ``data/``.
The copy is this package's own code, not a second implementation; what differs in a bundle is one
thing, decided by :mod:`reading_deterrence.contract.standalone`: where Frictionless is missing,
the contract checks the cells with pandas instead of failing (see there for why and what).

Which modules go in is found by reading the imports (:mod:`ast`): those of the notebook's code
cells, then those of each module they reach, lazy imports inside functions included. Every import
at the top of a copied module and every import in the notebook must be the standard library,
pandas, numpy, matplotlib or this package: anything else would fail in a plain Jupyter, and is a
:class:`LabError` at build time instead. (Imports inside functions are not checked: Frictionless
in the contract and myst-nb in ``facts.glue_facts`` are only imported where a bundle never goes;
the notebook test runs every bundle in an environment without them.)

In the student edition, ``data/`` holds back what the edition's pages hold back, the module's
answers to the device activities (:mod:`.withheld`: rows left out, a cell saying "held back", and
the descriptor saying so); the notebook's introduction and the README say so, and that the cells,
run on these data, may compute other numbers than the text gives (the book computed those from all
the data). Only the data change: the notebook is the page's, whose pasted tables the student
edition already holds back.

Bundles are reproducible: entries in a fixed order, with a fixed date.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import textwrap
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import nbformat

from ..contract import dependencies, resource
from ..contract.standalone import MARKER
from .base import HeldBack
from .withheld import offered_data

__all__ = [
    "ALLOWED",
    "LabError",
    "bundle_contents",
    "holds_back",
    "intro",
    "module_closure",
    "needed_tables",
    "write_bundle",
]

PACKAGE = "reading_deterrence"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: What a plain Jupyter for the labs has besides the standard library (numpy comes with pandas).
ALLOWED = {"pandas", "numpy", "matplotlib"}
#: The date of every entry in a bundle (the earliest a zip file can hold).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class LabError(ValueError):
    """A lab that cannot be bundled to run in a plain Jupyter."""


def _module_path(name: str, package_dir: Path) -> Path | None:
    """The file of module ``name`` (``reading_deterrence.x.y``) in ``package_dir``, if any."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package_dir.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(tree: ast.AST, current: str, is_package: bool) -> tuple[set[str], set[str]]:
    """(modules of this package, top-level names of other packages) that ``tree`` imports."""
    ours: set[str] = set()
    theirs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = current.split(".") if is_package else current.split(".")[:-1]
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            (ours if name.split(".")[0] == PACKAGE else theirs).add(name)
    return ours, {name.split(".")[0] for name in theirs}


def _top_level(tree: ast.Module) -> ast.Module:
    """The module with only its top-level statements (imports inside functions left out)."""
    body = [node for node in tree.body if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return ast.Module(body=body, type_ignores=[])


def _check_external(names: set[str], where: str) -> None:
    foreign = sorted(n for n in names if n and n not in sys.stdlib_module_names and n not in ALLOWED | {PACKAGE})
    if foreign:
        raise LabError(f"{where} imports {', '.join(foreign)}, which a plain Jupyter with pandas and matplotlib lacks")


def module_closure(sources: Iterable[str], package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """The modules of this package that code ``sources`` (notebook cells) import, directly or not,
    with their packages' ``__init__``: dotted name -> file. See the module docstring."""
    wanted: set[str] = set()
    for number, source in enumerate(sources, start=1):
        tree = ast.parse(source)
        ours, theirs = _imports(tree, "__main__", False)
        _check_external(theirs, f"code cell {number} of the notebook")
        wanted |= ours
    found: dict[str, Path] = {}
    while wanted:
        name = wanted.pop()
        path = _module_path(name, package_dir)
        if path is None or name in found:
            continue
        found[name] = path
        parts = name.split(".")
        wanted |= {".".join(parts[:i]) for i in range(1, len(parts))}
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ours, _ = _imports(tree, name, path.name == "__init__.py")
        _, theirs = _imports(_top_level(tree), name, path.name == "__init__.py")
        _check_external(theirs, f"module {name}")
        wanted |= ours - set(found)
    return dict(sorted(found.items()))


def needed_tables(desc: dict, tables: Iterable[str]) -> list[str]:
    """``tables`` and every table they refer to, in descriptor order (unknown name: LabError)."""
    names = {r["name"] for r in desc["resources"]}
    unknown = sorted(set(tables) - names)
    if unknown:
        raise LabError(f"no table {', '.join(unknown)} in the data package")
    closed = {t for table in tables for t in dependencies(desc, table)}
    return [r["name"] for r in desc["resources"] if r["name"] in closed]


def holds_back(tables: Iterable[str], data: str | None = None, held_back: HeldBack | None = None) -> bool:
    """Whether the data of a lab that loads ``tables`` hold back rows (see :mod:`.withheld`)."""
    offered = offered_data(data, held_back)
    return bool(set(needed_tables(offered.source, tables)) & set(offered.notes))


#: What the notebook and the README add where the bundle's data hold rows back.
HELD_DATA = (
    "In this edition, `data/` holds back the module's answers to the activities you do yourself "
    "(the description of each table in `data/datapackage.json` says what): run on these data, the cells "
    "leave those rows out, so some of their results differ from the numbers in the text, which the book "
    "computed from all the data."
)


def intro(title: str, edition: str, held: bool = False) -> str:
    """The notebook's first words, under its title: what it is and how to run it (``held``: its
    data hold rows back)."""
    solutions = ", with the solutions" if edition == "teacher" else ""
    return (
        f"> **This notebook is the page “{title}” of *Reading Deterrence*** ({edition} edition{solutions}). "
        "The data (`data/`) and the module's code (`reading_deterrence/`) are in its folder: run the cells "
        "in order, from the top. The numbers in the text were computed when the book was built; the cells "
        "compute them again. "
        + (f"{HELD_DATA} " if held else "")
        + "Folded cells hold code that only draws a figure or prepares a table: click their bar to see it."
    )


def readme(name: str, title: str, edition: str, tables: list[str], files: list[str], held: bool = False) -> str:
    """The bundle's README.txt (``held``: its data hold rows back)."""
    with_solutions = "with the solutions" if edition == "teacher" else "without solutions"
    listed = textwrap.fill(", ".join(tables) + ".", 86, initial_indent="      ", subsequent_indent="      ")
    if held:
        note = HELD_DATA.replace("`", "")
        listed += "\n" + textwrap.fill(note, 86, initial_indent="      ", subsequent_indent="      ")
    beside = "".join(f"  {file}\n      a file the lab reads or offers\n" for file in files)
    return (
        f"Reading Deterrence: {title}\n{'=' * (20 + len(title))}\n\n"
        "One data lab of the Reading Deterrence teaching module as a Jupyter notebook,\n"
        f"{edition} edition ({with_solutions}).\n\n"
        "What is here\n"
        f"  {name}.ipynb\n      the lab: text, code and exercises\n"
        "  data/\n      the tables the lab reads, with their descriptor, datapackage.json\n"
        f"      (which gives the data's licence):\n{listed}\n"
        "  reading_deterrence/\n      the part of the module's Python code the lab uses\n"
        f"{beside}"
        "  LICENSE.txt\n      the licence of the code\n\n"
        "How to run it\n"
        "  1. Install Python 3.11 or later, then, in a terminal:\n"
        "       pip install pandas matplotlib jupyter\n"
        "  2. In this folder, start Jupyter and open the notebook:\n"
        f"       jupyter notebook {name}.ipynb\n"
        "     (JupyterLab, VS Code and other notebook editors open it too.)\n"
        "  3. Run the cells in order, from the top (Run > Run All Cells).\n\n"
        "Keep the files together: the notebook finds data/ and reading_deterrence/ beside it.\n"
        'Some cells are folded: click their bar (or the "...") to see their code.\n\n'
        "The data are checked each time a table is loaded. The book checks them with the\n"
        "Frictionless library; without it, this copy checks types, constraints and keys with\n"
        "pandas (reading_deterrence/contract/standalone.py says what is and is not checked).\n"
        "To get the full checks here too: pip install frictionless\n"
    )


def bundle_contents(
    *,
    name: str,
    title: str,
    edition: str,
    notebook: nbformat.NotebookNode,
    tables: Iterable[str],
    files: Mapping[str, bytes],
    data: str | None = None,
    held_back: HeldBack | None = None,
    licence: str = "",
    package_dir: Path = PACKAGE_DIR,
) -> dict[str, bytes]:
    """Path in the zip -> bytes, for the lab ``name`` (see the module docstring).

    ``notebook`` is an nbformat notebook; ``tables`` the tables its code loads; ``files`` the
    files beside it; ``data`` the data package (as :func:`~reading_deterrence.load` takes it);
    ``held_back`` what this edition holds back from the data (see :mod:`.withheld`)."""
    offered = offered_data(data, held_back)
    needed = needed_tables(offered.source, tables)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    out = {f"{name}.ipynb": nbformat.writes(notebook).encode("utf-8") + b"\n"}
    held = bool(set(needed) & set(offered.notes))
    out["README.txt"] = readme(name, title, edition, needed, sorted(files), held).encode("utf-8")
    if licence:
        out["LICENSE.txt"] = licence.encode("utf-8")
    pruned = offered.descriptor(needed)
    out["data/datapackage.json"] = (json.dumps(pruned, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    for table in needed:
        file = resource(offered.source, table)["path"]
        out[f"data/{file}"] = offered.tables[file]
    for file in module_closure(code, package_dir).values():
        out[file.relative_to(package_dir.parent).as_posix()] = file.read_bytes()
    out[f"{PACKAGE}/{MARKER}"] = (
        b"This copy of the reading_deterrence package came with a data lab of Reading Deterrence.\n"
        b"It holds only the modules the lab's notebook needs. Because this file is here, the data\n"
        b"contract checks tables with pandas when Frictionless is not installed\n"
        b"(see contract/standalone.py). Delete this file to require Frictionless.\n"
    )
    clash = set(files) & set(out)
    if clash:
        raise LabError(f"the lab's files {sorted(clash)} would overwrite the bundle's own")
    out.update(files)
    return {f"{name}/{key}": value for key, value in sorted(out.items())}


def write_bundle(target: Path, contents: Mapping[str, bytes]) -> int:
    """Write ``contents`` (path -> bytes) to the zip file ``target``; return its size in bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, data in sorted(contents.items()):
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())
