"""What a status report says, gathered once for every format.

A report covers a *scope*: one resolution (with the matrix filters), one nation across the
resolutions, one reporting round, or every resolution (`scope=all`, for secretaries and
administrators: `permissions.can_export_everything`). `read_scope()` turns the query string
into a scope (or a `ScopeError` that says what is wrong); `gather_report()` turns a scope into
plain dataclasses, so that the exporters can render without touching the database. The CSV
export, which must not hold every action in memory, reads the same actions lazily with
`stream_actions()`.

The cells come from `matrix.build_matrices()`, so a report is filtered exactly as the matrix page
is, and the actions from `permissions.visible_actions()`, so nobody's export holds anything they
could not see on screen (another delegation's drafts in particular).

Queries: `gather_report()` makes 5 whatever the number of resolutions, nations, statuses, actions
or evidence: 3 for the matrices of every resolution in the scope (`matrix.build_matrices`), 1 for
the actions and 1 for their evidence. Actions and evidence are read as plain values, not model
instances: building 25,000 model objects costs more than everything else of an XLSX export.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Evidence, ImplementationStatus, Member, NationalAction
from ..queries import matrix

Status = ImplementationStatus.Status
KINDS = ("resolution", "nation", "round", "all")
FILTER_NAMES = ("resolution", "committee", "theme", "nation", "status", "updated_since")

# Above this many actions the PDF and DOCX keep the cover, charts, counts and matrices but leave
# the list of actions to the XLSX and CSV exports of the same scope, and say so. WeasyPrint lays
# out every page before writing any and keeps them all: about 1,000 actions make 120 pages, 25 s
# of CPU and 340 MB on this machine; a full export of 25,000 actions would be 3,000 pages, ten
# minutes and several GB (see scripts/bench_reports.py).
DETAIL_LIMIT = 3000

# The same symbols as templates/resolutions/_status_symbol.html (a test keeps them in step), so
# that the printed report reads like the matrix page.
STATUS_SYMBOLS = {
    Status.NO_INFORMATION: "?",
    Status.NOT_STARTED: "○",
    Status.IN_PROGRESS: "◑",
    Status.PARTIAL: "◕",
    Status.IMPLEMENTED: "●",
    Status.NOT_APPLICABLE: "–",
}


class ScopeError(ValueError):
    """The request does not name a report that can be made: each message says why."""

    status = 400

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class ScopeRefused(ScopeError):
    """The report exists but this user may not make it (a full export by an editor)."""

    status = 403


@dataclass
class ReportScope:
    """What a report covers, read from the query string and checked against the user."""

    kind: str  # "resolution", "nation", "round" or "all"
    key: str  # for the file name: the resolution's number, the nation's code, the round's id
    title: str
    user: object
    resolutions: list  # Resolution rows, committee and session loaded
    filters: matrix.MatrixFilters
    member: Member | None = None
    round: object = None
    query: dict[str, str] = field(default_factory=dict)  # enough to read the scope again

    @property
    def file_prefix(self) -> str:
        if self.kind == "resolution":
            return f"{self.resolutions[0].document_type}-{self.key}"
        if self.kind == "all":
            return "all-resolutions"
        return f"{self.kind}-{self.key}"


def read_scope(user, query) -> ReportScope:
    """The scope a query string names (`scope`, `id` and the matrix filters), or ScopeError."""
    kind = (query.get("scope") or "").strip()
    ident = (query.get("id") or "").strip()
    if kind not in KINDS:
        raise ScopeError(
            [_("Choose what the report covers: a resolution, a nation, a round or everything.")]
        )
    if kind == "all" and not permissions.can_export_everything(user):
        raise ScopeRefused(
            [_("Only committee secretaries and administrators may export every resolution at "
               "once. Export one resolution, one nation or one reporting round instead.")]
        )  # fmt: skip
    if kind != "all" and not ident:
        raise ScopeError([_("Say which %(kind)s the report covers.") % {"kind": kind}])
    raw = {name: query.get(name, "").strip() for name in FILTER_NAMES if query.get(name)}
    if kind == "resolution":
        raw["resolution"] = _check_same(raw.get("resolution"), ident, _("resolution"))
    if kind == "nation":
        nation = raw.get("nation", "").upper() or None
        raw["nation"] = _check_same(nation, ident.upper(), _("nation"))
    as_query = QueryDict(mutable=True)
    as_query.update(raw)
    form, filters = matrix.read_filters(as_query, user)
    if kind == "resolution" and "resolution" in form.errors:
        raise ScopeError([_("There is no resolution with the id “%(id)s”.") % {"id": ident}])
    if kind == "nation" and "nation" in form.errors:
        raise ScopeError([_("There is no nation with the code “%(id)s”.") % {"id": ident}])
    if filters.errors:
        raise ScopeError(filters.errors)
    # read_filters picks the latest resolution when none is asked for; only the resolution
    # scope and an explicit filter narrow a nation's or a round's report to one resolution.
    explicit_resolution = filters.resolution if raw.get("resolution") else None
    stored = {"scope": kind, **({"id": ident} if kind != "all" else {}), **raw}
    resolutions = permissions.visible_resolutions(user).select_related("committee", "session")
    if kind == "resolution":
        resolution = filters.resolution
        return ReportScope(
            kind, str(resolution.number), str(resolution), user,
            [resolutions.get(pk=resolution.pk)], filters, query=stored,
        )  # fmt: skip
    if filters.committee:
        resolutions = resolutions.filter(committee=filters.committee)
    if explicit_resolution:
        resolutions = resolutions.filter(pk=explicit_resolution.pk)
    resolutions = resolutions.order_by("-adoption_date", "-number")
    if kind == "all":
        return ReportScope(
            kind, "all", _("Every resolution"), user, list(resolutions), filters, query=stored
        )
    if kind == "nation":
        return ReportScope(
            kind, filters.nation.code.lower(), filters.nation.name, user, list(resolutions),
            filters, member=filters.nation, query=stored,
        )  # fmt: skip
    try:
        round_ = permissions.get_round_for_user(user, int(ident))
    except (ValueError, Http404):
        raise ScopeError(
            [_("There is no reporting round with the id “%(id)s”.") % {"id": ident}]
        ) from None
    resolutions = resolutions.filter(reporting_rounds=round_)
    return ReportScope(
        kind, str(round_.pk), round_.name, user, list(resolutions), filters, round=round_,
        query=stored,
    )  # fmt: skip


def _check_same(filter_value, ident, what):
    if filter_value and filter_value != ident:
        raise ScopeError(
            [_("The %(what)s filter does not match the report's %(what)s.") % {"what": what}]
        )
    return ident


# --- The report's data -----------------------------------------------------------------------


@dataclass(slots=True)
class EvidenceItem:
    title: str
    kind: str  # "file" or "link"
    date: datetime.date | None
    url: str
    file_name: str
    content_type: str
    size: int | None
    sha256: str

    @property
    def sha256_prefix(self) -> str:
        return self.sha256[:12]


@dataclass(slots=True)
class ActionItem:
    id: int
    title: str
    description: str
    type_label: str
    actor_label: str
    stage_label: str
    review_state: str
    review_label: str
    date: datetime.date | None
    updated_at: datetime.datetime
    evidence: list[EvidenceItem] = field(default_factory=list)


@dataclass
class NationCell:
    """One nation's status on one commitment, with the actions the reader may see."""

    code: str
    name: str
    status: str
    status_label: str
    symbol: str
    justification: str
    updated_at: datetime.datetime | None
    shown: bool  # False when a status or date filter leaves the cell out
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return self.shown and (self.status != Status.NO_INFORMATION or bool(self.actions))


