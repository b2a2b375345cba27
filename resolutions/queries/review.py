"""The review queue as pages: submitted actions, oldest first, 25 at a time, filtered by
resolution, committee or nation. A fixed number of queries whatever the length of the queue."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from .. import permissions
from ..changes import FIELDS
from ..models import (
    ActionRevision,
    Commitment,
    Evidence,
    ImplementationStatus,
    NationalAction,
    Resolution,
    User,
)
from ..models.nations import country_name
from . import paging
from .filters import FilterForm, ListedChoiceField, committee_choices, nation_choices
from .links import pk_url_maker

PER_PAGE = 25
FILTERS = ("resolution", "committee", "nation")


class ReviewFilterForm(FilterForm):
    """The queue's filters, read from the query string. An invalid value is reported and
    ignored. Plain choices from lists read once: three queries, whichever filters are given
    (a model choice field would query again to check each value)."""

    resolution = ListedChoiceField(label=gettext_lazy("Resolution"), required=False)
    committee = ListedChoiceField(label=gettext_lazy("Committee"), required=False)
    nation = ListedChoiceField(label=gettext_lazy("Nation"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        resolutions = Resolution.labelled(permissions.visible_resolutions(user).as_choices())
        # Each filter's {value: primary key} and its choices, read as rows.
        self.keys = {
            "resolution": {str(r.pk): r.pk for r, _label in resolutions},
            "committee": {},
            "nation": {},
        }
        # "Resolution 493: …"
        choices = {"resolution": [(str(r.pk), label) for r, label in resolutions]}
        for name, read in (("committee", committee_choices), ("nation", nation_choices)):
            rows = read()
            self.keys[name] = {code: pk for code, (pk, _label) in rows.items()}
            choices[name] = [(code, label) for code, (_pk, label) in rows.items()]
        for name, listed in choices.items():
            self.fields[name].choices = [("", ""), *listed]

    def chosen(self, name) -> int | None:
        """The primary key of what a valid filter names, or None."""
        if name in self.errors:
            return None
        return self.keys[name].get(self.cleaned_data.get(name) or "")


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
            narrowed &= Q(commitment__resolution_id=value)
        elif name == "committee":
            narrowed &= Q(commitment__resolution__committee_id=value)
        else:
            narrowed &= Q(member_id=value)
        kept[name] = form.cleaned_data[name]
    # A bad filter is dropped from the form too, so the select shows what applies.
    form.data = {**kept}
    page = _page(Paginator(WaitingActions(user, narrowed), PER_PAGE), query.get("page"), errors)
    item = item_maker()
    return Queue(form, page, [item(action) for action in page.object_list], errors, kept)


# What the queue shows of each piece of evidence (templatetags/review_items.py), read as rows.
EVIDENCE_SHOWN = (
    "pk", "action_id", "kind", "title", "url", "original_name", "content_type", "size",
    "language", "pending",
)  # fmt: skip


# What the queue reads of each action: the compared fields (changes.FIELDS), what its item
# shows of the nation, commitment and author, and its revision's state and compared fields.
QUEUED_FIELDS = (
    "pk", "commitment_id", "member_id", *FIELDS, "submitted_at", "member__country",
    "commitment__label", "commitment__text", "commitment__resolution__number",
    "author__username", "author__first_name", "author__last_name", "revision__state",
    *(f"revision__{name}" for name in FIELDS),
)  # fmt: skip


@dataclass
class QueuedAction:
    """An action waiting for review, as the queue reads it."""

    pk: int
    commitment_id: int
    member_id: int
    title: str
    description: str
    action_type: str
    actor: str
    date: datetime.date | None
    stage: str
    submitted_at: datetime.datetime | None
    nation: str  # in the active language
    reference: str  # "493 25.e", as Commitment.reference
    commitment_text: str
    author: str  # as User's str() names them; "" without an author
    all_evidence: list  # oldest first
    # The compared fields of its revision when one waits for review, else None.
    pending_revision: dict | None
    # The nation's status on the commitment and its justification; None when none is saved.
    status: str | None
    justification: str | None


def queued(row, evidence: list) -> QueuedAction:
    """A QueuedAction from its row (QUEUED_FIELDS) and its evidence."""
    pending = row.revision__state == ActionRevision.State.PENDING
    return QueuedAction(
        pk=row.pk,
        commitment_id=row.commitment_id,
        member_id=row.member_id,
        **{name: getattr(row, name) for name in FIELDS},
        submitted_at=row.submitted_at,
        nation=country_name(row.member__country, get_language()),
        reference=Commitment.reference_of(
            row.commitment__resolution__number, row.commitment__label
        ),
        commitment_text=row.commitment__text,
        author=User.display_name(
            row.author__username, row.author__first_name, row.author__last_name
        )
        if row.author__username
        else "",
        all_evidence=evidence,
        pending_revision={name: getattr(row, f"revision__{name}") for name in FIELDS}
        if pending
        else None,
        status=row.status,
        justification=row.justification,
    )


class WaitingActions:
    """The queue as Django's Paginator reads it: counted, and a page of actions read by id
    (QueuedAction, with its evidence and its nation's status).
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
        # The parts never share an action: one waits as submitted, the other as a revision.
        return paging.count_of_parts(self.parts)

    def __getitem__(self, page: slice) -> list[QueuedAction]:
        rows = paging.first_of_parts(self.parts, page.stop)
        # Submitted ones always have a date; a missing one sorts last, as in the database.
        oldest = sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[0]))
        ids = [pk for pk, _ in oldest[page]]
        # As rows of what the queue shows and compares: six models per action (with its
        # commitment, resolution, nation, author and revision) cost more than the rest of it.
        # The nation's status on the commitment comes along (two subqueries on the
        # (commitment, nation) key): a query of its own cost more.
        status = ImplementationStatus.objects.filter(
            commitment_id=OuterRef("commitment_id"), member_id=OuterRef("member_id")
        )
        found = (
            permissions.visible_actions(self.user)
            .filter(pk__in=ids)
            .order_by()
            .annotate(
                status=Subquery(status.values("status")[:1]),
                justification=Subquery(status.values("justification")[:1]),
            )
        )
        by_id = {
            row.pk: row
            for row in found.values_list(*QUEUED_FIELDS, "status", "justification", named=True)
        }
        # Each action's evidence, read in one plain query and handed out here: Django's
        # prefetching of the same rows as models cost twice the query itself.
        evidence: dict[int, list] = {pk: [] for pk in by_id}
        shown = Evidence.objects.filter(action_id__in=list(by_id)).order_by("created_at", "pk")
        for item in shown.values_list(*EVIDENCE_SHOWN, named=True):
            evidence[item.action_id].append(item)
        return [queued(by_id[pk], evidence[pk]) for pk in ids if pk in by_id]


