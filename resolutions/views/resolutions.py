"""Pages that show the Assembly's resolutions and their commitments."""

from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import permissions
from ..models import Clause, Commitment


@require_GET
def home(request):
    """Delegation editors start from their nation's workspace; everyone else from the list."""
    if permissions.own_member_id(request.user):
        return redirect("my-nation")
    return redirect("resolution-list")


@require_GET
def resolution_list(request):
    resolutions = (
        permissions.visible_resolutions(request.user)
        .without_texts()
        .select_related("committee", "session")
        .annotate(commitment_count=Count("commitments"))
    )
    return render(request, "resolutions/resolution_list.html", {"resolutions": resolutions})


@require_GET
def resolution_detail(request, document_type: str, number: int):
    resolution = permissions.get_resolution_for_user(request.user, document_type, number)
    clauses = resolution.clauses.prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("order"))
    )
    return render(
        request,
        "resolutions/resolution_detail.html",
        {
            "resolution": resolution,
            "preamble": [c for c in clauses if c.kind == Clause.Kind.PREAMBULAR],
            "operative": [c for c in clauses if c.kind == Clause.Kind.OPERATIVE],
        },
    )
