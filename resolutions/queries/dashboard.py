"""What a delegation's workspace shows: per commitment, the nation's status, its actions, the last
update, whether evidence is missing, and the next deadline. A fixed number of queries whatever
the number of commitments or actions.

Only the current resolutions (those of the most recent session) are open on the dashboard; older
ones are folded to one line each and their rows read when asked for (one resolution at a time),
so the page's cost does not grow with the archive.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from .. import permissions, staleness
from ..models import (
    Commitment,
    Evidence,
    ImplementationStatus,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
)
from ..models.documents import texts_at
from ..models.followup import evidence_visibility
from ..text import first_words
from . import paging
from .links import pk_url_maker, url_maker

Status = ImplementationStatus.Status
SORTS = {"label", "status", "updated"}


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: str
    action_count: int
    has_evidence: bool
    last_update: datetime.datetime | None
    stale: bool
    next_round: ReportingRound | None
    url: str = ""
    summary: str = ""


def commitment_rows(
    user,
    member: Member,
    *,
    resolutions: list[Resolution] | None = None,
    status: str = "",
    sort: str = "label",
    stale_after_days: int = 90,
    rounds: dict | None = None,
) -> list[CommitmentRow]:
    """One row per commitment for `member`, of the given resolutions or, without them, of every
    resolution the user can read.

    Two queries (commitments with the nation's status on each; its actions counted per
    commitment, with the latest update and how many have evidence) rather than one with five
    correlated subqueries per row:
    the subqueries walked each commitment's actions of every nation at size L, and compiling
    them through the ORM cost as much as running them."""
    # With the nation's status on each: cheaper than a query of its own.
    commitments = with_saved_status(
        Commitment.objects.visible_to(user).only("pk", "resolution_id", "label", "text", "order"),
        member,
    ).order_by("-resolution__adoption_date", "resolution__number", "order")
    known = {r.pk: r for r in resolutions or ()}
    if resolutions is None:
        commitments = commitments.select_related("resolution").defer(*texts_at("resolution"))
    else:
        commitments = commitments.filter(resolution__in=list(known))
    commitments = list(commitments)
    resolution_ids = {c.resolution_id for c in commitments}
    # Per commitment, the nation's visible actions of those resolutions: how many, the latest
    # update, and how many have evidence the reader may see. Reached through the resolutions
    # (not a list of commitment ids) so that PostgreSQL walks the (member, commitment) index.
    # The actions are visible ones already: of their evidence, only its own rule applies.
    with_evidence = Exists(
        Evidence.objects.filter(evidence_visibility(user), action=OuterRef("pk"))
    )
    counted = {
        commitment_id: (count, last, evidenced > 0)
        for commitment_id, count, last, evidenced in (
            permissions.visible_actions(user)
            .filter(member=member, commitment__resolution__in=resolution_ids)
            .order_by()
            .values("commitment_id")
            .annotate(
                count=Count("pk"),
                last=Max("updated_at"),
                evidenced=Count("pk", filter=with_evidence),
            )
            .values_list("commitment_id", "count", "last", "evidenced")
        )
    }
    rounds = next_rounds() if rounds is None else rounds
    stale_before = timezone.now() - datetime.timedelta(days=stale_after_days)
    starts: dict[int, datetime.datetime | None] = {}  # each resolution's, worked out once
    detail_url = url_maker("commitment-detail")
    code = member.code
    rows = []
    for c in commitments:
        if known:
            c.resolution = known[c.resolution_id]
        value, status_updated = c.status_value or Status.NO_INFORMATION, c.status_updated
        if status and value != status:
            continue
        action_count, last_action, has_evidence = counted.get(c.pk, (0, None, False))
        updates = [d for d in (status_updated, last_action) if d]
        last = max(updates) if updates else None
        if c.resolution_id not in starts:
            starts[c.resolution_id] = staleness.resolution_start(
                c.resolution.adoption_date,
                c.resolution.imported_at,
                _opened(rounds.get(c.resolution_id)),
            )
        rows.append(
            CommitmentRow(
                commitment=c,
                status=value,
                action_count=action_count,
                has_evidence=has_evidence,
                last_update=last,
                stale=staleness.since(last, starts[c.resolution_id]) < stale_before,
                next_round=rounds.get(c.resolution_id),
                url=detail_url(code, c.pk),
                summary=first_words(c.text, 16),
            )
        )
    return sort_rows(rows, sort)


def _opened(round_) -> datetime.date | None:
    return round_.opened_on if round_ else None


def with_saved_status(commitments, member: Member):
    """`commitments` with `member`'s saved status on each as `status_value` and
    `status_updated` (None when none is saved): two subqueries on the (commitment, nation)
    key, one row each."""
    saved = ImplementationStatus.objects.filter(member=member, commitment=OuterRef("pk"))
    return commitments.annotate(
        status_value=Subquery(saved.values("status")[:1]),
        status_updated=Subquery(saved.values("updated_at")[:1]),
    )


def commitments_with_last_update(user, member: Member):
    """Commitments the user can read, annotated with `member`'s status (status_value,
    status_updated) and the latest update of its visible actions (last_action): what the
    dashboard and the reminder digests call "the last update"."""
    actions = permissions.visible_actions(user).filter(member=member, commitment=OuterRef("pk"))
    return (
        with_saved_status(Commitment.objects.visible_to(user), member)
        .select_related("resolution")
        # The resolution's full text would travel once per commitment, for nothing.
        .defer(*texts_at("resolution"))
        .order_by("-resolution__adoption_date", "resolution__number", "order")
        .annotate(last_action=Subquery(actions.order_by("-updated_at").values("updated_at")[:1]))
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
    """The nearest open reporting round per resolution id, in one query. Read as rows of the
    rounds' links to their resolutions, each round built once with what pages and digests
    show of it (name, deadline, opening): a round covers dozens of resolutions, and a model
    pair per link cost more than the rest of the dashboard's rows at L."""
    today = today or timezone.localdate()
    found: dict[int, ReportingRound] = {}
    rounds: dict[int, ReportingRound] = {}
    links = (
        ReportingRound.resolutions.through.objects.filter(
            reportinground__is_open=True, reportinground__deadline__gte=today
        )
        .order_by("reportinground__deadline", "reportinground_id")
        .values_list(
            "resolution_id", "reportinground_id", "reportinground__name",
            "reportinground__deadline", "reportinground__opened_on",
        )
    )  # fmt: skip
    for resolution_id, pk, name, deadline, opened_on in links:
        if pk not in rounds:
            rounds[pk] = ReportingRound(
                pk=pk, name=name, deadline=deadline, opened_on=opened_on, is_open=True
            )
        found.setdefault(resolution_id, rounds[pk])
    return found


