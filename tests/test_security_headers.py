"""What every response carries: Content-Security-Policy, Permissions-Policy, no-store for
signed-in pages; the CSP report endpoint; the request-body cap and stale upload files."""

import json
import logging
import os
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from resolutions.security.tasks import delete_stale_upload_files


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


@pytest.mark.parametrize("path", ["/accounts/login/", "/matrix/", "/resolutions/", "/preferences/"])
def test_every_page_has_a_strict_content_security_policy(client, viewer, resolution_493, path):
    client.force_login(viewer)
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["style-src"] == "'self'"  # no inline styles
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["report-uri"] == "/csp-report/"


def test_scripts_carry_the_pages_nonce_and_htmx_injects_no_styles(client, viewer):
    client.force_login(viewer)
    response = client.get("/matrix/")
    html = response.content.decode()
    nonce = directives(response)["script-src"].split("'nonce-")[1].split("'")[0]
    assert html.count(f'nonce="{nonce}"') == 2  # htmx and tracker.js
    assert '"includeIndicatorStyles": false' in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html


def test_permissions_policy_and_no_store_when_signed_in(client, viewer):
    anonymous = client.get("/accounts/login/")
    assert "camera=()" in anonymous["Permissions-Policy"]
    client.force_login(viewer)
    signed_in = client.get("/matrix/")
    assert "no-store" in signed_in["Cache-Control"]
    assert "private" in signed_in["Cache-Control"]
    assert "geolocation=()" in signed_in["Permissions-Policy"]


def test_the_csp_report_view_logs_violations(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://127.0.0.1:8000/matrix/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="tracker.security.csp"):
        response = client.post(
            "/csp-report/", data=json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text
    bad = client.post("/csp-report/", data="not json", content_type="application/csp-report")
    assert bad.status_code == 400


def test_deploy_check_stays_clean():
    """`manage.py check --deploy` with production settings (.ci/run runs it too)."""
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-not-a-real-key-but-long-enough-for-the-check-1234567890",
        "ALLOWED_HOSTS": "tracker.example.org",
        "STATIC_MANIFEST": "false",
    }
    # Set for the browser tests in this same process; never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Request bodies ------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_before_it_is_read(
    client, editor_ca, commitment_25e, canada, settings
):
    from .conftest import make_action

    settings.REQUEST_BODY_MAX_BYTES = 1024
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{action.pk}/evidence/link/",
        {"url": "https://example.org/" + "a" * 2000, "title": "Too long"},
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert response["Connection"] == "close"
    assert action.evidence.count() == 0


def test_a_refused_body_is_read_and_dropped_so_the_proxy_gets_the_answer(rf, settings):
    """Closing a socket with unread data resets the connection, and the proxy then answers 502
    instead of the tracker's 413: the refused body is read (and thrown away) first, up to the
    proxy's own cap; a longer one the proxy has refused already."""
    import io

    from resolutions.security.middleware import DRAINED_AT_MOST, RequestBodyCapMiddleware

    settings.REQUEST_BODY_MAX_BYTES = 1024
    middleware = RequestBodyCapMiddleware(lambda request: None)
    body = io.BytesIO(b"x" * 700_000)
    request = rf.post("/csp-report/", data=b"", content_type="text/plain")
    request.META.update({"CONTENT_LENGTH": "700000", "wsgi.input": body})
    assert middleware(request).status_code == 413
    assert body.tell() == 700_000
    untouched = io.BytesIO(b"x" * 10)
    request.META.update({"CONTENT_LENGTH": str(DRAINED_AT_MOST + 1), "wsgi.input": untouched})
    assert middleware(request).status_code == 413
    assert untouched.tell() == 0


def test_a_body_under_the_cap_goes_through(client, editor_ca, commitment_25e, canada, settings):
    from .conftest import make_action

    settings.REQUEST_BODY_MAX_BYTES = 100_000
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{action.pk}/evidence/link/",
        {"url": "https://example.org/law", "title": "The law"},
    )
    assert response.status_code in (200, 302)
    assert action.evidence.count() == 1


def test_the_application_cap_is_below_the_proxys():
    from pathlib import Path

    from django.conf import settings

    caddyfile = (Path(__file__).resolve().parent.parent / "deploy" / "Caddyfile").read_text()
    proxy_mb = int(caddyfile.split("max_size ")[1].split("MB")[0])
    assert proxy_mb * 1000 * 1000 > settings.REQUEST_BODY_MAX_BYTES
    assert settings.REQUEST_BODY_MAX_BYTES > settings.EVIDENCE_MAX_BYTES


def test_upload_files_left_by_a_dead_request_are_removed(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    settings.UPLOAD_TEMP_MAX_AGE_MINUTES = 60
    stale = tmp_path / "tmpabc.upload.pdf"
    fresh = tmp_path / "tmpdef.upload.pdf"
    other = tmp_path / "keep.txt"
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert delete_stale_upload_files() == 1
    assert not stale.exists() and fresh.exists() and other.exists()


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_the_cleanups_are_scheduled_by_beat():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "resolutions.security.tasks.delete_old_security_events" in tasks
    assert "resolutions.security.tasks.delete_stale_upload_files" in tasks
    call_command("check")


@pytest.mark.parametrize(
    "path", ["/", "/matrix/", "/resolutions/", "/accounts/login/", "/healthz", "/search/"]
)
def test_trace_is_not_supported(client, viewer, path):
    client.force_login(viewer)
    assert client.generic("TRACE", path).status_code == 405
