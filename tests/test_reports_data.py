"""The report's data layer: one row source feeds every format, filtered as the matrix is, holding
accepted actions by default (those awaiting review, or a delegation's own drafts, on request),
in a fixed number of queries."""

import inspect

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from resolutions import permissions
from resolutions.models import ImplementationStatus, Member, ReportingRound
from resolutions.reports.data import (
    STATUS_SYMBOLS,
    count_actions,
    gather_report,
    iter_actions,
    iter_statuses,
)
from resolutions.reports.scope import ScopeError, read_scope

from .reports_helpers import add_actions, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(resolution_493, editor_ca, editor_fr, secretary, admin_user):
    return build_world(
        resolution_493,
        editor_ca=editor_ca, editor_fr=editor_fr, secretary=secretary, admin_user=admin_user,
    )  # fmt: skip


def resolution_scope(user, resolution, **filters):
    return read_scope(user, {"scope": "resolution", "id": str(resolution.pk), **filters})


def titles(report):
    return {
        action.title
        for resolution in report.resolutions
        for commitment in resolution.commitments
        for action in commitment.actions
    }


def cell(report, label, code):
    commitment = next(c for c in report.resolutions[0].commitments if c.label == label)
    return next(c for c in commitment.cells if c.code == code)


# --- What the report holds -------------------------------------------------------------------


def test_resolution_report_matches_the_database(world, secretary):
    report = gather_report(resolution_scope(secretary, world.resolution))
    [resolution] = report.resolutions
    assert resolution.name == "Resolution 493"
    assert resolution.committee == "Economics and Security Committee"
    assert len(resolution.commitments) == 12
    assert len(resolution.nations) == Member.objects.filter(kind="member").count() == 32
    canada = cell(report, "25.e", "CA")
    assert (canada.status, canada.symbol) == ("implemented", "●")
    assert canada.justification == "Export Control Act 2025 in force since 1 March"
    [action] = canada.actions
    assert action.title == "Export Control Act amended"
    assert action.review_label == "Accepted"
    file_item, link_item = action.evidence
    assert (file_item.kind, file_item.sha256_prefix) == ("file", world.file_sha[:12])
    assert (link_item.kind, link_item.url) == ("link", world.link_url)
    counts = next(c for c in resolution.commitments if c.label == "25.e").counts
    assert counts == {"implemented": 1, "in_progress": 1, "partial": 1, "no_information": 29}
    assert report.action_count == 2  # CA and DE accepted (FR's awaits review)
    assert report.evidence_count == 3


ACCEPTED = {"Export Control Act amended", "Bundestag hearing on leakage"}
AWAITING = "Loi de programmation militaire"


@pytest.mark.parametrize("role", ["viewer", "secretary", "editor_ca", "editor_fr", "admin_user"])
def test_a_report_holds_accepted_actions_by_default_and_those_awaiting_review_on_request(
    world, request, role
):
    user = request.getfixturevalue(role)
    report = gather_report(resolution_scope(user, world.resolution))
    assert titles(report) == ACCEPTED
    assert report.contents == "Accepted actions only"
    report = gather_report(resolution_scope(user, world.resolution, submitted="1"))
    assert titles(report) == ACCEPTED | {AWAITING}
    [france] = cell(report, "25.e", "FR").actions
    assert france.review_label == "Submitted, awaiting review"
    # Never more than the pages show: permissions.visible_actions() is the ceiling.
    on_screen = permissions.visible_actions(user).filter(commitment__resolution=world.resolution)
    assert titles(report) <= set(on_screen.values_list("title", flat=True))
    # The row source of the CSV holds the same rows.
    rows = iter_actions(resolution_scope(user, world.resolution, submitted="1"))
    assert {row.title for row in rows} == titles(report)


