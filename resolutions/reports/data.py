"""What a status report says, read once for every format.

`iter_actions(scope)` is the one row source: the scope's national actions, one `ActionRow`
each, in report order (resolution, commitment, nation, date), read lazily from a database
cursor, each with the matrix cell it belongs to (nation, status, justification). The CSV writes
these rows as they come; `gather_report(scope)` groups the same rows under the matrices'
resolutions, commitments and nations for the PDF, DOCX and XLSX, which then render without
touching the database. `iter_statuses(scope)` gives the CSV's second shape, one row per
commitment and nation.

The cells come from `matrix.build_matrices()`, so a report is filtered exactly as the matrix page
is; the actions from `permissions.visible_actions()`, narrowed by the scope's review states
(scope.py), so nobody's export holds anything they could not see on screen.

Queries: 5 whatever the number of resolutions, nations, statuses, actions or evidence: 3 for the
matrices of every resolution in the scope, 1 for the evidence (or its counts), 1 cursor for the
actions. Rows are plain values, not model instances: building 25,000 model objects costs more
than everything else of an XLSX export.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Evidence, ImplementationStatus, NationalAction
from ..queries import matrix
from .scope import ReportScope

Status = ImplementationStatus.Status
Review = NationalAction.ReviewState

# Above this many actions the PDF and DOCX keep the cover, charts, counts and matrices but leave
# the list of actions to the XLSX and CSV exports of the same scope, and say so (a 2,400-page
# PDF takes minutes and gigabytes to typeset; see docs/performance.md).
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
class ActionRow:
    """One national action as every format reads it, with the matrix cell it belongs to."""

    id: int
    resolution: str  # "Resolution 493"
    commitment_id: int
    commitment: str  # "25.e"
    member_id: int
    nation_code: str
    nation: str
    status: str  # the nation's status on the commitment, as a label
    justification: str  # of that status
    title: str
    description: str
    type_label: str
    actor_label: str
    stage_label: str
    review_state: str
    review_label: str  # "Accepted", "Submitted, awaiting review", "Draft, not submitted"…
    date: datetime.date | None
    updated_at: datetime.datetime
    evidence_count: int
    evidence: list[EvidenceItem] = field(default_factory=list)


@dataclass
class NationCell:
    """One nation's status on one commitment, with the actions the report holds."""

    code: str
    name: str
    status: str
    status_label: str
    symbol: str
    justification: str
    updated_at: datetime.datetime | None
    shown: bool  # False when a status or date filter leaves the cell out
    actions: list[ActionRow] = field(default_factory=list)

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
    def actions(self) -> list[ActionRow]:
        return [action for cell in self.cells for action in cell.actions]

    @property
    def implemented(self) -> int:
        """Nations that report the commitment implemented (the matrix's "Impl." column)."""
        return self.counts.get(Status.IMPLEMENTED, 0)

    @property
    def with_information(self) -> int:
        """Nations with a status other than "no information" (the "With info" column)."""
        return sum(n for status, n in self.counts.items() if status != Status.NO_INFORMATION)


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
    contents: str = ""  # which actions it holds, in words
    review_note: str = ""  # what the review states mean

    @property
    def action_count(self) -> int:
        return sum(len(c.actions) for r in self.resolutions for c in r.commitments)

    @property
    def limit_note(self) -> str:
        """What the PDF and DOCX say instead of the details, when there are too many."""
        if self.details:
            return ""
        return ngettext(
            "This report covers %(n)s national action: too many to list here. It gives the "
            "status counts and the matrix of each resolution; every action and its evidence "
            "are in the Excel (Actions and Evidence sheets) and CSV exports of the same report.",
            "This report covers %(n)s national actions: too many to list here. It gives the "
            "status counts and the matrix of each resolution; every action and its evidence "
            "are in the Excel (Actions and Evidence sheets) and CSV exports of the same report.",
            self.action_count,
        ) % {"n": self.action_count}

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


# --- The one row source ----------------------------------------------------------------------


def iter_actions(
    scope: ReportScope, *, evidence: bool = False, chunk_size: int = 2000
) -> Iterator[ActionRow]:
    """The scope's actions one by one, read from the database in chunks (`.iterator()`).
    With `evidence`, each row carries its evidence items (read in one query first); without,
    only their count (one GROUP BY), and only the matrix cells are held in memory."""
    yield from _rows(scope, _matrices(scope), evidence=evidence, chunk_size=chunk_size)


