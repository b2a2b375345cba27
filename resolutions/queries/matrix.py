"""The secretariat's matrix: commitments (rows) x nations (columns), each cell a nation's
implementation status, with the filters the matrix page and the status reports share.
Three queries whatever the size of the resolution."""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Length
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Commitment, Committee, ImplementationStatus, Member, Resolution, Theme
from .filters import FilterForm

Status = ImplementationStatus.Status
STATUS_LABELS = dict(Status.choices)


class MatrixFilterForm(FilterForm):
    """The filters, read from the query string. An invalid value is reported and ignored."""

    resolution = forms.ModelChoiceField(
        label=_("Resolution"), queryset=Resolution.objects.none(), required=False
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.all(), to_field_name="code",
        required=False,
    )  # fmt: skip
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", required=False
    )
    nation = forms.ModelChoiceField(
        label=_("Nation"), queryset=Member.objects.all(), to_field_name="country", required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    updated_since = forms.DateField(
        label=_("Updated since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["resolution"].queryset = permissions.visible_resolutions(user).select_related(
            "committee"
        )
        self.fields["resolution"].label_from_instance = lambda r: (
            f"{r.get_document_type_display()} {r.number}: {r.title}"
        )
        self.fields["nation"].label_from_instance = lambda m: m.name


@dataclass
class MatrixFilters:
    resolution: Resolution | None = None
    committee: Committee | None = None
    theme: Theme | None = None
    nation: Member | None = None
    status: str = ""
    updated_since: datetime.date | None = None
    errors: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values, for links and background report jobs."""
        values = {
            "resolution": self.resolution.pk if self.resolution else "",
            "committee": self.committee.code if self.committee else "",
            "theme": self.theme.slug if self.theme else "",
            "nation": self.nation.code if self.nation else "",
            "status": self.status,
            "updated_since": self.updated_since.isoformat() if self.updated_since else "",
        }
        return {k: str(v) for k, v in values.items() if v}


def read_filters(query, user) -> tuple[MatrixFilterForm, MatrixFilters]:
    """Parses the query string. Bad values become messages; the valid ones still apply."""
    form = MatrixFilterForm(query, user=user)
    filters = MatrixFilters(errors=form.problems())
    for name in ("resolution", "committee", "theme", "nation", "status", "updated_since"):
        if name not in form.errors:
            setattr(filters, name, form.cleaned_data.get(name) or getattr(filters, name))
    if filters.resolution is None:
        # The most recent resolution (of the committee, when one is chosen) by default.
        candidates = form.fields["resolution"].queryset
        if filters.committee:
            candidates = candidates.filter(committee=filters.committee)
        filters.resolution = candidates.order_by("-adoption_date", "-number").first()
        if filters.resolution:
            # Show the chosen default as selected in the filter form.
            form.data = {**form.data.dict(), "resolution": str(filters.resolution.pk)}
    return form, filters


@dataclass
class Cell:
    member: Member
    status: str
    label: str
    justification: str
    updated_at: datetime.datetime | None
    shown: bool  # False when a status or date filter leaves it out


@dataclass
class Row:
    commitment: object
    cells: list[Cell]
    counts: Counter


@dataclass
class Matrix:
    resolution: Resolution | None
    members: list[Member]
    rows: list[Row]
    column_counts: list[Counter]
    totals: Counter
    statuses: list[tuple[str, str]] = field(default_factory=lambda: list(Status.choices))


def build_matrix(user, filters: MatrixFilters) -> Matrix:
    if filters.resolution is None:
        members = _members(filters)
        return Matrix(None, members, [], [Counter() for _ in members], Counter())
    return build_matrices(user, filters, [filters.resolution])[0]


def build_matrices(user, filters: MatrixFilters, resolutions) -> list[Matrix]:
    """One matrix per resolution (filters.resolution is ignored), in three queries whatever the
    number of resolutions: the status reports of many resolutions use it."""
    members = _members(filters)
    commitments = (
        Commitment.objects.filter(resolution__in=[r.pk for r in resolutions])
        .select_related("clause")
        .order_by("resolution_id", "order")
    )
    if filters.theme:
        commitments = commitments.filter(themes=filters.theme)
    by_resolution: dict[int, list] = {}
    for commitment in commitments:
        by_resolution.setdefault(commitment.resolution_id, []).append(commitment)
    member_ids = [m.pk for m in members]
    # Filtered by resolution rather than by a list of every commitment: one short query even
    # for a hundred resolutions.
    # (status, justification, updated_at) by cell, as plain values: a full export reads
    # thousands.
    saved = {
        (commitment_id, member_id): rest
        for commitment_id, member_id, *rest in ImplementationStatus.objects.filter(
            commitment__resolution__in=[r.pk for r in resolutions], member_id__in=member_ids
        ).values_list("commitment_id", "member_id", "status", "justification", "updated_at")
    }
    return [
        _matrix(resolution, by_resolution.get(resolution.pk, []), members, saved, filters)
        for resolution in resolutions
    ]


def _members(filters: MatrixFilters) -> list[Member]:
    members = list(Member.objects.filter(kind=Member.Kind.MEMBER))
    if filters.nation:
        members = [m for m in members if m.pk == filters.nation.pk]
    return members


def _matrix(resolution, commitments, members, saved, filters: MatrixFilters) -> Matrix:
    rows = []
    column_counts = [Counter() for _ in members]
    totals = Counter()
    for commitment in commitments:
        cells = []
        counts = Counter()
        for index, member in enumerate(members):
            value, justification, updated = saved.get(
                (commitment.pk, member.pk), (Status.NO_INFORMATION, "", None)
            )
            shown = (not filters.status or value == filters.status) and (
                not filters.updated_since
                or (updated is not None and updated.date() >= filters.updated_since)
            )
            cells.append(Cell(member, value, STATUS_LABELS[value], justification, updated, shown))
            if shown:
                counts[value] += 1
                column_counts[index][value] += 1
                totals[value] += 1
        filtering = filters.status or filters.updated_since
        if filtering and not any(cell.shown for cell in cells):
            continue
        rows.append(Row(commitment, cells, counts))
    return Matrix(resolution, members, rows, column_counts, totals)


# --- Caching the rendered matrix ---------------------------------------------------------------


def _per_resolution(queryset, path: str, aggregate):
    """`aggregate` over the rows of `queryset` that belong to the outer resolution, as a
    subquery (grouped by the resolution, so one row or none)."""
    return Subquery(
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def data_version(resolution: Resolution) -> tuple:
    """What the matrix of `resolution` is drawn from, summed up in one cheap query: a saved,
    added or removed status changes the statuses' count or latest update; a re-import touches
    the resolution; an edited commitment changes the commitments' count, ids, labels or text
    length; themes and nations are counted too. Part of the cache key, so a cached matrix is
    never older than the data."""
    statuses = ImplementationStatus.objects.all()
    commitments = Commitment.objects.all()
    themes = Commitment.themes.through.objects.all()
    row = (
        Resolution.objects.filter(pk=resolution.pk)
        .annotate(
            v_statuses=_per_resolution(statuses, "commitment__resolution", Count("pk")),
            v_status_updated=_per_resolution(statuses, "commitment__resolution", Max("updated_at")),
            v_status_ids=_per_resolution(statuses, "commitment__resolution", Sum("pk")),
            v_commitments=_per_resolution(commitments, "resolution", Count("pk")),
            v_commitment_ids=_per_resolution(commitments, "resolution", Sum("pk")),
            v_commitment_text=_per_resolution(
                commitments, "resolution", Sum(Length("text") + Length("label") + F("order"))
            ),
            v_theme_links=_per_resolution(themes, "commitment__resolution", Sum("theme_id")),
            v_nations=Subquery(
                Member.objects.filter(kind=Member.Kind.MEMBER)
                .order_by()
                .values("kind")
                .annotate(value=Sum("pk"))
                .values("value")[:1]
            ),
        )
        .values_list(
            "updated_at",
            "v_statuses",
            "v_status_updated",
            "v_status_ids",
            "v_commitments",
            "v_commitment_ids",
            "v_commitment_text",
            "v_theme_links",
            "v_nations",
        )  # fmt: skip
        .get()
    )
    return tuple(str(value) for value in row)


def cache_key(filters: MatrixFilters) -> str:
    """The cache key of the rendered matrix for these filters, in the active language, at the
    current data version (one query)."""
    parts = [
        get_language(),
        sorted(filters.as_query().items()),
        data_version(filters.resolution),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"matrix:1:{filters.resolution.pk}:{digest}"
