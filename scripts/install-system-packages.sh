#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (Chromium for the browser
# tests; Caddy for the proxy test; poppler-utils to read PDFs back; gettext to compile the
# French catalogue; DejaVu, the font the PDF reports are typeset in; PgBouncer and redis-server
# for the several-nodes test). Needs root or sudo; says what to do otherwise.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# msgfmt compiles the French catalogue (make install; the tests check it is complete).
command -v msgfmt >/dev/null || missing+=(gettext)
# The several-nodes test puts PgBouncer (transaction pooling) in front of PostgreSQL and starts
# a Redis of its own (tests/test_multinode.py, tests/test_single_beat.py).
[ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v redis-server >/dev/null || missing+=(redis-server)
# The reverse proxy of docker-compose.yml, run in front of gunicorn by tests/test_proxy.py.
command -v caddy >/dev/null || missing+=(caddy)
# Typst (PDF reports, a wheel with no system library) sets them in DejaVu Sans, which has every
# status symbol (settings.REPORT_FONT_DIRS).
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing ${missing[*]} from Debian…"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" fonts-dejavu-core