def _page(paginator: Paginator, asked: str | None, errors: list[str]) -> Page:
    number = paging.asked_page(asked, errors)
    if number > paginator.num_pages:
        errors.append(paging.past_the_end(number, paginator.num_pages))
        return paginator.page(paginator.num_pages)
    return paginator.page(number)


TYPES = NationalAction.Type.labels_by_value()
STAGES = NationalAction.Stage.labels_by_value()


def item_maker():
    """A function action -> Item for one page of the queue: the words every item shares are
    translated once, the URLs reversed once and each day written once (25 items each doing it
    afresh cost as much as reading them)."""
    detail_url = pk_url_maker("action-detail")
    review_url = pk_url_maker("review-action")
    submitted = _("submitted %(when)s")
    quoted = _("“%(title)s”")
    types = {value: str(label) for value, label in TYPES.items()}
    stages = {value: str(label) for value, label in STAGES.items()}
    days: dict = {}
    evidence_counts: dict[int, str] = {}

    def day(moment) -> str:
        local = timezone.localtime(moment).date()
        if local not in days:
            days[local] = formats.date_format(local, "j M Y")
        return days[local]

    def evidence(n: int) -> str:
        if n not in evidence_counts:
            evidence_counts[n] = ngettext(
                "%(counter)s piece of evidence", "%(counter)s pieces of evidence", n
            ) % {"counter": n}
        return evidence_counts[n]

    def item(action: QueuedAction) -> Item:
        parts = [
            action.nation,
            action.reference,
            types.get(action.action_type, action.action_type),
            stages.get(action.stage, action.stage),
        ]
        if action.submitted_at:
            parts.append(submitted % {"when": day(action.submitted_at)})
        if action.author:
            parts.append(action.author)
        return Item(
            pk=action.pk,
            title=action.title,
            url=detail_url(action.pk),
            review_url=review_url(action.pk),
            details=" · ".join(parts),
            description=Truncator(action.description).words(60) if action.description else "",
            evidence=evidence(len(action.all_evidence)),
            commitment_text=action.commitment_text,
            quoted_title=quoted % {"title": action.title},
        )

    return item


def queue_url(query) -> str:
    """Where to go back to after a decision: the same filters and page, nothing else."""
    kept = {name: query[name] for name in (*FILTERS, "page") if query.get(name)}
    url = reverse("review-queue")
    return f"{url}?{urlencode(kept)}" if kept else url
