"""What a delegation's workspace shows: per commitment, the nation's status, its actions, the last
update, whether evidence is missing, and the next deadline. A fixed number of queries whatever
the number of commitments or actions."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from . import permissions
from .models import Commitment, Evidence, ImplementationStatus, Member, ReportingRound

Status = ImplementationStatus.Status
SORTS = {"label", "status", "updated"}


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: str
    status_label: str
    action_count: int
    has_evidence: bool
    last_update: datetime.datetime | None
    stale: bool
    next_round: ReportingRound | None


def commitment_rows(
    user, member: Member, *, status: str = "", sort: str = "label", stale_after_days: int = 90
) -> list[CommitmentRow]:
    """One row per commitment of every resolution the user can read, for `member`."""
    actions = permissions.visible_actions(user).filter(member=member, commitment=OuterRef("pk"))
    commitments = commitments_with_last_update(user, member).annotate(
        action_count=Subquery(
            actions.order_by().values("commitment").annotate(n=Count("pk")).values("n")[:1]
        ),
        has_evidence=Exists(
            Evidence.objects.filter(
                action__in=permissions.visible_actions(user).filter(member=member),
                action__commitment=OuterRef("pk"),
            )
        ),
    )
    rounds = next_rounds()
    now = timezone.now()
    stale_before = now - datetime.timedelta(days=stale_after_days)
    labels = dict(Status.choices)
    rows = []
    for c in commitments:
        value = c.status_value or Status.NO_INFORMATION
        if status and value != status:
            continue
        updates = [d for d in (c.status_updated, c.last_action) if d]
        last = max(updates) if updates else None
        rows.append(
            CommitmentRow(
                commitment=c,
                status=value,
                status_label=labels[value],
                action_count=c.action_count or 0,
                has_evidence=c.has_evidence,
                last_update=last,
                stale=last is None or last < stale_before,
                next_round=rounds.get(c.resolution_id),
            )
        )
    return sort_rows(rows, sort)


def commitments_with_last_update(user, member: Member):
    """Commitments the user can read, annotated with `member`'s status (status_value,
    status_updated) and the latest update of its visible actions (last_action): what the
    dashboard and the reminder digests call "the last update"."""
    actions = permissions.visible_actions(user).filter(member=member, commitment=OuterRef("pk"))
    saved_status = ImplementationStatus.objects.filter(member=member, commitment=OuterRef("pk"))
    return (
        Commitment.objects.filter(resolution__in=permissions.visible_resolutions(user))
        .select_related("resolution")
        .order_by("-resolution__adoption_date", "resolution__number", "order")
        .annotate(
            status_value=Subquery(saved_status.values("status")[:1]),
            status_updated=Subquery(saved_status.values("updated_at")[:1]),
            last_action=Subquery(actions.order_by("-updated_at").values("updated_at")[:1]),
        )
    )


STATUS_ORDER = {value: index for index, value in enumerate(Status.values)}


def sort_rows(rows: list[CommitmentRow], sort: str) -> list[CommitmentRow]:
    if sort == "status":
        return sorted(rows, key=lambda r: STATUS_ORDER[r.status])
    if sort == "updated":
        # Least recently updated first: what needs attention comes to the top.
        epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(rows, key=lambda r: r.last_update or epoch)
    return rows


def next_rounds(today: datetime.date | None = None) -> dict[int, ReportingRound]:
    """The nearest open reporting round per resolution id, in one query."""
    today = today or timezone.localdate()
    found: dict[int, ReportingRound] = {}
    through = ReportingRound.resolutions.through.objects.filter(
        reportinground__is_open=True, reportinground__deadline__gte=today
    ).select_related("reportinground")
    for link in through.order_by("reportinground__deadline"):
        found.setdefault(link.resolution_id, link.reportinground)
    return found


def nation_statuses(commitment: Commitment) -> list[tuple[Member, str, str]]:
    """Every nation's status on one commitment, for the at-a-glance strip: two queries."""
    saved = dict(
        ImplementationStatus.objects.filter(commitment=commitment).values_list(
            "member_id", "status"
        )
    )
    labels = dict(Status.choices)
    return [
        (m, saved.get(m.pk, Status.NO_INFORMATION), labels[saved.get(m.pk, Status.NO_INFORMATION)])
        for m in Member.objects.filter(kind=Member.Kind.MEMBER)
    ]
