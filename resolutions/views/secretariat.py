"""The secretariat's pages: the matrix of all nations, the review queue, reporting rounds and
importing a resolution in the browser."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import actions, permissions, review_context, rounds
from ..booklets import NothingSaved, import_texts
from ..forms import ReportingRoundForm, ResolutionImportForm, ReviewForm
from ..models import ReportingRound, Resolution
from ..parsing import ResolutionParseError
from ..queries import matrix, review
from ..queries.filters import committee_choices, nation_choices
from ..sources import read_limited, texts_in
from ..templatetags import tracker as tracker_tags


@require_GET
def matrix_page(request):
    form, filters = matrix.read_filters(request.GET, request.user)
    query = filters.as_query()
    return render(
        request,
        "resolutions/matrix.html",
        {
            "form": form,
            "filter_fields": _filter_fields(form, request.user),
            "filters": filters,
            "resolution": filters.resolution,
            "body": _matrix_body(request.user, filters),
            "query": urlencode(query),
            "can_review": permissions.can_review(request.user),
        },
    )


def _matrix_body(user, filters):
    """The legend and the table (the table built in Python: 32 nations × every commitment is
    too many cells for the template language)."""
    if filters.resolution is None:
        return None
    table = matrix.build_matrix(user, filters)
    return {
        "legend": render_to_string("resolutions/_matrix_legend.html", {"matrix": table}),
        "table": tracker_tags.matrix_table(table),
    }


def _filter_fields(form, user):
    """Each filter with its options, the lists read as rows in one plain query each: iterating
    a model choice field in the template counts the rows first and reads them through a
    server-side cursor (three round trips per list on PostgreSQL), and a hundred resolutions
    built as models cost twice their rows."""
    fields = []
    for field in form:
        options = None
        if field.name == "resolution":  # a hundred labels, their shared words translated once
            resolutions = permissions.visible_resolutions(user).as_choices()
            options = [(str(r.pk), label) for r, label in Resolution.labelled(resolutions)]
        elif field.name == "committee":
            options = [(code, name) for code, (_pk, name) in committee_choices().items()]
        elif field.name == "nation":  # by name, not by ISO code
            options = sorted(
                ((code, name) for code, (_pk, name) in nation_choices().items()),
                key=lambda option: option[1],
            )
        elif isinstance(field.field, ModelChoiceField):
            f = field.field
            options = [(str(f.prepare_value(o)), f.label_from_instance(o)) for o in f.queryset]
            if field.name == "theme" and not options:
                continue  # no resolution has themes yet: nothing to choose from
        fields.append((field, options))
    return fields


@require_GET
def matrix_cell(request, pk: int, code: str):
    """One nation's status and actions on one commitment: a fragment for the matrix's side
    panel, or the commitment page itself without JavaScript."""
    member = permissions.get_member_for_user(request.user, code)
    commitment = permissions.get_commitment_for_user(request.user, pk)
    if not request.htmx:
        return redirect("commitment-detail", code=member.code, pk=commitment.pk)
    context = {
        "member": member,
        "commitment": commitment,
        "status": actions.status_of(commitment, member),
        # Counted in the same query: the panel shows how many, not which.
        "national_actions": permissions.visible_actions(request.user)
        .filter(member=member, commitment=commitment)
        .with_evidence_count(request.user)
        .order_by("-updated_at"),
    }
    return render(request, "resolutions/_matrix_cell.html", context)


# --- Review ----------------------------------------------------------------------------------


def _queue_page(request, query, *, refused=None, status=200):
    """The review queue with each item's context (status, evidence, earlier comments, what
    changed). `refused` is (action pk, message, typed comment): shown on that item."""
    queue = review.read_queue(query, request.user)
    contexts = review_context.contexts_for(list(queue.page.object_list))
    for item in queue.items:
        item.context = contexts.get(item.pk)
        item.error, item.typed = ("", "")
        if refused and refused[0] == item.pk:
            item.error, item.typed = refused[1], refused[2]
    return render(
        request,
        "resolutions/review_queue.html",
        {"queue": queue, "refused": bool(refused)},
        status=status,
    )


@require_GET
def review_queue(request):
    if not permissions.can_review(request.user):
        raise Http404
    return _queue_page(request, request.GET)


@require_POST
def review_action(request, pk: int):
    """Accepts or returns a submitted action, or the pending revision of an accepted one (an
    action has one or the other waiting, never both)."""
    action = permissions.get_action_for_review(request.user, pk)
    revision = permissions.revision_for_user(request.user, action)
    if revision is not None and not revision.is_pending:
        revision = None
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or return the action."))
        return redirect(review.queue_url(request.POST))
    comment = form.cleaned_data["comment"]
    names = {"title": action.title, "nation": action.member.name}
    try:
        if form.cleaned_data["decision"] == "accept":
            if revision is not None:
                actions.accept_revision(revision, by=request.user, comment=comment)
                messages.success(request, _("Accepted the revision of “%(title)s”.") % names)
            else:
                actions.accept_action(action, by=request.user, comment=comment)
                messages.success(request, _("Accepted “%(title)s”.") % names)
        elif revision is not None:
            actions.return_revision(revision, comment, by=request.user)
            messages.success(
                request,
                _("Returned the revision of “%(title)s” to the delegation of %(nation)s.") % names,
            )
        else:
            actions.return_action(action, comment, by=request.user)
            messages.success(
                request, _("Returned “%(title)s” to the delegation of %(nation)s.") % names
            )
    except ValidationError as error:
        # Shown on the item it concerns, with what was typed kept and focus moved there.
        return _queue_page(
            request, request.POST, refused=(action.pk, " ".join(error.messages), comment),
            status=422,
        )  # fmt: skip
    except actions.NotEditable as error:
        messages.error(request, str(error))
    # Back to the same page and filters the secretary decided from.
    return redirect(review.queue_url(request.POST))


# --- Reporting rounds ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_list(request):
    can_manage = permissions.can_manage_rounds(request.user)
    form = None
    if can_manage:
        form = ReportingRoundForm(request.POST or None)
        form.fields["resolutions"].queryset = permissions.visible_resolutions(request.user)
        if request.method == "POST" and form.is_valid():
            round_ = form.save()
            messages.success(request, _("Reporting round “%(name)s” opened.") % {"name": round_})
            return redirect("round-detail", pk=round_.pk)
    elif request.method == "POST":
        raise Http404
    rounds = ReportingRound.objects.prefetch_related("resolutions").order_by("-is_open", "deadline")
    return render(
        request,
        "resolutions/rounds.html",
        {"rounds": rounds, "form": form, "can_manage": can_manage},
        status=422 if form is not None and form.errors else 200,
    )


@require_GET
def round_detail(request, pk: int):
    """A round's completion per nation and per commitment; once closed, as of the closing."""
    round_ = permissions.get_round_for_user(request.user, pk)
    return render(
        request,
        "resolutions/round_detail.html",
        {
            "round": round_,
            "completion": rounds.completion(round_),
            "can_manage": permissions.can_manage_rounds(request.user),
        },
    )