@dataclass
class CommitmentReport:
    id: int
    label: str
    text: str
    counts: dict[str, int]  # status -> number of (shown) nations
    cells: list[NationCell]

    @property
    def reporting(self) -> list[NationCell]:
        """Nations with a status or an action to tell."""
        return [cell for cell in self.cells if cell.has_news]

    @property
    def silent(self) -> list[NationCell]:
        """Nations shown with no information and no action."""
        return [cell for cell in self.cells if cell.shown and not cell.has_news]

    @property
    def actions(self) -> list[ActionItem]:
        return [action for cell in self.cells for action in cell.actions]


@dataclass
class NationRef:
    code: str
    name: str


@dataclass
class ResolutionReport:
    id: int
    number: int
    kind_label: str  # "Resolution", "Declaration"…
    title: str
    committee: str
    committee_code: str
    session: str
    session_place: str
    adoption_date: datetime.date | None
    nations: list[NationRef]
    commitments: list[CommitmentReport]
    totals: dict[str, int]

    @property
    def name(self) -> str:
        return f"{self.kind_label} {self.number}"


@dataclass
class StatusInfo:
    value: str
    label: str
    symbol: str


@dataclass
class ReportData:
    kind: str
    title: str  # "Resolution 493: Galvanising…", "Canada", "Spring 2027 (2027-05-01)"
    scope_label: str  # "Resolution 493", "Canada, across resolutions", "Reporting round …"
    filters: list[str]  # the filters in force, in words
    generated_at: datetime.datetime
    generated_by: str
    resolutions: list[ResolutionReport]
    statuses: list[StatusInfo]
    deadline: datetime.date | None = None  # a reporting round's
    details: bool = True  # False: too many actions to list in a PDF or DOCX (DETAIL_LIMIT)

    @property
    def action_count(self) -> int:
        return sum(len(c.actions) for r in self.resolutions for c in r.commitments)

    @property
    def evidence_count(self) -> int:
        return sum(
            len(a.evidence) for r in self.resolutions for c in r.commitments for a in c.actions
        )

    @property
    def nations(self) -> list[NationRef]:
        """Every nation in the report, once, in order."""
        seen: dict[str, NationRef] = {}
        for resolution in self.resolutions:
            for nation in resolution.nations:
                seen.setdefault(nation.code, nation)
        return list(seen.values())

    @property
    def totals(self) -> dict[str, int]:
        counts: Counter = Counter()
        for resolution in self.resolutions:
            counts.update(resolution.totals)
        return {s.value: counts.get(s.value, 0) for s in self.statuses}


