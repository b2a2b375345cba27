"""The delegation workspace: a nation's dashboard, a commitment page, and its status."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import actions, permissions
from ..forms import ImplementationStatusForm
from ..models import ImplementationStatus
from ..queries import dashboard
from ..queries.commitment import commitment_context
from ..queries.links import commitment_url


@require_GET
def my_nation(request):
    """The editor's home; other roles have no nation of their own."""
    member_id = permissions.own_member_id(request.user)
    if member_id is None:
        raise Http404
    return redirect("nation-dashboard", code=request.user.nation.code)


def _dashboard_options(request) -> tuple[dict, str | None]:
    """The status filter and the sort from the query string; a bad status is reported and
    dropped, a bad sort falls back to the commitments' order."""
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "label")
    error = None
    if status and status not in ImplementationStatus.Status.values:
        error = _("“%(value)s” is not a status; showing every commitment.") % {"value": status}
        status = ""
    if sort not in dashboard.SORTS:
        sort = "label"
    return {"status": status, "sort": sort, "stale_after_days": settings.STALE_AFTER_DAYS}, error


@require_GET
def nation_dashboard(request, code: str):
    member = permissions.get_member_for_user(request.user, code)
    options, error = _dashboard_options(request)
    board = dashboard.read_dashboard(request.user, member, **options)
    returned, returned_total = dashboard.returned_actions(request.user, member)
    return render(
        request,
        "resolutions/nation_dashboard.html",
        {
            "member": member,
            "rows": board.rows,
            "folded": board.folded,
            "status": options["status"],
            "sort": options["sort"],
            "query": _options_query(options),
            "filter_error": error,
            "statuses": ImplementationStatus.Status.choices,
            "can_edit": permissions.can_edit_for_member(request.user, member),
            # What the secretariat sent back, with its comments, comes first.
            "returned": returned,
            "returned_total": returned_total,
            "returned_more": returned_total - len(returned),
            "stale_after_days": settings.STALE_AFTER_DAYS,
        },
    )


def _options_query(options) -> str:
    """The filter and sort as a query string, for the links that unfold older resolutions."""
    kept = {k: options[k] for k in ("status", "sort") if options[k] and options[k] != "label"}
    return f"?{urlencode(kept)}" if kept else ""


@require_GET
def nation_dashboard_resolution(request, code: str, pk: int):
    """The rows of one older resolution on a nation's dashboard: the section htmx puts in place
    of its folded line, or a page of its own without JavaScript."""
    member = permissions.get_member_for_user(request.user, code)
    resolution = permissions.get_resolution_by_pk_for_user(request.user, pk)
    options, error = _dashboard_options(request)
    rows = dashboard.commitment_rows(request.user, member, resolutions=[resolution], **options)
    context = {
        "member": member,
        "resolution": resolution,
        "rows": rows,
        "status": options["status"],
        "filter_error": error,
        "stale_after_days": settings.STALE_AFTER_DAYS,
    }
    if request.htmx:
        return render(request, "resolutions/_dashboard_groups.html", context)
    return render(request, "resolutions/nation_resolution.html", context)


@require_GET
def commitment_detail(request, code: str, pk: int):
    member = permissions.get_member_for_user(request.user, code)
    commitment = permissions.get_commitment_for_user(request.user, pk)
    return render(
        request,
        "resolutions/commitment_detail.html",
        commitment_context(request.user, member, commitment),
    )


@require_http_methods(["GET", "POST"])
def status_edit(request, code: str, pk: int):
    member = permissions.get_member_for_user(request.user, code, write=True)
    commitment = permissions.get_commitment_for_user(request.user, pk)
    if request.method == "GET":
        return redirect(f"{commitment_url(member, commitment)}#status")
    form = ImplementationStatusForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            actions.set_status(
                commitment,
                member,
                form.cleaned_data["status"],
                form.cleaned_data["justification"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleEdit as stale:
            conflict = stale.current
            # What was typed stays; the next save knowingly replaces the newer status.
            data = request.POST.copy()
            data["version"] = stale.current.version
            form = ImplementationStatusForm(data)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Status saved."))
            if not request.htmx:
                return redirect(f"{commitment_url(member, commitment)}#status")
            form = None
    context = commitment_context(request.user, member, commitment, status_conflict=conflict)
    if form is not None:
        context["status_form"] = form
    template = "resolutions/commitment_detail.html"
    if request.htmx:
        template += "#status-section"
    refused = form is not None and not conflict
    return render(request, template, context, status=422 if refused and not request.htmx else 200)
