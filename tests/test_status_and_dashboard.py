"""Implementation status per commitment and nation, and the nation's dashboard."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from resolutions import actions
from resolutions.models import ImplementationStatus, ReportingRound

from .conftest import make_action

pytestmark = pytest.mark.django_db


def status_url(commitment, code="CA"):
    return f"/nations/{code}/commitments/{commitment.pk}/status/"


def test_editor_sets_a_status(client, editor_ca, commitment_25e, canada):
    client.force_login(editor_ca)
    response = client.post(
        status_url(commitment_25e), {"status": "in_progress", "justification": "", "version": 0}
    )
    assert response.status_code == 302
    status = ImplementationStatus.objects.get(commitment=commitment_25e, member=canada)
    assert (status.status, status.set_by, status.version) == ("in_progress", editor_ca, 1)


def test_implemented_needs_a_justification(client, editor_ca, commitment_25e):
    client.force_login(editor_ca)
    response = client.post(
        status_url(commitment_25e), {"status": "implemented", "justification": " ", "version": 0}
    )
    assert response.status_code == 422
    assert "a justification is required for this status" in response.content.decode()
    assert ImplementationStatus.objects.count() == 0


def test_an_unknown_status_value_is_refused(client, editor_ca, commitment_25e):
    client.force_login(editor_ca)
    response = client.post(
        status_url(commitment_25e), {"status": "done-ish", "justification": "", "version": 0}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert ImplementationStatus.objects.count() == 0


def test_another_nation_cannot_set_canadas_status(client, editor_fr, commitment_25e):
    client.force_login(editor_fr)
    response = client.post(
        status_url(commitment_25e, "CA"),
        {"status": "implemented", "justification": "x", "version": 0},
    )
    assert response.status_code == 404
    assert ImplementationStatus.objects.count() == 0


def test_a_stale_status_edit_is_told_not_overwritten(client, editor_ca, commitment_25e, canada):
    other = Client()
    other.force_login(editor_ca)
    other.post(status_url(commitment_25e), {"status": "not_started", "version": 0})
    client.force_login(editor_ca)
    response = client.post(status_url(commitment_25e), {"status": "in_progress", "version": 0})
    assert "set the status to “Not started”" in response.content.decode()
    assert ImplementationStatus.objects.get().status == "not_started"


def test_status_history_is_shown(client, editor_ca, commitment_25e, canada):
    client.force_login(editor_ca)
    client.post(status_url(commitment_25e), {"status": "not_started", "version": 0})
    client.post(status_url(commitment_25e), {"status": "in_progress", "version": 1})
    html = client.get(f"/nations/CA/commitments/{commitment_25e.pk}/").content.decode()
    assert "Status: <del>Not started</del> → <ins>In progress</ins>" in html
    assert "Status: <del>—</del> → <ins>Not started</ins>" in html


def test_dashboard_shows_status_actions_missing_evidence_and_deadline(
    client, editor_ca, commitment_25e, canada, resolution_493
):
    make_action(commitment_25e, canada, editor_ca)
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    round_ = ReportingRound.objects.create(
        name="Progress ahead of the 2027 Spring Session",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        opened_on=datetime.date.today() - datetime.timedelta(days=120),
    )
    round_.resolutions.add(resolution_493)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/").content.decode()
    assert html.count('<tr class="') == 12
    row = html[html.index(f"/commitments/{commitment_25e.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "In progress" in row
    assert "No evidence" in row
    assert "Stale" not in row
    assert "Progress ahead of the 2027 Spring Session" in html
    assert html.count("Stale") == 11  # the other commitments never had an update


def test_nothing_is_stale_when_the_round_opened_recently(client, editor_ca, resolution_493):
    """Staleness counts from the later of the adoption and the round's opening: a round that
    opened today gives every nation its full STALE_AFTER_DAYS."""
    round_ = ReportingRound.objects.create(
        name="Spring", deadline=datetime.date.today() + datetime.timedelta(days=30)
    )
    round_.resolutions.add(resolution_493)
    client.force_login(editor_ca)
    assert "Stale" not in client.get("/nations/CA/").content.decode()
    round_.opened_on = datetime.date.today() - datetime.timedelta(days=91)
    round_.save()
    assert client.get("/nations/CA/").content.decode().count("Stale") == 12


def test_dashboard_filters_by_status_and_explains_a_bad_filter(
    client, editor_ca, commitment_25e, canada
):
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/?status=in_progress").content.decode()
    assert html.count('<tr class="') == 1
    html = client.get("/nations/CA/?status=<b>nonsense</b>&sort=nonsense").content.decode()
    assert "is not a status; showing every commitment" in html
    assert "<b>nonsense</b>" not in html
    assert html.count('<tr class="') == 12


def test_other_nations_drafts_do_not_count_on_their_dashboard_for_me(
    client, editor_ca, editor_fr, commitment_25e, canada
):
    make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_fr)
    html = client.get("/nations/CA/").content.decode()
    assert "No evidence" not in html  # the draft is invisible, so no action is counted


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_make_the_same_number_of_queries_with_1_or_20_actions(
    client, editor_ca, resolution_493, canada
):
    client.force_login(editor_ca)
    commitments = list(resolution_493.commitments.all())
    for commitment in commitments:
        make_action(commitment, canada, editor_ca)
    c = commitments[4]
    urls = ["/nations/CA/", f"/nations/CA/commitments/{c.pk}/", f"/actions/{c.actions.get().pk}/"]
    few = [count_queries(client, url) for url in urls]
    for commitment in commitments:
        for n in range(19):
            action = make_action(commitment, canada, editor_ca, title=f"Action {n}")
            actions.update_action(
                action, {**action.__dict__, "title": f"A{n}"}, version=1, by=editor_ca
            )
    many = [count_queries(client, url) for url in urls]
    assert few == many
    # Pinned: a new query on these pages should be a decision, not an accident.
    # The dashboard reads the resolutions (open and folded in one query), the rounds, the rows
    # (commitments with their status, actions with evidence: two queries) and the returned
    # actions; the commitment page reads its status with every nation's, the status's history
    # and its actions (their evidence counted with them); the editor's nation (User.nation, one
    # query) serves the header and the page on the dashboard and the commitment page.
    assert few == [8, 8, 7]
    # A saved status (with its history) costs no extra query either.
    current = actions.status_of(c, canada)
    actions.set_status(c, canada, "in_progress", "", version=current.version, by=editor_ca)
    assert count_queries(client, urls[1]) == few[1]


def test_the_commitment_page_shows_every_nation_at_a_glance(
    client, editor_ca, commitment_25e, canada, france
):
    actions.set_status(commitment_25e, france, "implemented", "Done.", version=0, by=None)
    client.force_login(editor_ca)
    html = client.get(f"/nations/CA/commitments/{commitment_25e.pk}/").content.decode()
    assert html.count('<li class="nation-chip') == 32
    assert '<li class="nation-chip status--no_information is-current">' in html
    assert (
        f'<a href="/nations/FR/commitments/{commitment_25e.pk}/" title="France: Implemented">'
        '<abbr title="France">FR</abbr> <span class="status__symbol" aria-hidden="true">●</span>'
        '<span class="visually-hidden">: Implemented</span></a>'
    ) in html
