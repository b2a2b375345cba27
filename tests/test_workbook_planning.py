"""What each workbook row will do, decided from plain data alone (no database)."""

import datetime

from resolutions.workbook import layout
from resolutions.workbook.planning import ActionNow, Current, StatusNow, plan_workbook
from resolutions.workbook.reading import Row, WorkbookRows

from .test_layering import imported

REF = "Resolution 493 · 25.e"
VALUES = {"title": "Law", "description": "", "action_type": "legislation",
          "actor": "parliament", "date": None, "stage": "completed"}  # fmt: skip


def current(**actions):
    return Current(
        commitments={REF: 5},
        actions={
            7: ActionNow(7, 5, 3, actions.get("state", "draft"), dict(VALUES)),
        },
        statuses={5: StatusNow("in_progress", "Under way.", 2)},
        choices=layout.choice_readers("en"),
    )


def action_row(**cells):
    base = {"action_id": 7, "version": 3, "commitment": REF, "title": "Law",
            "action_type": "Legislation", "actor": "Parliament", "stage": "Completed"}  # fmt: skip
    return Row(4, {**base, **cells})


def plan(rows=(), statuses=(), **state):
    return plan_workbook(
        WorkbookRows("CA", "en", statuses=list(statuses), actions=list(rows)), current(**state)
    ).rows


def test_an_untouched_row_is_unchanged_and_labels_or_values_are_both_read():
    [row] = plan([action_row(action_type="LEGISLATION", actor="parliament")])
    assert row.outcome == "unchanged"


def test_a_changed_row_is_an_update_naming_what_changed():
    [row] = plan([action_row(title="Law, amended", date=datetime.date(2025, 1, 2))])
    assert (row.outcome, row.changed, row.version, row.target) == (
        "update",
        ("title", "date"),
        3,
        7,
    )


def test_a_row_without_an_id_is_created():
    [row] = plan([action_row(action_id=None, version=None, title="New")])
    assert row.outcome == "create" and row.commitment_id == 5 and row.values["title"] == "New"


def test_versions_other_than_the_saved_one_are_refused_as_stale():
    [row] = plan([action_row(version=2, title="Old copy")])
    assert row.outcome == "refused" and "after the workbook was downloaded" in row.reasons[0]
    [row] = plan([action_row(version="three", title="Old copy")])
    assert row.outcome == "refused" and "version" in row.reasons[0]


def test_review_states_decide_whether_a_change_is_allowed():
    assert plan([action_row(title="X")], state="returned")[0].outcome == "update"
    assert "waiting for review" in plan([action_row(title="X")], state="submitted")[0].reasons[0]
    revised = plan([action_row(title="X")], state="accepted")[0]
    assert revised.outcome == "revise" and revised.changed == ("title",)


def test_the_same_action_twice_and_moves_between_commitments_are_refused():
    rows = plan([action_row(title="A"), action_row(title="B")])
    assert rows[1].outcome == "refused" and "more than one row" in rows[1].reasons[0]
    bad = Current(commitments={REF: 5, "Resolution 493 · 25.f": 6}, actions=current().actions,
                  statuses={}, choices=layout.choice_readers("en"))  # fmt: skip
    [row] = plan_workbook(
        WorkbookRows("CA", "en", actions=[action_row(commitment="Resolution 493 · 25.f")]), bad
    ).rows
    assert "another commitment" in row.reasons[0]


def test_status_rows():
    def status(**cells):
        return Row(3, {"commitment": REF, "status": "In progress", "justification": "Under way.",
                       "version": 2, "commitment_id": 5, **cells})  # fmt: skip

    assert plan(statuses=[status()])[0].outcome == "unchanged"
    changed = plan(statuses=[status(status="Implemented", justification="Law in force.")])[0]
    assert changed.outcome == "update" and changed.values["status"] == "implemented"
    assert plan(statuses=[status(status="Partly")])[0].outcome == "refused"
    assert plan(statuses=[status(status="Not started", version=1)])[0].outcome == "refused"
    assert plan(statuses=[status(commitment_id=99)])[0].outcome == "refused"


def test_french_labels_are_read_in_a_french_workbook():
    french = layout.choice_readers("fr")
    assert french["actor"]["parliament"] == "parliament"  # the stored value always works
    assert all(value in {"government", "parliament"} for value in french["actor"].values())


def test_reading_and_planning_touch_neither_the_database_nor_the_views():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "resolutions" / "workbook"
    for name in ("reading.py", "planning.py", "layout.py"):
        names = imported(package / name)
        assert not {n for n in names if n.startswith(("django.db", "resolutions.views"))}, name
