"""The review queue as pages: submitted actions, oldest first, 25 at a time, filtered by
resolution, committee or nation. A fixed number of queries whatever the length of the queue."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import permissions
from ..models import Committee, Member, NationalAction, Resolution
from . import paging
from .filters import FilterForm

PER_PAGE = 25
FILTERS = ("resolution", "committee", "nation")


class ReviewFilterForm(FilterForm):
    """The queue's filters, read from the query string. An invalid value is reported and
    ignored. Plain choices from lists read once: three queries, whichever filters are given
    (a model choice field would query again to check each value)."""

    resolution = forms.ChoiceField(label=gettext_lazy("Resolution"), required=False)
    committee = forms.ChoiceField(label=gettext_lazy("Committee"), required=False)
    nation = forms.ChoiceField(label=gettext_lazy("Nation"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        resolutions = Resolution.labelled(permissions.visible_resolutions(user).as_choices())
        self.objects = {
            "resolution": {str(r.pk): r for r, _label in resolutions},
            "committee": {c.code: c for c in Committee.objects.all()},
            "nation": {m.code: m for m in Member.objects.filter(kind=Member.Kind.MEMBER)},
        }
        self.fields["resolution"].choices = [
            ("", ""),
            *((str(r.pk), label) for r, label in resolutions),  # "Resolution 493: …"
        ]
        self.fields["committee"].choices = [
            ("", ""),
            *((code, str(c)) for code, c in self.objects["committee"].items()),
        ]
        self.fields["nation"].choices = [
            ("", ""),
            *((code, m.name) for code, m in self.objects["nation"].items()),
        ]

    def chosen(self, name):
        """The object a valid filter names, or None."""
        if name in self.errors:
            return None
        return self.objects[name].get(self.cleaned_data.get(name) or "")


@dataclass
class Item:
    """One submitted action as the queue shows it: labels worked out once, in Python, because
    choice labels and translations looked up in the template cost more than the rest of it."""

    pk: int
    title: str
    url: str
    review_url: str
    details: str
    description: str
    evidence: str
    commitment_text: str = ""
    quoted_title: str = ""  # “title”, for the buttons' hidden text


@dataclass
class Queue:
    form: ReviewFilterForm
    page: Page
    items: list[Item]
    errors: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)

    def link(self, number: int) -> str:
        """The queue's URL for page `number` with the same filters."""
        return paging.page_link(self.query, number)

    @property
    def previous_url(self) -> str:
        return self.link(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.link(self.page.next_page_number()) if self.page.has_next() else ""


def read_queue(query, user) -> Queue:
    """The page of the queue the query string asks for. Bad filters and page numbers become
    messages; what was understood still applies."""
    form = ReviewFilterForm(query, user=user)
    errors = form.problems()
    narrowed = Q()
    kept = {}
    for name in FILTERS:
        value = form.chosen(name)
        if value is None:
            continue
        if name == "resolution":
            narrowed &= Q(commitment__resolution=value)
        elif name == "committee":
            narrowed &= Q(commitment__resolution__committee=value)
        else:
            narrowed &= Q(member=value)
        kept[name] = form.cleaned_data[name]
    # A bad filter is dropped from the form too, so the select shows what applies.
    form.data = {**kept}
    page = _page(Paginator(WaitingActions(user, narrowed), PER_PAGE), query.get("page"), errors)
    return Queue(form, page, [_item(action) for action in page.object_list], errors, kept)


class WaitingActions:
    """The queue as Django's Paginator reads it: counted, and a page of actions read by id.
    The order (oldest submission first; a revision counts from its own submission) comes from
    the two parts of permissions.waiting_for_review(), each read from its index up to the
    page's end and merged here; the page's actions are then read with what the queue shows."""

    def __init__(self, user, narrowed: Q):
        submitted, revised = permissions.waiting_for_review(user)
        self.user = user
        self.parts = [
            submitted.filter(narrowed)
            .values_list("pk", "submitted_at")
            .order_by("submitted_at", "pk"),
            revised.filter(narrowed)
            .values_list("pk", "revision__submitted_at")
            .order_by("revision__submitted_at", "pk"),
        ]

    def count(self) -> int:
        first, second = self.parts
        return first.order_by().union(second.order_by(), all=True).count()

    def __getitem__(self, page: slice) -> list[NationalAction]:
        rows = paging.first_of_parts(self.parts, page.stop)
        # Submitted ones always have a date; a missing one sorts last, as in the database.
        oldest = sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[0]))
        ids = [pk for pk, _ in oldest[page]]
        found = permissions.review_queue(self.user).filter(pk__in=ids).order_by()
        by_id = {action.pk: action for action in found}
        return [by_id[pk] for pk in ids if pk in by_id]


def _page(paginator: Paginator, asked: str | None, errors: list[str]) -> Page:
    number = paging.asked_page(asked, errors)
    if number > paginator.num_pages:
        errors.append(paging.past_the_end(number, paginator.num_pages))
        return paginator.page(paginator.num_pages)
    return paginator.page(number)


TYPES = NationalAction.Type.labels_by_value()
STAGES = NationalAction.Stage.labels_by_value()


def _item(action: NationalAction) -> Item:
    parts = [
        action.member.name,
        action.commitment.reference,
        str(TYPES.get(action.action_type, action.action_type)),
        str(STAGES.get(action.stage, action.stage)),
    ]
    if action.submitted_at:
        parts.append(
            _("submitted %(when)s")
            % {"when": formats.date_format(timezone.localtime(action.submitted_at), "j M Y")}
        )
    if action.author:
        parts.append(str(action.author))
    n = len(action.evidence.all())
    return Item(
        pk=action.pk,
        title=action.title,
        url=action.get_absolute_url(),
        review_url=reverse("review-action", kwargs={"pk": action.pk}),
        details=" · ".join(parts),
        description=Truncator(action.description).words(60) if action.description else "",
        evidence=ngettext("%(counter)s piece of evidence", "%(counter)s pieces of evidence", n)
        % {"counter": n},
        commitment_text=action.commitment.text,
        quoted_title=_("“%(title)s”") % {"title": action.title},
    )


def queue_url(query) -> str:
    """Where to go back to after a decision: the same filters and page, nothing else."""
    kept = {name: query[name] for name in (*FILTERS, "page") if query.get(name)}
    url = reverse("review-queue")
    return f"{url}?{urlencode(kept)}" if kept else url
