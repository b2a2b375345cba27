"""The API's endpoints. Every queryset and every write asks permissions.py and actions.py, as
the pages do: another nation's drafts are 404, writes belong to a nation's own editors and go
through actions.py with the version they were made from (409 with the saved object if stale)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .. import actions, permissions
from ..models import Commitment, ImplementationStatus, ReportingRound
from ..views.national_actions import evidence_download
from . import filters, serializers
from .errors import Conflict

ID = r"[0-9]+"

REVISED = OpenApiResponse(
    serializers.NationalActionSerializer,
    description=(
        "The action was accepted, so the change is saved as its `revision`, which waits for "
        "the secretariat's review. The action itself keeps its accepted values (and version) "
        "for everyone until the revision is accepted. To change the revision again, send its "
        "`version`."
    ),
)


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID


class ResolutionViewSet(ReadOnly):
    """Resolutions, declarations and recommendations of the Assembly."""

    serializer_class = serializers.ResolutionSerializer
    filterset_class = filters.ResolutionFilter

    def get_queryset(self):
        return permissions.visible_resolutions(self.request.user).select_related(
            "committee", "session"
        )


class CommitmentViewSet(ReadOnly):
    """The lettered sub-clauses the nations are asked to act on."""

    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilter

    def get_queryset(self):
        return Commitment.objects.filter(
            resolution__in=permissions.visible_resolutions(self.request.user)
        ).select_related("clause")


class StatusViewSet(mixins.CreateModelMixin, ReadOnly):
    """Each nation's implementation status per commitment. POST sets one (editors of the
    nation): send the `version` you read, 0 when the nation has none yet."""

    serializer_class = serializers.StatusSerializer
    filterset_class = filters.StatusFilter

    def get_queryset(self):
        return ImplementationStatus.objects.filter(
            commitment__resolution__in=permissions.visible_resolutions(self.request.user)
        ).select_related("member")

    @extend_schema(
        request=serializers.StatusWriteSerializer,
        responses={200: serializers.StatusSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = serializers.StatusWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        member = permissions.get_member_for_user(request.user, data["nation"], write=True)
        commitment = permissions.get_commitment_for_user(request.user, data["commitment"])
        try:
            with actions.changes_from("api"):
                saved = actions.set_status(
                    commitment,
                    member,
                    data["status"],
                    data["justification"],
                    version=data["version"],
                    by=request.user,
                )
        except actions.StaleEdit as stale:
            raise _stale(serializers.StatusSerializer(stale.current).data) from stale
        return Response(serializers.StatusSerializer(saved).data, status=status.HTTP_200_OK)


class NationalActionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnly
):  # fmt: skip
    """What nations did about commitments. Drafts are seen only by their own delegation. A
    change to an accepted action is saved as a revision for the secretariat to review (202):
    everyone else keeps reading the accepted values until it is accepted."""

    serializer_class = serializers.NationalActionSerializer
    filterset_class = filters.NationalActionFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return permissions.visible_actions(self.request.user).select_related("member", "revision")

    def represent(self, action) -> dict:
        return serializers.NationalActionSerializer(
            action, context=self.get_serializer_context()
        ).data

    @extend_schema(
        request=serializers.ActionCreateSerializer,
        responses={201: serializers.NationalActionSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = serializers.ActionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        member = permissions.get_member_for_user(request.user, data.pop("nation"), write=True)
        commitment = permissions.get_commitment_for_user(request.user, data.pop("commitment"))
        values = {"description": "", "date": None, **data}
        with actions.changes_from("api"):
            created = actions.create_action(commitment, member, values, by=request.user)
        return Response(self.represent(created), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ActionUpdateSerializer,
        responses={200: serializers.NationalActionSerializer, 202: REVISED},
    )
    def update(self, request, *args, partial=False, **kwargs):
        current = permissions.get_action_for_user(request.user, kwargs["pk"], write=True)
        incoming = serializers.ActionUpdateSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if "version" not in data:
            raise _missing_version()
        version = data.pop("version")
        if permissions.can_revise_action(request.user, current):
            return self._revise(request, current, data, version)
        values = {name: getattr(current, name) for name in actions.ACTION_FIELDS} | data
        try:
            with actions.changes_from("api"):
                saved = actions.update_action(current, values, version=version, by=request.user)
        except actions.StaleEdit as stale:
            raise _stale(self.represent(stale.current)) from stale
        except actions.NotEditable as error:
            raise Conflict(str(error), code="not_editable") from error
        return Response(self.represent(saved))

    def _revise(self, request, current, data: dict, version: int) -> Response:
        """An accepted action: the change opens a revision, or changes the open one (which
        goes back for review if it was returned). Fields left out keep the open revision's
        values, else the accepted ones."""
        source = permissions.revision_for_user(request.user, current) or current
        values = {name: getattr(source, name) for name in actions.ACTION_FIELDS} | data
        try:
            with actions.changes_from("api"):
                actions.revise_action(current, values, version=version, by=request.user)
        except actions.StaleEdit as stale:
            # `stale.current` may be the action or its revision: answer with the action as it
            # is now, which carries the revision and the version to send.
            fresh = permissions.get_action_for_user(request.user, current.pk)
            raise _stale(self.represent(fresh)) from stale
        except actions.NotEditable as error:
            raise Conflict(str(error), code="not_editable") from error
        fresh = permissions.get_action_for_user(request.user, current.pk)
        return Response(self.represent(fresh), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=serializers.ActionUpdateSerializer(partial=True),
        responses={200: serializers.NationalActionSerializer, 202: REVISED},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=None, responses={200: serializers.NationalActionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Sends a draft (or a returned action) to the secretariat for review."""
        current = permissions.get_action_for_user(request.user, pk, write=True)
        try:
            with actions.changes_from("api"):
                saved = actions.submit_action(current, by=request.user)
        except actions.NotEditable as error:
            raise Conflict(str(error), code="not_editable") from error
        return Response(self.represent(saved))


class EvidenceViewSet(ReadOnly):
    """What proves an action: metadata here; files through `download`."""

    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilter

    def get_queryset(self):
        return permissions.visible_evidence(self.request.user)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment"
            )
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file, through the same permission-checked view as the pages (404 for links)."""
        return evidence_download(request._request, int(pk))


class ReportingRoundViewSet(ReadOnly):
    """Collection periods with a deadline."""

    serializer_class = serializers.ReportingRoundSerializer
    filterset_class = filters.ReportingRoundFilter

    def get_queryset(self):
        return ReportingRound.objects.prefetch_related("resolutions")


def _stale(current: dict) -> Conflict:
    return Conflict(
        _("Someone else saved a newer version in the meantime; it is in `current`."),
        code="stale_edit",
        current=current,
    )


def _missing_version():
    return ValidationError({"version": [_("Send the version you read.")]})
