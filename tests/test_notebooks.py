"""The data labs to take away: each lab page as a notebook in a zip, with its data and code.

Fast tests first: the MyST-to-notebook export on small pages, the bundle's module list, the
contract's fallback without Frictionless (in a bundle only), and the pins of the labs' own
environment. Then the built books: every bundle of both editions is unzipped and its notebook
executed (nbclient) in ``.venv-lab``, a virtual environment holding pandas, matplotlib,
ipykernel and nbclient with their dependencies and nothing else (``requirements-lab.txt``, the
versions of ``requirements.lock``), created here once and reused while it matches the file.
The student bundles must hold none of the teacher bundles' solutions, and their data hold back
the module's answers to the device activities (and what the notebooks print, run on those data,
shows none of them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DATA_DIR, ROOT, require
from reading_deterrence.contract import resource
from reading_deterrence.contract.standalone import MARKER
from reading_deterrence.facts import LABS, STUDENT_HELD_BACK
from reading_deterrence.rendering.labs import HELD_DATA, LabError, bundle_contents, holds_back, intro, module_closure
from reading_deterrence.rendering.myst import ExportError
from reading_deterrence.rendering.notebook import strip_glue, to_notebook
from reading_deterrence.rendering.withheld import offered_data

LAB_VENV = ROOT / ".venv-lab"
LAB_PYTHON = LAB_VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements-lab.txt"
PACKAGE = ROOT / "src" / "reading_deterrence"


def pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("#")[0].strip().split("==")
            out[re.sub(r"[-_.]+", "-", name.lower())] = version
    return out


# --- the export, on small pages -------------------------------------------------------------------

PAGE = """---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

(small-lab)=
# A small lab

:::{admonition} At a glance
See {ref}`the chapter <chapter>`: {glue:text}`total` rows.
:::

```{code-cell} ipython3
:tags: [remove-cell, remove-in-export]

from reading_deterrence.facts import glue_facts
glue_facts({})
```

```{code-cell} ipython3
:tags: [hide-input]

import matplotlib.pyplot as plt
from myst_nb import glue

rows = [1, 2, 3]
glue("total", len(rows), display=False)
```

```{code-cell} ipython3
:tags: [remove-cell]

unused = sum(rows)
fig, ax = plt.subplots()
ax.plot(rows)
glue("fig", fig, display=False)
plt.close(fig)
```

:::{exercise}
:label: ex-one

Count the rows of {sentence}`p01s01`.
:::

```{solution-start} ex-one
:class: dropdown
```

```{code-cell} ipython3
GATED_SOLUTION_CODE = len(rows)
```

GATED-SOLUTION-TEXT

```{solution-end}
```

:::{exercise}
:label: ex-two

Think.
:::

:::{solution} ex-two
PLAIN-SOLUTION-TEXT
:::