@require_POST
def round_close(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk, write=True)
    try:
        actions.close_round(round_, by=request.user)
    except actions.NotEditable as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Round “%(name)s” closed: its report now shows what was accepted at closing.")
            % {"name": round_.name},
        )
    return redirect("round-detail", pk=round_.pk)


@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk, write=True)
    form = ReportingRoundForm(request.POST or None, instance=round_)
    form.fields["resolutions"].queryset = permissions.visible_resolutions(request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Reporting round saved."))
        return redirect("round-list")
    return render(
        request,
        "resolutions/round_form.html",
        {"form": form, "round": round_},
        status=422 if form.errors else 200,
    )


# --- Import in the browser -------------------------------------------------------------------


def _read_import(form) -> tuple[str, list]:
    """The file's text (a PDF's text layer) and the texts found in it, from the uploaded file or
    the pasted text."""
    upload = form.cleaned_data.get("file")
    data = read_limited(upload) if upload else form.cleaned_data["text"].encode()
    return texts_in(data)


@require_http_methods(["GET", "POST"])
def resolution_import(request):
    """Upload or paste, see every text found with what importing it would do (or why it cannot
    be imported), choose which to import, confirm."""
    if not permissions.can_import_resolutions(request.user):
        raise Http404
    form = ResolutionImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            text, found = _read_import(form)
        except ResolutionParseError as error:
            context["parse_error"] = str(error)
        else:
            if request.POST.get("confirm") == "yes":
                chosen = set(request.POST.getlist("only"))
                if chosen:
                    return _confirm_import(request, found, chosen, form)
                context["choice_error"] = _("Choose at least one text to import.")
            outcomes = import_texts(found, dry_run=True)
            context.update({"outcomes": outcomes, "text": text})
            if len(outcomes) == 1 and outcomes[0].error:
                context["parse_error"] = outcomes[0].error
    failed = context.get("parse_error") or context.get("choice_error") or form.errors
    return render(request, "resolutions/import.html", context, status=422 if failed else 200)


def _confirm_import(request, found, chosen: set[str], form):
    all_or_nothing = form.cleaned_data.get("all_or_nothing", False)
    try:
        outcomes = import_texts(found, only=chosen, all_or_nothing=all_or_nothing)
    except NothingSaved as refused:
        for outcome in refused.outcomes:
            if outcome.error:
                messages.error(request, outcome.error)
        messages.error(request, _("All or nothing was chosen: nothing was saved."))
        return redirect("resolution-import")
    done = [o for o in outcomes if o.report is not None]
    for outcome in outcomes:
        if outcome.error:
            messages.error(request, outcome.error)
        elif outcome.report is not None:
            resolution = outcome.report.resolution
            label = f"{resolution.get_document_type_display()} {resolution.number}"
            if outcome.report.unchanged:
                messages.info(request, _("%(text)s: already up to date.") % {"text": label})
            else:
                messages.success(request, _("%(text)s imported.") % {"text": label})
    if len(done) == 1:
        return redirect(done[0].report.resolution)
    return redirect("resolution-list")
