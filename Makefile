# The README's two commands are `make serve` and `make test`; CI runs `make test` too.
# Everything is installed into .venv (Python, pinned by requirements.lock) and node_modules
# (npm, pinned by package-lock.json), so nothing outside the project folder changes.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
JB := $(BIN)/jupyter-book
STUDENT_HTML := _build/student/_build/html

.PHONY: serve book student dist test lint bench lock clean

## serve: install, build the book, and serve it at http://127.0.0.1:$(PORT)/
serve: book
	$(BIN)/python -m tools.serve _build/html --port $(PORT)

## book: the teacher edition into _build/html (notebooks run, cached; any warning fails), its
## handouts printed to PDF, and the student package in its downloads/ (so `make student` runs first).
## Both editions draw their maps from node_modules/world-atlas (Natural Earth boundaries, npm).
book: student node_modules/.installed
	$(JB) build . -W -n --keep-going
	$(BIN)/python -m tools.handouts _build/html
	mkdir -p _build/html/downloads
	cp dist/reading-deterrence-student.zip _build/html/downloads/

## student: the student edition (no solutions, keys, lesson plans or teacher's notes) into
## $(STUDENT_HTML), its handouts, and the offline package dist/reading-deterrence-student.zip
student: $(VENV)/.installed node_modules/.installed
	rm -rf $(STUDENT_HTML)  # nothing left over from an earlier build may reach the student package
	mkdir -p _build/.jupyter_cache _build/student/_build
	ln -sfn ../../.jupyter_cache _build/student/_build/.jupyter_cache
	READING_DETERRENCE_EDITION=student $(JB) build . -W -n --keep-going --path-output _build/student
	$(BIN)/python -m tools.handouts $(STUDENT_HTML)
	$(BIN)/python -m tools.package $(STUDENT_HTML) dist/reading-deterrence-student.zip --edition student

## dist: both offline packages, dist/reading-deterrence-student.zip and dist/reading-deterrence-teacher.zip
dist: book
	$(BIN)/python -m tools.package _build/html dist/reading-deterrence-teacher.zip --edition teacher

## test: install, then lint, check the layers, and run every test (data, package, extension, build, browser)
test: lint node_modules/.installed .venv-lab/.installed
	$(BIN)/python -m pytest

## lint: ruff, and the import-linter contracts in pyproject.toml (the package's layers)
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

## bench: benchmark against the Jupyter Book template; writes bench/results.md (ARGS=--quick)
bench: $(VENV)/.installed node_modules/.installed
	$(BIN)/python bench/run.py $(ARGS)

## lock: regenerate requirements.lock from requirements.in (needs the package registry)
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--allow-unsafe requirements.in -o requirements.lock

## clean: remove the build (keeps the notebook execution cache) and test caches
clean:
	rm -rf _build/html _build/jupyter_execute _build/student _build/test-dist dist .pytest_cache

# The data labs' own environment, to prove that the downloaded labs run with only pandas and
# matplotlib (and Jupyter's kernel and runner): no Frictionless, no Sphinx, no installed package.
.venv-lab/.installed: requirements-lab.txt
	$(PYTHON) -m venv --clear .venv-lab
	.venv-lab/bin/python -m pip install --quiet --disable-pip-version-check --requirement requirements-lab.txt
	touch $@

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