def _rows(scope, tables, *, evidence: bool, chunk_size: int = 2000) -> Iterator[ActionRow]:
    nations, labels_of = _nation_names(tables), status_labels()
    # What repeats on every row of a cell, worked out once per cell rather than once per row
    # (and each translated name once: a nation's name costs a gettext call).
    cells = {}
    for table in tables:
        resolution = short_name(table.resolution)
        for row in table.rows:
            for cell in row.cells:
                if cell.shown:
                    cells[row.commitment.pk, cell.member.pk] = (
                        resolution, row.commitment.pk, row.commitment.label, cell.member.pk,
                        *nations[cell.member.pk], labels_of[cell.status], cell.justification,
                    )  # fmt: skip
    labels = _labels()
    types, actors = labels["type"], labels["actor"]
    stages, reviews = labels["stage"], labels["review"]
    actions = _report_actions(scope, tables)
    items: dict[int, list[EvidenceItem]] = {}
    counts: dict[int, int] = {}
    if evidence:
        # One query for every action's evidence (a subquery, not a list of ids: SQLite and
        # PostgreSQL both limit the parameters of one statement).
        found = (
            Evidence.objects.filter(action__in=actions.values("pk"))
            .order_by("action_id", "created_at", "pk")
            .values_list(*EVIDENCE_FIELDS)
        )
        for action_id, *values in found:
            items.setdefault(action_id, []).append(EvidenceItem(*values))
    else:
        # Counted apart, by one GROUP BY over the evidence table: counting in the actions' query
        # needs a GROUP BY over every selected column (PostgreSQL spills it to disk) or a
        # correlated subquery (whose estimate makes PostgreSQL JIT-compile the query).
        counts = dict(
            Evidence.objects.filter(action__in=actions.values("pk"))
            .order_by()
            .values_list("action_id")
            .annotate(n=Count("pk"))
        )
    for values in actions.values_list(*ACTION_FIELDS).iterator(chunk_size=chunk_size):
        pk, commitment_id, member_id, title, description, type_, actor, stage, review = values[:9]
        cell = cells.get((commitment_id, member_id))
        if cell is None:
            continue
        found_items = items.get(pk, [])
        yield ActionRow(
            pk, *cell, title, description,
            types.get(type_, type_), actors.get(actor, actor), stages.get(stage, stage),
            review, reviews.get(review, review), values[9], values[10],
            len(found_items) if evidence else counts.get(pk, 0), found_items,
        )  # fmt: skip


