import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_database_does_not_answer(tmp_path):
    # A real connection attempt to a port where no database listens.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["503", "unreachable"], result.stderr


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
