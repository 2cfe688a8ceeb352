# The two commands of the contract: `make run` and `make test`. Both set up .venv from pyproject.toml first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-whole-site build serve bench clean

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

# axe-core and the Nu Html Checker (vnu-jar) from npm, at the versions package-lock.json pins; without npm their
# tests are skipped. --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used instead.
NODE_STAMP := node_modules/.installed-stamp

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent --ignore-scripts && touch $(NODE_STAMP); \
	 else echo "make test: npm is not installed, so the accessibility (axe-core) and HTML validity (vnu) tests are skipped"; fi

# -n auto: pytest-xdist, one worker per core; the workers share one build of the corpus (tests/conftest.py), whose
# generic pages are left to `serve` here and written in test-whole-site. Not `--dist loadgroup`: under pytest 9.2 it
# groups nothing (pytest-xdist#1386), and where it did (pytest 9.1.1) the browser's group was sent first and waited on
# the corpus's build on one worker (243 s against 237 for the suite, one run each). The builds the tests make write ~100,000
# small files: their folders go in memory where /dev/shm is writable (a file made there took 5 us against 100 us on
# this machine's disk; 174 s against 183 s for the suite), one folder per checkout, emptied by the next run and removed
# after a run that passed. HELSEGRAF_JOBS=1 (unless set): the builds the tests make work serially, for the workers
# already use every core (in parallel the corpus's build took 57.2 and 60.6 CPU-s against 52.6 and 55.9, the small
# synthetic corpus's 14.2 and 14.4 against 11.6 and 12.2; tests of the parallel mechanics ask for processes). Not in
# test-whole-site, whose few tests wait on the corpus's build.
TEST_TMP := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm/helsegraf-tests-$$(id -u)-$$(echo '$(CURDIR)' | cksum | cut -d' ' -f1))
PYTEST   := $(BIN)/python -m pytest -q -n auto $(if $(TEST_TMP),--basetemp=$(TEST_TMP))
test: $(STAMP) $(NODE_STAMP)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  echo "make test: Debian's chromium and chromium-driver are not installed, so the browser tests are skipped (apt-get install chromium chromium-driver)"
	@command -v java >/dev/null || \
	  echo "make test: Java is not installed, so the HTML validity test (vnu) is skipped (apt-get install default-jre-headless)"
	@command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] && command -v apache2 >/dev/null || \
	  echo "make test: nginx (with libnginx-mod-http-js) or apache2 is not installed, so their deployment tests are skipped (apt-get install nginx libnginx-mod-http-js apache2)"
	HELSEGRAF_JOBS=$${HELSEGRAF_JOBS:-1} $(PYTEST) -m "not whole_site"$(if $(TEST_TMP), && rm -rf $(TEST_TMP))

# The checks that read the whole of the corpus's build: every page and IRI, the largest pages, the graph judged in one
# run (the default run checks a sample of every template); CI runs both.
test-whole-site: $(STAMP) $(NODE_STAMP)
	$(PYTEST) -m whole_site$(if $(TEST_TMP), && rm -rf $(TEST_TMP))

PEERS := $(VENV)/bench-peers

$(PEERS)/bin/rdflib-endpoint:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet 'rdflib-endpoint[cli]>=0.6.3'

# The benchmarks (not part of `make test`): build stages, mention quality, and the endpoint under load against
# rdflib-endpoint (its own venv) and Debian's Virtuoso and hey (installed with apt-get when missing, as root).
bench: $(STAMP) $(PEERS)/bin/rdflib-endpoint
	@command -v hey >/dev/null && command -v wrk >/dev/null && command -v virtuoso-t >/dev/null && \
	  command -v pdftotext >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get install -y -qq hey wrk virtuoso-opensource poppler-utils; } || \
	  { echo "make bench needs Debian's hey, wrk, virtuoso-opensource and poppler-utils"; exit 1; }
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/helsegraf build --quiet
	$(BIN)/python bench/build_stages.py
	$(BIN)/python bench/mention_quality.py
	$(BIN)/python bench/site_pages.py
	$(BIN)/python bench/pdf_extractors.py
	$(BIN)/python bench/programme_quality.py
	PATH="$(CURDIR)/$(PEERS)/bin:$$PATH" $(BIN)/python bench/endpoint_uncached.py
	$(BIN)/python bench/endpoint_uncached.py --soak 60
	PATH="$(CURDIR)/$(PEERS)/bin:$$PATH" $(BIN)/python bench/endpoint_load.py
	$(BIN)/python bench/engines.py
	$(BIN)/python bench/scale.py --ks 1 2 4

clean:
	rm -rf build build.cache .pytest_cache