def statuses() -> list[StatusInfo]:
    return [StatusInfo(value, str(label), STATUS_SYMBOLS[value]) for value, label in Status.choices]


def gather_report(scope: ReportScope) -> ReportData:
    """Everything a PDF, DOCX or XLSX report shows, in a fixed number of queries."""
    tables = _matrices(scope)
    actions = _visible_actions(scope, tables)
    labels = _labels()
    by_id: dict[int, ActionItem] = {}
    by_cell: dict[tuple[int, int], list[ActionItem]] = {}
    for values in actions.values_list(*ACTION_FIELDS):
        item = _action_item(values, labels)
        by_id[item.id] = item
        by_cell.setdefault((values[1], values[2]), []).append(item)
    # One query for every action's evidence (a subquery, not a list of ids: SQLite and
    # PostgreSQL both limit the parameters of one statement).
    evidence = (
        Evidence.objects.filter(action__in=actions.values("pk"))
        .order_by("action_id", "created_at", "pk")
        .values_list(*EVIDENCE_FIELDS)
    )
    for values in evidence:
        item = by_id.get(values[0])
        if item is not None:
            item.evidence.append(_evidence_item(values))
    reports = []
    nations, status_labels = _nation_names(tables), _status_labels()
    for table in tables:
        resolution = table.resolution
        commitments = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                shown_actions = by_cell.get((row.commitment.pk, cell.member.pk), [])
                code, name = nations[cell.member.pk]
                cells.append(
                    NationCell(
                        code=code,
                        name=name,
                        status=cell.status,
                        status_label=status_labels[cell.status],
                        symbol=STATUS_SYMBOLS[cell.status],
                        justification=cell.justification,
                        updated_at=cell.updated_at,
                        shown=cell.shown,
                        actions=shown_actions if cell.shown else [],
                    )
                )
            commitments.append(
                CommitmentReport(
                    id=row.commitment.pk,
                    label=row.commitment.label,
                    text=row.commitment.text,
                    counts=dict(row.counts),
                    cells=cells,
                )
            )
        session = resolution.session
        reports.append(
            ResolutionReport(
                id=resolution.pk,
                number=resolution.number,
                kind_label=str(resolution.get_document_type_display()),
                title=resolution.title,
                committee=resolution.committee.name,
                committee_code=resolution.committee.code,
                session=str(session) if session else "",
                session_place=session.place if session else "",
                adoption_date=resolution.adoption_date,
                nations=[NationRef(*nations[m.pk]) for m in table.members],
                commitments=commitments,
                totals=dict(table.totals),
            )
        )
    user = scope.user
    report = ReportData(
        kind=scope.kind,
        title=scope.title,
        scope_label=_scope_label(scope),
        filters=_filters_in_words(scope),
        generated_at=timezone.localtime(),
        generated_by=(user.get_full_name() or user.get_username()) if user else "",
        resolutions=reports,
        statuses=statuses(),
        deadline=scope.round.deadline if scope.round else None,
    )
    report.details = report.action_count <= DETAIL_LIMIT
    return report


