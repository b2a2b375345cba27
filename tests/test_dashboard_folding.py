"""A nation's dashboard opens the current resolutions (those of the most recent session) and
folds older ones to one line each; one is opened with htmx in place, or as a page of its own
without JavaScript. Its queries do not grow with the archive."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Committee, Resolution, Session

from .conftest import make_action
from .test_digests_content import add_commitments

pytestmark = pytest.mark.django_db


def older_resolution(number: int, commitments: int = 3) -> Resolution:
    session, _ = Session.objects.get_or_create(
        number=60 + number % 5,
        kind=Session.Kind.SPRING,
        defaults={"place": "Oslo", "date": datetime.date(2015, 5, 1) + datetime.timedelta(number)},
    )
    resolution = Resolution.objects.create(
        number=number,
        title=f"Older resolution {number}",
        committee=Committee.objects.first(),
        session=session,
        adoption_date=session.date,
        original_text="…",
    )
    add_commitments(resolution, commitments)
    return resolution


def fold_url(resolution, code="CA"):
    return f"/nations/{code}/resolutions/{resolution.pk}/"


def test_current_resolutions_are_open_and_older_ones_folded(client, editor_ca, resolution_493):
    old = older_resolution(400)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/").content.decode()
    # 493's twelve commitments are rows; the older resolution is one line with a link.
    assert html.count('<tr class="') == 12
    assert "1 earlier resolution" in html and "Older resolution 400" in html
    assert f'href="{fold_url(old)}"' in html and f'hx-get="{fold_url(old)}"' in html
    assert f"/commitments/{old.commitments.first().pk}/" not in html


def test_a_folded_resolution_opens_in_place_with_htmx(client, editor_ca, resolution_493, canada):
    old = older_resolution(400)
    make_action(old.commitments.first(), canada, editor_ca)
    client.force_login(editor_ca)
    response = client.get(fold_url(old), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.count('<tr class="') == 3
    assert '<td class="num" data-label="Actions">1</td>' in html
    assert f'id="res-{old.pk}"' in html


def test_without_javascript_a_folded_resolution_is_a_page_of_its_own(
    client, editor_ca, resolution_493
):
    old = older_resolution(400)
    client.force_login(editor_ca)
    response = client.get(fold_url(old))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and html.count('<tr class="') == 3
    assert "Back to the dashboard of Canada" in html


def test_the_filter_applies_to_an_opened_resolution_and_a_bad_one_is_explained(
    client, editor_ca, resolution_493
):
    old = older_resolution(400)
    client.force_login(editor_ca)
    html = client.get(fold_url(old) + "?status=implemented").content.decode()
    assert html.count('<tr class="') == 0 and "No commitments match." in html
    response = client.get(fold_url(old) + "?status=done")
    html = response.content.decode()
    assert response.status_code == 200 and html.count('<tr class="') == 3
    assert "“done” is not a status" in html


def test_an_unknown_resolution_or_nation_is_not_found(client, editor_ca, resolution_493):
    client.force_login(editor_ca)
    assert client.get("/nations/CA/resolutions/999999/").status_code == 404
    assert client.get(f"/nations/XX/resolutions/{resolution_493.pk}/").status_code == 404


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_with_one_or_many_older_resolutions(
    client, editor_ca, resolution_493, canada
):
    first = older_resolution(400)
    client.force_login(editor_ca)
    few = count_queries(client, "/nations/CA/")
    few_fold = count_queries(client, fold_url(first), HX_Request="true")
    for number in range(401, 409):
        old = older_resolution(number, commitments=8)
        for commitment in old.commitments.all()[:3]:
            make_action(commitment, canada, editor_ca)
    html = client.get("/nations/CA/").content.decode()
    assert "9 earlier resolutions" in html and html.count('<tr class="') == 12
    assert count_queries(client, "/nations/CA/") == few
    assert count_queries(client, fold_url(old), HX_Request="true") == few_fold
    # Pinned: session, user, the editor's own nation (for the page and the header: User.nation),
    # resolutions (current and folded in one), rounds, commitments (with the nation's status on
    # each), its actions (with evidence), returned actions.
    assert few == 8


def test_without_dates_every_resolution_is_open(client, editor_ca, resolution_493):
    undated = older_resolution(400)
    Resolution.objects.filter(pk=undated.pk).update(adoption_date=None, session=None)
    client.force_login(editor_ca)
    html = client.get("/nations/CA/").content.decode()
    assert html.count('<tr class="') == 15 and "earlier resolution" not in html