@pytest.mark.parametrize(
    ("role", "drafts"),
    [("editor_ca", {"CA draft: chip guidance"}), ("editor_fr", {"FR brouillon confidentiel"})],
)
def test_a_delegation_may_include_its_own_drafts_marked(world, request, role, drafts):
    user = request.getfixturevalue(role)
    report = gather_report(resolution_scope(user, world.resolution, drafts="1"))
    assert titles(report) == ACCEPTED | drafts
    [draft] = [a for r in report.resolutions for c in r.commitments for a in c.actions
               if a.title in drafts]  # fmt: skip
    assert draft.review_label == "Draft, not submitted"


def test_returned_actions_reach_their_delegation_only_on_request(world, editor_ca, secretary):
    from resolutions import actions

    actions.submit_action(world.draft_ca, by=editor_ca)
    actions.return_action(world.draft_ca, "Add the gazette reference", by=secretary)
    for user in (secretary, editor_ca):
        report = gather_report(resolution_scope(user, world.resolution, submitted="1"))
        assert "CA draft: chip guidance" not in titles(report)
    report = gather_report(resolution_scope(editor_ca, world.resolution, drafts="1"))
    [returned] = [a for a in cell(report, "25.e", "CA").actions if a.title.startswith("CA draft")]
    assert returned.review_label == "Returned for revision"


@pytest.mark.parametrize("role", ["viewer", "secretary", "admin_user"])
def test_only_a_delegation_may_ask_for_drafts(world, request, role):
    """Administrators included: a report is for circulating, and drafts stay home."""
    with pytest.raises(ScopeError) as error:
        resolution_scope(request.getfixturevalue(role), world.resolution, drafts="1")
    assert "Only a delegation's own report may include its drafts" in str(error.value)


def test_statuses_have_a_row_per_commitment_and_nation_with_counts(world, viewer):
    rows = list(iter_statuses(resolution_scope(viewer, world.resolution)))
    assert len(rows) == 12 * 32
    by_key = {(r.commitment, r.nation_code): r for r in rows}
    assert (by_key["25.e", "FR"].accepted, by_key["25.e", "FR"].submitted) == (0, 1)
    assert (by_key["25.e", "CA"].accepted, by_key["25.e", "CA"].submitted) == (1, 0)
    assert by_key["25.a", "DE"].status == "Not applicable"
    assert by_key["25.a", "DE"].justification == "No export industry in scope"


def test_status_filter_keeps_the_matrix_rows_and_cells_and_their_actions(world, secretary):
    report = gather_report(resolution_scope(secretary, world.resolution, status="implemented"))
    [resolution] = report.resolutions
    assert [c.label for c in resolution.commitments] == ["25.e"]  # rows without a match go
    assert [c.code for c in resolution.commitments[0].cells if c.shown] == ["CA"]
    assert titles(report) == {"Export Control Act amended"}  # France's cell is filtered out
    assert report.filters == ["Status: Implemented"]


def test_nation_filter_and_theme_filter_narrow_the_report(world, secretary):
    scope = resolution_scope(secretary, world.resolution, nation="FR", submitted="1")
    report = gather_report(scope)
    assert [n.code for n in report.resolutions[0].nations] == ["FR"]
    assert titles(report) == {"Loi de programmation militaire"}


def test_nation_report_covers_every_resolution_for_one_nation(world, editor_ca):
    scope = read_scope(editor_ca, {"scope": "nation", "id": "ca"})
    assert (scope.kind, scope.key, scope.file_prefix) == ("nation", "ca", "nation-ca")
    report = gather_report(scope)
    assert report.title == "Canada"
    assert [n.code for n in report.resolutions[0].nations] == ["CA"]
    assert titles(report) == {"Export Control Act amended"}
    scope = read_scope(editor_ca, {"scope": "nation", "id": "ca", "drafts": "1"})
    assert titles(gather_report(scope)) == {"Export Control Act amended", "CA draft: chip guidance"}


