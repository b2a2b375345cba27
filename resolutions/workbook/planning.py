"""Plain rows of a workbook + the current state as plain data -> what each row will do.

No database here: applying.py reads the current state and saves the plan. Each row is created,
updated, left unchanged or refused with its reasons. The versions in the workbook are checked
like the pages' optimistic locking: a row edited from an older version than the database's is
refused, so nobody's later change is overwritten by an old spreadsheet.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from ..actions import ACTION_FIELDS
from ..models import ImplementationStatus, NationalAction
from .reading import Row, WorkbookRows

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
# A change to an accepted action: saved as a revision that the secretariat reviews.
REVISE = "revise"
TITLE_MAX = NationalAction._meta.get_field("title").max_length


@dataclass(frozen=True)
class ActionNow:
    id: int
    commitment_id: int
    version: int
    review_state: str
    values: dict
    has_revision: bool = False


@dataclass(frozen=True)
class StatusNow:
    status: str
    justification: str
    version: int


@dataclass(frozen=True)
class Current:
    """What the database holds for one nation, as far as the workbook can touch it."""

    commitments: dict[str, int]  # reference ("Resolution 493 · 25.e") -> commitment id
    actions: dict[int, ActionNow]  # the nation's actions by id
    statuses: dict[int, StatusNow]  # commitment id -> saved status (absent: none yet)
    choices: dict[str, dict[str, str]]  # layout.choice_readers()


@dataclass(frozen=True)
class RowPlan:
    sheet: str  # "statuses" or "actions"
    row: int
    outcome: str
    subject: str  # what a person recognises the row by
    reasons: tuple[str, ...] = ()
    target: int | None = None  # the action's id (actions) or the commitment's id (statuses)
    commitment_id: int | None = None
    values: dict | None = None
    version: int | None = None
    changed: tuple[str, ...] = ()


@dataclass
class Plan:
    rows: list[RowPlan] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def changes(self) -> list[RowPlan]:
        return [r for r in self.rows if r.outcome in {CREATE, UPDATE, REVISE}]

    def fingerprint(self) -> str:
        """Changes the moment any row would do something else: the confirmation must apply
        the plan the person saw."""
        text = json.dumps([asdict(r) for r in self.rows], default=str, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def plan_workbook(rows: WorkbookRows, current: Current) -> Plan:
    plan = Plan()
    for row in rows.statuses:
        plan.rows.append(_plan_status(row, current))
    seen: set[int] = set()
    for row in rows.actions:
        plan.rows.append(_plan_action(row, current, seen))
    return plan


# --- Statuses ------------------------------------------------------------------------------


def _plan_status(row: Row, current: Current) -> RowPlan:
    cells = row.cells
    subject = _text(cells.get("commitment")) or _("row %(row)d") % {"row": row.number}
    refused = _refuser("statuses", row, subject)
    commitment_id = _integer(cells.get("commitment_id"))
    if commitment_id is None or commitment_id not in current.commitments.values():
        return refused(_("Unknown commitment: the commitment ID was changed or removed."))
    reasons = []
    status = current.choices["status"].get(_text(cells.get("status")).casefold())
    if status is None:
        reasons.append(_("“%(value)s” is not a status; choose one from the list.")
                       % {"value": _text(cells.get("status"))})  # fmt: skip
    justification = _text(cells.get("justification"))
    if status in ImplementationStatus.NEEDS_JUSTIFICATION and not justification:
        reasons.append(_("Say why: a justification is required for this status."))
    version = _integer(cells.get("version"))
    if version is None:
        reasons.append(_("The version was changed or removed; download a fresh workbook."))
    if reasons:
        return refused(*reasons)
    now = current.statuses.get(commitment_id) or StatusNow(
        ImplementationStatus.Status.NO_INFORMATION, "", 0
    )
    changed = tuple(
        name
        for name, old, new in (("status", now.status, status),
                               ("justification", now.justification, justification))
        if old != new
    )  # fmt: skip
    base = {"sheet": "statuses", "row": row.number, "subject": subject, "target": commitment_id}
    if not changed:
        return RowPlan(outcome=UNCHANGED, **base)
    if version != now.version:
        return refused(_stale())
    return RowPlan(
        outcome=UPDATE,
        values={"status": status, "justification": justification},
        version=version,
        changed=changed,
        commitment_id=commitment_id,
        **base,
    )


# --- Actions -------------------------------------------------------------------------------


def _plan_action(row: Row, current: Current, seen: set[int]) -> RowPlan:
    cells = row.cells
    subject = _text(cells.get("title")) or _("row %(row)d") % {"row": row.number}
    refused = _refuser("actions", row, subject)
    raw_id = cells.get("action_id")
    action_id = _integer(raw_id)
    if raw_id not in (None, "") and action_id is None:
        return refused(_("“%(value)s” is not an action ID.") % {"value": raw_id})
    existing = current.actions.get(action_id) if action_id is not None else None
    if action_id is not None and existing is None:
        return refused(_("Unknown action: no action of your nation has the ID %(id)d.")
                       % {"id": action_id})  # fmt: skip
    if action_id is not None and action_id in seen:
        return refused(_("The action %(id)d appears on more than one row.") % {"id": action_id})
    if action_id is not None:
        seen.add(action_id)
    values, commitment_id, reasons = _action_values(cells, current)
    if reasons:
        return refused(*reasons)
    base = {"sheet": "actions", "row": row.number, "subject": subject, "values": values}
    if existing is None:
        return RowPlan(outcome=CREATE, commitment_id=commitment_id, **base)
    if commitment_id != existing.commitment_id:
        return refused(_("An action cannot move to another commitment; add a new one instead."))
    changed = tuple(name for name in ACTION_FIELDS if existing.values.get(name) != values[name])
    base.update(target=existing.id, commitment_id=commitment_id)
    if not changed:
        return RowPlan(outcome=UNCHANGED, **base)
    version = _integer(cells.get("version"))
    if version is None:
        return refused(_("The version was changed or removed; download a fresh workbook."))
    if version != existing.version:
        return refused(_stale())
    state = existing.review_state
    if state == NationalAction.ReviewState.SUBMITTED:
        return refused(_("This action is waiting for review and cannot be changed now."))
    if state == NationalAction.ReviewState.ACCEPTED:
        if existing.has_revision:
            return refused(_("A revision of this accepted action is already waiting; change it "
                             "on the action's page."))  # fmt: skip
        # Everyone else keeps seeing the accepted version until the revision is accepted.
        return RowPlan(outcome=REVISE, version=version, changed=changed, **base)
    return RowPlan(outcome=UPDATE, version=version, changed=changed, **base)


def _action_values(cells: dict, current: Current) -> tuple[dict, int | None, list[str]]:
    reasons = []
    reference = _text(cells.get("commitment"))
    commitment_id = current.commitments.get(reference)
    if commitment_id is None:
        reasons.append(
            _("Unknown commitment “%(value)s”; choose one from the list.") % {"value": reference}
            if reference
            else _("Choose the commitment this action is about.")
        )
    title = _text(cells.get("title"))
    if not title:
        reasons.append(_("A title is required."))
    elif len(title) > TITLE_MAX:
        reasons.append(_("The title is longer than %(max)d characters.") % {"max": TITLE_MAX})
    values = {"title": title, "description": _text(cells.get("description"))}
    for key, what in (("action_type", _("type")), ("actor", _("actor")), ("stage", _("stage"))):
        typed = _text(cells.get(key))
        values[key] = current.choices[key].get(typed.casefold())
        if values[key] is None:
            reasons.append(
                _("“%(value)s” is not a %(what)s; choose one from the list.")
                % {"value": typed, "what": what}
                if typed
                else _("Choose a %(what)s.") % {"what": what}
            )
    values["date"], date_error = _date(cells.get("date"))
    if date_error:
        reasons.append(date_error)
    return values, commitment_id, reasons


# --- Small readers -------------------------------------------------------------------------


def _refuser(sheet: str, row: Row, subject: str):
    def refused(*reasons: str) -> RowPlan:
        return RowPlan(sheet=sheet, row=row.number, outcome=REFUSED, subject=subject,
                       reasons=tuple(reasons))  # fmt: skip

    return refused


def _stale() -> str:
    return _("Someone changed this after the workbook was downloaded; download a fresh "
             "workbook and make the change again.")  # fmt: skip


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _date(value) -> tuple[datetime.date | None, str]:
    if value in (None, ""):
        return None, ""
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    try:
        return datetime.date.fromisoformat(str(value).strip()), ""
    except ValueError:
        return None, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
