"""What a report covers, read by a form: one resolution (with the matrix filters), one nation
across the resolutions, one reporting round, or every resolution (`scope=all`, secretaries and
administrators only); which actions it holds; and the language it is written in.

Which actions (issue 11's rules): **accepted** ones by default; with `submitted`, also those
awaiting review, marked so; with `drafts`, a delegation's own drafts and returned actions, marked
so, in its own report only. Returned and draft actions never reach anyone outside the
delegation, administrators included: a report is something to circulate.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.http import Http404, QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Member
from ..queries import matrix

KINDS = ("resolution", "nation", "round", "all")
FILTER_NAMES = ("resolution", "committee", "theme", "nation", "status", "updated_since")
ROWS = (("actions", gettext_lazy("one row per action")),
        ("statuses", gettext_lazy("one row per commitment and nation")))  # fmt: skip


class ScopeError(ValueError):
    """The request does not name a report that can be made: each message says why."""

    status = 400

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class ScopeRefused(ScopeError):
    """The report exists but this user may not make it (a full export by an editor)."""

    status = 403


class ScopeForm(forms.Form):
    """The report's options; the matrix filters are read by the matrix's own form."""

    scope = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    id = forms.CharField(required=False, max_length=40)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=settings.LANGUAGES, required=False
    )
    submitted = forms.BooleanField(
        label=gettext_lazy("Include actions awaiting review"), required=False
    )
    drafts = forms.BooleanField(
        label=gettext_lazy("Include our drafts and returned actions"), required=False
    )
    rows = forms.ChoiceField(label=gettext_lazy("CSV rows"), choices=ROWS, required=False)


@dataclass
class ReportScope:
    """What a report covers, checked against the user."""

    kind: str  # "resolution", "nation", "round" or "all"
    key: str  # for the file name: the resolution's number, the nation's code, the round's id
    title: str
    user: object
    resolutions: list  # Resolution rows, committee and session loaded
    filters: matrix.MatrixFilters
    member: Member | None = None
    round: object = None
    query: dict[str, str] = field(default_factory=dict)  # enough to read the scope again
    language: str = "en"
    include_submitted: bool = False
    include_drafts: bool = False
    rows: str = "actions"

    @property
    def file_prefix(self) -> str:
        if self.kind == "resolution":
            return f"{self.resolutions[0].document_type}-{self.key}"
        if self.kind == "all":
            return "all-resolutions"
        return f"{self.kind}-{self.key}"


def default_language(user) -> str:
    """The person's language when they chose one, else the one the page is shown in."""
    chosen = getattr(user, "language", "") or ""
    known = dict(settings.LANGUAGES)
    if chosen in known:
        return chosen
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in known else settings.LANGUAGE_CODE


def read_scope(user, data) -> ReportScope:
    """The scope that `data` (a query string or the dict a background job kept) names, or a
    ScopeError that says what to change."""
    form = ScopeForm(data)
    if not form.is_valid():
        raise ScopeError(_form_errors(form))
    options = form.cleaned_data
    kind, ident = options["scope"], options["id"].strip()
    if kind == "all" and not permissions.can_export_everything(user):
        raise ScopeRefused(
            [_("Only committee secretaries and administrators may export every resolution at "
               "once. Export one resolution, one nation or one reporting round instead.")]
        )  # fmt: skip
    if kind != "all" and not ident:
        raise ScopeError([_("Say which %(kind)s the report covers.") % {"kind": kind}])
    if options["drafts"] and permissions.own_member_id(user) is None:
        raise ScopeError(
            [_("Only a delegation's own report may include its drafts and returned actions.")]
        )
    raw = {name: str(data.get(name, "")).strip() for name in FILTER_NAMES if data.get(name)}
    if kind == "resolution":
        raw["resolution"] = _check_same(raw.get("resolution"), ident, _("resolution"))
    if kind == "nation":
        nation = raw.get("nation", "").upper() or None
        raw["nation"] = _check_same(nation, ident.upper(), _("nation"))
    # The matrix reads its filters from a query string, with its own form.
    as_query = QueryDict(mutable=True)
    as_query.update(raw)
    filter_form, filters = matrix.read_filters(as_query, user)
    if kind == "resolution" and "resolution" in filter_form.errors:
        raise ScopeError([_("There is no resolution with the id “%(id)s”.") % {"id": ident}])
    if kind == "nation" and "nation" in filter_form.errors:
        raise ScopeError([_("There is no nation with the code “%(id)s”.") % {"id": ident}])
    if filters.errors:
        raise ScopeError(filters.errors)
    chosen = {
        "language": options["language"] or default_language(user),
        **({"submitted": "1"} if options["submitted"] else {}),
        **({"drafts": "1"} if options["drafts"] else {}),
        **({"rows": options["rows"]} if options["rows"] not in ("", "actions") else {}),
    }
    common = {
        "user": user,
        "filters": filters,
        "query": {"scope": kind, **({"id": ident} if kind != "all" else {}), **raw, **chosen},
        "language": chosen["language"],
        "include_submitted": options["submitted"],
        "include_drafts": options["drafts"],
        "rows": options["rows"] or "actions",
    }
    resolutions = permissions.visible_resolutions(user).select_related("committee", "session")
    if kind == "resolution":
        resolution = filters.resolution
        return ReportScope(
            kind, str(resolution.number), str(resolution),
            resolutions=[resolutions.get(pk=resolution.pk)], **common,
        )  # fmt: skip
    # read_filters picks the latest resolution when none is asked for; only the resolution
    # scope and an explicit filter narrow a nation's or a round's report to one resolution.
    if filters.committee:
        resolutions = resolutions.filter(committee=filters.committee)
    if raw.get("resolution"):
        resolutions = resolutions.filter(pk=filters.resolution.pk)
    resolutions = resolutions.order_by("-adoption_date", "-number")
    if kind == "all":
        return ReportScope(kind, "all", _("Every resolution"), resolutions=list(resolutions),
                           **common)  # fmt: skip
    if kind == "nation":
        nation = filters.nation
        return ReportScope(
            kind, nation.code.lower(), nation.name, resolutions=list(resolutions), member=nation,
            **common,
        )  # fmt: skip
    try:
        round_ = permissions.get_round_for_user(user, int(ident))
    except (ValueError, Http404):
        raise ScopeError(
            [_("There is no reporting round with the id “%(id)s”.") % {"id": ident}]
        ) from None
    resolutions = resolutions.filter(reporting_rounds=round_)
    return ReportScope(
        kind, str(round_.pk), round_.name, resolutions=list(resolutions), round=round_, **common
    )


def _form_errors(form) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        if name == "scope":
            messages.append(
                _("Choose what the report covers: a resolution, a nation, a round or everything.")
            )
        else:
            label = form.fields[name].label or name
            messages += [f"{label}: {error}" for error in errors]
    return messages


def _check_same(filter_value, ident, what):
    if filter_value and filter_value != ident:
        raise ScopeError(
            [_("The %(what)s filter does not match the report's %(what)s.") % {"what": what}]
        )
    return ident
