"""The matrix is rendered once per data version and cached: every change a reader could see
shows up on the next request, and a cached matrix costs a fixed, small number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_a_cached_matrix_takes_fewer_queries_and_the_same_number_every_time(
    client, secretary, admin_user, resolution_493
):
    client.force_login(secretary)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/matrix/")
        return len(queries)

    first = count()  # rendered and stored
    cached = count()
    assert cached == count()
    assert first - cached == 3  # nations, commitments and statuses are not read
    for code in ("CA", "FR", "DE"):
        set_status(resolution_493.commitments.get(label="25.b"), code, "in_progress", admin_user)
    assert count() == first
    # Session, user, the filters' lists (resolutions twice, committees, themes, nations) and the
    # data version.
    assert cached == 8
