# The README's two commands are `make serve` and `make test`; CI runs `make test` too.
# Everything is installed into .venv (Python, pinned by requirements.lock) and node_modules
# (npm, pinned by package-lock.json), so nothing outside the project folder changes.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve book student test lint bench lock clean

## serve: install, build the book, and serve it at http://127.0.0.1:$(PORT)/
serve: book
	$(BIN)/python -m tools.serve _build/html --port $(PORT)

## book: build the book into _build/html (notebooks run, cached; any warning fails)
book: $(VENV)/.installed
	$(BIN)/jupyter-book build . -W -n --keep-going

## student: the student edition (no exercise solutions) into _build/student/_build/html
student: $(VENV)/.installed
	READING_DETERRENCE_EDITION=student $(BIN)/jupyter-book build . -W -n --keep-going --path-output _build/student

## test: install, then lint, check the layers, and run every test (data, package, extension, build, browser)
test: lint node_modules/.installed
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
	rm -rf _build/html _build/jupyter_execute _build/student .pytest_cache

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
