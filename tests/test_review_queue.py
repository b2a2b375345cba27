"""The review queue in pages: 25 at a time, oldest first, filtered by resolution, committee and
nation; bad page numbers and filters are explained, never a server error."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resolutions import actions
from resolutions.models import Committee, Member, NationalAction

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0))


def submit_many(commitment, code, count, *, first=0, title="Action"):
    """`count` submitted actions, one a day: bulk-created, the queue only reads them."""
    member = Member.objects.get(country=code)
    NationalAction.objects.bulk_create(
        NationalAction(
            commitment=commitment,
            member=member,
            title=f"{title} {n:03d}",
            action_type="legislation",
            actor="government",
            stage="completed",
            review_state=NationalAction.ReviewState.SUBMITTED,
            submitted_at=START + datetime.timedelta(days=n),
        )
        for n in range(first, first + count)
    )


@pytest.fixture
def long_queue(resolution_493):
    """60 submitted actions: 40 of Canada on 25.e, 20 of France on 25.a, interleaved in time."""
    e = resolution_493.commitments.get(label="25.e")
    a = resolution_493.commitments.get(label="25.a")
    submit_many(e, "CA", 40, title="Canada")
    submit_many(a, "FR", 20, first=100, title="France")
    return resolution_493


def titles(html):
    return [line.split(">")[-1] for line in html.split("</a></h2>")[:-1]]


def test_the_queue_shows_25_oldest_first_and_pages_on(client, secretary, long_queue):
    client.force_login(secretary)
    html = client.get("/review/").content.decode()
    assert "60 actions wait for review, oldest first." in html
    assert titles(html) == [f"Canada {n:03d}" for n in range(25)]
    assert "Page 1 of 3" in html
    assert 'href="?page=2" rel="next"' in html
    html = client.get("/review/?page=3").content.decode()
    assert titles(html) == [f"France {n:03d}" for n in range(110, 120)]
    assert 'href="?page=2" rel="prev"' in html and 'rel="next"' not in html


def test_the_queue_filters_by_nation_resolution_and_committee(client, secretary, long_queue):
    client.force_login(secretary)
    html = client.get("/review/?nation=FR").content.decode()
    assert "20 actions wait for review" in html
    assert all(t.startswith("France") for t in titles(html))
    assert "Page" not in html  # one page: no page links
    html = client.get(f"/review/?resolution={long_queue.pk}&page=2").content.decode()
    assert "60 actions wait for review" in html and "Page 2 of 3" in html
    assert f'href="?resolution={long_queue.pk}&amp;page=3"' in html
    other = Committee.objects.exclude(pk=long_queue.committee_id).first()
    html = client.get(f"/review/?committee={other.code}").content.decode()
    assert "Nothing matching these filters waits for review." in html
    html = client.get(f"/review/?committee={long_queue.committee.code}").content.decode()
    assert "60 actions wait for review" in html


@pytest.mark.parametrize(
    ("page_number", "message", "first"),
    [
        ("2", None, "Canada 025"),
        ("abc", "“abc” is not a page number; showing the first page.", "Canada 000"),
        ("0", "Pages are numbered from 1; showing the first page.", "Canada 000"),
        ("-4", "Pages are numbered from 1; showing the first page.", "Canada 000"),
        ("99", "There is no page 99; showing the last page, 3.", "France 110"),
    ],
)
def test_a_bad_page_number_is_explained(client, secretary, long_queue, page_number, message, first):
    client.force_login(secretary)
    response = client.get(f"/review/?page={page_number}")
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html)[0] == first
    if message:
        assert message in html
    else:
        assert 'role="alert"' not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("nation=FR", None),
        ("nation=ZZ", "Nation: Select a valid choice."),
        ("resolution=x", "Resolution: Select a valid choice."),
        ("resolution=999999", "Resolution: Select a valid choice."),
        ("committee=NOPE", "Committee: Select a valid choice."),
    ],
)
def test_a_bad_filter_is_explained_and_ignored(client, secretary, long_queue, query, message):
    client.force_login(secretary)
    response = client.get(f"/review/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    if message:
        assert message in html
        assert "60 actions wait for review" in html  # the bad filter is ignored
    else:
        assert 'role="alert"' not in html
        assert "20 actions wait for review" in html


def test_a_decision_returns_to_the_same_page_and_filters(client, secretary, long_queue):
    client.force_login(secretary)
    action = NationalAction.objects.get(title="Canada 030")
    response = client.post(
        f"/review/{action.pk}/",
        {"decision": "accept", "comment": "", "nation": "CA", "page": "2", "next": "//evil"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/?nation=CA&page=2"
    action.refresh_from_db()
    assert action.review_state == "accepted"


def test_the_queue_makes_the_same_number_of_queries_at_any_length(
    client, secretary, resolution_493
):
    client.force_login(secretary)
    e = resolution_493.commitments.get(label="25.e")

    def count(url="/review/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    submit_many(e, "CA", 3)
    few = count(), count("/review/?nation=CA")
    submit_many(e, "DE", 200, first=10)
    assert (count(), count("/review/?nation=CA&page=9")) == few
    # Session, user, the filters' three lists, the count, the page's ids (submitted actions and
    # pending revisions merged in order), its actions (with the nations' statuses), their
    # evidence; then the review context: earlier returns, earlier returned revisions.
    assert few == (11, 11)


def test_a_long_queue_is_counted_with_thousands_grouped(client, secretary, resolution_493):
    submit_many(resolution_493.commitments.get(label="25.e"), "CA", 1200)
    client.force_login(secretary)
    assert "1,200 actions wait for review, oldest first." in client.get("/review/").text
    french = client.get("/review/", headers={"accept-language": "fr"}).text
    assert "1\xa0200 actions attendent leur examen" in french  # French groups with a space


def test_each_item_shows_its_nations_status_on_the_commitment(
    client, secretary, admin_user, long_queue
):
    """Read with the actions: Canada's status on 25.e beside Canada's items, France's absent
    status on 25.a as "No information" beside France's, never one nation's for another's."""
    e = long_queue.commitments.get(label="25.e")
    canada, france = Member.objects.get(country="CA"), Member.objects.get(country="FR")
    # France's first: a lookup by commitment alone would find it before Canada's.
    actions.set_status(e, france, "not_applicable", "No such industry", version=0, by=admin_user)
    actions.set_status(
        e, canada, "implemented", "Export Control Act 2025", version=0, by=admin_user
    )
    client.force_login(secretary)
    html = client.get("/review/").content.decode()
    assert (
        html.count("<dt>Nation&#x27;s status</dt><dd>Implemented: Export Control Act 2025</dd>")
        == 25
    )
    assert "No such industry" not in html
    html = client.get("/review/?page=3").content.decode()
    assert html.count("<dt>Nation&#x27;s status</dt><dd>No information</dd>") == 10
