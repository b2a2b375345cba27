#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (Chromium for the browser
# tests; poppler-utils to read PDFs back; DejaVu, the font the PDF reports are typeset in).
# Needs root or sudo; says what to do otherwise.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
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
