#!/usr/bin/env bash
# Serves the tracker on http://127.0.0.1:8000 with a Celery worker and its embedded beat.
# Ctrl-C (or any of them exiting) stops every process this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# -B runs beat inside the worker: right for one process on one machine (see README).
"$VENV/bin/celery" -A tracker worker -B --concurrency 1 --loglevel INFO &
pids+=($!)
"$VENV/bin/python" manage.py runserver "$HOST:$PORT" &
pids+=($!)

echo "Serving on http://$HOST:$PORT/ — press Ctrl-C to stop the web server, worker and beat."
wait -n