@dataclass(slots=True)
class ActionRow:
    """One action as the CSV export writes it."""

    resolution: str
    commitment: str
    nation_code: str
    nation: str
    status: str
    action_id: int
    title: str
    type_label: str
    actor_label: str
    stage_label: str
    review_label: str
    date: datetime.date | None
    evidence_count: int


def stream_actions(scope: ReportScope, *, chunk_size: int = 2000) -> Iterator[ActionRow]:
    """The scope's actions one by one, read from the database in chunks (`.iterator()`): only
    the matrix cells, not the actions, are held in memory."""
    tables = _matrices(scope)
    nations, statuses_ = _nation_names(tables), _status_labels()
    # What repeats on every row of a cell, worked out once per cell rather than once per row
    # (and each translated name once: a nation's name costs a gettext call).
    names = {}
    for table in tables:
        resolution = f"{table.resolution.get_document_type_display()} {table.resolution.number}"
        for row in table.rows:
            for cell in row.cells:
                if cell.shown:
                    names[row.commitment.pk, cell.member.pk] = (
                        resolution, row.commitment.label, *nations[cell.member.pk],
                        statuses_[cell.status],
                    )  # fmt: skip
    labels = _labels()
    types, actors = labels["type"], labels["actor"]
    stages, reviews = labels["stage"], labels["review"]
    actions = _visible_actions(scope, tables)
    # The evidence counted apart, by one GROUP BY over the evidence table (a dict of ints: a few
    # MB for 150,000 actions). Counting in the actions' query needs either a GROUP BY over every
    # selected column, which PostgreSQL spills to disk, or a correlated subquery, whose cost
    # estimate makes PostgreSQL JIT-compile the query (0.9 s of 1.2 s for 21,000 actions).
    counts = dict(
        Evidence.objects.filter(action__in=actions.values("pk"))
        .order_by()
        .values_list("action_id")
        .annotate(n=Count("pk"))
    )
    # Plain tuples, no model instances.
    rows = actions.values_list(
        "commitment_id", "member_id", "pk", "title", "action_type", "actor", "stage",
        "review_state", "date",
    )  # fmt: skip
    for values in rows.iterator(chunk_size=chunk_size):
        found = names.get((values[0], values[1]))
        if found is None:
            continue
        _c, _m, pk, title, type_, actor, stage, review, date = values
        yield ActionRow(
            *found, pk, title, types.get(type_, type_), actors.get(actor, actor),
            stages.get(stage, stage), reviews.get(review, review), date, counts.get(pk, 0),
        )  # fmt: skip


def count_actions(scope: ReportScope) -> int:
    """How many actions the report may hold (before status filters): decides whether it is made
    in the background. One query for a resolution (plus the matrix's three)."""
    return _visible_actions(scope, _matrices(scope)).count()


