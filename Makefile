# gmrd: `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export GMRD_REFERENCE_DATA ?= $(abspath ../shared/data)

.PHONY: install demo test test-fast bench soak lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/gmrd demo

test: install
	$(BIN)/pytest -n 2 -q

bench: install
	$(BIN)/python -m benchmarks.run

soak: install
	$(BIN)/python -m benchmarks.soak

lint: install
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) var .pytest_cache
