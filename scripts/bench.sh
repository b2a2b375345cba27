#!/usr/bin/env bash
# `make bench`: for each size, a fresh PostgreSQL database, seed_scale, then bench; at the end
# the Markdown summary of the latest run of each size (var/bench/summary.md).
#
#   BENCH_SIZES="S M L"   sizes to run (CI runs a smoke at S)
#   BENCH_REPEAT=60       timed rounds per page
#   BENCH_DIGEST_USERS=1000
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   server; databases tracker_bench_s, _m, _l
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-S M L}
REPEAT=${BENCH_REPEAT:-60}
DIGEST_USERS=${BENCH_DIGEST_USERS:-1000}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PY=.venv/bin/python

scripts/start-services.sh >/dev/null
# Production-like: DEBUG off (cached templates), no SSL redirect inside the test client.
export DEBUG=false SECRET_KEY="bench-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export ALLOWED_HOSTS=testserver,localhost STATIC_MANIFEST=false
export VAR_DIR=${VAR_DIR:-$PWD/var}

for size in $SIZES; do
  db="tracker_bench_$(echo "$size" | tr 'SML' 'sml')"
  echo "== size $size: fresh database $db"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export DATABASE_URL="$PG/$db"
  $PY manage.py migrate --noinput -v0
  $PY manage.py seed_scale --size "$size"
  extra=()
  # At L: the full export in the streaming formats (memory "whatever the size"); its PDF and
  # DOCX keep only the summary above 3,000 actions and would repeat M's story at six times
  # the wait.
  [ "$size" = L ] && extra+=(--export-scopes full --export-formats csv,xlsx)
  $PY manage.py bench --size "$size" --repeat "$REPEAT" --digest-users "$DIGEST_USERS" "${extra[@]}"
done
$PY manage.py bench --summary | tee var/bench/summary.md
