# perfreport: `make run` (the example end to end) and `make test` (the whole suite).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PERIOD ?= 2020/21 Q2
EXAMPLE ?= examples/cambridgeshire-2020-21-q2
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/perfreport

.PHONY: install system-packages messages run test test-sqlite test-postgres coverage lint format bench lock clean

# Debian packages the tests and reports need: a browser for the end-to-end tests,
# poppler to read PDFs back, DejaVu fonts for the reports' text and symbols (the
# charts' Liberation Sans ships with the package),
# Pango for WeasyPrint (the benchmark's point of comparison), GNU gettext to
# compile and update the Welsh catalogue. Installed only when
# missing, and only as root (apt-get).
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 gettext

AXE := tools/axe/node_modules/axe-core/axe.min.js

OIDC := tools/oidc/node_modules/oidc-provider/package.json

PO := perfreport/locale/cy/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

install: $(VENV)/.installed system-packages $(AXE) $(OIDC) $(MO)

# The Welsh catalogue, compiled from the committed .po (msgfmt checks it too).
$(MO): $(PO) | system-packages
	msgfmt --check -o $@ $<

# After marking strings for translation: the catalogue brought up to date
# with the code, then translate what it shows as untranslated (docs/welsh.md).
messages: $(VENV)/.installed system-packages
	BIN=$(abspath $(BIN)) tools/messages.sh

# axe-core for the accessibility tests, at the version in tools/axe/package-lock.json.
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund --silent
	touch $@

# oidc-provider, the OpenID provider the single sign-on tests start on
# 127.0.0.1 (tools/oidc/provider.mjs), at the version in its package-lock.json.
$(OIDC): tools/oidc/package.json tools/oidc/package-lock.json
	cd tools/oidc && npm ci --no-audit --no-fund --silent
	touch $@

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "Missing Debian packages: $$missing (install them as root: apt-get install $$missing)"; exit 1; fi; \
		echo "Installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Exactly the versions in requirements.lock (hash-checked), then perfreport itself.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

REPORT := out/corporate-performance-report
run: install
	$(BIN)/perfreport migrate --no-input -v 0
	$(BIN)/perfreport import $(EXAMPLE)
	$(BIN)/perfreport evaluate --period "$(PERIOD)"
	$(BIN)/perfreport check --period "$(PERIOD)" || true
	$(BIN)/perfreport check --period "$(PERIOD)" --plan || true
	mkdir -p out
	for format in pdf html docx xlsx; do \
		$(BIN)/perfreport report --period "$(PERIOD)" --config $(EXAMPLE)/report.toml -o $(REPORT).$$format || exit 1; \
	done
	$(BIN)/perfreport report --period "$(PERIOD)" -o $(REPORT)-with-plan.pdf
	$(BIN)/perfreport report --period "$(PERIOD)" --pack exceptions -o $(REPORT)-exceptions.pdf
	@echo "Published pages need no account; for the staff pages run, in another terminal:"
	@echo "  $(BIN)/perfreport manage createsuperuser"
	@echo "The background worker (schedules, big reports, sendings, feeds) runs beside the server and stops with it."
	$(BIN)/perfreport serve --with-worker --host $(HOST) --port $(PORT)

test: lint test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -n auto

test-postgres: install
	@pg_isready -d "$(POSTGRES_URL)" -q || { echo "PostgreSQL is not answering at $(POSTGRES_URL): start it (see README) or set POSTGRES_URL"; exit 1; }
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n auto

# Line coverage of perfreport by the suite on SQLite, the console script's own
# processes included (the settings are in pyproject.toml's [tool.coverage]).
coverage: install
	mkdir -p out
	rm -f out/.coverage out/.coverage.*
	env -u DATABASE_URL $(BIN)/pytest -q -n auto --cov=perfreport --cov-report=
	$(BIN)/coverage combine --append --quiet || true
	$(BIN)/coverage report

lint: install
	$(BIN)/ruff check perfreport tests bench
	$(BIN)/ruff format --check perfreport tests bench
	$(BIN)/mypy perfreport
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format perfreport tests bench
	$(BIN)/ruff check --fix perfreport tests bench

bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || echo "wrk is missing: apt-get install wrk"
	$(BIN)/python bench/import_evaluate.py
	$(BIN)/python bench/report_pdf.py
	$(BIN)/python bench/report_background.py
	$(BIN)/python bench/report_pack.py
	$(BIN)/python bench/benchmark_data.py --postgres $(POSTGRES_URL)
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/web_load.py --postgres $(POSTGRES_URL) --report-in-background
	$(BIN)/python bench/odata_paging.py --postgres $(POSTGRES_URL)
	$(BIN)/python bench/round_save.py --database sqlite --database $(POSTGRES_URL)_bench
	$(BIN)/python bench/import_limits.py
	$(BIN)/python bench/worker.py

# Re-resolve the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 -o requirements.lock

clean:
	rm -rf $(VENV) perfreport.sqlite3*
