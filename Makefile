# The two commands of the README: `make sample` (main job) and `make test` (every test).
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed

.PHONY: sample test bench clean

# radit itself for `make sample`; the test tools only for `make test`.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# Pyodide for tests/xl/test_xl_pyodide.py (the version package-lock.json pins). Without npm it is skipped here;
# the tests then skip only if node is missing too, and fail if node is there without node_modules/pyodide.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $(NODE_STAMP); \
	else \
		echo "npm not found: not installing Pyodide (tests/xl/test_xl_pyodide.py needs Node.js and npm ci)"; \
	fi

sample: $(STAMP)
	$(BIN)/radit evaluate samples/seed-2016.xlsx -o out/seed-2016-evaluated.xlsx

test: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) out build *.egg-info
