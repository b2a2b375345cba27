# The README's two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test bench install system-packages lint check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: Chromium for browser tests, poppler for reading PDFs back.
system-packages:
	@scripts/install-system-packages.sh

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	scripts/run-local.sh

test: install system-packages
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2

# Performance at realistic sizes on PostgreSQL (docs/performance.md). BENCH_SIZES="S" for a smoke.
bench: install
	scripts/bench.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var/celery var/static
