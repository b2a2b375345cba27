"""The export views: small reports come back at once as attachments (CSV streamed), large ones
are made by a Celery task while a page polls until it answers 286 with the download link; bad
requests get a 400 that says why and make nothing."""

import datetime
import io
import re
import uuid
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from resolutions.models import ExportJob, ReportingRound
from resolutions.reports import registry
from resolutions.reports.tasks import delete_old_reports, make_report

from .reports_helpers import add_actions, build_world

pytestmark = pytest.mark.django_db
EXPORT = reverse("report-export")


@pytest.fixture
def world(resolution_493, editor_ca, editor_fr, secretary, admin_user):
    return build_world(
        resolution_493,
        editor_ca=editor_ca, editor_fr=editor_fr, secretary=secretary, admin_user=admin_user,
    )  # fmt: skip


def query(world, fmt, **extra):
    return {"scope": "resolution", "id": world.resolution.pk, "format": fmt, **extra}


def today() -> str:
    return timezone.localdate().isoformat()


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- Answered at once ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_small_report_is_an_attachment_named_for_what_it_is(
    client, world, secretary, fmt, content_type
):
    client.force_login(secretary)
    response = client.get(EXPORT, query(world, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="resolution-493-status-{today()}.{fmt}"'
    )
    assert len(body(response)) > 100
    assert not ExportJob.objects.exists()


def test_nation_and_round_reports_are_named_for_their_scope(client, world, viewer):
    round_ = ReportingRound.objects.create(name="Spring 2027", deadline="2027-05-01")
    round_.resolutions.add(world.resolution)
    client.force_login(viewer)
    response = client.get(EXPORT, {"scope": "nation", "id": "ca", "format": "xlsx"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="nation-ca-status-{today()}.xlsx"'
    )
    load_workbook(io.BytesIO(response.content))
    response = client.get(EXPORT, {"scope": "round", "id": round_.pk, "format": "docx"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="round-{round_.pk}-status-{today()}.docx"'
    )
    assert "Spring 2027" in Document(io.BytesIO(response.content)).paragraphs[2].text


def test_csv_is_streamed_in_blocks_of_rows(
    client, world, editor_ca, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("resolutions.reports.csv.BATCH", 1)
    client.force_login(editor_ca)
    response = client.get(EXPORT, query(world, "csv", submitted="1", drafts="1"))
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    # Nothing is read for the header; the rows come from one cursor, a block of BATCH rows
    # per chunk (1 here, 1,000 in use).
    with django_assert_num_queries(0):
        header = next(chunks)
    assert header.startswith("\ufeffAction ID,Resolution,Commitment,Nation code".encode())
    with django_assert_num_queries(5):  # the matrix's 3, the evidence counts, the cursor
        first = next(chunks)
    with django_assert_num_queries(0):
        rest = list(chunks)
    assert first.count(b"\n") == 1
    assert len(rest) + 1 == 4  # CA accepted, CA draft (own), FR submitted, DE accepted


def test_export_keeps_the_matrix_filters(client, world, viewer):
    client.force_login(viewer)
    response = client.get(EXPORT, query(world, "csv", status="in_progress", submitted="1"))
    text = body(response).decode("utf-8-sig")
    assert "Loi de programmation militaire" in text
    assert "Export Control Act amended" not in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "exe"}, "Choose a report format: PDF, DOCX, XLSX, CSV (“exe” is not one)."),
        ({"format": ""}, "Choose a report format"),
        ({"scope": "planet"}, "Choose what the report covers"),
        ({"id": "999999"}, "There is no resolution with the id “999999”."),
        ({"status": "bogus"}, "Status: Select a valid choice."),
        ({"updated_since": "yesterday"}, "Updated since: Enter a valid date."),
        ({"language": "klingon"}, "Language: Select a valid choice."),
        ({"rows": "everything"}, "CSV rows: Select a valid choice."),
        ({"drafts": "1"}, "Only a delegation&#x27;s own report may include its drafts"),
    ],
)
def test_bad_request_is_a_400_that_says_why_and_makes_nothing(
    client, world, secretary, settings, params, message
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0  # even a job would be made for a good one
    client.force_login(secretary)
    response = client.get(EXPORT, {**query(world, "pdf"), **params})
    assert response.status_code == 400
    assert "The report cannot be made" in response.content.decode()
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(EXPORT, query(world, "pdf"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Made in the background ------------------------------------------------------------------


def test_large_export_is_made_in_the_background_and_downloaded_by_its_requester(
    client, world, secretary, viewer, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client.force_login(secretary)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(EXPORT, query(world, "xlsx", status="implemented"))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report-job", kwargs={"pk": job.pk})
    assert len(callbacks) == 1  # the task is queued once the job row is committed
    assert (job.requested_by, job.format, job.state) == (secretary, "xlsx", "pending")
    assert job.scope == {"scope": "resolution", "id": str(world.resolution.pk),
                         "resolution": str(world.resolution.pk), "status": "implemented",
                         "language": "en"}  # fmt: skip

    page = client.get(response.url).content.decode()
    assert '<progress id="job-progress-' in page
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{response.url}"' in page
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "<progress" in polled.content.decode()

    make_report(str(job.pk))  # what the worker runs

    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.progress == 100
    assert job.file.name == f"reports/{job.pk}.xlsx"
    assert default_storage.exists(job.file.name)
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert polled.status_code == 286  # htmx stops polling
    fragment = polled.content.decode()
    download = reverse("report-job-download", kwargs={"pk": job.pk})
    assert f'href="{download}"' in fragment and "hx-trigger" not in fragment

    got = client.get(download)
    assert got.status_code == 200
    assert got["Content-Disposition"] == (
        f'attachment; filename="resolution-493-status-{today()}.xlsx"'
    )
    book = load_workbook(io.BytesIO(body(got)))
    titles = [r[6] for r in book["Actions"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Export Control Act amended"]  # the status filter held

    client.force_login(viewer)
    assert client.get(response.url).status_code == 404
    assert client.get(download).status_code == 404


def test_job_made_for_an_editor_keeps_their_view(world, editor_fr):
    job = ExportJob.objects.create(
        requested_by=editor_fr, format="csv",
        scope={"scope": "resolution", "id": str(world.resolution.pk), "drafts": "1"},
    )  # fmt: skip
    make_report(job.pk)
    job.refresh_from_db()
    text = default_storage.open(job.file.name).read().decode("utf-8-sig")
    assert "FR brouillon confidentiel" in text and "CA draft" not in text


def test_a_background_job_writes_in_the_language_asked_for(
    client, world, secretary, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client.force_login(secretary)
    with django_capture_on_commit_callbacks():
        client.get(EXPORT, query(world, "csv", language="fr"))
    job = ExportJob.objects.get()
    assert job.scope["language"] == "fr"
    make_report(str(job.pk))
    job.refresh_from_db()
    text = default_storage.open(job.file.name).read().decode("utf-8-sig")
    assert "Allemagne" in text and "Germany" not in text


def test_a_failed_job_shows_its_reason_and_stops_polling(client, secretary, world):
    job = ExportJob.objects.create(
        requested_by=secretary, format="pdf", scope={"scope": "round", "id": "424242"}
    )
    make_report(str(job.pk))
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert job.error == "There is no reporting round with the id “424242”."
    assert not job.file
    client.force_login(secretary)
    url = reverse("report-job", kwargs={"pk": job.pk})
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 286
    assert "There is no reporting round with the id “424242”." in polled.content.decode()
    download = client.get(reverse("report-job-download", kwargs={"pk": job.pk}))
    assert download.status_code == 302 and download.url == url


def test_a_job_that_is_gone_is_ignored_quietly():
    assert make_report(str(uuid.uuid4())) is None


def test_download_before_the_file_is_ready_goes_back_to_the_progress_page(client, secretary):
    job = ExportJob.objects.create(requested_by=secretary, format="pdf", scope={})
    client.force_login(secretary)
    response = client.get(reverse("report-job-download", kwargs={"pk": job.pk}))
    assert response.url == reverse("report-job", kwargs={"pk": job.pk})


def test_administrators_may_see_anyones_job(client, secretary, admin_user):
    job = ExportJob.objects.create(requested_by=secretary, format="pdf", scope={})
    client.force_login(admin_user)
    assert client.get(reverse("report-job", kwargs={"pk": job.pk})).status_code == 200


def test_old_reports_and_their_files_are_deleted(secretary, settings):
    settings.EXPORT_KEEP_HOURS = 24

    def job_with_file(hours_ago):
        job = ExportJob.objects.create(requested_by=secretary, format="csv", state="done")
        name = default_storage.save(f"reports/{job.pk}.csv", ContentFile(b"a,b\r\n"))
        ExportJob.objects.filter(pk=job.pk).update(
            file=name, created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
        )
        return job.pk, name

    old, old_name = job_with_file(25)
    fresh, fresh_name = job_with_file(1)
    assert delete_old_reports() == 1
    assert not ExportJob.objects.filter(pk=old).exists()
    assert not default_storage.exists(old_name)
    assert ExportJob.objects.filter(pk=fresh).exists()
    assert default_storage.exists(fresh_name)


def test_cleanup_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["delete-old-reports"]
    assert (
        entry["task"] == delete_old_reports.name == "resolutions.reports.tasks.delete_old_reports"
    )
    assert entry["options"]["expires"] < entry["schedule"]


def test_export_links_for_the_matrix_page_lead_to_the_reports(client, world, secretary, rf):
    request = rf.get("/")
    request.user = secretary
    html = render_to_string(
        "reports/_export_links.html",
        {"scope": "resolution", "id": world.resolution.pk,
         "query": f"resolution={world.resolution.pk}&status=implemented"},
        request=request,
    )  # fmt: skip
    links = re.findall(r'href="([^"]+)"', html)
    # One per entry of the registry, then the same for every resolution (a secretary's).
    assert len(links) == 2 * len(registry.LINKS)
    assert "rows=statuses" in links[len(registry.LINKS) - 1]
    client.force_login(secretary)
    for link in links:
        response = client.get(unescape(link))
        assert response.status_code == 200, link
        assert (
            "-status-" in response["Content-Disposition"]
            or "-nations-" in (response["Content-Disposition"])
        )
    # The options form: every format, the languages with the person's chosen.
    assert html.count('<option value="pdf">') == 1
    assert '<option value="en" selected>' in html and '<option value="fr">' in html
    assert 'name="submitted"' in html and 'name="drafts"' not in html  # a secretary's


def test_options_form_offers_an_editor_their_drafts(client, world, editor_ca):
    client.force_login(editor_ca)
    html = client.get(reverse("nation-dashboard", kwargs={"code": "CA"})).content.decode()
    assert 'name="drafts"' in html
    link = re.search(r'href="(/reports/export/\?scope=nation[^"]+format=pdf[^"]*)"', html)
    response = client.get(unescape(link.group(1)) + "&drafts=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nation-ca-status-')


def test_pdf_goes_to_the_background_sooner_than_csv(
    client, world, secretary, settings, django_capture_on_commit_callbacks
):
    """Two accepted actions: under the threshold as CSV, over it as a heavier PDF."""
    assert registry.EXPORTERS["pdf"].weight > registry.EXPORTERS["csv"].weight == 1
    settings.EXPORT_BACKGROUND_THRESHOLD = 2 * registry.EXPORTERS["pdf"].weight - 1
    client.force_login(secretary)
    assert client.get(EXPORT, query(world, "csv")).status_code == 200
    with django_capture_on_commit_callbacks():
        response = client.get(EXPORT, query(world, "pdf"))
    assert response.status_code == 302
    assert ExportJob.objects.get().format == "pdf"


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "csv"])
def test_export_queries_do_not_grow_with_actions(
    client, resolution_493, secretary, admin_user, fmt
):
    client.force_login(secretary)
    params = {"scope": "resolution", "id": resolution_493.pk, "format": fmt, "submitted": "1"}

    def count():
        with CaptureQueriesContext(connection) as captured:
            body(client.get(EXPORT, params))
        return len(captured)

    add_actions(resolution_493, 1, admin_user)
    one = count()
    add_actions(resolution_493, 2, admin_user)
    # Session and user (2), the scope (2), the count (the matrix's 3 and 1), then the report
    # (the matrix's 3, the actions and their evidence; CSV: the evidence counts and a cursor).
    assert count() == one == 13
