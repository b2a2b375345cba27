"""Query filters of the list endpoints: resolution, nation, status, review state, updated since.
A bad value answers 400 in the error shape, never an empty list that looks like "none"."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from ..models import (
    Commitment,
    Evidence,
    ImplementationStatus,
    NationalAction,
    ReportingRound,
    Resolution,
)


class IdFilter(filters.NumberFilter):
    """A whole number that fits the database's ids (no 1.5, no 10^40)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, max_value=2**63 - 1, **kwargs)


class SinceField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC before it reaches the database: PostgreSQL refuses
    offsets past ±15:59 that Python accepts (schemathesis found "+23:07")."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(_("This moment is out of range.")) from error


class SinceFilter(filters.IsoDateTimeFilter):
    field_class = SinceField

    def __init__(self, field_name, **kwargs):
        super().__init__(field_name=field_name, lookup_expr="gte", **kwargs)


class NationFilter(filters.CharFilter):
    """An ISO 3166 code, in any case."""

    def filter(self, qs, value):
        return super().filter(qs, value.upper() if value else value)


class ResolutionFilter(filters.FilterSet):
    number = IdFilter()
    updated_since = SinceFilter("updated_at")

    class Meta:
        model = Resolution
        fields = ["document_type", "number"]


class CommitmentFilter(filters.FilterSet):
    resolution = IdFilter()

    class Meta:
        model = Commitment
        fields = ["resolution"]


class NationOnCommitmentFilter(filters.FilterSet):
    """What a status and an action are narrowed by alike: their commitment, its resolution, the
    nation, and a date of last update."""

    commitment = IdFilter()
    resolution = IdFilter(field_name="commitment__resolution")
    nation = NationFilter(field_name="member__country")
    updated_since = SinceFilter("updated_at")


class StatusFilter(NationOnCommitmentFilter):
    class Meta:
        model = ImplementationStatus
        fields = ["commitment", "status"]


class NationalActionFilter(NationOnCommitmentFilter):
    class Meta:
        model = NationalAction
        fields = ["commitment", "review_state", "action_type", "stage"]


class EvidenceFilter(filters.FilterSet):
    action = IdFilter()
    resolution = IdFilter(field_name="action__commitment__resolution")
    nation = NationFilter(field_name="action__member__country")
    added_since = SinceFilter("created_at")

    class Meta:
        model = Evidence
        fields = ["action", "kind"]


class ReportingRoundFilter(filters.FilterSet):
    resolution = IdFilter(field_name="resolutions")

    class Meta:
        model = ReportingRound
        fields = ["is_open"]
