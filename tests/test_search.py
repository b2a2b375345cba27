"""Search across national actions and their evidence: what it finds, what it never shows to
whom, how it pages, how it answers bad input, and how many queries it makes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resolutions import actions
from resolutions.models import Evidence, NationalAction
from resolutions.queries import search

from .conftest import make_action

pytestmark = pytest.mark.django_db

URL = "/search/"
START = timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0))
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text indexes exist on PostgreSQL only"
)


def titles(html):
    """The result titles on a search page, in order."""
    return [line.split(">")[-1] for line in html.split("</a></h2>")[:-1]]


def submitted(commitment, member, by, **values):
    action = make_action(commitment, member, by, **values)
    actions.submit_action(action, by=by)
    return action


@pytest.fixture
def found_things(commitment_25e, canada, france, editor_ca, editor_fr):
    """Canada: a submitted act with a press release as evidence, and a draft; France: a
    submitted strategy and a draft whose evidence names a secret memo."""
    act = make_action(
        commitment_25e,
        canada,
        editor_ca,
        title="Export Control Act amended",
        description="Covers AI accelerators and their design software.",
    )
    actions.add_evidence_link(
        act, "https://laws.example.ca/eca", {"title": "Ministry press release"}, by=editor_ca
    )
    actions.submit_action(act, by=editor_ca)
    make_action(
        commitment_25e, canada, editor_ca, title="Draft sanctions bill", description="Unfinished."
    )
    submitted(
        commitment_25e,
        france,
        editor_fr,
        title="Stratégie nationale",
        description="A national strategy on quantum sensing.",
        action_type="policy",
        stage="planned",
    )
    draft = make_action(
        commitment_25e, france, editor_fr, title="Projet de loi", description="Sanctions draft."
    )
    actions.add_evidence_link(
        draft, "https://example.fr/memo", {"title": "Secret memo on sanctions"}, by=editor_fr
    )
    return commitment_25e


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


# --- What it finds -------------------------------------------------------------------------------


def test_finds_an_action_by_a_word_of_its_title(client, viewer, found_things):
    html = get(client, viewer, q="control")
    assert titles(html) == ["Export Control Act amended"]
    assert "1 action matches “control”" in html
    assert "Canada" in html and "Resolution 493, 25.e" in html
    assert "Legislation · Completed" in html and "Submitted for review" in html


def test_finds_an_action_by_its_description(client, viewer, found_things):
    assert titles(get(client, viewer, q="quantum sensing")) == ["Stratégie nationale"]


def test_finds_an_action_by_the_title_of_its_evidence_and_names_the_evidence(
    client, viewer, found_things
):
    html = get(client, viewer, q="press release")
    assert titles(html) == ["Export Control Act amended"]
    assert "Matching evidence:</strong> Ministry press release" in html


def test_every_word_must_appear(client, viewer, found_things):
    assert titles(get(client, viewer, q="export accelerators")) == ["Export Control Act amended"]
    assert titles(get(client, viewer, q="export quantum")) == []


def test_results_link_to_the_action(client, viewer, found_things):
    action = NationalAction.objects.get(title="Export Control Act amended")
    assert f'href="/actions/{action.pk}/"' in get(client, viewer, q="export")


def test_punctuation_around_words_is_ignored(client, viewer, found_things):
    assert titles(get(client, viewer, q="'\"&|!:*() export!")) == ["Export Control Act amended"]


# --- Who sees what -------------------------------------------------------------------------------


def test_an_editor_never_sees_another_nations_drafts(client, editor_ca, found_things):
    # France's draft matches by its description and by its evidence: neither shows.
    html = get(client, editor_ca, q="sanctions")
    assert titles(html) == ["Draft sanctions bill"]  # Canada's own draft
    assert "Secret memo" not in html and "Projet de loi" not in html


def test_the_other_editor_sees_only_their_own_drafts(client, editor_fr, found_things):
    html = get(client, editor_fr, q="sanctions")
    assert titles(html) == ["Projet de loi"]
    assert "Matching evidence:</strong> Secret memo on sanctions" in html


@pytest.mark.parametrize("role", ["viewer", "secretary"])
def test_viewers_and_secretaries_see_no_drafts(request, client, found_things, role):
    user = request.getfixturevalue(role)
    assert titles(get(client, user, q="sanctions")) == []
    assert titles(get(client, user, q="national")) == ["Stratégie nationale"]


def test_an_administrator_sees_every_draft(client, admin_user, found_things):
    found = titles(get(client, admin_user, q="sanctions"))
    assert sorted(found) == ["Draft sanctions bill", "Projet de loi"]


def test_evidence_is_visible_exactly_when_its_action_is(found_things, viewer, editor_fr):
    from resolutions import permissions

    memo = Evidence.objects.get(title__startswith="Secret memo")
    assert memo not in permissions.visible_evidence(viewer)
    assert memo in permissions.visible_evidence(editor_fr)


def test_anonymous_people_are_sent_to_sign_in(client, found_things):
    response = client.get(URL, {"q": "export"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# --- Filters -------------------------------------------------------------------------------------


def test_filters_narrow_by_nation_type_stage_and_resolution(client, viewer, found_things):
    assert titles(get(client, viewer, q="strategy", nation="FR")) == ["Stratégie nationale"]
    assert titles(get(client, viewer, q="strategy", nation="CA")) == []
    assert titles(get(client, viewer, q="strategy", type="policy", stage="planned")) == [
        "Stratégie nationale"
    ]
    assert titles(get(client, viewer, q="strategy", stage="completed")) == []
    resolution = found_things.resolution_id
    assert titles(get(client, viewer, q="strategy", resolution=resolution)) == [
        "Stratégie nationale"
    ]


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"nation": "XX"}, "Nation"),
        ({"resolution": "999999"}, "Resolution"),
        ({"resolution": "abc"}, "Resolution"),
        ({"type": "treaty"}, "Type"),
        ({"stage": "<script>"}, "Stage"),
    ],
)
def test_an_unknown_filter_is_explained_and_ignored(client, viewer, found_things, params, label):
    html = get(client, viewer, q="strategy", **params)
    assert 'role="alert"' in html
    assert f"{label}: Select a valid choice." in html
    assert titles(html) == ["Stratégie nationale"]  # the search still ran, without it
    assert "<script>" not in html


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [None, "", "   ", "\t\n"])
def test_without_words_the_page_prompts_and_runs_no_search(client, viewer, found_things, q):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {} if q is None else {"q": q})
    assert response.status_code == 200
    assert "Type one or more words above" in response.content.decode()
    assert not any("resolutions_nationalaction" in query["sql"] for query in queries)


@pytest.mark.parametrize("q", ["'\"&|!:*()", "***", "!", "—", "<>&"])
def test_punctuation_alone_is_explained_and_runs_no_search(client, viewer, found_things, q):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"q": q}).content.decode()
    assert "punctuation alone finds nothing" in html
    assert not any("resolutions_nationalaction" in query["sql"] for query in queries)


def test_a_very_long_search_is_cut_with_a_message(client, viewer, found_things):
    html = get(client, viewer, q="export " + "x" * 500)
    assert "Searches are limited to 200 characters" in html
    # The language switch brings the person back to this very address, uncut.
    html = re.sub(r'<form class="language-switch".*?</form>', "", html, flags=re.S)
    assert "x" * 193 in html and "x" * 194 not in html  # "export " + 193 = 200


def test_control_characters_do_not_break_the_search(client, viewer, found_things):
    # PostgreSQL refuses NUL in a string: it must never reach the database.
    assert titles(get(client, viewer, q="export\x00control")) == ["Export Control Act amended"]


def test_clean_text_collapses_spaces_and_removes_control_characters():
    assert search.clean_text("  a\x00b \t c\u200b ") == ("a b c", [])
    text, notices = search.clean_text("é" * 250)
    assert text == "é" * 200 and len(notices) == 1


# --- Pages and order -----------------------------------------------------------------------------


def many(commitment, member, count, *, title="Hearing", evidence=True):
    """`count` submitted actions updated a day apart (the first most recently), each with one
    piece of evidence: bulk-created, search only reads them."""
    created = NationalAction.objects.bulk_create(
        NationalAction(
            commitment=commitment,
            member=member,
            title=f"{title} {n:03d}",
            action_type="parliamentary",
            actor="parliament",
            stage="completed",
            review_state=NationalAction.ReviewState.SUBMITTED,
        )
        for n in range(count)
    )
    for n, action in enumerate(created):
        NationalAction.objects.filter(pk=action.pk).update(
            updated_at=START - datetime.timedelta(days=n)
        )
    if evidence:
        Evidence.objects.bulk_create(
            Evidence(action=a, kind="link", url=f"https://example.org/{a.pk}", title="Record")
            for a in created
        )
    return created


def test_results_come_25_a_page_most_recently_updated_first(client, viewer, canada, commitment_25e):
    many(commitment_25e, canada, 30)
    html = get(client, viewer, q="hearing")
    assert "30 actions match “hearing”" in html
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25)]
    assert "Page 1 of 2" in html
    assert 'href="?q=hearing&amp;page=2" rel="next"' in html
    html = get(client, viewer, q="hearing", page="2")
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25, 30)]
    assert 'start="26"' in html and 'rel="next"' not in html


def test_past_a_thousand_matches_the_count_stops_and_asks_to_narrow(
    client, viewer, canada, commitment_25e, monkeypatch
):
    monkeypatch.setattr(search, "COUNTED", 30)
    many(commitment_25e, canada, 40)
    html = get(client, viewer, q="hearing")
    assert "More than 30 actions match “hearing”" in html
    assert "Add a word or a filter to narrow them." in html
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25)] and "Page 1 of 2" in html
    # The pages stop where the count did: the 30 most recently updated.
    html = get(client, viewer, q="hearing", page="3")
    assert "There is no page 3; showing the last page, 2." in html
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25, 30)]


def test_up_to_the_limit_the_count_is_exact(client, viewer, canada, commitment_25e, monkeypatch):
    monkeypatch.setattr(search, "COUNTED", 30)
    many(commitment_25e, canada, 30)
    assert "30 actions match “hearing”" in get(client, viewer, q="hearing")


def test_an_action_found_by_its_text_and_its_evidence_is_listed_once(
    client, viewer, canada, commitment_25e
):
    for action in many(commitment_25e, canada, 30):
        Evidence.objects.create(
            action=action, kind="link", url="https://example.org/h", title="Hearing record"
        )
    html = get(client, viewer, q="hearing")
    assert "30 actions match “hearing”" in html
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25)]
    html = get(client, viewer, q="hearing", page="2")
    assert titles(html) == [f"Hearing {n:03d}" for n in range(25, 30)]


def test_page_links_keep_the_filters(client, viewer, canada, commitment_25e):
    many(commitment_25e, canada, 30)
    html = get(client, viewer, q="hearing", nation="CA", stage="completed")
    assert 'href="?q=hearing&amp;nation=CA&amp;stage=completed&amp;page=2"' in html


@pytest.mark.parametrize(
    ("page_number", "message", "first"),
    [
        ("abc", "“abc” is not a page number; showing the first page.", "Hearing 000"),
        ("0", "Pages are numbered from 1; showing the first page.", "Hearing 000"),
        ("-3", "Pages are numbered from 1; showing the first page.", "Hearing 000"),
        ("99999", "There is no page 99999; showing the last page, 2.", "Hearing 025"),
        ("9" * 40, "showing the last page, 2.", "Hearing 025"),
    ],
)
def test_a_bad_page_number_is_explained(
    client, viewer, canada, commitment_25e, page_number, message, first
):
    many(commitment_25e, canada, 30)
    html = get(client, viewer, q="hearing", page=page_number)
    assert titles(html)[0] == first
    assert message in html


def test_a_page_past_the_end_of_no_results_says_nothing_matches(client, viewer, found_things):
    html = get(client, viewer, q="nothing-like-this", page="5")
    assert "No action you can see matches" in html and "There is no page" not in html


# --- Queries -------------------------------------------------------------------------------------

# Session and user, the filters' two lists, the count of matches, the page's ids, the page's
# actions and their matching evidence.
SEARCH_QUERIES = 8


@pytest.mark.parametrize("count", [1, 60])
def test_the_number_of_queries_does_not_grow_with_the_matches(
    client, viewer, canada, commitment_25e, django_assert_num_queries, count
):
    many(commitment_25e, canada, count)
    client.force_login(viewer)
    with django_assert_num_queries(SEARCH_QUERIES):
        html = client.get(URL, {"q": "hearing"}).content.decode()
    assert len(titles(html)) == min(count, 25)


def test_an_editor_with_many_matches_in_evidence_makes_as_many_queries(
    client, editor_ca, canada, commitment_25e, django_assert_num_queries
):
    many(commitment_25e, canada, 60)
    client.force_login(editor_ca)
    # The header names an editor's nation: one more (User.nation).
    with django_assert_num_queries(SEARCH_QUERIES + 1):
        html = client.get(URL, {"q": "record", "nation": "CA"}).content.decode()
    assert "60 actions match" in html and html.count("Matching evidence:</strong> Record") == 25


@on_postgresql
@pytest.mark.parametrize(
    "model, fields, index",
    [
        (NationalAction, search.ACTION_FIELDS, "search_action_document"),
        (Evidence, search.EVIDENCE_FIELDS, "search_evidence_text"),
    ],
)
def test_postgresql_reads_the_full_text_indexes(found_things, model, fields, index):
    # Whether the planner prefers an index depends on the table's size and statistics, which
    # other tests on the same database change (rolled-back rows still grow a GIN index's
    # pending list). What must hold whatever the statistics is that search's expression is the
    # index's: with table scans forbidden and nothing else to join through, PostgreSQL reads
    # the index if the expressions are the same and falls back to a table scan if not.
    sql, params = (
        search.matching(model.objects.order_by(), fields, "export controls")
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan and "Seq Scan" not in plan, plan


# --- Navigation ----------------------------------------------------------------------------------


def test_every_page_has_a_search_box_in_the_header(client, viewer, resolution_493):
    client.force_login(viewer)
    html = client.get("/resolutions/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert '<label for="site-search-q"' in html


def test_an_edited_action_is_found_by_its_new_words_at_once(
    client, commitment_25e, canada, editor_ca
):
    # On PostgreSQL the words are a stored column the database keeps (migration 0015): an edit
    # must show in the next search, with nothing else to refresh.
    action = make_action(commitment_25e, canada, editor_ca, title="Tariff schedule")
    assert titles(get(client, editor_ca, q="tariff")) == ["Tariff schedule"]
    actions.update_action(
        action,
        {**action.__dict__, "title": "Licensing review", "description": "Dual-use goods."},
        version=action.version,
        by=editor_ca,
    )
    assert titles(get(client, editor_ca, q="tariff")) == []
    assert titles(get(client, editor_ca, q="dual-use licensing")) == ["Licensing review"]


def test_matching_evidence_beyond_five_is_counted(client, commitment_25e, canada, editor_ca):
    action = make_action(commitment_25e, canada, editor_ca, title="Outreach programme")
    for n in range(7):
        actions.add_evidence_link(
            action, f"https://example.org/{n}", {"title": f"Hearing record {n}"}, by=editor_ca
        )
    html = get(client, editor_ca, q="hearing")
    assert "<strong>Matching evidence:</strong> Hearing record 0; Hearing record 1;" in html
    assert "Hearing record 4 (and 2 more)</p>" in html and "Hearing record 5" not in html


def test_lists_never_carry_a_resolutions_whole_text(
    client, found_things, viewer, editor_ca, secretary
):
    # Each result names its resolution ("493 25.e"); its imported text is tens of kilobytes
    # and would travel once per row. The same holds for the dashboard and the review queue.
    pages = [(viewer, f"{URL}?q=export"), (editor_ca, "/nations/CA/"), (secretary, "/review/")]
    for user, url in pages:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        texts = [q["sql"] for q in queries if "original_text" in q["sql"]]
        assert texts == [], (url, texts)
