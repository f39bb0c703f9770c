# The two commands of the README: `make sample` (main job) and `make test` (every test).
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
VENV_STAMP := $(VENV)/.created
NODE_STAMP := node_modules/.installed
SOURCES := $(shell find engine workbook rules -name '*.py' -o -name '*.json' -o -name '*.txt' 2>/dev/null)

.PHONY: sample test bench clean

$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

# radit itself for `make sample`, installed as a user installs it: a wheel, built again whenever a source changes
# (an editable install of this flat layout always makes setuptools print a warning). Where `make test` has
# installed radit editable since pyproject.toml last changed, the sources are live already and nothing is installed.
$(STAMP): $(VENV_STAMP) pyproject.toml $(SOURCES)
	@if [ -f $(TEST_STAMP) ] && [ $(TEST_STAMP) -nt pyproject.toml ]; then :; else \
		echo "$(BIN)/pip install --quiet ."; $(BIN)/pip install --quiet . ; fi
	touch $@

# The test tools only for `make test`, with radit editable (the tests run against the working tree).
$(TEST_STAMP): $(VENV_STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

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