```{only} teacher_edition
TEACHER-NOTE
```
"""

ROLES = {
    name: (lambda target, title, name=name: f"<{name}:{title or target}>")
    for name in ["ref", "glue:text", "glue", "sentence", "source", "term", "download", "generated", "lab"]
}


def cells(notebook, kind=None):
    return [c for c in notebook.cells if kind is None or c.cell_type == kind]


def test_the_teacher_notebook_keeps_solutions_and_drops_what_only_the_book_needs():
    notebook = to_notebook(PAGE, edition="teacher", roles=ROLES, intro="INTRO")
    text = "\n".join(c.source for c in cells(notebook))
    assert "GATED_SOLUTION_CODE" in text and "GATED-SOLUTION-TEXT" in text and "PLAIN-SOLUTION-TEXT" in text
    assert "TEACHER-NOTE" in text
    code = "\n".join(c.source for c in cells(notebook, "code"))
    assert all(word not in code for word in ("glue", "myst_nb", "unused"))
    assert all(word not in text for word in ("{exercise}", "{solution", "{only}", "(small-lab)=", ":label:"))
    assert "> **At a glance**" in text and "<ref:the chapter>" in text and "<glue:text:total>" in text
    assert text.index("INTRO") < text.index("At a glance")
    solution = [c for c in cells(notebook) if "solution" in c.metadata.get("tags", [])]
    assert {c.cell_type for c in solution} == {"code", "markdown"}
    code = cells(notebook, "code")
    assert code[0].metadata == {"tags": ["hide-input"], "jupyter": {"source_hidden": True}}
    assert code[1].source.splitlines()[-1] == "ax.plot(rows)"  # the figure shows under its cell
    assert code[1].metadata == {"jupyter": {"source_hidden": True}}
    assert [c.id for c in cells(notebook)] == [f"cell-{n:02d}" for n in range(1, len(notebook.cells) + 1)]


def test_the_student_notebook_holds_no_solution_and_has_room_for_answers():
    notebook = to_notebook(PAGE, edition="student", roles=ROLES)
    text = "\n".join(c.source for c in cells(notebook))
    for word in ("GATED_SOLUTION_CODE", "GATED-SOLUTION-TEXT", "PLAIN-SOLUTION-TEXT", "TEACHER-NOTE", "Solution"):
        assert word not in text
    assert [c.source for c in cells(notebook, "code")].count("# Your answer here") == 2


@pytest.mark.parametrize(
    "page, message",
    [
        ("# T\n\n:::{figure} x.png\n:::\n", "no export for the directive {figure}"),
        ("# T\n\nSee {numref}`x`.\n", "no export for the role {numref}"),
        ("# T\n\n```{only} html\nx\n```\n", "{only} 'html'"),
        ("# T\n\n```{solution-start} ex\n```\n\ntext\n", "without {solution-end}"),
    ],
)
def test_markup_the_export_does_not_know_is_an_error(page, message):
    with pytest.raises(ExportError, match=re.escape(message)):
        to_notebook(page, edition="teacher", roles=ROLES)


def test_glue_is_stripped_with_its_loops_and_a_cell_still_using_it_is_an_error():
    source = 'x = 1\nfor k in "ab":\n    glue(k, x, display=False)\nglue("y", x)\nprint(x)'
    assert strip_glue(source) == "x = 1\nprint(x)"
    with pytest.raises(ExportError, match="remove-in-export"):
        strip_glue("from reading_deterrence.facts import glue_facts\nglue_facts({})")


def test_a_lab_may_import_only_what_a_plain_jupyter_has():
    closure = module_closure(["from reading_deterrence.analysis.coding import CodedArticle"])
    assert "reading_deterrence.contract.standalone" in closure
    assert not [m for m in closure if ".sphinxext" in m or ".shaping" in m or m.endswith(".facts")]
    with pytest.raises(LabError, match="frictionless"):
        module_closure(["import frictionless"])


def test_the_lab_role_links_a_bundle_and_an_unknown_lab_fails_the_build(tmp_path):
    from test_sphinxext import tiny_book

    build = tiny_book(tmp_path)
    code, warnings, out = build({"page": "# Page\n\n{lab}`lab-who-speaks`\n\n{lab}`the notebook <lab-who-speaks>`\n"})
    assert code == 0, warnings + build.output
    html = (out / "page.html").read_text(encoding="utf-8")
    assert html.count('href="downloads/labs/lab-who-speaks.zip"') == 2
    assert "Download this lab as a Jupyter notebook (zip)" in html and ">the notebook<" in html
    code, warnings, _ = build({"page": "# Page\n\n{lab}`lab-nowhere`\n"})
    assert code != 0 and "no lab 'lab-nowhere'" in warnings


# --- the contract without Frictionless ------------------------------------------------------------

LOAD_ALL = """
import json, sys
sys.modules["frictionless"] = None  # as if it were not installed
from reading_deterrence import load, table_names
print(json.dumps({name: [load(name).dtypes.astype(str).to_dict(), load(name).to_csv()] for name in table_names()}))
"""


def copy_package(folder: Path, bundled: bool) -> None:
    shutil.copytree(PACKAGE, folder / "reading_deterrence", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATA_DIR, folder / "data")
    if bundled:
        (folder / "reading_deterrence" / MARKER).write_text("bundled\n", encoding="utf-8")


def run_python(folder: Path, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "READING_DETERRENCE_DATA")}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True)


def test_in_a_bundle_without_frictionless_tables_load_exactly_as_the_contract_loads_them(tmp_path):
    from reading_deterrence import load, table_names

    copy_package(tmp_path, bundled=True)
    result = run_python(tmp_path, LOAD_ALL)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    for name in table_names():
        frame = load(name)
        assert loaded[name] == [frame.dtypes.astype(str).to_dict(), frame.to_csv()], name


@pytest.mark.parametrize(
    "table, old, new, column",
    [
        ("launch_events.csv", "2023-03-16", "2023-02-30", "date"),  # not a date, though written like one
        ("coding.csv", ",kcna,", ",kcnaa,", "layer, value"),  # no such code in the codebook
        ("article_sentences.csv", "p02s01,", "p01s01,", "sentence_id"),  # a duplicate key
    ],
)
def test_in_a_bundle_without_frictionless_bad_cells_are_still_found(tmp_path, table, old, new, column):
    copy_package(tmp_path, bundled=True)
    path = tmp_path / "data" / table
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = LOAD_ALL.replace("print(json.dumps(", "print(str(")
    result = run_python(tmp_path, code)
    assert result.returncode != 0 and "DataError" in result.stderr, result.stderr[-2000:]
    assert table in result.stderr and repr(column)[1:-1] in result.stderr, result.stderr[-2000:]


def test_outside_a_bundle_a_missing_frictionless_is_an_error_not_lighter_checks(tmp_path):
    copy_package(tmp_path, bundled=False)
    result = run_python(tmp_path, LOAD_ALL)
    stopped = "ModuleNotFoundError: import of frictionless" in result.stderr
    assert result.returncode != 0 and stopped, result.stderr[-2000:]


def test_a_student_bundle_holds_back_the_answers_in_its_data_and_says_so():
    held, tables = STUDENT_HELD_BACK, LABS["lab-who-speaks"][1]
    assert holds_back(tables, DATA_DIR, held) and not holds_back(tables, DATA_DIR, None)
    assert not holds_back(LABS["lab-checking-the-numbers"][1], DATA_DIR, held)
    notebook = to_notebook(PAGE, edition="student", roles=ROLES, intro=intro("A small lab", "student", True))
    assert HELD_DATA in notebook.cells[0].source
    common = dict(name="lab", title="A small lab", notebook=notebook, tables=tables, files={}, data=DATA_DIR)
    student = bundle_contents(edition="student", held_back=held, **common)
    teacher = bundle_contents(edition="teacher", **common)
    offered = offered_data(DATA_DIR, held)
    desc = json.loads(student["lab/data/datapackage.json"])
    assert [r["name"] for r in desc["resources"]] == ["article_sentences", "codebook", "coding"]
    for res in desc["resources"]:
        assert student[f"lab/data/{res['path']}"] == offered.tables[res["path"]]
        assert teacher[f"lab/data/{res['path']}"] == (DATA_DIR / res["path"]).read_bytes()
    coding = student["lab/data/coding.csv"].decode("utf-8")
    assert not [sid for sid in held.sentences if sid in coding]
    assert resource(desc, "coding")["description"].endswith(offered.notes["coding"])
    assert "coding say which" in desc["description"]  # claims is not in this bundle
    assert "holds back" in student["lab/README.txt"].decode("utf-8")
    assert "holds back" not in teacher["lab/README.txt"].decode("utf-8")
    assert "In the student edition" not in teacher["lab/data/datapackage.json"].decode("utf-8")


def test_the_student_data_load_in_a_bundle_without_frictionless(tmp_path):
    copy_package(tmp_path, bundled=True)
    for name, data in offered_data(DATA_DIR, STUDENT_HELD_BACK).files().items():
        (tmp_path / "data" / name).write_bytes(data)
    result = run_python(tmp_path, LOAD_ALL)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout)
    assert not [sid for sid in STUDENT_HELD_BACK.sentences if sid in loaded["coding"][1]]


# --- the labs' own environment -----------------------------------------------------------------------


def test_the_lab_environment_pins_the_locked_versions():
    lab, lock = pins(REQUIREMENTS), pins(ROOT / "requirements.lock")
    assert {"pandas", "matplotlib", "ipykernel", "nbclient"} <= set(lab)
    assert {name: version for name, version in lab.items() if lock.get(name) != version} == {}
    assert "frictionless" not in lab and "reading-deterrence" not in lab


def lab_environment_matches() -> bool:
    if not LAB_PYTHON.exists():
        return False
    freeze = subprocess.run([LAB_PYTHON, "-m", "pip", "freeze"], capture_output=True, text=True)
    found = {}
    for line in freeze.stdout.splitlines():
        if "==" in line:
            name, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", name.lower())] = version
    return freeze.returncode == 0 and found == pins(REQUIREMENTS)


@pytest.fixture(scope="session")
def lab_python() -> Path:
    """The Python of .venv-lab, holding exactly requirements-lab.txt (made again if it does not)."""
    if not lab_environment_matches():
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(LAB_VENV)],
            [
                str(LAB_PYTHON),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(REQUIREMENTS),
            ],
        ]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True)
            if result.returncode != 0:
                require(f"could not make the lab environment ({' '.join(step[:4])}): {result.stderr[-1500:]}")
        assert lab_environment_matches(), "the lab environment does not hold exactly requirements-lab.txt"
    return LAB_PYTHON


# --- the bundles of the built books ------------------------------------------------------------------

#: Run by the lab environment's Python: checks what it lacks, then executes the notebook with
#: nbclient in the bundle's folder, with a last cell that reports which package the kernel used.
RUNNER = r"""
import importlib.util, json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

