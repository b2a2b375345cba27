"""The secretariat's matrix: commitments (rows) x nations (columns), each cell a nation's
implementation status, with the filters the matrix page and the status reports share.
Three queries whatever the size of the resolution."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Commitment, Committee, ImplementationStatus, Member, Resolution, Theme
from .filters import FilterForm

Status = ImplementationStatus.Status
STATUS_LABELS = Status.labels_by_value()


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
        self.fields["resolution"].queryset = (
            permissions.visible_resolutions(user).without_texts().select_related("committee")
        )
        self.fields["resolution"].label_from_instance = str  # "Resolution 493: …", translated
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
