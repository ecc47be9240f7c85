"""A lab page as a Jupyter notebook (``.ipynb``) that runs without the book.

The page's prose is made plain first (:func:`.myst.myst_to_markdown`), then jupytext reads the
MyST notebook. The code cells are then changed only where they serve the book alone:

- a cell tagged ``remove-in-export`` is left out (it only feeds the book, such as
  ``glue_facts(...)``);
- ``from myst_nb import glue`` and every ``glue(...)`` statement are removed (a loop that only
  glues goes with them), and so is ``plt.close(fig)`` for a figure that was glued: in the
  notebook the figure shows under its cell instead of in a ``{glue:figure}``. A cell that still
  mentions ``glue`` afterwards is an :class:`~.myst.ExportError`: tag it ``remove-in-export``;
- cells the page hides (``remove-cell``, ``hide-input`` and the like) keep their code, folded
  (``jupyter.source_hidden``), since later cells may use what they define; in a ``remove-cell``
  cell, what only fed the glue (assignments and imports no later code reads) goes too
  (:func:`prune_unused`), and a cell left empty is dropped. Tags that only mean something to the
  book are dropped.

Cells get stable IDs (``cell-01``, ...) and the notebook no outputs, so that the same page gives
the same file at every build.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

import jupytext
import nbformat

from .myst import ExportError, RoleResolver, myst_to_markdown

__all__ = ["prune_unused", "strip_glue", "to_notebook"]

#: Tags of the book's own: removed from the notebook's cells.
BOOK_TAGS = {"remove-cell", "remove-input", "remove-output", "remove-in-export"}
#: Tags whose cells show their code folded in the notebook.
FOLD_SOURCE = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
FOLD_OUTPUT = {"remove-output", "hide-output"}
GLUE_NAMES = {"glue", "glue_facts"}
#: Names of figures and their axes: a statement that reads one draws, and is never pruned.
DRAWING = {"plt", "fig", "ax", "axes"}


def _is_glue(node: ast.stmt, glued: set[str]) -> bool:
    if isinstance(node, ast.ImportFrom) and node.module == "myst_nb":
        return all(alias.name == "glue" for alias in node.names)
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    call = node.value
    if isinstance(call.func, ast.Name) and call.func.id == "glue":
        if len(call.args) > 1 and isinstance(call.args[1], ast.Name):
            glued.add(call.args[1].id)
        return True
    closes = isinstance(call.func, ast.Attribute) and call.func.attr == "close" and len(call.args) == 1
    return closes and isinstance(call.args[0], ast.Name) and call.args[0].id in glued


def _removable(body: list[ast.stmt], glued: set[str], out: list[ast.stmt]) -> bool:
    """Collect the statements of ``body`` to remove into ``out``; return whether that is all of it."""
    found: list[ast.stmt] = []
    for node in body:
        if _is_glue(node, glued):
            found.append(node)
        elif isinstance(node, (ast.For, ast.While, ast.If, ast.With)):
            inner: list[ast.stmt] = []
            whole = _removable(node.body, glued, inner) and not getattr(node, "orelse", [])
            found += [node] if whole else inner
    out += found
    return len(found) == len(body)


def strip_glue(source: str, where: str = "a code cell") -> str:
    """``source`` without its glue statements (see the module docstring)."""
    lines = source.splitlines()
    tree = ast.parse(source)
    removed: list[ast.stmt] = []
    _removable(tree.body, set(), removed)
    drop: set[int] = set()
    for node in removed:
        first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
        if first[: node.col_offset].strip() or last[node.end_col_offset :].split("#")[0].strip():
            raise ExportError(f"{where}: a glue statement shares its line with other code; give it a line of its own")
        drop.update(range(node.lineno - 1, node.end_lineno))
    kept = [line for index, line in enumerate(lines) if index not in drop]
    text = "\n".join(_blank_runs(kept)).strip("\n")
    left = ast.parse(text)
    for node in ast.walk(left):
        named = isinstance(node, ast.Name) and node.id in GLUE_NAMES
        imported = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("myst_nb")
        if named or imported:
            raise ExportError(f"{where} still uses glue after the export removed it: tag the cell remove-in-export")
    return text


def _bound(node: ast.stmt) -> set[str]:
    """The names a plain assignment or an import binds (empty for any other statement)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    names = set()
    for target in targets:
        for part in target.elts if isinstance(target, ast.Tuple) else [target]:
            if not isinstance(part, ast.Name):
                return set()
            names.add(part.id)
    return names


