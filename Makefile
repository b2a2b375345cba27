# The README's two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test bench install system-packages lint check check-translations clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The French catalogue is compiled here, never committed (docs/glossary.md, README "Translations").
# Without gettext's msgfmt the tracker still runs, in English only.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGUES:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@if command -v msgfmt >/dev/null; then \
	  $(PY) manage.py compilemessages --locale $* --ignore .venv --ignore var; \
	else \
	  echo "gettext's msgfmt is missing, so the interface stays in English: sudo apt-get install gettext" >&2; \
	fi

install: $(STAMP) $(COMPILED)

# Debian packages the tests use: Chromium for browser tests, poppler for reading PDFs back,
# gettext to compile the French catalogue.
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

# Every message translated, none fuzzy, no text left unwrapped (README "Translations").
check-translations: install
	$(VENV)/bin/pytest tests/test_translations.py -q

clean:
	rm -rf $(VENV) var/celery var/static
