"""Faults survived, on real parts: a Redis of the test's own that is killed under the pages, a
Celery worker whose process is killed in the middle of a report, and a backup restored into a
new database with every row and evidence checksum checked."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from resolutions import actions
from resolutions.models import ExportJob
from tracker.celery import app as celery_app

from .conftest import make_action
from .test_digests_sending import reference_data  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _need(condition: bool, reason: str):
    if condition:
        return
    # CI's PostgreSQL run has every part: missing one there is a failure, not a skip.
    if os.environ.get("CI") and connection.vendor == "postgresql":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def own_redis():
    """A Redis server of this test's own on a free port, so it can be killed; always stopped."""
    _need(REDIS_SERVER is not None, "redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("the test's own Redis did not start")
            time.sleep(0.05)

    class Server:
        def __init__(self):
            self.url = url

        def kill(self):
            process.kill()
            process.wait(5)

    yield Server()
    if process.poll() is None:
        process.kill()
        process.wait(5)


def use_broker(url: str) -> None:
    """Points this process's Celery app at another broker (its pools are built on first use)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def on_own_redis(own_redis, settings):
    """Cache and broker both on the test's own Redis, as in production with REDIS_URL."""
    settings.CACHES = {
        "default": {
            "BACKEND": "resolutions.cache.TolerantRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    settings.CELERY_BROKER_URL = own_redis.url
    before = celery_app.conf.broker_url
    use_broker(own_redis.url)
    yield own_redis
    use_broker(before)


# In real transactions, as in production: the task is queued as the job's row commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data")
def test_redis_going_away_degrades_pages_instead_of_failing(
    client, on_own_redis, secretary, editor_ca, resolution_493, settings
):
    settings.EXPORT_BACKGROUND_THRESHOLD = -1  # every report goes to the background
    pages = [reverse("matrix"), reverse("nation-dashboard", kwargs={"code": "CA"})]
    client.force_login(secretary)
    assert [client.get(url).status_code for url in pages] == [200, 200]
    export = {"scope": "resolution", "id": resolution_493.pk, "format": "csv"}
    queued = client.get(reverse("report-export"), export)
    assert queued.status_code == 302  # the broker took the task

    on_own_redis.kill()

    started = time.monotonic()
    assert [client.get(url).status_code for url in pages] == [200, 200]
    client.force_login(editor_ca)
    assert client.get(pages[1]).status_code == 200
    assert time.monotonic() - started < 10  # no page waits on the dead server for long

    client.force_login(secretary)
    refused = client.get(reverse("report-export"), export)
    assert refused.status_code == 503
    assert "Try again shortly" in refused.content.decode()
    # The job the broker never took is failed at once, not left "waiting 0 %" for ever.
    newest = ExportJob.objects.order_by("-created_at").first()
    assert newest.state == ExportJob.State.FAILED
    assert "could not be reached" in newest.error

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}


# --- A worker killed in the middle of a report --------------------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data")
def test_a_report_whose_worker_is_killed_is_made_again_by_another(
    own_redis, secretary, editor_ca, resolution_493, canada, tmp_path
):
    _need(connection.vendor == "postgresql", "the worker shares the test's PostgreSQL database")
    # Enough actions that the DOCX takes a second or so: time to kill its process mid-way.
    commitments = list(resolution_493.commitments.all())
    for number in range(400):
        action = make_action(
            commitments[number % len(commitments)],
            canada,
            editor_ca,
            title=f"Measure {number}",
            description="A long description. " * 20,
        )
        actions.accept_action(actions.submit_action(action, by=editor_ca), by=secretary)
    job = ExportJob.objects.create(
        requested_by=secretary, format="docx",
        scope={"scope": "resolution", "id": str(resolution_493.pk)},
    )  # fmt: skip
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": own_redis.url,
        "REDIS_URL": "",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "DEBUG": "true",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tracker", "worker", "-Q", "reports",
         "--concurrency", "1", "--pool", "prefork", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(lambda: _children(worker.pid), 60, "the worker's pool process")
        use_broker(own_redis.url)
        from resolutions.reports.tasks import make_report

        make_report.apply_async(args=(str(job.pk),))

        def running():
            return ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.RUNNING).exists()

        _wait_for(running, 60, "the report to start")
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)  # the pool process, mid-report

        def finished():
            return ExportJob.objects.filter(
                pk=job.pk, state__in=[ExportJob.State.DONE, ExportJob.State.FAILED]
            ).exists()

        _wait_for(finished, 120, "the report to be made again")
    finally:
        use_broker(django_settings.CELERY_BROKER_URL)
        os.killpg(worker.pid, signal.SIGKILL)
        output = worker.communicate(timeout=10)[0].decode(errors="replace")
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE, (job.error, output[-3000:])
    assert job.attempts == 2  # the killed start and the one that finished
    assert "WorkerLostError" in output or "exited prematurely" in output


# --- Backups that restore ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data")
def test_a_backup_restores_into_a_new_database_with_every_row_and_file(
    editor_ca, resolution_493, canada, commitment_25e, tmp_path, settings
):
    _need(connection.vendor == "postgresql", "pg_dump and pg_restore back up PostgreSQL")
    _need(shutil.which("pg_restore") is not None, "pg_restore is not installed")
    action = make_action(commitment_25e, canada, editor_ca)
    for number in range(3):
        actions.add_evidence_file(
            action,
            ContentFile(f"Minutes of hearing {number}.\n".encode(), name=f"minutes-{number}.txt"),
            {"title": f"Minutes {number}", "date": None, "language": "en"},
            by=editor_ca,
        )
    folder = tmp_path / "backup"
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "VAR_DIR": str(tmp_path / "var")}  # fmt: skip
    made = subprocess.run([sys.executable, "manage.py", "backup", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "3 evidence files" in made.stdout

    target = f"{connection.settings_dict['NAME']}_restored"
    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{target}"')
        pg.execute(f'CREATE DATABASE "{target}"')
    try:
        restored_media = tmp_path / "restored-media"
        env_restored = {**env, "DATABASE_URL": database_url().rsplit("/", 1)[0] + f"/{target}",
                        "MEDIA_ROOT": str(restored_media)}  # fmt: skip
        done = subprocess.run(
            [sys.executable, "manage.py", "restore_backup", str(folder)],
            cwd=ROOT, env=env_restored, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "every evidence checksum matches" in done.stdout
        assert len(list(restored_media.rglob("*.txt"))) == 3

        # Tampering is caught: one altered file, one missing.
        files = sorted(restored_media.rglob("*.txt"))
        files[0].write_bytes(b"changed")
        files[1].unlink()
        checked = subprocess.run(
            [sys.executable, "manage.py", "verify_evidence"],
            cwd=ROOT, env=env_restored, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert checked.returncode != 0
        assert "ALTERED" in checked.stdout and "MISSING" in checked.stdout
        assert "3 evidence files checked, 2 with problems" in checked.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