RETURNED_SHOWN = 10  # returned actions listed on a dashboard; the rest are counted


@dataclass
class ReturnedAction:
    """An action the secretariat returned, as the dashboard lists it."""

    title: str
    url: str
    reference: str  # "493 25.e"
    review_comment: str


def returned_actions(user, member: Member) -> tuple[list[ReturnedAction], int]:
    """The nation's actions the secretariat returned for revision, newest first: the first
    RETURNED_SHOWN with their comments, and how many there are in all, in one query. Read as
    rows: three models per action cost more than the query."""
    rows, total = paging.first_and_total(
        permissions.visible_actions(user)
        .filter(member=member, review_state=NationalAction.ReviewState.RETURNED)
        .order_by("-reviewed_at", "-pk"),
        RETURNED_SHOWN,
        fields=(
            "pk", "title", "review_comment", "commitment__label",
            "commitment__resolution__number",
        ),
    )  # fmt: skip
    action_url = pk_url_maker("action-detail")
    return [
        ReturnedAction(
            title=row.title,
            url=action_url(row.pk),
            reference=Commitment.reference_of(
                row.commitment__resolution__number, row.commitment__label
            ),
            review_comment=row.review_comment,
        )
        for row in rows
    ], total


# --- Open and folded resolutions ----------------------------------------------------------------


@dataclass
class FoldedResolution:
    """An older resolution, folded to one line: its rows are read when asked for."""

    resolution: tuple  # its row: pk, document_type, number, title…
    commitments: int
    next_round: ReportingRound | None
    url: str


@dataclass
class Dashboard:
    rows: list[CommitmentRow]  # of the open (current) resolutions
    folded: list[FoldedResolution] = field(default_factory=list)


def current_ones(resolutions: list) -> set[int]:
    """The ids of the current resolutions among `resolutions` (newest first): those of the most
    recent session (or, without a session, adopted on the newest adoption date), and any
    without a date (just imported, nothing to tell their age by). What delegations work on now.
    Worked out here from the rows the dashboard reads anyway: as two subqueries in SQL, compiling
    them cost more than reading every resolution."""
    newest = next((r for r in resolutions if r.adoption_date is not None), None)

    def is_current(r) -> bool:
        if r.adoption_date is None:
            return True
        same_session = newest.session_id is not None and r.session_id == newest.session_id
        same_day = r.session_id is None and r.adoption_date == newest.adoption_date
        return same_session or same_day

    return {r.pk for r in resolutions if is_current(r)}


RESOLUTION_FIELDS = (
    "pk", "document_type", "number", "title", "title_fr", "language", "adoption_date",
    "imported_at", "session_id",
)  # fmt: skip


def read_dashboard(user, member: Member, **options) -> Dashboard:
    """The dashboard of `member` as `user` sees it: rows for the current resolutions, one folded
    line for each older one. Four queries whatever the size of the archive."""
    # What the rows, the groups' headings and the folded lines read, as rows: a hundred
    # resolutions built as models cost more than the query. The few open ones become models
    # (of these fields only) for the headings' links and titles.
    resolutions = list(
        Resolution.objects.visible_to(user)
        .order_by("-adoption_date", "-number")
        # Grouped by these fields only: annotating the model would group by every column
        # (texts included) where the database cannot group by the primary key (SQLite).
        .values(*RESOLUTION_FIELDS)
        .annotate(commitment_count=Count("commitments"))
        .values_list(*RESOLUTION_FIELDS, "commitment_count", named=True)
    )
    now = current_ones(resolutions)
    rounds = next_rounds()
    open_resolutions = [
        Resolution(**{name: getattr(r, name) for name in RESOLUTION_FIELDS})
        for r in resolutions
        if r.pk in now
    ]
    rows = commitment_rows(user, member, resolutions=open_resolutions, rounds=rounds, **options)
    fold_url = url_maker("nation-dashboard-resolution")
    code = member.code  # a new Country object at each reading
    folded = [
        FoldedResolution(r, r.commitment_count, rounds.get(r.pk), fold_url(code, r.pk))
        for r in resolutions
        if r.pk not in now
    ]
    return Dashboard(rows, folded)


def resolution_url(member: Member, resolution: Resolution) -> str:
    return reverse("nation-dashboard-resolution", kwargs={"code": member.code, "pk": resolution.pk})
