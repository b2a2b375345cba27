"""The full export (`scope=all`): every resolution in one report, for secretaries and
administrators only, read back in every format, in a fixed number of queries, made in the
background when large; refused with a message (and nothing made) for anyone else."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from resolutions.importing import import_resolution
from resolutions.models import ExportJob
from resolutions.parsing import parse_resolution
from resolutions.reports.data import gather_report
from resolutions.reports.registry import EXPORTERS
from resolutions.reports.scope import ScopeRefused, read_scope
from resolutions.reports.tasks import make_report

from .conftest import make_action
from .reports_helpers import add_actions, build_world, member

pytestmark = pytest.mark.django_db
EXPORT = reverse("report-export")
DSC = Path(__file__).parent / "resolution_texts" / "dsc-ukraine-footnote-top.md"


@pytest.fixture
def second(db):
    text = DSC.read_text(encoding="utf-8")
    return import_resolution(parse_resolution(text), text).resolution


@pytest.fixture
def world(resolution_493, second, editor_ca, editor_fr, secretary, admin_user):
    world = build_world(
        resolution_493,
        editor_ca=editor_ca, editor_fr=editor_fr, secretary=secretary, admin_user=admin_user,
    )  # fmt: skip
    from resolutions import actions

    action = make_action(
        second.commitments.order_by("order").first(), member("CA"), editor_ca,
        title="Ukraine support package funded",
    )  # fmt: skip
    actions.submit_action(action, by=editor_ca)
    actions.accept_action(action, by=secretary)
    return world


def export(fmt, user, **extra) -> bytes:
    """Every resolution, with the actions awaiting review (the second resolution's one)."""
    out = io.BytesIO()
    EXPORTERS[fmt].write(read_scope(user, {"scope": "all", "submitted": "1", **extra}), out)
    return out.getvalue()


def test_scope_covers_every_resolution_newest_first(world, second, secretary):
    scope = read_scope(secretary, {"scope": "all"})
    assert scope.kind == "all"
    assert {r.pk for r in scope.resolutions} == {world.resolution.pk, second.pk}
    # Enough for a background job to read it again, in the same language.
    assert scope.query == {"scope": "all", "language": "en"}
    assert EXPORTERS["pdf"].filename(scope).startswith("all-resolutions-status-")
    report = gather_report(scope)
    assert report.scope_label == "Every resolution"
    titles = {a.title for r in report.resolutions for c in r.commitments for a in c.actions}
    assert {"Export Control Act amended", "Ukraine support package funded"} <= titles
    assert "CA draft: chip guidance" not in titles  # a secretary sees no delegation's drafts


def test_filters_still_apply(world, second, secretary):
    scope = read_scope(secretary, {"scope": "all", "resolution": str(second.pk)})
    assert [r.pk for r in scope.resolutions] == [second.pk]


@pytest.mark.parametrize("who", ["viewer", "editor_ca"])
def test_editors_and_viewers_may_not_export_everything(world, request, who):
    with pytest.raises(ScopeRefused) as refused:
        read_scope(request.getfixturevalue(who), {"scope": "all"})
    assert "Only committee secretaries and administrators" in refused.value.messages[0]


def test_administrator_may_export_everything(world, admin_user):
    assert read_scope(admin_user, {"scope": "all"}).kind == "all"


def test_gathering_takes_five_queries_whatever_the_number_of_resolutions(
    world, second, secretary, admin_user
):
    def queries():
        scope = read_scope(secretary, {"scope": "all", "submitted": "1"})
        with CaptureQueriesContext(connection) as captured:
            report = gather_report(scope)
        return len(captured), report

    one, small = queries()
    add_actions(second, 1, admin_user)
    text = Path(__file__).parent / "resolution_texts" / "stc-climate-footnote-bottom.txt"
    content = text.read_text(encoding="utf-8")
    import_resolution(parse_resolution(content), content)
    three, large = queries()
    assert one == three == 5  # the matrices of every resolution (3), the actions, the evidence
    assert len(large.resolutions) == len(small.resolutions) + 1
    assert large.action_count > small.action_count


# --- Read back -------------------------------------------------------------------------------


def test_csv_holds_the_actions_of_every_resolution(world, second, secretary):
    data = export("csv", secretary)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by_title = {r["Action"]: r for r in rows}
    assert by_title["Export Control Act amended"]["Resolution"] == "Resolution 493"
    assert by_title["Ukraine support package funded"]["Resolution"] == str(
        f"{second.get_document_type_display()} {second.number}"
    )
    assert by_title["Export Control Act amended"]["Evidence items"] == "2"
    assert "CA draft: chip guidance" not in by_title


def test_xlsx_lists_every_resolution_on_each_sheet(world, second, secretary):
    book = load_workbook(io.BytesIO(export("xlsx", secretary)))
    assert book.sheetnames == ["Summary", "Matrix", "Actions", "Evidence"]
    name = f"{second.get_document_type_display()} {second.number}"
    summary = [r for r in book["Summary"].iter_rows(values_only=True)]
    assert ("Scope", "Every resolution") in [r[:2] for r in summary]
    resolutions = {r[0] for r in summary[7:]}
    assert {"Resolution 493", name} <= resolutions
    actions = list(book["Actions"].iter_rows(values_only=True))
    heads = actions[0]
    titles = {r[heads.index("Action")]: r for r in actions[1:]}
    assert titles["Ukraine support package funded"][heads.index("Resolution")] == name
    assert book["Actions"].freeze_panes == "A2"
    assert book["Actions"].auto_filter.ref == f"A1:P{len(actions)}"


def test_pdf_and_docx_hold_every_resolution(world, second, secretary, tmp_path):
    pdf = PdfReader(io.BytesIO(export("pdf", secretary)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    name = f"{second.get_document_type_display()} {second.number}"
    assert "Every resolution" in text
    assert f"{name}: Status counts per commitment" in text
    assert "Resolution 493: Matrix: status of each commitment by nation" in text
    assert "Ukraine support package funded" in text and "Export Control Act amended" in text
    document = Document(io.BytesIO(export("docx", secretary)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert f"{name}: Status counts per commitment" in headings
    assert "Resolution 493: Commitments in detail" in headings


# --- Through the view ------------------------------------------------------------------------


def test_secretary_gets_the_full_export(client, world, secretary):
    client.force_login(secretary)
    response = client.get(EXPORT, {"scope": "all", "format": "csv", "submitted": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="all-resolutions-status-{timezone.localdate().isoformat()}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Ukraine support package funded" in text


@pytest.mark.parametrize("who", ["viewer", "editor_ca"])
def test_full_export_is_refused_with_a_message_and_makes_nothing(
    client, world, request, settings, who
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0  # a job would be made if it were allowed
    client.force_login(request.getfixturevalue(who))
    response = client.get(EXPORT, {"scope": "all", "format": "pdf"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The report cannot be made" in page
    assert "Only committee secretaries and administrators may export every resolution" in page
    assert not ExportJob.objects.exists()


def test_unknown_scope_is_a_400(client, world, secretary):
    client.force_login(secretary)
    response = client.get(EXPORT, {"scope": "everything", "format": "pdf"})
    assert response.status_code == 400
    assert "Choose what the report covers" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_large_full_export_is_made_in_the_background(
    client, world, secretary, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client.force_login(secretary)
    with django_capture_on_commit_callbacks():
        response = client.get(EXPORT, {"scope": "all", "format": "xlsx", "submitted": "on"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.scope == {"scope": "all", "language": "en", "submitted": "1"}
    make_report(str(job.pk))
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    assert job.filename.startswith("all-resolutions-status-")
    with default_storage.open(job.file.name, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    titles = {r[6] for r in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert "Ukraine support package funded" in titles


def test_job_of_a_demoted_secretary_fails_with_the_reason(
    client, world, secretary, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client.force_login(secretary)
    with django_capture_on_commit_callbacks():
        client.get(EXPORT, {"scope": "all", "format": "csv"})
    job = ExportJob.objects.get()
    secretary.role = secretary.Role.VIEWER
    secretary.save()
    make_report(str(job.pk))
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert "Only committee secretaries and administrators" in job.error
    assert not job.file


def test_matrix_page_links_the_full_export_for_secretaries_only(client, world, secretary, viewer):
    client.force_login(secretary)
    page = client.get(reverse("matrix")).content.decode()
    assert "scope=all&amp;format=xlsx" in page
    client.force_login(viewer)
    page = client.get(reverse("matrix")).content.decode()
    assert "scope=all" not in page


def test_above_the_limit_pdf_and_docx_keep_charts_and_matrices_and_say_where_actions_are(
    world, second, secretary, monkeypatch
):
    monkeypatch.setattr("resolutions.reports.data.DETAIL_LIMIT", 2)
    pdf = PdfReader(io.BytesIO(export("pdf", secretary)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "This report covers 4 national actions: too many to list here." in text
    assert "Resolution 493: Matrix: status of each commitment by nation" in text
    assert "Export Control Act amended" not in text and "Commitments in detail" not in text
    document = Document(io.BytesIO(export("docx", secretary)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "This report covers 4 national actions: too many to list here." in paragraphs
    assert "Export Control Act amended" not in paragraphs
    # The spreadsheet still lists every action.
    book = load_workbook(io.BytesIO(export("xlsx", secretary)))
    titles = {r[6] for r in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert {"Export Control Act amended", "Ukraine support package funded"} <= titles