def gather_report(scope: ReportScope) -> ReportData:
    """Everything a PDF, DOCX or XLSX report shows: the matrices, and the rows of
    `iter_actions` under their cells. 5 queries."""
    tables = _matrices(scope)
    by_cell: dict[tuple[int, int], list[ActionRow]] = {}
    for row in _rows(scope, tables, evidence=True):
        by_cell.setdefault((row.commitment_id, row.member_id), []).append(row)
    nations, labels_of = _nation_names(tables), status_labels()
    reports = []
    for table in tables:
        resolution = table.resolution
        commitments = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                code, name = nations[cell.member.pk]
                cells.append(
                    NationCell(
                        code=code,
                        name=name,
                        status=cell.status,
                        status_label=labels_of[cell.status],
                        symbol=STATUS_SYMBOLS[cell.status],
                        justification=cell.justification,
                        updated_at=cell.updated_at,
                        shown=cell.shown,
                        actions=by_cell.get((row.commitment.pk, cell.member.pk), []),
                    )
                )
            commitments.append(
                CommitmentReport(
                    id=row.commitment.pk,
                    label=row.commitment.label,
                    text=_in_report_language(row.commitment.text_for(_text_language())),
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
                title=_in_report_language(resolution.title_for(_text_language())),
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
        contents=contents_in_words(scope),
        review_note=_review_note(scope),
    )
    report.details = report.action_count <= DETAIL_LIMIT
    return report


@dataclass(slots=True)
class StatusRow:
    """The CSV's second shape: one nation's status on one commitment, with its action counts."""

    resolution: str
    commitment: str
    nation_code: str
    nation: str
    status: str
    justification: str
    accepted: int
    submitted: int
    last_update: datetime.datetime | None


def iter_statuses(scope: ReportScope) -> Iterator[StatusRow]:
    """One row per commitment and nation shown, so that a nation with a status and no action
    is not missing. 4 queries: the matrices' 3 and one GROUP BY of the actions."""
    tables = _matrices(scope)
    nations, labels_of = _nation_names(tables), status_labels()
    counts: dict[tuple[int, int], Counter] = {}
    latest: dict[tuple[int, int], datetime.datetime] = {}
    grouped = (
        _visible(scope, tables)
        .filter(review_state__in=[Review.ACCEPTED, Review.SUBMITTED])
        .order_by()
        .values_list("commitment_id", "member_id", "review_state")
        .annotate(n=Count("pk"), last=Max("updated_at"))
    )
    for commitment_id, member_id, state, n, last in grouped:
        counts.setdefault((commitment_id, member_id), Counter())[state] = n
        if state == Review.ACCEPTED or scope.include_submitted:
            key = (commitment_id, member_id)
            latest[key] = max(latest.get(key, last), last)
    for table in tables:
        resolution = short_name(table.resolution)
        for row in table.rows:
            for cell in row.cells:
                if not cell.shown:
                    continue
                key = (row.commitment.pk, cell.member.pk)
                found = counts.get(key, Counter())
                moments = [m for m in (cell.updated_at, latest.get(key)) if m is not None]
                yield StatusRow(
                    resolution, row.commitment.label, *nations[cell.member.pk],
                    labels_of[cell.status], cell.justification,
                    found[Review.ACCEPTED], found[Review.SUBMITTED], max(moments, default=None),
                )  # fmt: skip


def count_actions(scope: ReportScope) -> int:
    """How many actions the report may hold (before status filters): decides whether it is made
    in the background. One query for a resolution (plus the matrix's three)."""
    return _report_actions(scope, _matrices(scope)).count()


# --- Helpers ---------------------------------------------------------------------------------


def review_states(scope: ReportScope) -> Q:
    """Which actions a report holds: accepted ones; those awaiting review on request; the
    delegation's own drafts and returned actions in its own report, on request."""
    states = [Review.ACCEPTED]
    if scope.include_submitted:
        states.append(Review.SUBMITTED)
    rule = Q(review_state__in=states)
    own = permissions.own_member_id(scope.user)
    if scope.include_drafts and own:
        rule |= Q(member_id=own, review_state__in=[Review.DRAFT, Review.RETURNED])
    return rule


def _matrices(scope: ReportScope) -> list[matrix.Matrix]:
    # One matrix per resolution, built by the matrix page's own code: the same cells, the same
    # filters, the same rows left out; three queries for all of them.
    filters = dataclasses.replace(scope.filters, resolution=None)
    return matrix.build_matrices(scope.user, filters, scope.resolutions)


def _visible(scope: ReportScope, tables: list[matrix.Matrix]):
    commitment_ids = [row.commitment.pk for table in tables for row in table.rows]
    member_ids = {member.pk for table in tables for member in table.members}
    return permissions.visible_actions(scope.user).filter(
        commitment_id__in=commitment_ids, member_id__in=member_ids
    )


def _report_actions(scope: ReportScope, tables: list[matrix.Matrix]):
    return (
        _visible(scope, tables)
        .filter(review_states(scope))
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


def status_labels() -> dict[str, str]:
    """Each status's label in the current language, worked out once per report."""
    return {value: str(label) for value, label in Status.choices}


def short_name(resolution) -> str:
    """ "Resolution 493", "Declaration 12": how a report names a resolution in a row."""
    return f"{resolution.get_document_type_display()} {resolution.number}"


def _labels() -> dict[str, dict[str, str]]:
    return {
        "type": {k: str(v) for k, v in NationalAction.Type.choices},
        "actor": {k: str(v) for k, v in NationalAction.Actor.choices},
        "stage": {k: str(v) for k, v in NationalAction.Stage.choices},
        # In a report, the state says what it means for the reader.
        "review": {
            Review.ACCEPTED: _("Accepted"),
            Review.SUBMITTED: _("Submitted, awaiting review"),
            Review.DRAFT: _("Draft, not submitted"),
            Review.RETURNED: _("Returned for revision"),
        },
    }


ACTION_FIELDS = (
    "pk", "commitment_id", "member_id", "title", "description", "action_type", "actor", "stage",
    "review_state", "date", "updated_at",
)  # fmt: skip
EVIDENCE_FIELDS = (
    "action_id", "title", "kind", "date", "url", "original_name", "content_type", "size", "sha256",
)  # fmt: skip


def contents_in_words(scope: ReportScope) -> str:
    if scope.include_drafts and scope.include_submitted:
        return _("Accepted actions, those awaiting review, and the delegation's own drafts and "
                 "returned actions (marked)")  # fmt: skip
    if scope.include_drafts:
        return _("Accepted actions and the delegation's own drafts and returned actions (marked)")
    if scope.include_submitted:
        return _("Accepted actions and actions awaiting review (marked)")
    return _("Accepted actions only")


def _review_note(scope: ReportScope) -> str:
    note = _("Statuses are set by each nation's delegation. The actions listed were accepted by "
             "the International Secretariat")  # fmt: skip
    if scope.include_submitted:
        note += _("; those marked “awaiting review” were submitted and are not yet reviewed")
    if scope.include_drafts:
        note += _("; drafts and returned actions are the delegation's own, not submitted")
    return note + "."


def _scope_label(scope: ReportScope) -> str:
    if scope.kind == "resolution":
        resolution = scope.resolutions[0]
        return short_name(resolution)
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


def _text_language() -> str:
    """The report's language (exporters run under translation.override) for the Assembly's
    texts: "fr" or "en"."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def _in_report_language(wording) -> str:
    """A resolution's or commitment's wording, marked when it is not in the report's language."""
    if not wording.fell_back:
        return wording.text
    mark = _("(English only)") if wording.language == "en" else _("(French only)")
    return f"{wording.text} {mark}"