folder, notebook = Path(sys.argv[1]), Path(sys.argv[2])
lacks = {name: importlib.util.find_spec(name) is None for name in ("frictionless", "reading_deterrence", "myst_nb", "sphinx")}
nb = nbformat.read(notebook, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import importlib.util, sys, reading_deterrence\n"
    "print(sys.executable, reading_deterrence.__file__, importlib.util.find_spec('frictionless') is None)"
))
start = time.monotonic()
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
print(json.dumps({
    "lacks": lacks,
    "seconds": round(time.monotonic() - start, 1),
    "probe": nb.cells[-1].outputs[0]["text"].split(),
    "errors": [o.get("ename") for o in outputs if o["output_type"] == "error"],
    "stderr": [o["text"] for o in outputs if o.get("name") == "stderr"],
    "figures": sum("image/png" in o.get("data", {}) for o in outputs),
    "texts": [o.get("text") or o.get("data", {}).get("text/plain", "") for o in outputs],
}))
"""

#: What matplotlib says on stderr the first time it runs in a new environment.
HARMLESS_STDERR = ("Matplotlib is building the font cache",)


def unzip(bundle: Path, into: Path) -> Path:
    """Unzip ``bundle`` into ``into``; return the lab's folder (the zip holds one, named as the lab)."""
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert {name.split("/")[0] for name in names} == {bundle.stem}, names[:5]
        archive.extractall(into)
    return into / bundle.stem


