"""The secretariat: the matrix, the review queue, reporting rounds, import in the browser."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions import actions
from resolutions.models import (
    Clause,
    Commitment,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
)

from .conftest import make_action

pytestmark = pytest.mark.django_db


def set_status(commitment, code, value, by, justification=""):
    member = Member.objects.get(country=code)
    return actions.set_status(commitment, member, value, justification, version=0, by=by)


# --- Matrix ----------------------------------------------------------------------------------


def test_matrix_shows_every_nation_and_commitment_with_symbols_and_totals(
    client, secretary, admin_user, resolution_493
):
    c = resolution_493.commitments.get(label="25.e")
    set_status(c, "CA", "implemented", admin_user, "Export Control Act 2025")
    set_status(c, "FR", "in_progress", admin_user)
    client.force_login(secretary)
    html = client.get("/matrix/").content.decode()
    assert html.count('class="matrix__nation"') == 32
    assert html.count('<th scope="row" class="matrix__commitment">') == 12
    assert 'aria-label="25.e, Canada: Implemented"' in html
    assert 'aria-label="25.e, France: In progress"' in html
    assert "Galvanising Technological Advance" in html


def test_matrix_filters_by_status_and_nation(client, viewer, admin_user, resolution_493):
    c = resolution_493.commitments.get(label="25.e")
    set_status(c, "CA", "implemented", admin_user, "done")
    client.force_login(viewer)
    html = client.get("/matrix/?status=implemented").content.decode()
    assert html.count('<th scope="row" class="matrix__commitment">') == 1
    assert html.count('class="matrix__cell status--implemented"') == 1
    html = client.get("/matrix/?nation=FR").content.decode()
    assert html.count('class="matrix__nation"') == 1


def test_bad_matrix_filters_are_explained_and_ignored(client, viewer, resolution_493):
    client.force_login(viewer)
    response = client.get("/matrix/?status=bogus&nation=ZZ&updated_since=yesterday&resolution=x")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters were not understood and were ignored" in html
    assert "Status: Select a valid choice." in html
    assert "Updated since: Enter a valid date." in html
    assert html.count('class="matrix__nation"') == 32


def test_matrix_queries_do_not_grow_with_statuses(client, viewer, admin_user, resolution_493):
    client.force_login(viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/matrix/")
        return len(queries)

    before = count()
    for commitment in resolution_493.commitments.all():
        for code in ("CA", "FR", "DE", "IT"):
            set_status(commitment, code, "in_progress", admin_user)
    assert count() == before


def test_a_cell_opens_the_nations_actions_as_a_fragment(
    client, viewer, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca, title="Visible law")
    actions.submit_action(action, by=editor_ca)
    make_action(commitment_25e, canada, editor_ca, title="Secret draft")
    client.force_login(viewer)
    html = client.get(
        f"/matrix/cell/{commitment_25e.pk}/CA/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Visible law" in html
    assert "Secret draft" not in html
    assert "<html" not in html


def test_a_cell_counts_evidence_in_a_fixed_number_of_queries(
    client, viewer, editor_ca, commitment_25e, canada
):
    client.force_login(viewer)
    url = f"/matrix/cell/{commitment_25e.pk}/CA/"

    def fetch():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        return html, len(queries)

    action = make_action(commitment_25e, canada, editor_ca, title="Visible law")
    actions.add_evidence_link(action, "https://example.org/a", {"title": "A"}, by=editor_ca)
    actions.submit_action(action, by=editor_ca)
    html, few = fetch()
    assert "1 piece of evidence" in html
    for n in range(5):
        more = make_action(commitment_25e, canada, editor_ca, title=f"Law {n}")
        for m in range(2):
            actions.add_evidence_link(more, f"https://example.org/{n}/{m}", {}, by=editor_ca)
        actions.submit_action(more, by=editor_ca)
    html, many = fetch()
    assert html.count("2 pieces of evidence") == 5
    # Session, user, nation, commitment, status, the actions with their evidence counted.
    assert few == many == 6


# --- Review ----------------------------------------------------------------------------------


@pytest.fixture
def submitted(editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca, title="Sanctions unit")
    return actions.submit_action(action, by=editor_ca)


def test_review_queue_lists_submitted_actions_oldest_first(
    client, secretary, editor_ca, commitment_25e, canada, submitted
):
    later = make_action(commitment_25e, canada, editor_ca, title="Later one")
    actions.submit_action(later, by=editor_ca)
    make_action(commitment_25e, canada, editor_ca, title="Still a draft")
    client.force_login(secretary)
    html = client.get("/review/").content.decode()
    assert html.index("Sanctions unit") < html.index("Later one")
    assert "Still a draft" not in html


def test_secretary_accepts_an_action(client, secretary, submitted):
    client.force_login(secretary)
    client.post(f"/review/{submitted.pk}/", {"decision": "accept", "comment": ""})
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.reviewed_by) == ("accepted", secretary)
    assert submitted.history.first().history_user == secretary


def test_returning_needs_a_comment_which_the_delegation_then_sees(
    client, secretary, editor_ca, submitted, commitment_25e
):
    client.force_login(secretary)
    response = client.post(
        f"/review/{submitted.pk}/", {"decision": "return", "comment": ""}, follow=True
    )
    assert "a comment is required" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"

    client.post(
        f"/review/{submitted.pk}/", {"decision": "return", "comment": "Add the act's number."}
    )
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.review_comment) == (
        "returned",
        "Add the act's number.",
    )
    client.force_login(editor_ca)
    html = client.get(f"/nations/CA/commitments/{commitment_25e.pk}/").content.decode()
    assert "Returned by the secretariat:" in html and "Add the act&#x27;s number." in html


@pytest.mark.parametrize("role", ["viewer", "editor_ca", "editor_fr"])
def test_only_the_secretariat_reviews(role, request, client, submitted):
    client.force_login(request.getfixturevalue(role))
    response = client.post(f"/review/{submitted.pk}/", {"decision": "accept"})
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


def test_an_unknown_decision_changes_nothing(client, secretary, submitted):
    client.force_login(secretary)
    client.post(f"/review/{submitted.pk}/", {"decision": "delete"})
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


# --- Reporting rounds --------------------------------------------------------------------------


def test_secretary_opens_a_round(client, secretary, resolution_493):
    client.force_login(secretary)
    response = client.post(
        "/rounds/",
        {"name": "Progress ahead of the 2027 Spring Session", "deadline": "2027-05-01",
         "resolutions": [resolution_493.pk], "is_open": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    round_ = ReportingRound.objects.get()
    assert list(round_.resolutions.all()) == [resolution_493]


def test_a_round_with_a_bad_deadline_is_re_shown(client, secretary, resolution_493):
    client.force_login(secretary)
    response = client.post("/rounds/", {"name": "Typed name", "deadline": "31/02/2027"})
    assert response.status_code == 422
    assert 'value="Typed name"' in response.content.decode()
    assert ReportingRound.objects.count() == 0


def test_a_viewer_cannot_open_a_round(client, viewer):
    client.force_login(viewer)
    assert client.post("/rounds/", {"name": "x", "deadline": "2027-01-01"}).status_code == 404
    assert ReportingRound.objects.count() == 0


# --- Import in the browser ---------------------------------------------------------------------


def test_import_shows_a_preview_then_saves_on_confirmation(client, secretary, text_493):
    client.force_login(secretary)
    upload = SimpleUploadedFile("493.md", text_493.encode())
    html = client.post("/resolutions/import/", {"file": upload}).content.decode()
    assert "Resolution 493" in html and "new" in html
    assert "12 commitments" in html and "25.l" in html
    assert Resolution.objects.count() == 0
    response = client.post(
        "/resolutions/import/", {"text": text_493, "confirm": "yes", "only": "493"}
    )
    assert response.status_code == 302
    assert Commitment.objects.count() == 12 and Clause.objects.count() == 25


def test_import_shows_the_parsers_error_and_saves_nothing(client, secretary, text_493):
    client.force_login(secretary)
    broken = text_493.replace("- c. to collaborate", "- d. to collaborate")
    response = client.post("/resolutions/import/", {"text": broken, "confirm": "yes"})
    assert response.status_code == 422
    assert "line 48: sub-clause c is missing" in response.content.decode()
    assert Resolution.objects.count() == 0


def test_import_of_a_binary_file_is_refused(client, secretary):
    client.force_login(secretary)
    upload = SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\n\x00\x01")
    response = client.post("/resolutions/import/", {"file": upload})
    assert "not a text file" in response.content.decode()
    assert Resolution.objects.count() == 0


def test_import_of_a_damaged_pdf_is_refused(client, secretary):
    client.force_login(secretary)
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.7\n\x00\x01")
    response = client.post("/resolutions/import/", {"file": upload})
    assert response.status_code == 422
    assert "this PDF cannot be read" in response.content.decode()
    assert Resolution.objects.count() == 0


def test_reimporting_in_the_browser_keeps_actions(client, secretary, editor_ca, text_493, canada):
    client.force_login(secretary)
    client.post("/resolutions/import/", {"text": text_493, "confirm": "yes", "only": "493"})
    commitment = Commitment.objects.get(label="25.e")
    make_action(commitment, canada, editor_ca)
    corrected = text_493.replace("e. to coordinate export", "e. to coordinate closely export")
    client.post("/resolutions/import/", {"text": corrected, "confirm": "yes", "only": "493"})
    assert NationalAction.objects.get().commitment_id == commitment.pk
    commitment.refresh_from_db()
    assert commitment.text.startswith("to coordinate closely export")


def test_the_matrix_offers_status_reports_filtered_as_it_is(client, secretary, resolution_493):
    import html as html_lib
    import re

    client.force_login(secretary)
    page = client.get("/matrix/?status=in_progress").content.decode()
    # This resolution's links (secretaries also get a line for every resolution).
    found = re.findall(r'href="(/reports/export/\?scope=resolution[^"]+)"', page)
    links = [html_lib.unescape(h) for h in found]
    assert [re.search(r"format=(\w+)", link).group(1) for link in links] == [
        "pdf", "docx", "xlsx", "csv", "csv",
    ]  # fmt: skip
    assert links[4].endswith("rows=statuses")  # the CSV by nation
    assert all("status=in_progress" in link for link in links)
    response = client.get(links[3])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="resolution-493-status-'
    )


def test_a_returned_actions_comment_is_on_the_delegations_dashboard(
    client, secretary, editor_ca, editor_fr, submitted
):
    actions.return_action(submitted, "Add the budget line.", by=secretary)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/").content.decode()
    assert "1 action returned for revision" in html
    assert "Add the budget line." in html


def test_the_dashboard_lists_the_newest_returned_actions_and_counts_the_rest(
    client, secretary, editor_ca, commitment_25e, canada
):
    for number in range(12):
        action = make_action(commitment_25e, canada, editor_ca, title=f"Returned {number:02}")
        actions.submit_action(action, by=editor_ca)
        actions.return_action(action, f"Comment {number:02}", by=secretary)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/").content.decode()
    assert "12 actions returned for revision" in html
    listed = re.findall(r"Returned (\d\d)</a>", html)
    assert listed == [f"{n:02}" for n in range(11, 1, -1)]  # the newest ten, newest first
    assert "Comment 11" in html and "Comment 01" not in html
    assert "2 more are marked “Returned for revision”" in html
