"""The real thing: a Celery worker with its embedded beat, in its own process, on Redis, sending
through a real SMTP server (aiosmtpd) to the test's PostgreSQL database. Beat sweeps every two
seconds; each person still gets one digest, and a refused first attempt is retried."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from resolutions import actions, digests
from resolutions.models import DigestLog, DigestPreference, User

from .conftest import make_action, make_user
from .test_digests_sending import SMTPServer, reference_data  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("DIGEST_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
SITE = "https://tracker.example.org"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _skip_or_fail(reason: str):
    # In CI the PostgreSQL run has Redis: a missing part there is a failure, not a skip.
    if os.environ.get("CI") and connection.vendor == "postgresql":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def parts():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker process needs a database it can share with the test: set DATABASE_URL "
            "to PostgreSQL (SQLite's test database lives in this process's memory)"
        )
    if not redis_answers():
        _skip_or_fail(f"no Redis answers at {BROKER}")
    redis.Redis.from_url(BROKER).flushdb()  # nothing left over from an earlier run


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(parts, tmp_path):
    """Starts `celery -A tracker worker -B` against the SMTP server given; always stopped."""
    started = []

    def start(smtp: SMTPServer):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER,
            "EMAIL_URL": smtp.url,
            "SITE_URL": SITE,
            "SECRET_KEY": settings.SECRET_KEY,  # so the test can read the unsubscribe tokens
            "VAR_DIR": str(tmp_path / "var"),
            "DEBUG": "true",
            "DIGEST_SWEEP_SECONDS": "2",
            "DIGEST_RETRY_BACKOFF_SECONDS": "1",
            "LOG_LEVEL": "INFO",
        }
        log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed at teardown
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tracker", "worker", "-B",
                "--pool", "solo", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--schedule", str(tmp_path / "beat-schedule"),
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append((process, log))
        return process

    yield start

    for process, log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # warm shutdown: worker and its beat
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def worker_log(tmp_path) -> str:
    path = tmp_path / "worker.log"
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data")
def test_beat_and_a_real_worker_send_each_person_one_digest_through_smtp(
    worker, tmp_path, resolution_493, editor_ca, secretary, canada
):
    switched_off = make_user("julien-fr", User.Role.EDITOR, "FR")
    DigestPreference.objects.create(user=switched_off, frequency="off")
    submitted = make_action(resolution_493.commitments.get(label="25.e"), canada, editor_ca)
    actions.submit_action(submitted, by=editor_ca)

    with SMTPServer(refuse=1) as smtp:
        process = worker(smtp)
        deadline = time.monotonic() + 90
        while len(smtp.mailbox.messages) < 2 and time.monotonic() < deadline:
            assert process.poll() is None, f"the worker stopped:\n{worker_log(tmp_path)}"
            time.sleep(0.5)
        assert len(smtp.mailbox.messages) == 2, worker_log(tmp_path)
        time.sleep(7)  # three more sweeps: nothing more may arrive
        received = list(smtp.mailbox.messages)
        attempts = smtp.mailbox.attempts

    assert len(received) == 2, worker_log(tmp_path)
    assert attempts == 3  # the first was refused (451) and retried through the broker
    by_recipient = {message["To"]: message for message in received}
    assert set(by_recipient) == {editor_ca.email, secretary.email}
    assert sorted(DigestLog.objects.values_list("user__username", "state")) == [
        ("claire-ca", "sent"),
        ("sam-secretary", "sent"),
    ]
    assert sum(DigestLog.objects.values_list("attempts", flat=True)) == 3

    editor_mail = by_recipient[editor_ca.email]
    # 25.e has an action from today: 11 of the 12 commitments have had no update.
    assert editor_mail["Subject"] == "11 items need your attention · Commitment Tracker"
    assert editor_mail["From"] == settings.DEFAULT_FROM_EMAIL
    assert editor_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = editor_mail["List-Unsubscribe"].strip().strip("<>")  # the header may be folded
    assert unsubscribe.startswith(f"{SITE}/digests/unsubscribe/")
    token = unsubscribe.removeprefix(f"{SITE}/digests/unsubscribe/").rstrip("/")
    assert digests.user_id_from_token(token) == editor_ca.pk
    text = editor_mail.get_body(preferencelist=("plain",)).get_content()
    html = editor_mail.get_body(preferencelist=("html",)).get_content()
    # Past five, stale commitments are summarised: one line per resolution, to the dashboard.
    link = f"{SITE}/nations/CA/?sort=updated"
    assert "11 COMMITMENTS WITH NO UPDATE FOR 90 DAYS" in text and link in text
    assert "Resolution 493: 11 commitments with no recent update" in text
    assert f'href="{link}"' in html and f'href="{unsubscribe}"' in html

    secretary_mail = by_recipient[secretary.email]
    assert secretary_mail["Subject"] == "1 item needs your attention · Commitment Tracker"
    secretary_text = secretary_mail.get_body(preferencelist=("plain",)).get_content()
    assert "Canada: “Export Control Act amended” (493 25.e)" in secretary_text
    assert f"{SITE}/review/#review-{submitted.pk}" in secretary_text
