# boardpapers: `make demo` runs the main job on the bundled example papers,
# `make test` runs the test suite. Both create .venv and install into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench accuracy clean

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

# `make accuracy`: ingest every gold paper (its `source_file:`, found under
# $(CORPUS)) into a throw-away database and print `boardpapers eval`'s table.
SHARED ?= ../shared
GOLD   ?= $(SHARED)/gold
CORPUS ?= $(SHARED)/corpus
accuracy: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for gold in $(GOLD)/*.yaml; do \
	  name=$$(sed -n 's/^source_file:[[:space:]]*\([^#]*[^#[:space:]]\).*/\1/p' "$$gold"); \
	  pdf=$$(find $(CORPUS) -name "$$name" -print -quit); \
	  if [ -n "$$pdf" ]; then printf '%s\0' "$$pdf"; else echo "no $$name under $(CORPUS)" >&2; fi; \
	done > "$$tmp/pdfs" && \
	xargs -0 $(BIN)/boardpapers ingest "$$tmp/gold.db" --silent < "$$tmp/pdfs"; \
	$(BIN)/boardpapers eval "$$tmp/gold.db" $(GOLD)

clean:
	rm -rf demo artifacts .pytest_cache
