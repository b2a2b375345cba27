"""What the API shows of each object, and what it accepts for the few writes."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import permissions
from ..models import (
    ActionRevision,
    Commitment,
    Evidence,
    ImplementationStatus,
    NationalAction,
    ReportingRound,
    Resolution,
)


def french_fields(model, *names: str) -> list[str]:
    """The French wording of `names` where the model has it (`text_fr`, `title_fr`): the API
    shows both languages wherever both exist (empty when no French was imported)."""
    have = {f.name for f in model._meta.get_fields()}
    return [f"{name}_fr" for name in names if f"{name}_fr" in have]


class NationField(serializers.CharField):
    """A nation by its ISO 3166 code ("CA")."""

    def to_representation(self, value):
        return value.country.code


class ResolutionSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code", read_only=True)
    session = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Resolution
        fields = [
            "id", "document_type", "number", "title", *french_fields(Resolution, "title"),
            "committee", "session", "adoption_date", "language", "updated_at",
        ]  # fmt: skip


class CommitmentSerializer(serializers.ModelSerializer):
    clause = serializers.IntegerField(source="clause.number", read_only=True)
    addressees = serializers.CharField(source="clause.addressees", read_only=True)
    addressees_fr = serializers.CharField(source="clause.addressees_fr", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id", "resolution", "label", "clause", "text", *french_fields(Commitment, "text"),
            "addressees", "addressees_fr", "order",
        ]  # fmt: skip


class StatusSerializer(serializers.ModelSerializer):
    nation = NationField(source="member", read_only=True)

    class Meta:
        model = ImplementationStatus
        fields = ["id", "commitment", "nation", "status", "justification", "version", "updated_at"]


class StatusWriteSerializer(serializers.Serializer):
    """Sets a nation's status on a commitment; `version` is the one read (0 for none yet)."""

    commitment = serializers.IntegerField()
    nation = serializers.CharField(max_length=2)
    status = serializers.ChoiceField(choices=ImplementationStatus.Status.choices)
    justification = serializers.CharField(allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=0)


class RevisionSerializer(serializers.ModelSerializer):
    """A change proposed to an accepted action: `pending` while the secretariat reviews it,
    `returned` with the reviewer's comment. Its `version` is the one to send to change it."""

    class Meta:
        model = ActionRevision
        fields = [
            "id", "title", "description", "action_type", "actor", "date", "stage", "state",
            "review_comment", "base_version", "submitted_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class NationalActionSerializer(serializers.ModelSerializer):
    """The action as everyone reads it: for an accepted one, the accepted values. Its own
    delegation and the secretariat also get the open `revision`, if any (null otherwise, and
    always null for everyone else, who are not told that one exists)."""

    nation = NationField(source="member", read_only=True)
    revision = serializers.SerializerMethodField(
        help_text=_(
            "The revision proposed for this accepted action, awaiting review or returned for "
            "revision; null when there is none, and for other nations and viewers."
        )
    )

    class Meta:
        model = NationalAction
        fields = [
            "id", "commitment", "nation", "title", "description", "action_type", "actor",
            "date", "stage", "review_state", "review_comment", "submitted_at", "reviewed_at",
            "created_at", "updated_at", "version", "revision",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(RevisionSerializer(allow_null=True))
    def get_revision(self, action) -> dict | None:
        request = self.context.get("request")
        if (
            request is None
            or action.review_state != NationalAction.ReviewState.ACCEPTED
            or not permissions.can_see_revision(request.user, action)
        ):
            return None
        try:
            revision = action.revision  # select_related by the views' querysets
        except ActionRevision.DoesNotExist:
            return None
        return RevisionSerializer(revision).data


class ActionValuesSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalAction
        fields = ["title", "description", "action_type", "actor", "date", "stage"]


class ActionCreateSerializer(ActionValuesSerializer):
    commitment = serializers.IntegerField()
    nation = serializers.CharField(max_length=2)

    class Meta(ActionValuesSerializer.Meta):
        fields = ["commitment", "nation", *ActionValuesSerializer.Meta.fields]


class ActionUpdateSerializer(ActionValuesSerializer):
    """The version the change was made from: a newer saved version answers 409. For an
    accepted action that is the action's `version` while it has no `revision`, and the
    revision's `version` while it has one."""

    version = serializers.IntegerField(min_value=0)

    class Meta(ActionValuesSerializer.Meta):
        fields = [*ActionValuesSerializer.Meta.fields, "version"]


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id", "action", "kind", "title", "date", "language", "url", "original_name",
            "content_type", "size", "sha256", "created_at", "download_url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, evidence) -> str | None:
        if evidence.kind != Evidence.Kind.FILE:
            return None
        path = reverse("api:evidence-download", kwargs={"pk": evidence.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportingRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingRound
        fields = ["id", "name", "deadline", "is_open", "resolutions"]
