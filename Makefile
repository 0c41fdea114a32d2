# Inbeeld: `make run` (demo) and `make test` (the whole suite) on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
## The exact versions, with their hashes, of every Python package (requirements.lock, `make lock`)
LOCK   := requirements.lock
PIP_VERSION := 26.3
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
ON     ?= $(shell date +%F)
DEMO_STUDENTS ?= 20000
DEMO_DIR := var/demo

.PHONY: install lock audit run analyse-demo backtest-demo test lint format bench docs openapi clean

## Exactly the locked versions (pip refuses a package whose hash differs), then Inbeeld itself
## without its dependencies (they are all in the lock); setuptools and wheel come from the lock too.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# the pip that installs the lock: Python 3.11's own pip 23 refuses, in --require-hashes mode, a
	# requirement with an extra (WeasyPrint's fonttools[woff]) although the lock pins it
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'pip==$(PIP_VERSION)'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check || { echo "requirements.lock does not match pyproject.toml: run make lock"; exit 1; }
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Resolve pyproject.toml's dependencies (with the dev extra) anew for Python 3.11 on Linux and
## write them, each with the hashes of its files, to requirements.lock. After a change to the
## dependencies: `make lock`, then `make test`, then commit both files (docs/deployment.md).
## Packages already locked keep their versions where they still fit: `make lock LOCK_ARGS=--upgrade`
## raises all of them, LOCK_ARGS='--upgrade-package django' one.
lock:
	test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/uv pip compile --quiet --generate-hashes --extra dev --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --custom-compile-command 'make lock' \
		$(LOCK_ARGS) --output-file $(LOCK) pyproject.toml build-requirements.in

## Front-end packages (package.json, exact versions in package-lock.json), served from node_modules.
node_modules: package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

install: $(STAMP) node_modules

## The demo: migrate the SQLite database, load the demo municipality (20,000 pupils), run
## detection, print the demo logins and serve http://127.0.0.1:8000, with the background worker
## (imports and detection started from the web) beside the server; Ctrl-C stops both.
run: install
	$(BIN)/inbeeld migrate --noinput
	INBEELD_DEMO=true $(BIN)/inbeeld demo-setup --students $(DEMO_STUDENTS) --on $(ON)
	INBEELD_DEMO=true $(BIN)/inbeeld worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	INBEELD_DEMO=true $(BIN)/inbeeld runserver 127.0.0.1:8000

## The batch analysis of the demo municipality's files (issue 2), without the application.
analyse-demo: install
	$(BIN)/inbeeld demo-data $(DEMO_DIR) --students $(DEMO_STUDENTS) --seed 1 --on $(ON)
	$(BIN)/inbeeld analyse $(DEMO_DIR) --on $(ON) --out var/demo-out

## The backtest and fairness audit of the care signals on the demo municipality's files (issue 12
## §4): var/demo-backtest/rapport.html. Synthetic data: the figures say nothing about real children.
backtest-demo: install
	$(BIN)/inbeeld demo-data $(DEMO_DIR) --students $(DEMO_STUDENTS) --seed 1 --on $(ON)
	$(BIN)/inbeeld signalen-backtest --from $(DEMO_DIR) --on $(ON) --out var/demo-backtest

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

PG_URL ?= postgres://postgres@127.0.0.1:5432/test
## The tests that touch the database run again on PostgreSQL.
DB_TESTS := tests/test_reads_audited.py src/inbeeld/accounts src/inbeeld/audit src/inbeeld/people src/inbeeld/attendance src/inbeeld/api src/inbeeld/demo/tests/test_guard.py src/inbeeld/ui \
	src/inbeeld/notifications src/inbeeld/concerns src/inbeeld/cases src/inbeeld/leave src/inbeeld/exemptions \
	src/inbeeld/monitor src/inbeeld/privacy src/inbeeld/schedule src/inbeeld/operations src/inbeeld/backups src/inbeeld/prevention
## The chain of working together, the monitor, logging in and the privacy officer, in the browser, on PostgreSQL too.
PG_BROWSER_TESTS := tests/browser/test_chain.py tests/browser/test_monitor.py tests/browser/test_login.py tests/browser/test_privacy.py

## Known vulnerabilities in the locked packages: fails on one (unless audit-ignore.txt names it with
## a reason); says NOT CHECKED and goes on when the advisory service cannot be reached.
audit: install
	$(BIN)/python scripts/audit_dependencies.py --lock $(LOCK) --ignore audit-ignore.txt

test: lint audit
	$(BIN)/inbeeld makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -q
	INBEELD_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -q -m "not browser" $(wildcard $(DB_TESTS))
	INBEELD_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PG_BROWSER_TESTS)

## Benchmarks: 1,000,000 students against the DuckDB floor, then the whole country (2,500,000).
bench: install
	$(BIN)/python benchmarks/analyse_bench.py --students 1000000 --students 2500000
	$(BIN)/python benchmarks/app_bench.py --students 100000 --users 20 --seconds 60
	$(BIN)/python benchmarks/load_bench.py --students 100000 --users 50 --seconds 600 --reuse

docs: install
	$(BIN)/python -m inbeeld.rules.docs > docs/rules.md

## The committed OpenAPI document (docs/openapi.json); `make test` fails when it is out of date.
openapi: install
	$(BIN)/inbeeld spectacular --format openapi-json --file docs/openapi.json

clean:
	rm -rf var bench-data .pytest_cache .ruff_cache .mypy_cache
