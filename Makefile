# Two commands on a fresh clone: `make run` (set up, demo data, start the app) and `make test` (set up, all tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/planboard.duckdb
PORT ?= 8501

.PHONY: setup run test test-fast e2e demo bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DB): | setup
	$(PY) -m planboard demo --db $(DB)

demo: setup
	$(PY) -m planboard demo --db $(DB)

run: setup $(DB)
	PLANBOARD_DB=$(DB) $(PY) -m planboard.ui.serve --server.address 127.0.0.1 --server.port $(PORT)

# pytest exits 5 when it ran no test: that is a failure here.
test: setup
	$(PY) -m pytest -q; status=$$?; if [ $$status -eq 5 ]; then echo "pytest ran no test"; exit 1; fi; exit $$status

test-fast: setup
	$(PY) -m pytest -q -m "not e2e and not slow"

e2e: setup
	$(PY) -m pytest -q -m e2e

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