def test_round_report_covers_the_round_resolutions(world, viewer):
    round_ = ReportingRound.objects.create(name="Spring 2027", deadline="2027-05-01")
    empty = gather_report(read_scope(viewer, {"scope": "round", "id": str(round_.pk)}))
    assert empty.resolutions == []
    round_.resolutions.add(world.resolution)
    report = gather_report(read_scope(viewer, {"scope": "round", "id": str(round_.pk)}))
    assert [r.number for r in report.resolutions] == [493]
    assert report.scope_label == "Reporting round: Spring 2027 (2027-05-01)"
    assert titles(report) == ACCEPTED


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Choose what the report covers"),
        ({"scope": "planet", "id": "1"}, "Choose what the report covers"),
        ({"scope": "resolution"}, "Say which resolution"),
        ({"scope": "resolution", "id": "999999"}, "There is no resolution with the id “999999”."),
        ({"scope": "resolution", "id": "abc"}, "There is no resolution with the id “abc”."),
        ({"scope": "nation", "id": "XX"}, "There is no nation with the code “XX”."),
        ({"scope": "round", "id": "77"}, "There is no reporting round with the id “77”."),
        ({"scope": "nation", "id": "CA", "nation": "FR"}, "nation filter does not match"),
        ({"scope": "nation", "id": "CA", "status": "bogus"}, "Status: Select a valid choice."),
        ({"scope": "nation", "id": "CA", "updated_since": "yesterday"}, "Enter a valid date."),
        ({"scope": "nation", "id": "CA", "language": "de"}, "Language: Select a valid choice."),
        ({"scope": "nation", "id": "CA", "rows": "cells"}, "CSV rows: Select a valid choice."),
    ],
)
def test_a_bad_scope_or_filter_says_what_is_wrong(world, viewer, query, message):
    with pytest.raises(ScopeError) as error:
        read_scope(viewer, query)
    assert message in str(error.value)


def test_symbols_are_the_matrix_page_symbols():
    for value in ImplementationStatus.Status.values:
        page = render_to_string("resolutions/_status_symbol.html", {"value": value}).strip()
        assert STATUS_SYMBOLS[value] == page


# --- Queries ---------------------------------------------------------------------------------


def queries(function, *args):
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return len(captured), result


@pytest.mark.parametrize(
    "query",
    [{"scope": "resolution"}, {"scope": "nation", "id": "CA"}, {"scope": "round"}],
    ids=["resolution", "nation", "round"],
)
def test_gathering_takes_the_same_queries_for_one_or_three_actions_per_commitment(
    resolution_493, secretary, admin_user, editor_ca, query
):
    round_ = ReportingRound.objects.create(name="Spring 2027", deadline="2027-05-01")
    round_.resolutions.add(resolution_493)
    query = {"id": str(round_.pk if query["scope"] == "round" else resolution_493.pk), **query}
    query["submitted"] = "1"  # add_actions submits them
    add_actions(resolution_493, 1, admin_user)
    scope = read_scope(secretary, query)
    one, small = queries(gather_report, scope)
    add_actions(resolution_493, 2, admin_user)
    three, large = queries(gather_report, scope)
    assert one == three == 5  # the matrix's 3 queries, the actions, their evidence
    assert large.action_count == 3 * small.action_count


def test_counting_and_streaming_take_a_fixed_number_of_queries(
    resolution_493, secretary, admin_user, editor_ca
):
    add_actions(resolution_493, 1, admin_user)
    scope = resolution_scope(secretary, resolution_493, submitted="1")
    assert queries(count_actions, scope)[0] == 4
    add_actions(resolution_493, 2, admin_user)
    assert queries(count_actions, scope) == (4, 108)
    stream = iter_actions(scope)
    assert inspect.isgenerator(stream)
    count, rows = queries(list, stream)
    # The matrix's 3, the evidence counted per action, one cursor for every action.
    assert (count, len(rows)) == (5, 108)
    assert queries(list, iter_statuses(scope))[0] == 4  # the matrix's 3, one GROUP BY
