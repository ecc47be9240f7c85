"""The package stays readable: small modules and functions, each layer in its own folder.

The layers themselves (which way imports go) are checked by import-linter (`make lint`, run by
`make test`); this checks what a linter does not: sizes, as the architecture notes promise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "reading_deterrence"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60  # lines of code, the docstring not counted
#: A function may be longer if its docstring says why, with one of these phrases.
REASON = ("long because", "a long function because")


def functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it along its seams"


def test_no_function_over_60_lines_without_a_stated_reason():
    long = []
    for path in MODULES:
        for node in functions(path):
            length = node.end_lineno - node.lineno + 1
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                length -= first.end_lineno - first.lineno + 1  # a docstring explains; it does not count
            doc = (ast.get_docstring(node) or "").casefold()
            if length > MAX_FUNCTION_LINES and not any(reason in doc for reason in REASON):
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == [], "functions over 60 lines with no reason in their docstring:\n" + "\n".join(long)


def test_the_runtime_package_holds_no_test_or_benchmark_tools():
    names = {p.stem for p in MODULES}
    assert not names & {"serve", "audit", "bench"}, names & {"serve", "audit", "bench"}


def test_each_layer_is_a_subpackage_with_a_docstring():
    for layer in ("contract", "analysis", "rendering", "sphinxext", "shaping"):
        init = PACKAGE / layer / "__init__.py"
        assert init.is_file(), layer
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{layer}: say what the layer is for"