def _loaded(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def prune_unused(source: str, used_later: set[str]) -> str:
    """``source`` (a cell the page hides) without the assignments and imports whose names no
    later code reads, each with the comment above it: they only fed the glue that the export
    removed. A statement that touches a figure (``plt``, ``fig``, ``ax``) is kept: it draws,
    whatever it binds. Nothing is left of a cell that is left with comments only."""
    while True:
        tree = ast.parse(source)
        lines = source.splitlines()
        later, drop = set(used_later), None
        for node in reversed(tree.body):
            bound = _bound(node)
            if bound and not bound & later and not _loaded(node) & DRAWING:
                drop = node
                break
            later |= _loaded(node)
        if drop is None:
            return source if any(_is_code(line) for line in lines) else ""
        first = drop.lineno - 1
        while first > 0 and lines[first - 1].lstrip().startswith("#"):  # its comment goes with it
            first -= 1
        source = "\n".join(lines[:first] + lines[drop.end_lineno :]).strip("\n")


def _is_code(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.strip() or len(out) < 2 or out[-1].strip() or out[-2].strip():
            out.append(line)
    return out


def _code_cell(cell, number: int):
    """The cell as the notebook has it, or ``None`` if nothing of it is left."""
    tags = list(cell.metadata.get("tags", []))
    if "remove-in-export" in tags:
        return None
    cell.source = strip_glue(cell.source, f"code cell {number}")
    if not cell.source.strip():
        return None
    kept = [tag for tag in tags if tag not in BOOK_TAGS]
    cell.metadata = {"tags": kept} if kept else {}
    cell.metadata["book_tags"] = tags  # for the pruning below; removed there
    fold = {
        key: True
        for key, tagged in (("source_hidden", FOLD_SOURCE), ("outputs_hidden", FOLD_OUTPUT))
        if set(tags) & tagged
    }
    if fold:
        cell.metadata["jupyter"] = fold
    cell.outputs, cell.execution_count = [], None
    return cell


def _with_intro(source: str, intro: str) -> str:
    """``intro`` after the page's title (its first heading), or first if there is none."""
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", intro, *lines[index + 1 :]])
    return intro + "\n\n" + source


def to_notebook(text: str, *, edition: str, roles: Mapping[str, RoleResolver], intro: str = ""):
    """The MyST notebook ``text`` (a lab page) as an ``nbformat`` notebook for ``edition``."""
    notebook = jupytext.reads(myst_to_markdown(text, edition, roles), fmt="md:myst")
    cells = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            cell = _code_cell(cell, number)
        elif not cell.source.strip():
            cell = None
        if cell is not None:
            cells.append(cell)
    if intro and cells and cells[0].cell_type == "markdown":
        cells[0].source = _with_intro(cells[0].source, intro)
    used: set[str] = set()
    for cell in reversed(cells):
        if cell.cell_type == "code":
            if "remove-cell" in cell.metadata.pop("book_tags", []):
                cell.source = prune_unused(cell.source, used)
            used |= _loaded(ast.parse(cell.source))
    cells = [cell for cell in cells if cell.source.strip()]
    for number, cell in enumerate(cells, start=1):
        cell.id = f"cell-{number:02d}"
    notebook.cells = cells
    kernel = notebook.metadata.get("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    notebook.metadata = {"kernelspec": kernel, "language_info": {"name": "python"}}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook
