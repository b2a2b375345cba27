"""Reporting rounds: how complete a round is, and the report fixed when it closes.

A closed round's report is read from a **snapshot taken at closing**, not rebuilt from the
history. Why a snapshot:
- it is exactly what the secretariat saw when it closed the round, in one JSON value, whatever
  happens later: actions revised or deleted, evidence removed, statuses changed, nations or
  commitments re-imported (history rows of a deleted evidence file no longer point at a file);
- reading "as of" from django-simple-history means one historical query per model and then
  picking the latest row per object before a date, for every report, and it is only as good
  as the history is complete (`QuerySet.update()` writes no history rows);
- its cost is small and paid once: statuses and accepted actions of the round's resolutions
  (Resolution 493 with every nation reporting is a few hundred kilobytes).
The snapshot holds raw values (choice keys, not labels), so the report is still written in the
reader's language.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import Commitment, Evidence, ImplementationStatus, Member, NationalAction

SNAPSHOT_VERSION = 1
ACTION_VALUES = ("title", "description", "action_type", "actor", "stage", "date", "updated_at")
EVIDENCE_VALUES = (
    "title", "kind", "date", "url", "original_name", "content_type", "size", "sha256",
)  # fmt: skip
Status = ImplementationStatus.Status


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


def take_snapshot(round_) -> dict:
    """Statuses and accepted actions (with their reviewed evidence) of the round's resolutions,
    as they are now. Four queries."""
    resolution_ids = list(round_.resolutions.values_list("pk", flat=True))
    statuses = ImplementationStatus.objects.filter(
        commitment__resolution_id__in=resolution_ids
    ).values_list("commitment_id", "member__country", "status", "justification", "updated_at")
    accepted = NationalAction.objects.filter(
        commitment__resolution_id__in=resolution_ids,
        review_state=NationalAction.ReviewState.ACCEPTED,
    ).order_by("commitment_id", "member__country", "date", "pk")
    actions = {}
    for values in accepted.values("pk", "commitment_id", "member__country", *ACTION_VALUES):
        actions[values["pk"]] = {
            "id": values["pk"],
            "commitment": values["commitment_id"],
            "nation": values["member__country"],
            **{name: _iso(values[name]) for name in ACTION_VALUES},
            "evidence": [],
        }
    evidence = (
        Evidence.objects.reviewed()
        .filter(action__in=accepted.values("pk"))
        .order_by("action_id", "created_at", "pk")
        .values("action_id", *EVIDENCE_VALUES)
    )
    for values in evidence:
        actions[values["action_id"]]["evidence"].append(
            {name: _iso(values[name]) for name in EVIDENCE_VALUES}
        )
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": timezone.now().isoformat(),
        "resolutions": resolution_ids,
        "statuses": [
            {"commitment": c, "nation": n, "status": s, "justification": j, "updated_at": _iso(u)}
            for c, n, s, j, u in statuses
        ],
        "actions": list(actions.values()),
    }


def fix_matrices(tables, snapshot: dict) -> None:
    """Gives a closed round's report matrices (queries.matrix.Matrix) the statuses of the
    snapshot. The structure (resolutions, commitments, nations, which cells a filter shows)
    comes from the live data; every status, justification and date shown comes from the
    closing, and the counts are recounted from them."""
    statuses = {(s["commitment"], s["nation"]): s for s in snapshot["statuses"]}
    labels = {value: str(label) for value, label in Status.choices}
    for table in tables:
        table.totals = Counter()
        table.column_counts = [Counter() for _ in table.members]
        for row in table.rows:
            row.counts = Counter()
            for index, cell in enumerate(row.cells):
                saved = statuses.get((row.commitment.pk, str(cell.member.country)), {})
                cell.status = saved.get("status", Status.NO_INFORMATION)
                cell.label = labels[cell.status]
                cell.justification = saved.get("justification", "")
                cell.updated_at = parse_datetime(saved["updated_at"]) if saved else None
                if cell.shown:
                    row.counts[cell.status] += 1
                    table.column_counts[index][cell.status] += 1
                    table.totals[cell.status] += 1


def snapshot_actions(tables, snapshot: dict):
    """The snapshot's accepted actions as reports.data reads actions from the database: tuples
    of (pk, commitment_id, member_id, title, description, action_type, actor, stage,
    review_state, date, updated_at) in the report's order (commitment as in the matrices,
    nation code, date, id), and each action's evidence as (title, kind, date, url, file name,
    content type, size, sha256) tuples."""
    order = {row.commitment.pk: i for i, row in enumerate(r for t in tables for r in t.rows)}
    members = {str(m.country): m.pk for table in tables[:1] for m in table.members}
    rows, evidence = [], {}
    for a in snapshot["actions"]:
        if a["commitment"] not in order or a["nation"] not in members:
            continue  # a commitment or nation the (filtered) report leaves out
        date = parse_date(a["date"]) if a["date"] else None
        rows.append((
            (order[a["commitment"]], a["nation"], date or datetime.date.max, a["id"]),
            (a["id"], a["commitment"], members[a["nation"]], a["title"], a["description"],
             a["action_type"], a["actor"], a["stage"], NationalAction.ReviewState.ACCEPTED,
             date, parse_datetime(a["updated_at"])),
        ))  # fmt: skip
        evidence[a["id"]] = [
            (e["title"], e["kind"], parse_date(e["date"]) if e["date"] else None, e["url"],
             e["original_name"], e["content_type"], e["size"], e["sha256"])
            for e in a["evidence"]
        ]  # fmt: skip
    return [values for _key, values in sorted(rows, key=lambda r: r[0])], evidence


# --- Completion -------------------------------------------------------------------------------


@dataclass
class Progress:
    """How many of `total` (commitment, nation) pairs have a status other than "no information"
    and how many have an accepted action."""

    label: str
    total: int
    with_status: int
    with_accepted: int

    @property
    def status_percent(self) -> int:
        return round(100 * self.with_status / self.total) if self.total else 0

    @property
    def accepted_percent(self) -> int:
        return round(100 * self.with_accepted / self.total) if self.total else 0


@dataclass
class Completion:
    nations: list[Progress]
    commitments: list[Progress]
    as_of: datetime.datetime | None  # the closing, for a closed round; None: live


def completion(round_) -> Completion:
    """Completion per nation and per commitment: live for an open round, from the snapshot for
    a closed one. Four queries whatever the size."""
    commitments = list(
        Commitment.objects.filter(resolution__reporting_rounds=round_)
        .select_related("resolution")
        .order_by("-resolution__adoption_date", "resolution__number", "order")
    )
    # By name, as readers look for them (the names are translated: sorted here, not in SQL).
    members = sorted(Member.objects.filter(kind=Member.Kind.MEMBER), key=lambda m: m.name)
    if round_.snapshot:
        with_status = {
            (s["commitment"], s["nation"])
            for s in round_.snapshot["statuses"]
            if s["status"] != Status.NO_INFORMATION
        }
        with_accepted = {(a["commitment"], a["nation"]) for a in round_.snapshot["actions"]}
        as_of = parse_datetime(round_.snapshot["taken_at"])
    else:
        ids = [c.pk for c in commitments]
        with_status = set(
            ImplementationStatus.objects.filter(commitment_id__in=ids)
            .exclude(status=Status.NO_INFORMATION)
            .values_list("commitment_id", "member__country")
        )
        with_accepted = set(
            NationalAction.objects.filter(
                commitment_id__in=ids, review_state=NationalAction.ReviewState.ACCEPTED
            )
            .values_list("commitment_id", "member__country")
            .distinct()
        )
        as_of = None
    codes = [str(m.country) for m in members]
    nations = [
        Progress(
            m.name,
            len(commitments),
            sum((c.pk, code) in with_status for c in commitments),
            sum((c.pk, code) in with_accepted for c in commitments),
        )
        for m, code in zip(members, codes, strict=True)
    ]
    rows = [
        Progress(
            f"{c.resolution.number} {c.label}",
            len(codes),
            sum((c.pk, code) in with_status for code in codes),
            sum((c.pk, code) in with_accepted for code in codes),
        )
        for c in commitments
    ]
    return Completion(nations, rows, as_of)


def current_round_openings(resolution_ids) -> dict[int, datetime.date]:
    """For each resolution, when its current (open) round opened: the latest opening among its
    open rounds. Staleness counts from the later of this and the adoption. One query."""
    openings: dict[int, datetime.date] = {}
    rows = _open_rounds().filter(resolutions__in=list(resolution_ids))
    for resolution_id, opened in rows.values_list("resolutions", "opened_on"):
        if opened and opened > openings.get(resolution_id, datetime.date.min):
            openings[resolution_id] = opened
    return openings


def _open_rounds():
    from .models import ReportingRound

    return ReportingRound.objects.filter(Q(is_open=True) & Q(closed_at__isnull=True))