def check_layout(folder: Path) -> None:
    name = folder.name
    assert (folder / f"{name}.ipynb").is_file() and (folder / "README.txt").is_file()
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "pip install pandas matplotlib jupyter" in readme and f"{name}.ipynb" in readme
    descriptor = json.loads((folder / "data" / "datapackage.json").read_text(encoding="utf-8"))
    listed = {res["path"] for res in descriptor["resources"]}
    assert listed == {p.name for p in (folder / "data").glob("*.csv")}, "data/ holds just the tables it lists"
    package = folder / "reading_deterrence"
    assert (package / MARKER).is_file() and (package / "contract" / "standalone.py").is_file()
    assert not (package / "sphinxext").exists() and not (package / "shaping").exists()
    assert not list(folder.rglob("__pycache__"))


def run_lab(folder: Path, lab_python: Path, tmp: Path) -> dict:
    """Execute the lab's notebook in the lab environment, isolated from any other Jupyter or Python."""
    kernels = tmp / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(lab_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (labs)",
        "language": "python",
    }
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    drop = ("PYTHONPATH", "READING_DETERRENCE_DATA", "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_DATA_DIR")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        JUPYTER_PATH=str(tmp / "jupyter"),
        JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONNOUSERSITE="1",
        MPLCONFIGDIR=str(LAB_VENV / "mplconfig"),
    )
    result = subprocess.run(
        [str(lab_python), "-c", RUNNER, str(folder), str(folder / f"{folder.name}.ipynb")],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, (
        f"{folder.name}: the notebook failed in the lab environment:\n{result.stderr[-6000:]}"
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(report["lacks"].values()), f"the lab environment holds {report['lacks']}"
    executable, package, no_frictionless = report["probe"]
    assert Path(executable).parent == lab_python.parent, executable
    assert Path(package).resolve().is_relative_to(folder.resolve()), f"the kernel imported {package}"
    assert no_frictionless == "True"
    assert report["errors"] == []
    noise = [text for text in report["stderr"] if not text.startswith(HARMLESS_STDERR)]
    assert noise == [], f"{folder.name} writes to stderr: {noise}"
    return report


def bundles(html: Path) -> list[Path]:
    found = sorted((html / "downloads" / "labs").glob("*.zip"))
    assert [p.stem for p in found] == sorted(LABS), f"expected a bundle per lab in facts.LABS, found {found}"
    return found


def notebook_of(bundle: Path) -> dict:
    with zipfile.ZipFile(bundle) as archive:
        return json.loads(archive.read(f"{bundle.stem}/{bundle.stem}.ipynb"))


@pytest.mark.build
def test_each_lab_page_links_its_bundle(built_book):
    for name, (page, _) in LABS.items():
        html = (built_book.html / f"{page}.html").read_text(encoding="utf-8")
        depth = page.count("/")
        assert f'href="{"../" * depth}downloads/labs/{name}.zip"' in html, f"{page} does not link {name}.zip"


@pytest.mark.build
def test_the_teacher_bundles_run_in_a_plain_jupyter_with_their_solutions(built_book, lab_python, tmp_path):
    for bundle in bundles(built_book.html):
        folder = unzip(bundle, tmp_path / "teacher")
        check_layout(folder)
        tags = [tag for cell in notebook_of(bundle)["cells"] for tag in cell["metadata"].get("tags", [])]
        assert "solution" in tags, f"{bundle.name}: the teacher edition's notebook holds its solutions"
        report = run_lab(folder, lab_python, tmp_path)
        print(f"{bundle.name}: {bundle.stat().st_size // 1024} KiB, ran in {report['seconds']} s")


def cell_sources(cells: list[dict]) -> list[str]:
    return ["".join(cell["source"]) for cell in cells]


def solution_lines(bundle: Path) -> set[str]:
    """The lines (of some length) of the teacher notebook's solution cells that appear nowhere
    else in it, not even within a longer line."""
    cells = notebook_of(bundle)["cells"]
    solution = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
    others = "\n".join(cell_sources([c for c in cells if c not in solution]))
    lines = {line.strip() for source in cell_sources(solution) for line in source.splitlines()}
    return {line for line in lines if len(line) > 24 and line not in others}


@pytest.fixture(scope="module")
def student_runs(student_book, lab_python, tmp_path_factory) -> dict[str, tuple[Path, Path, dict]]:
    """Each student bundle, unzipped and run once in the lab environment (two tests read it)."""
    tmp = tmp_path_factory.mktemp("student-labs")
    runs = {}
    for bundle in bundles(student_book.html):
        folder = unzip(bundle, tmp / "student")
        runs[bundle.stem] = (bundle, folder, run_lab(folder, lab_python, tmp))
    return runs


@pytest.mark.build
def test_the_student_bundles_run_and_hold_none_of_the_teacher_solutions(student_runs, built_book):
    teacher = {bundle.stem: bundle for bundle in bundles(built_book.html)}
    for bundle, folder, _ in student_runs.values():
        check_layout(folder)
        files = [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".ipynb"]
        cells = notebook_of(bundle)["cells"]
        text = "\n".join([*(p.read_text(encoding="utf-8", errors="replace") for p in files), *cell_sources(cells)])
        secrets = solution_lines(teacher[bundle.stem])
        assert secrets, f"{bundle.stem}: no solution found in the teacher edition to look for"
        leaked = sorted(line for line in secrets if line in text)
        assert leaked == [], f"{bundle.name} holds the teacher's solutions: {leaked[:5]}"
        assert not [c for c in cells if "solution" in c["metadata"].get("tags", [])]


def printed_codes(texts: list[str], codes) -> list[str]:
    """The lines of ``texts`` that name a sentence of ``codes`` (a teacher's coding rows) and one of
    its values or spans, as whole words."""
    found = []
    for line in (line for text in texts for line in text.splitlines()):
        for sid, group in codes.groupby("sentence_id"):
            words = set(group["value"]) | set(group["span"].dropna())
            if sid in line and [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", line)]:
                found.append(line)
    return found


@pytest.mark.build
def test_the_student_bundles_hold_back_the_activity_answers(student_runs, built_book):
    import pandas as pd

    held = STUDENT_HELD_BACK
    offered = offered_data(DATA_DIR, held)
    coding = pd.read_csv(built_book.html / "downloads" / "data" / "coding.csv", encoding="utf-8-sig", dtype=str)
    codes = coding[coding["sentence_id"].isin(held.sentences)]
    assert printed_codes([f"{sid} {value}" for sid, value in zip(codes["sentence_id"], codes["value"])], codes)
    for bundle, folder, report in student_runs.values():
        desc = json.loads((folder / "data" / "datapackage.json").read_text(encoding="utf-8"))
        for res in desc["resources"]:
            assert (folder / "data" / res["path"]).read_bytes() == offered.tables[res["path"]], res["path"]
        holding = bool({res["name"] for res in desc["resources"]} & set(offered.notes))
        assert (HELD_DATA in "".join(notebook_of(bundle)["cells"][0]["source"])) == holding, bundle.name
        assert printed_codes(report["texts"], codes) == [], f"{bundle.name} prints held-back codes"
