"""The settings refuse to run in production without a secret and allowed hosts."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(VAR_DIR=str(tmp_path), **env_vars)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    result = run_check(tmp_path, DEBUG="false", ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "With DEBUG off, set SECRET_KEY and ALLOWED_HOSTS." in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start(tmp_path):
    result = run_check(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "With DEBUG off, set SECRET_KEY and ALLOWED_HOSTS." in result.stderr


def test_debug_off_with_both_starts(tmp_path):
    result = run_check(
        tmp_path, DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="tracker.example.org"
    )
    assert result.returncode == 0, result.stderr


def test_development_secret_is_generated_once_into_var(tmp_path):
    run_check(tmp_path, DEBUG="true")
    first = (tmp_path / "secret_key").read_text()
    run_check(tmp_path, DEBUG="true")
    assert (tmp_path / "secret_key").read_text() == first
    assert len(first) >= 50


def test_evidence_goes_to_s3_when_a_bucket_is_named(tmp_path):
    script = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    env = {**os.environ, "VAR_DIR": str(tmp_path), "AWS_STORAGE_BUCKET_NAME": "pa-evidence"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "storages.backends.s3.S3Storage", result.stderr
