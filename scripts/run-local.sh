#!/usr/bin/env bash
# Serves the tracker on http://$HOST:$PORT (127.0.0.1:8000 by default) with a Celery worker and its embedded beat.
# Ctrl-C (or any of them exiting) stops every process this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in e-mails point at the address actually served, unless SITE_URL says otherwise.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}

# DEBUG off by default, so newcomers see what users will see (the site's own 404 page, not
# Django's list of every URL pattern); DEBUG=true make run brings the debugging pages back.
# Plain HTTP on this machine: no HTTPS redirect or secure-only cookies here.
export DEBUG=${DEBUG:-false}
if [ "$DEBUG" = "false" ]; then
  if [ -z "${SECRET_KEY:-}" ]; then
    [ -s var/secret_key ] || "$VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
    chmod 600 var/secret_key
    SECRET_KEY=$(cat var/secret_key)
    export SECRET_KEY
  fi
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$HOST}
  export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
  export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-false}
  export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-false}
  export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
  # whitenoise serves the static files, hashed and compressed, from var/static.
  "$VENV/bin/python" manage.py collectstatic --noinput --verbosity 0
fi

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
