"""What a delegation's workspace shows: per commitment, the nation's status, its actions, the last
update, whether evidence is missing, and the next deadline. A fixed number of queries whatever
the number of commitments or actions."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Length
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language

from . import paging, permissions, staleness
from .models import (
    Commitment,
    Evidence,
    ImplementationStatus,
    Member,
    NationalAction,
    ReportingRound,
)
from .templatetags.tracker import url_maker

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
    url: str = ""
    summary: str = ""


def commitment_rows(
    user, member: Member, *, status: str = "", sort: str = "label", stale_after_days: int = 90
) -> list[CommitmentRow]:
    """One row per commitment of every resolution the user can read, for `member`."""
    actions = permissions.visible_actions(user).filter(member=member, commitment=OuterRef("pk"))
    commitments = commitments_with_last_update(user, member).annotate(
        action_count=Subquery(
            actions.order_by().values("commitment").annotate(n=Count("pk")).values("n")[:1]
        ),
        # Correlated through the (member, commitment) index: a few actions per row, instead
        # of every piece of evidence of the nation hashed first.
        has_evidence=Exists(
            Evidence.objects.filter(
                action__in=permissions.visible_actions(user)
                .filter(member=member, commitment=OuterRef(OuterRef("pk")))
                .values("pk")
            )
        ),
    )
    rounds = next_rounds()
    now = timezone.now()
    labels = dict(Status.choices)
    detail_url = url_maker("commitment-detail")
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
                stale=staleness.is_stale(
                    now,
                    stale_after_days,
                    last,
                    c.resolution.adoption_date,
                    c.resolution.imported_at,
                    _opened(rounds.get(c.resolution_id)),
                ),  # fmt: skip
                next_round=rounds.get(c.resolution_id),
                url=detail_url(member.code, c.pk),
                summary=Truncator(c.text).words(16, truncate=" …"),
            )
        )
    return sort_rows(rows, sort)


def _opened(round_) -> datetime.date | None:
    return round_.opened_on if round_ else None


def commitments_with_last_update(user, member: Member):
    """Commitments the user can read, annotated with `member`'s status (status_value,
    status_updated) and the latest update of its visible actions (last_action): what the
    dashboard and the reminder digests call "the last update"."""
    actions = permissions.visible_actions(user).filter(member=member, commitment=OuterRef("pk"))
    saved_status = ImplementationStatus.objects.filter(member=member, commitment=OuterRef("pk"))
    return (
        Commitment.objects.filter(resolution__in=permissions.visible_resolutions(user))
        .select_related("resolution")
        # The resolution's full text would travel once per commitment, for nothing.
        .defer("resolution__original_text")
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


@dataclass
class NationStatus:
    """One chip of the "every nation at a glance" strip."""

    member: Member
    status: str
    label: str
    url: str


def commitment_statuses(
    commitment: Commitment, member: Member
) -> tuple[ImplementationStatus, list[NationStatus]]:
    """`member`'s status on one commitment (an unsaved "no information" one when none is saved,
    as actions.status_of gives) and every nation's, for the at-a-glance strip: two queries for
    both, where asking for them apart took four."""
    saved = {
        s.member_id: s
        for s in ImplementationStatus.objects.filter(commitment=commitment).select_related("set_by")
    }
    status = saved.get(member.pk) or ImplementationStatus(
        commitment=commitment, member=member, status=Status.NO_INFORMATION, version=0
    )
    labels = dict(Status.choices)
    detail_url = url_maker("commitment-detail")
    strip = []
    for m in Member.objects.filter(kind=Member.Kind.MEMBER):
        value = saved[m.pk].status if m.pk in saved else Status.NO_INFORMATION
        strip.append(NationStatus(m, value, labels[value], detail_url(m.code, commitment.pk)))
    return status, strip


# --- Caching the rendered dashboard -------------------------------------------------------------


def _total(queryset, aggregate):
    """`aggregate` over all of `queryset`, as a scalar subquery (grouped by a constant, which
    Django leaves out: one row)."""
    return Subquery(
        queryset.order_by().annotate(_all=Value(1)).values("_all").annotate(v=aggregate).values("v")
    )


def _fingerprint(queryset, *, updated: str | None = None, text=None, latest=None):
    """How many rows, which ones, when last changed and how long their text: what changes when
    a row is added, removed or edited. With `latest`, only that column's highest value. The
    figures are joined in one text so that the rows are read once, not once per figure (three
    scans of a nation's 4,500 actions were most of the dashboard's version query at size L)."""
    if latest:
        return _total(queryset, Max(latest))
    figures = [Count("pk"), Sum("pk")]
    if updated:
        figures.append(Max(updated))
    if text is not None:
        figures.append(Sum(text))
    parts = []
    for figure in figures:
        # NULL (an empty table's SUM or MAX) would make the whole text NULL.
        parts += [Coalesce(Cast(figure, CharField()), Value("-")), Value(":")]
    return _total(queryset, Concat(*parts[:-1], output_field=CharField()))


# The version query's SQL for each (what the permission rules read of a user, nation): its text
# does not depend on the data, and building it through the ORM (21 nested subqueries) cost
# more than running it. Whatever else permissions.visible_actions() or visible_resolutions()
# come to read of a user must join the key in _version_shape().
_VERSION_SQL: dict[tuple, tuple[str, tuple]] = {}
_VERSION_SQL_LIMIT = 4096


def _version_shape(user, member: Member) -> tuple:
    return (
        user.is_authenticated,
        permissions.is_administrator(user),
        permissions.own_member_id(user),
        member.pk,
    )


def dashboard_version(user, member: Member) -> tuple:
    """Everything a nation's dashboard is drawn from, summed up in one query: the actions this
    user can see (count, ids, latest update), evidence (its history), the nation's statuses, the
    resolutions and commitments (re-imports touch them), and the reporting rounds. Part of the
    cache key, so a cached dashboard is never older than the data."""
    shape = _version_shape(user, member)
    compiled = _VERSION_SQL.get(shape)
    if compiled is None:
        compiled = _version_query(user, member).query.sql_with_params()
        if len(_VERSION_SQL) >= _VERSION_SQL_LIMIT:
            _VERSION_SQL.clear()
        _VERSION_SQL[shape] = compiled
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(str(value) for value in cursor.fetchone())


def _version_query(user, member: Member):
    sources = {
        "actions": (
            permissions.visible_actions(user).filter(member=member),
            {"updated": "updated_at"},
        ),
        # Every change to evidence writes a history row: the newest history id moves with any
        # of them, read from the primary key's index (joining the nation's evidence to its
        # actions took most of this query's time).
        "evidence": (Evidence.history.model.objects.all(), {"latest": "history_id"}),
        "statuses": (ImplementationStatus.objects.filter(member=member), {"updated": "updated_at"}),
        "resolutions": (
            permissions.visible_resolutions(user),
            {"updated": "updated_at", "text": Length("title")},
        ),
        "commitments": (
            Commitment.objects.all(),
            {"text": Length("text") + Length("label") + F("order") + F("resolution_id")},
        ),
        "rounds": (
            ReportingRound.objects.all(),
            {"updated": "deadline", "text": Length("name") + Cast("is_open", IntegerField())},
        ),
        # Staleness counts from the current round's opening (staleness.py).
        "round_openings": (ReportingRound.objects.all(), {"updated": "opened_on"}),
        "round_links": (
            ReportingRound.resolutions.through.objects.all(),
            {"text": F("resolution_id")},
        ),
    }
    annotations = {
        f"v_{name}": _fingerprint(queryset, **options)
        for name, (queryset, options) in sources.items()
    }
    return Member.objects.filter(pk=member.pk).annotate(**annotations).values_list(*annotations)


def dashboard_cache_key(user, member: Member, **options) -> str:
    """The cache key of a nation's dashboard as this user sees it with these options. Whether
    the user sees the nation's drafts is part of it; the minute is too, because "stale" and
    the next deadline depend on the time (a row turns stale at most a minute late)."""
    drafts = permissions.is_administrator(user) or permissions.own_member_id(user) == member.pk
    parts = [
        get_language(),
        member.pk,
        drafts,
        sorted(options.items()),
        timezone.now().strftime("%Y-%m-%d %H:%M"),
        dashboard_version(user, member),
    ]
    return "dashboard:1:" + hashlib.sha256(repr(parts).encode()).hexdigest()


RETURNED_SHOWN = 10  # returned actions listed on a dashboard; the rest are counted


def returned_actions(user, member: Member) -> tuple[list[NationalAction], int]:
    """The nation's actions the secretariat returned for revision, newest first: the first
    RETURNED_SHOWN with their comments, and how many there are in all, in one query."""
    return paging.first_and_total(
        permissions.visible_actions(user)
        .filter(member=member, review_state=NationalAction.ReviewState.RETURNED)
        .select_related("commitment__resolution")
        .order_by("-reviewed_at", "-pk"),
        RETURNED_SHOWN,
    )
