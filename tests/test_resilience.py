"""Background work that never gets stuck, limits per person, and pages that degrade instead of
failing: the watchdog, attempts, queuing refusals, rate limits, a missing evidence file, the
health check per dependency, and the 503 page when the database is away."""

import datetime
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from resolutions import actions, jobs, ratelimit
from resolutions.models import ExportJob
from resolutions.reports.tasks import make_report

from .conftest import make_action

ROOT = Path(__file__).resolve().parent.parent
EXPORT = reverse("report-export")


def _job(user, *, state=ExportJob.State.PENDING, minutes_ago=0, **extra):
    job = ExportJob.objects.create(requested_by=user, format="csv", state=state, **extra)
    moved = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=moved)
    return job


# --- The watchdog ---------------------------------------------------------------------------


def test_watchdog_fails_jobs_that_stopped_moving_and_leaves_the_rest(secretary, settings):
    settings.JOB_STALL_MINUTES = 15
    lost = _job(secretary, minutes_ago=16)  # its message went with a restarted broker
    dead = _job(secretary, state=ExportJob.State.RUNNING, minutes_ago=30, progress=50)
    fresh = _job(secretary, minutes_ago=1)
    moving = _job(secretary, state=ExportJob.State.RUNNING, minutes_ago=2, progress=40)
    done = _job(secretary, state=ExportJob.State.DONE, minutes_ago=300)

    assert jobs.fail_stalled_jobs() == 2

    states = {j.pk: j.state for j in ExportJob.objects.all()}
    assert states[lost.pk] == states[dead.pk] == ExportJob.State.FAILED
    assert states[fresh.pk] == ExportJob.State.PENDING
    assert states[moving.pk] == ExportJob.State.RUNNING
    assert states[done.pk] == ExportJob.State.DONE
    assert "Try again" in ExportJob.objects.get(pk=dead.pk).error
    assert jobs.fail_stalled_jobs() == 0


def test_the_person_sees_why_a_stalled_job_failed(client, secretary, settings):
    job = _job(secretary, state=ExportJob.State.RUNNING, minutes_ago=60, progress=50)
    jobs.fail_stalled_jobs()
    client.force_login(secretary)
    page = client.get(reverse("report-job", kwargs={"pk": job.pk}), headers={"HX-Request": "true"})
    assert page.status_code == 286  # polling stops
    assert "stopped making progress" in page.content.decode()


def test_a_report_that_keeps_killing_its_worker_is_failed_not_retried(secretary, settings):
    settings.EXPORT_MAX_ATTEMPTS = 3
    job = _job(secretary, state=ExportJob.State.RUNNING, attempts=3, scope={"scope": "all"})
    make_report(str(job.pk))
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert "stopped its background worker 3 times" in job.error
    assert not job.file


def test_a_redelivered_message_for_a_failed_job_does_nothing(secretary):
    job = _job(secretary, state=ExportJob.State.FAILED, error="Stalled.")
    make_report(str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (ExportJob.State.FAILED, "Stalled.", 0)


def test_each_start_is_counted(secretary, resolution_493):
    job = _job(secretary, scope={"scope": "resolution", "id": str(resolution_493.pk)})
    make_report(str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportJob.State.DONE, 1)


# --- Limits per person ----------------------------------------------------------------------


def test_a_person_may_have_only_so_many_reports_in_the_making(
    client, secretary, resolution_493, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_THRESHOLD = -1  # every report goes to the background
    settings.EXPORT_MAX_RUNNING_PER_PERSON = 2
    _job(secretary)
    _job(secretary, state=ExportJob.State.RUNNING)
    client.force_login(secretary)
    params = {"scope": "resolution", "id": resolution_493.pk, "format": "csv"}
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(EXPORT, params)
    assert response.status_code == 429
    assert "You already have 2 reports being made" in response.content.decode()
    assert ExportJob.objects.count() == 2 and not callbacks  # nothing made, nothing queued

    ExportJob.objects.filter(state=ExportJob.State.RUNNING).update(state=ExportJob.State.DONE)
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.get(EXPORT, params).status_code == 302
    assert ExportJob.objects.count() == 3 and len(callbacks) == 1


def test_asking_for_reports_again_and_again_is_slowed_down(
    client, secretary, resolution_493, settings
):
    settings.EXPORT_BACKGROUND_THRESHOLD = -1
    settings.EXPORT_MAX_RUNNING_PER_PERSON = 100
    settings.RATE_LIMIT_ACTIONS = 3
    settings.RATE_LIMIT_WINDOW_SECONDS = 7919  # a window no other test shares
    client.force_login(secretary)
    params = {"scope": "resolution", "id": resolution_493.pk, "format": "csv"}
    codes = [client.get(EXPORT, params).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert ExportJob.objects.count() == 3


def test_digest_previews_are_limited_per_person(client, editor_ca, resolution_493, settings):
    settings.RATE_LIMIT_ACTIONS = 2
    settings.RATE_LIMIT_WINDOW_SECONDS = 7907
    client.force_login(editor_ca)
    pages = [client.post("/preferences/preview/", follow=True).text for _ in range(3)]
    assert len(mail.outbox) == 2
    assert "many previews in a short time" in pages[2]


def test_the_limit_counts_each_person_apart(editor_ca, editor_fr, settings):
    settings.RATE_LIMIT_WINDOW_SECONDS = 7901
    assert [ratelimit.allow(editor_ca, "x", limit=1) for _ in range(2)] == [True, False]
    assert ratelimit.allow(editor_fr, "x", limit=1)


# --- A missing evidence file ---------------------------------------------------------------


def test_a_missing_evidence_file_answers_404_with_a_message_and_is_logged(
    client, editor_ca, commitment_25e, canada, caplog
):
    action = make_action(commitment_25e, canada, editor_ca)
    upload = ContentFile(b"Minutes of the hearing.\n", name="minutes.txt")
    evidence = actions.add_evidence_file(
        action, upload, {"title": "Minutes", "date": None, "language": "en"}, by=editor_ca
    )
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(editor_ca)
    with caplog.at_level(logging.ERROR):
        response = client.get(reverse("evidence-download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 404
    assert "cannot be found in storage" in response.content.decode()
    assert f"Evidence {evidence.pk}: its file" in caplog.text


# --- /healthz per dependency and the database away --------------------------------------------


def test_healthz_says_the_broker_is_unreachable_but_pages_still_work(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}


def test_the_database_away_gives_the_back_shortly_page(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(raise_request_exception=False);"
        "c.cookies['sessionid'] = 'a-signed-in-person';"  # loading the session needs the database
        "r = c.get('/matrix/');"
        "print(r.status_code, r['Retry-After'], 'back shortly' in r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["503", "60", "True"], result.stderr[-2000:]
