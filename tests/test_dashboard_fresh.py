"""A nation's dashboard is read fresh on every request (nothing cached): every change its reader
could see shows up on the next request, even one that keeps every count and length the same,
and what one person may see never reaches another."""

import datetime

import pytest

from resolutions import actions
from resolutions.models import ImplementationStatus, ReportingRound

from .conftest import make_action

pytestmark = pytest.mark.django_db


def row_of(html, commitment):
    row = html[html.index(f"/commitments/{commitment.pk}/") :]
    return row[: row.index("</tr>")]


def dashboard(client, query=""):
    return client.get(f"/nations/CA/{query}").content.decode()


def test_a_new_action_and_its_evidence_show_at_once(client, editor_ca, commitment_25e, canada):
    client.force_login(editor_ca)
    assert '<td class="num" data-label="Actions">0</td>' in row_of(
        dashboard(client), commitment_25e
    )
    action = make_action(commitment_25e, canada, editor_ca)
    row = row_of(dashboard(client), commitment_25e)
    assert '<td class="num" data-label="Actions">1</td>' in row and "No evidence" in row
    actions.add_evidence_link(action, "https://example.org/act", {"title": "Act"}, by=editor_ca)
    row = row_of(dashboard(client), commitment_25e)
    assert "No evidence" not in row and "flag--ok" in row


def test_a_saved_status_shows_at_once(client, editor_ca, commitment_25e, canada):
    client.force_login(editor_ca)
    assert "No information" in row_of(dashboard(client), commitment_25e)
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    assert "In progress" in row_of(dashboard(client), commitment_25e)
    status = ImplementationStatus.objects.get(commitment=commitment_25e, member=canada)
    actions.set_status(commitment_25e, canada, "partial", "", version=status.version, by=editor_ca)
    assert "Partially implemented" in row_of(dashboard(client), commitment_25e)


def test_a_deleted_action_shows_at_once(client, editor_ca, commitment_25e, canada):
    action = make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    assert '<td class="num" data-label="Actions">1</td>' in row_of(
        dashboard(client), commitment_25e
    )
    actions.delete_action(action, by=editor_ca)
    assert '<td class="num" data-label="Actions">0</td>' in row_of(
        dashboard(client), commitment_25e
    )


def test_a_new_deadline_shows_at_once(client, editor_ca, resolution_493):
    client.force_login(editor_ca)
    assert "Next deadline" not in dashboard(client)
    round_ = ReportingRound.objects.create(
        name="Progress ahead of the 2027 Spring Session",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    round_.resolutions.add(resolution_493)
    assert "Progress ahead of the 2027 Spring Session" in dashboard(client)
    round_.name = "Renamed round"
    round_.save()
    assert "Renamed round" in dashboard(client)
    round_.is_open = False
    round_.save()
    assert "Renamed round" not in dashboard(client)


def test_a_draft_counted_for_its_delegation_is_not_shown_to_another(
    client, editor_ca, editor_fr, secretary, commitment_25e, canada
):
    make_action(commitment_25e, canada, editor_ca)
    client.force_login(editor_ca)
    assert '<td class="num" data-label="Actions">1</td>' in row_of(
        dashboard(client), commitment_25e
    )
    for other in (editor_fr, secretary):
        client.force_login(other)
        row = row_of(dashboard(client), commitment_25e)
        assert '<td class="num" data-label="Actions">0</td>' in row


def test_filters_and_sorts_are_not_mixed_up(client, editor_ca, commitment_25e, canada):
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    client.force_login(editor_ca)
    assert dashboard(client).count('<tr class="') == 12
    assert dashboard(client, "?status=in_progress").count('<tr class="') == 1
    assert dashboard(client).count('<tr class="') == 12


def test_a_commitment_text_edited_to_the_same_length_shows_at_once(
    client, editor_ca, commitment_25e
):
    """The old cache's key summed text lengths: an edit of the same length left the old text
    on the page for ten minutes."""
    client.force_login(editor_ca)
    before = commitment_25e.text
    assert before.split()[1] in row_of(dashboard(client), commitment_25e)
    commitment_25e.text = "x" * len(before)
    commitment_25e.save()
    row = row_of(dashboard(client), commitment_25e)
    assert "xxxxxxxx" in row and before.split()[1] not in row


def test_a_status_changed_within_the_same_second_shows_at_once(
    client, editor_ca, commitment_25e, canada
):
    client.force_login(editor_ca)
    actions.set_status(commitment_25e, canada, "in_progress", "", version=0, by=editor_ca)
    assert "In progress" in row_of(dashboard(client), commitment_25e)
    # Same row, same count, same length of label: nothing a fingerprint would notice.
    ImplementationStatus.objects.filter(commitment=commitment_25e, member=canada).update(
        status="not_started"
    )
    assert "Not started" in row_of(dashboard(client), commitment_25e)