# --- Helpers ---------------------------------------------------------------------------------


def _matrices(scope: ReportScope) -> list[matrix.Matrix]:
    # One matrix per resolution, built by the matrix page's own code: the same cells, the same
    # filters, the same rows left out; three queries for all of them.
    filters = dataclasses.replace(scope.filters, resolution=None)
    return matrix.build_matrices(scope.user, filters, scope.resolutions)


def _visible_actions(scope: ReportScope, tables: list[matrix.Matrix]):
    commitment_ids = [row.commitment.pk for table in tables for row in table.rows]
    member_ids = {member.pk for table in tables for member in table.members}
    return (
        permissions.visible_actions(scope.user)
        .filter(commitment_id__in=commitment_ids, member_id__in=member_ids)
        .order_by(
            "-commitment__resolution__adoption_date",
            "-commitment__resolution__number",
            "commitment__order",
            "member__country",
            F("date").asc(nulls_last=True),
            "pk",
        )
    )


def _nation_names(tables) -> dict[int, tuple[str, str]]:
    """Each nation's code and translated name, worked out once (the matrices share members)."""
    return {m.pk: (m.code, m.name) for table in tables[:1] for m in table.members}


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


def _labels() -> dict[str, dict[str, str]]:
    return {
        "type": {k: str(v) for k, v in NationalAction.Type.choices},
        "actor": {k: str(v) for k, v in NationalAction.Actor.choices},
        "stage": {k: str(v) for k, v in NationalAction.Stage.choices},
        "review": {k: str(v) for k, v in NationalAction.ReviewState.choices},
    }


ACTION_FIELDS = (
    "pk", "commitment_id", "member_id", "title", "description", "action_type", "actor", "stage",
    "review_state", "date", "updated_at",
)  # fmt: skip
EVIDENCE_FIELDS = (
    "action_id", "title", "kind", "date", "url", "original_name", "content_type", "size", "sha256",
)  # fmt: skip


def _action_item(values: tuple, labels: dict[str, dict[str, str]]) -> ActionItem:
    pk, _c, _m, title, description, type_, actor, stage, review, date, updated_at = values
    return ActionItem(
        id=pk,
        title=title,
        description=description,
        type_label=labels["type"].get(type_, type_),
        actor_label=labels["actor"].get(actor, actor),
        stage_label=labels["stage"].get(stage, stage),
        review_state=review,
        review_label=labels["review"].get(review, review),
        date=date,
        updated_at=updated_at,
        evidence=[],
    )


def _evidence_item(values: tuple) -> EvidenceItem:
    _a, title, kind, date, url, file_name, content_type, size, sha256 = values
    return EvidenceItem(
        title=title,
        kind=kind,
        date=date,
        url=url,
        file_name=file_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
    )


def _scope_label(scope: ReportScope) -> str:
    if scope.kind == "resolution":
        resolution = scope.resolutions[0]
        return f"{resolution.get_document_type_display()} {resolution.number}"
    if scope.kind == "nation":
        return _("%(nation)s, across resolutions") % {"nation": scope.member.name}
    if scope.kind == "all":
        return _("Every resolution")
    return _("Reporting round: %(round)s") % {"round": scope.round}


def _filters_in_words(scope: ReportScope) -> list[str]:
    filters = scope.filters
    words = []
    if filters.committee and scope.kind != "resolution":
        words.append(_("Committee: %(name)s") % {"name": filters.committee.name})
    if filters.theme:
        words.append(_("Theme: %(name)s") % {"name": filters.theme.name})
    if filters.nation and scope.kind != "nation":
        words.append(_("Nation: %(name)s") % {"name": filters.nation.name})
    if filters.status:
        words.append(_("Status: %(label)s") % {"label": matrix.STATUS_LABELS[filters.status]})
    if filters.updated_since:
        words.append(
            _("Status updated since %(date)s") % {"date": filters.updated_since.isoformat()}
        )
    if scope.kind != "resolution" and scope.query.get("resolution"):
        words.append(_("Resolution: %(name)s") % {"name": filters.resolution})
    return words
