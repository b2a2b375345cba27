#!/usr/bin/env bash
# `make bench`: for each size, a fresh PostgreSQL database, `python -m bench seed`, then
# `python -m bench run`; at the end the Markdown summary of the latest run of each size
# (var/bench/summary.md).
#
#   BENCH_SIZES="S M L"    sizes to run (CI runs a smoke at S)
#   BENCH_REPEAT=60        timed rounds per page and mode (cold, warm)
#   BENCH_DIGEST_USERS=1000
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   server
#   BENCH_DB_PREFIX=tracker_bench                 databases <prefix>_s, _m, _l
#   BENCH_BEFORE=<git ref> also measure that commit's code on the same data, with the same
#                          benchmark, and write the comparison to var/bench/compare.md
#   BENCH_REPO=.           the git repository BENCH_BEFORE is read from
#   BENCH_BEFORE_PYTHON=   the interpreter for that older code (a virtualenv with its own
#                          dependencies, e.g. WeasyPrint before the Typst reports); default ours.
#                          Its digests are not measured: it cannot create the generated
#                          people in a database migrated by this code (new required columns).
#   BENCH_BEFORE_MIGRATION=   "<app> <migration>": the schema the older code is measured on, when
#                          a later migration takes away what it reads (0015 replaced the
#                          search index that older code's search uses). The database is
#                          migrated back to it, seeded, the older code measured, then the rest
#                          applied again for this code.
#   BENCH_EXPORT_FORMATS=csv,xlsx,docx,pdf   formats timed (at L: csv,xlsx unless set)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-S M L}
REPEAT=${BENCH_REPEAT:-60}
DIGEST_USERS=${BENCH_DIGEST_USERS:-1000}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PREFIX=${BENCH_DB_PREFIX:-tracker_bench}
BEFORE=${BENCH_BEFORE:-}
ROOT=$PWD
PY=$ROOT/.venv/bin/python

scripts/start-services.sh >/dev/null
# Production-like: DEBUG off (cached templates), no SSL redirect inside the test client.
export DEBUG=false SECRET_KEY="bench-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export ALLOWED_HOSTS=testserver,localhost STATIC_MANIFEST=false
export VAR_DIR=${VAR_DIR:-$ROOT/var}

before_tree=""
if [ -n "$BEFORE" ]; then
  # The older code beside this one, with this benchmark: the same harness on the same data.
  before_tree=$(mktemp -d -t bench-before-XXXXXX)
  trap 'rm -rf "$before_tree"' EXIT
  git -C "${BENCH_REPO:-.}" archive "$BEFORE" | tar -x -C "$before_tree"
  rm -rf "$before_tree/bench" && cp -r bench "$before_tree/bench"
fi

for size in $SIZES; do
  db="${PREFIX}_$(echo "$size" | tr 'SML' 'sml')"
  echo "== size $size: fresh database $db"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export DATABASE_URL="$PG/$db"
  $PY manage.py migrate --noinput -v0
  if [ -n "$before_tree" ] && [ -n "${BENCH_BEFORE_MIGRATION:-}" ]; then
    # Back to the older code's schema (every other app stays migrated).
    # shellcheck disable=SC2086  # "<app> <migration>": two words
    $PY manage.py migrate --noinput -v0 $BENCH_BEFORE_MIGRATION
  fi
  $PY -m bench seed --size "$size"
  extra=()
  [ -n "${BENCH_EXPORT_FORMATS:-}" ] && extra+=(--export-formats "$BENCH_EXPORT_FORMATS")
  # At L: the full export in the streaming formats (memory "whatever the size"); its PDF and
  # DOCX keep only the summary above 3,000 actions and would repeat M's story at six times
  # the wait.
  [ "$size" = L ] && extra+=(--export-scopes full) && [ -z "${BENCH_EXPORT_FORMATS:-}" ] \
    && extra+=(--export-formats csv,xlsx)
  if [ -n "$before_tree" ]; then
    echo "== size $size: the code of $BEFORE"
    (cd "$before_tree" && ${BENCH_BEFORE_PYTHON:-$PY} -m bench run --size "$size" \
      --repeat "$REPEAT" --digest-users 0 --output "$VAR_DIR/bench-before" "${extra[@]}")
    $PY manage.py migrate --noinput -v0
  fi
  $PY -m bench run --size "$size" --repeat "$REPEAT" --digest-users "$DIGEST_USERS" "${extra[@]}"
done
$PY -m bench summary | tee "$VAR_DIR/bench/summary.md"
if [ -n "$before_tree" ]; then
  $PY -m bench compare "$VAR_DIR/bench-before" "$VAR_DIR/bench" | tee "$VAR_DIR/bench/compare.md"
fi
