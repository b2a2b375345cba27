"""The matrix is read fresh on every request (nothing cached): every change a reader could see
shows up on the next request, even one that keeps every count and length the same."""

import pytest

from resolutions import actions
from resolutions.models import ImplementationStatus, Member

pytestmark = pytest.mark.django_db


def set_status(commitment, code, value, by):
    member = Member.objects.get(country=code)
    current = ImplementationStatus.objects.filter(commitment=commitment, member=member).first()
    return actions.set_status(
        commitment, member, value, "Because.", version=current.version if current else 0, by=by
    )


def matrix(client, query=""):
    return client.get(f"/matrix/{query}").content.decode()


def test_a_saved_status_shows_at_once(client, secretary, admin_user, resolution_493):
    e = resolution_493.commitments.get(label="25.e")
    client.force_login(secretary)
    assert 'aria-label="25.e, Canada: No information"' in matrix(client)
    set_status(e, "CA", "implemented", admin_user)
    html = matrix(client)
    assert 'aria-label="25.e, Canada: Implemented"' in html
    set_status(e, "CA", "in_progress", admin_user)
    html = matrix(client)
    assert 'aria-label="25.e, Canada: In progress"' in html
    assert "Canada: Implemented" not in html


def test_a_removed_status_shows_at_once(client, secretary, admin_user, resolution_493):
    e = resolution_493.commitments.get(label="25.e")
    set_status(e, "FR", "implemented", admin_user)
    client.force_login(secretary)
    assert 'aria-label="25.e, France: Implemented"' in matrix(client)
    ImplementationStatus.objects.filter(commitment=e).delete()
    assert 'aria-label="25.e, France: No information"' in matrix(client)


def test_an_edited_commitment_shows_at_once(client, secretary, resolution_493):
    client.force_login(secretary)
    assert "Reworded by the secretariat" not in matrix(client)
    e = resolution_493.commitments.get(label="25.e")
    e.text = "Reworded by the secretariat."
    e.save()
    assert 'title="Reworded by the secretariat."' in matrix(client)


def test_filtered_and_unfiltered_matrices_are_not_mixed_up(
    client, secretary, admin_user, resolution_493
):
    set_status(resolution_493.commitments.get(label="25.e"), "CA", "implemented", admin_user)
    client.force_login(secretary)
    full = matrix(client)
    only = matrix(client, "?status=implemented")
    assert full.count('<th scope="row" class="matrix__commitment">') == 12
    assert only.count('<th scope="row" class="matrix__commitment">') == 1
    assert matrix(client).count('<th scope="row" class="matrix__commitment">') == 12


def test_the_legend_counts_follow_the_data(client, secretary, admin_user, resolution_493):
    client.force_login(secretary)
    assert 'Implemented</span> <span class="legend__count">0</span>' in matrix(client)
    set_status(resolution_493.commitments.get(label="25.a"), "DE", "implemented", admin_user)
    assert 'Implemented</span> <span class="legend__count">1</span>' in matrix(client)


def test_a_commitment_text_edited_to_the_same_length_shows_at_once(
    client, secretary, resolution_493
):
    """The old cache's key summed text lengths: an admin who fixed a typo in 25.e left the old
    text on the matrix for ten minutes."""
    client.force_login(secretary)
    e = resolution_493.commitments.get(label="25.e")
    before = e.text
    assert 'title="to coordinate export controls' in matrix(client)
    e.text = before.replace("coordinate", "co-operate")
    assert len(e.text) == len(before)
    e.save()
    html = matrix(client)
    assert 'title="to co-operate export controls' in html
    assert "to coordinate export controls" not in html


def test_a_status_rewritten_in_place_shows_at_once(client, secretary, admin_user, resolution_493):
    e = resolution_493.commitments.get(label="25.e")
    set_status(e, "CA", "in_progress", admin_user)
    client.force_login(secretary)
    assert 'aria-label="25.e, Canada: In progress"' in matrix(client)
    # No new row, no new timestamp, no new id: nothing a fingerprint would notice.
    ImplementationStatus.objects.filter(commitment=e).update(status="not_started")
    assert 'aria-label="25.e, Canada: Not started"' in matrix(client)
