# The two commands of the contract: `make run` and `make test`. Both set up .venv from pyproject.toml first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test build serve bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "helsegraf needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

build: $(STAMP)
	$(BIN)/helsegraf build

serve: $(STAMP)
	$(BIN)/helsegraf serve

run: build serve

# axe-core (npm) for the accessibility test, at the version package-lock.json pins; without npm it is skipped.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	 else echo "make test: npm is not installed, so the accessibility test (axe-core) is skipped"; fi

test: $(STAMP) node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  echo "make test: Debian's chromium and chromium-driver are not installed, so the browser tests are skipped (apt-get install chromium chromium-driver)"
	$(BIN)/python -m pytest -q

PEERS := $(VENV)/bench-peers

$(PEERS)/bin/rdflib-endpoint:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet 'rdflib-endpoint[cli]>=0.6.3'

# The benchmarks (not part of `make test`): build stages, mention quality, and the endpoint under load against
# rdflib-endpoint (its own venv) and Debian's Virtuoso and hey (installed with apt-get when missing, as root).
bench: $(STAMP) $(PEERS)/bin/rdflib-endpoint
	@command -v hey >/dev/null && command -v virtuoso-t >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get install -y -qq hey virtuoso-opensource; } || \
	  { echo "make bench needs Debian's hey and virtuoso-opensource"; exit 1; }
	$(BIN)/helsegraf build --quiet
	$(BIN)/python bench/build_stages.py
	$(BIN)/python bench/mention_quality.py
	$(BIN)/python bench/site_pages.py
	PATH="$(CURDIR)/$(PEERS)/bin:$$PATH" $(BIN)/python bench/endpoint_load.py

clean:
	rm -rf build .pytest_cache
