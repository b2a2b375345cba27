"""The reporting cycle through the pages: withdraw, revise, review with context, notices,
rounds that close, and reports that show the accepted version."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from resolutions import actions
from resolutions.models import (
    ActionRevision,
    DigestPreference,
    NationalAction,
    ReportingRound,
)
from tracker.celery import app as celery_app

from .conftest import ACTION_VALUES, make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def submitted(commitment_25e, canada, editor_ca):
    return actions.submit_action(make_action(commitment_25e, canada, editor_ca), by=editor_ca)


@pytest.fixture
def accepted(submitted, secretary):
    return actions.accept_action(submitted, by=secretary)


def values(**changes):
    return {**ACTION_VALUES, **changes}


def form_values(**changes):
    values = {**ACTION_VALUES, **changes}
    return {k: ("" if v is None else v) for k, v in values.items()}


# --- Withdraw ---------------------------------------------------------------------------------


def test_editor_withdraws_a_submitted_action_and_it_is_a_draft(client, editor_ca, submitted):
    client.force_login(editor_ca)
    page = client.get(f"/actions/{submitted.pk}/").content.decode()
    assert "Withdraw (back to draft)" in page
    response = client.post(f"/actions/{submitted.pk}/withdraw/")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.review_state == NationalAction.ReviewState.DRAFT


def test_another_nation_cannot_withdraw(client, editor_fr, submitted):
    client.force_login(editor_fr)
    assert client.post(f"/actions/{submitted.pk}/withdraw/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.review_state == NationalAction.ReviewState.SUBMITTED


# --- Revise -----------------------------------------------------------------------------------


def test_editor_revises_an_accepted_action_and_others_keep_the_accepted_one(
    client, editor_ca, editor_fr, viewer, accepted
):
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{accepted.pk}/revise/",
        {**form_values(title="Act in force"), "version": accepted.version},
    )
    assert response.status_code == 302
    assert ActionRevision.objects.get().title == "Act in force"
    own = client.get(f"/actions/{accepted.pk}/").content.decode()
    assert "A revision awaits review" in own and "Act in force" in own
    for outsider in (editor_fr, viewer):
        client.force_login(outsider)
        page = client.get(f"/actions/{accepted.pk}/").content.decode()
        assert ACTION_VALUES["title"] in page
        assert "Act in force" not in page
        assert "revision" not in page.lower()


def test_a_revision_with_a_missing_title_is_re_shown(client, editor_ca, accepted):
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{accepted.pk}/revise/",
        {**form_values(title="", description="Typed text"), "version": accepted.version},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Typed text" in page
    assert "<title>Error:" in page
    assert not ActionRevision.objects.exists()


def test_another_nation_cannot_revise(client, editor_fr, accepted):
    client.force_login(editor_fr)
    response = client.post(
        f"/actions/{accepted.pk}/revise/", {**form_values(), "version": accepted.version}
    )
    assert response.status_code == 404
    assert not ActionRevision.objects.exists()


def test_evidence_added_to_an_accepted_action_is_hidden_from_others(
    client, editor_ca, viewer, accepted
):
    client.force_login(editor_ca)
    client.post(
        f"/actions/{accepted.pk}/evidence/link/",
        {"url": "https://laws.example.ca/new-act", "title": "The new act"},
    )
    assert "awaiting review" in client.get(f"/actions/{accepted.pk}/").content.decode()
    client.force_login(viewer)
    assert "The new act" not in client.get(f"/actions/{accepted.pk}/").content.decode()


# --- Review with context ----------------------------------------------------------------------


def test_the_queue_shows_the_context_and_the_diff_of_a_resubmission(
    client, secretary, editor_ca, submitted, canada, commitment_25e
):
    actions.set_status(
        commitment_25e, canada, "in_progress", "Bill before the Senate", version=0, by=editor_ca
    )
    actions.add_evidence_link(
        submitted, "https://laws.example.ca/act", {"title": "Act"}, by=editor_ca
    )
    actions.return_action(submitted, "Say when it enters into force.", by=secretary)
    action = NationalAction.objects.get(pk=submitted.pk)
    action = actions.update_action(
        action, values(stage="under_way", date=datetime.date(2026, 3, 1)),
        version=action.version, by=editor_ca,
    )  # fmt: skip
    actions.submit_action(action, by=editor_ca)
    client.force_login(secretary)
    page = client.get("/review/").content.decode()
    assert commitment_25e.text[:40] in page
    assert "In progress: Bill before the Senate" in page
    assert 'href="https://laws.example.ca/act"' in page
    assert "Say when it enters into force." in page
    assert "Changes since it was returned" in page
    assert "Completed" in page and "Under way" in page  # stage as words, before and after


def test_the_queue_shows_a_revision_against_the_accepted_version(
    client, secretary, editor_ca, accepted
):
    actions.revise_action(
        accepted, values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    client.force_login(secretary)
    page = client.get("/review/").content.decode()
    assert "Revision of an accepted action" in page
    assert "Changes against the accepted version" in page
    assert "<del>Export Control Act amended</del>" in page
    assert "<ins>Act in force</ins>" in page


def test_returning_without_a_comment_shows_the_error_on_the_item(client, secretary, submitted):
    client.force_login(secretary)
    response = client.post(f"/review/{submitted.pk}/", {"decision": "return", "comment": ""})
    assert response.status_code == 422
    page = response.content.decode()
    item = page[page.index(f'id="review-{submitted.pk}"') :]
    assert "a comment is required" in item[: item.index("</li>")]
    assert 'aria-invalid="true"' in item and "data-autofocus" in item
    assert "<title>Error:" in page
    submitted.refresh_from_db()
    assert submitted.review_state == NationalAction.ReviewState.SUBMITTED


def test_secretary_accepts_a_revision_from_the_queue(client, secretary, editor_ca, accepted):
    actions.revise_action(
        accepted, values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    client.force_login(secretary)
    assert client.post(f"/review/{accepted.pk}/", {"decision": "accept"}).status_code == 302
    accepted.refresh_from_db()
    assert accepted.title == "Act in force"
    assert not ActionRevision.objects.exists()


# --- Notices ------------------------------------------------------------------------------------


def test_the_delegation_hears_at_once_when_an_action_is_returned(
    client,
    secretary,
    editor_ca,
    editor_fr,
    submitted,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/review/{submitted.pk}/", {"decision": "return", "comment": "Add the date."})
    assert [m.to for m in mail.outbox] == [[editor_ca.email]]
    message = mail.outbox[0]
    assert message.subject == f"Returned for revision: {submitted.title}"
    assert "Add the date." in message.body
    assert f"/actions/{submitted.pk}/" in message.body
    assert "Add the date." in message.alternatives[0][0]


def test_no_notice_is_sent_when_the_decision_is_refused(
    client, secretary, submitted, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/review/{submitted.pk}/", {"decision": "return", "comment": ""})
    assert mail.outbox == []


def test_a_person_can_turn_notices_off(
    client, secretary, editor_ca, submitted, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(editor_ca)
    client.post("/preferences/", {"frequency": "weekly", "weekday": "0"})  # box left unticked
    assert DigestPreference.objects.get(user=editor_ca).review_notices is False
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_action(submitted, by=secretary)
    assert mail.outbox == []


# --- Rounds ---------------------------------------------------------------------------------------


def test_a_new_round_cannot_be_due_in_the_past(client, secretary, resolution_493):
    client.force_login(secretary)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        "/rounds/", {"name": "Late", "deadline": yesterday, "resolutions": [resolution_493.pk]}
    )
    assert response.status_code == 422
    assert "already passed" in response.content.decode()
    assert not ReportingRound.objects.exists()


def test_an_existing_round_moves_into_the_past_only_when_confirmed(
    client, secretary, resolution_493
):
    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    round_.resolutions.add(resolution_493)
    client.force_login(secretary)
    past = timezone.localdate() - datetime.timedelta(days=3)
    values = {"name": "Spring", "deadline": past, "resolutions": [resolution_493.pk]}
    response = client.post(f"/rounds/{round_.pk}/", values)
    assert response.status_code == 422
    assert "Tick the box" in response.content.decode()
    round_.refresh_from_db()
    assert round_.deadline == datetime.date(2099, 5, 1)
    response = client.post(f"/rounds/{round_.pk}/", {**values, "confirm_past": "on"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.deadline == past


def test_a_round_shows_its_completion(
    client, viewer, secretary, editor_ca, accepted, canada, commitment_25e
):
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    round_.resolutions.add(commitment_25e.resolution)
    client.force_login(viewer)
    page = client.get(f"/rounds/{round_.pk}/progress/").content.decode()
    assert "Completion per nation" in page
    canada_row = page[page.index("Canada") :]
    assert "1 / 12" in canada_row[: canada_row.index("</tr>")]


def xlsx_titles(client, round_) -> list[str]:
    response = client.get(f"/reports/export/?scope=round&id={round_.pk}&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))  # fmt: skip
    rows = list(book["Actions"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if "Action" in row)
    column = rows[start].index("Action")
    return [row[column] for row in rows[start + 1 :] if row[column]]


def test_a_report_made_while_a_revision_is_pending_shows_the_accepted_version(
    client, viewer, editor_ca, accepted, resolution_493
):
    actions.revise_action(
        accepted, values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    round_.resolutions.add(resolution_493)
    client.force_login(viewer)
    assert xlsx_titles(client, round_) == [ACTION_VALUES["title"]]


def test_a_closed_rounds_report_does_not_change_after_a_later_edit(
    client, secretary, editor_ca, accepted, resolution_493, canada, commitment_25e
):
    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    round_.resolutions.add(resolution_493)
    client.force_login(secretary)
    assert client.post(f"/rounds/{round_.pk}/close/").status_code == 302
    round_.refresh_from_db()
    assert round_.closed_at is not None and not round_.is_open
    before = xlsx_titles(client, round_)
    # Later: the accepted action is revised and accepted, a new one accepted, a status set.
    revision = actions.revise_action(
        accepted, values(title="Act in force"), version=accepted.version, by=editor_ca
    )
    actions.accept_revision(revision, by=secretary)
    other = actions.submit_action(
        make_action(commitment_25e, canada, editor_ca, title="Second"), by=editor_ca
    )
    actions.accept_action(other, by=secretary)
    actions.set_status(commitment_25e, canada, "implemented", "Done", version=0, by=editor_ca)
    assert before == [ACTION_VALUES["title"]]
    assert xlsx_titles(client, round_) == before
    csv = client.get(f"/reports/export/?scope=round&id={round_.pk}&format=csv")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert ACTION_VALUES["title"] in text
    assert "Act in force" not in text and "Second" not in text
    page = client.get(f"/rounds/{round_.pk}/progress/").content.decode()
    assert "Closed on" in page
    # Closing twice is refused and changes nothing.
    client.post(f"/rounds/{round_.pk}/close/")
    assert ReportingRound.objects.get(pk=round_.pk).snapshot == round_.snapshot


def test_only_the_secretariat_closes_a_round(client, editor_ca, resolution_493):
    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    client.force_login(editor_ca)
    assert client.post(f"/rounds/{round_.pk}/close/").status_code == 404
    assert ReportingRound.objects.get(pk=round_.pk).closed_at is None


# --- History in plain language ----------------------------------------------------------------


def test_history_reads_in_plain_language(client, editor_ca, secretary, submitted):
    editor_ca.first_name, editor_ca.last_name = "Claire", "Tremblay"
    editor_ca.save()
    secretary.first_name, secretary.last_name = "Sam", "Secretary"
    secretary.save()
    actions.return_action(submitted, "Add the date.", by=secretary)
    client.force_login(editor_ca)
    page = " ".join(client.get(f"/actions/{submitted.pk}/").content.decode().split())
    assert "<strong>Submitted for review</strong> on <time" in page
    assert "by Claire Tremblay" in page
    assert "<strong>Returned for revision</strong> on" in page and "by Sam Secretary" in page
    assert "Reviewer&#x27;s comment: <del>—</del> → <ins>Add the date.</ins>" in page
    # Column names and raw values stay out: no "review_state", no user ids, no ISO stamps.
    assert "review state" not in page.lower()
    assert "+00:00" not in page


# --- Small things -------------------------------------------------------------------------------


def test_a_status_change_by_htmx_updates_the_nations_chip_too(
    client, editor_ca, commitment_25e, canada
):
    client.force_login(editor_ca)
    page = client.get(f"/nations/CA/commitments/{commitment_25e.pk}/").content.decode()
    assert "(required for implemented and not applicable)" in page
    assert page.index('href="#status"') < page.index('id="nation-strip"')  # skip link first
    response = client.post(
        f"/nations/CA/commitments/{commitment_25e.pk}/status/",
        {"status": "in_progress", "justification": "", "version": 0},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert (
        'id="nation-strip" aria-labelledby="nations-heading" class="nation-strip" hx-swap-oob="true"'
        in fragment
    )
    assert "Canada: In progress" in fragment


def test_an_edit_refused_on_a_full_page_has_its_error_summary_as_h2(
    client, editor_ca, commitment_25e, canada
):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    response = client.post(f"/actions/{action.pk}/edit/", {**form_values(title=""), "version": 1})
    page = response.content.decode()
    assert response.status_code == 422
    assert '<h2 class="error-summary__title">' in page
    assert "<title>Error: Edit action" in page


def test_flash_messages_are_a_list_inside_a_status_region(client, editor_ca, submitted):
    client.force_login(editor_ca)
    response = client.post(f"/actions/{submitted.pk}/withdraw/", follow=True)
    page = " ".join(response.content.decode().split())
    assert '<div role="status"> <ul class="messages">' in page
    assert '<ul class="messages" role="status">' not in page


def test_the_round_page_makes_the_same_number_of_queries_whatever_the_data(
    client, viewer, editor_ca, secretary, resolution_493, canada, france, editor_fr
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = ReportingRound.objects.create(name="Spring", deadline="2099-05-01")
    round_.resolutions.add(resolution_493)
    client.force_login(viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/rounds/{round_.pk}/progress/").status_code == 200
        return len(queries)

    few = count()
    for commitment in resolution_493.commitments.all():
        for member, editor in ((canada, editor_ca), (france, editor_fr)):
            actions.set_status(commitment, member, "in_progress", "", version=0, by=editor)
            action = make_action(commitment, member, editor)
            actions.accept_action(actions.submit_action(action, by=editor), by=secretary)
    assert count() == few


def test_matrix_lists_nations_by_name_hides_an_empty_theme_filter_and_tips_each_cell(
    client, secretary, editor_ca, resolution_493, canada, commitment_25e
):
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    client.force_login(secretary)
    page = client.get("/matrix/").content.decode()
    assert 'name="theme"' not in page  # no resolution has themes
    nation_select = page[page.index('name="nation"') :]
    nation_select = nation_select[: nation_select.index("</select>")]
    assert nation_select.index(">Czechia<") < nation_select.index(">Denmark<")
    assert nation_select.index(">Germany<") > nation_select.index(">Finland<")
    assert 'data-tip="Canada: In progress · updated ' in page
