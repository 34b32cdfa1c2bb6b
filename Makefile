# boardpapers: `make demo` runs the main job on the bundled example papers,
# `make test` runs the test suite. Both create .venv and install into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/boardpapers demo --examples examples --out demo

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check boardpapers ingest nlp db templates tests bench

bench: $(STAMP)
	$(BIN)/python -m bench.bench

clean:
	rm -rf demo artifacts .pytest_cache
