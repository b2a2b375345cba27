"""Search across national actions and their evidence: titles, descriptions, links, file names.

An action is found when every word of the search appears in its title or description, or in the
title, link or file name of one piece of its evidence. What a person may see comes from
permissions.visible_actions() and visible_evidence(); filters narrow by resolution, nation, type
and stage.

On PostgreSQL words are matched by full-text search with the `english` configuration ("control"
also finds "controls"): an action's words are stored in its `search_document` column (migration
0015, kept by PostgreSQL), evidence's are indexed as an expression (migration 0007), and the
SearchVector expression below must stay the same as that index's, or PostgreSQL reads the whole
table. On SQLite every word must appear as a substring (icontains).

Four queries whatever the number of matches: one counts them (exactly up to COUNTED), one finds
the page's actions in order (page_of_matches), one reads them, one their matching evidence.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .. import permissions
from ..models import NationalAction, Resolution
from ..models.nations import country_name
from . import paging
from .filters import FilterForm, ListedChoiceField, nation_choices
from .links import pk_url_maker

PER_PAGE = 25
MAX_LENGTH = 200  # characters of the search text; a longer text is cut, with a message
MAX_EVIDENCE_SHOWN = 5  # matching evidence titles listed under one action
COUNTED = 1000  # matches counted exactly up to this many; beyond, "more than 1,000"
CONFIG = "english"  # migrations 0007 and 0015 are built with the same configuration
ACTION_FIELDS = ("title", "description")
EVIDENCE_FIELDS = ("title", "url", "original_name")
FILTERS = ("resolution", "nation", "type", "stage")
TYPES = NationalAction.Type.labels_by_value()
STAGES = NationalAction.Stage.labels_by_value()
REVIEW_STATES = NationalAction.ReviewState.labels_by_value()
RESOLUTION_TYPES = Resolution.DocumentType.labels_by_value()


# --- The search text ---------------------------------------------------------------------------


def clean_text(raw: str) -> tuple[str, list[str]]:
    """The text as typed, safe to search for: control characters removed (PostgreSQL refuses
    NUL in a string), spaces collapsed, at most MAX_LENGTH characters. Returns the text and
    what the person should be told about it."""
    notices = []
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in raw or "")
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH].rstrip()
        notices.append(
            _("Searches are limited to %(limit)s characters: only the first %(limit)s were used.")
            % {"limit": MAX_LENGTH}
        )
    return text, notices


def words(text: str) -> list[str]:
    """The words of a search: runs of letters and digits. Punctuation alone searches nothing."""
    return re.findall(r"\w+", text.lower())


# --- Matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the search is narrowed to: primary keys of a resolution and a nation, an action type
    and a stage; None or "" for any."""

    resolution: int | None = None
    member: int | None = None
    action_type: str = ""
    stage: str = ""

    def condition(self, path: str = "") -> Q:
        """The filters as a condition on the action reached through `path`."""
        wanted = {
            "commitment__resolution_id": self.resolution,
            "member_id": self.member,
            "action_type": self.action_type,
            "stage": self.stage,
        }
        return Q(**{f"{path}{name}": value for name, value in wanted.items() if value})


def matching(queryset, fields, text: str):
    """`queryset` narrowed to the rows whose `fields` contain every word of `text`."""
    if connections[queryset.db].vendor == "postgresql":
        if queryset.model is NationalAction and tuple(fields) == ACTION_FIELDS:
            # The stored words (migration 0015), which the model does not declare: SQLite has
            # no such column. plainto_tsquery is what SearchQuery(search_type="plain") writes.
            column = f'"{NationalAction._meta.db_table}"."search_document"'
            found = f"{column} @@ plainto_tsquery(%s::regconfig, %s)"
            return queryset.filter(RawSQL(found, (CONFIG, text), BooleanField()))  # noqa: S611
        return queryset.annotate(search_document=SearchVector(*fields, config=CONFIG)).filter(
            search_document=SearchQuery(text, config=CONFIG, search_type="plain")
        )
    condition = Q()
    for word in words(text):
        condition &= Q.create([(f"{name}__icontains", word) for name in fields], connector=Q.OR)
    return queryset.filter(condition)


def matches(user, text: str, filters: Filters = Filters()):
    """Every action the user may see that matches, in two parts: those that match by their own
    text, and those with matching evidence, each as (match_id, match_updated) rows. Each part
    applies the permission rule itself, so that PostgreSQL reads only matching rows from the
    indexes instead of joining to the whole table of actions."""
    own = matching(
        permissions.visible_actions(user).filter(filters.condition()), ACTION_FIELDS, text
    ).values_list("pk", "updated_at")
    through_evidence = (
        matching(
            permissions.visible_evidence(user).filter(filters.condition("action__")),
            EVIDENCE_FIELDS,
            text,
        )
        .values_list("action_id", "action__updated_at")
        .distinct()
    )
    return own, through_evidence


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def page_of_matches(own, through_evidence, offset: int, limit: int = PER_PAGE) -> list[int]:
    """The ids of one page of matches, most recently updated first, in one query: the newest
    `offset + limit` of each part (PostgreSQL walks the actions' (updated_at, id) index and
    tests each row when a search matches many, or reads the few matches from the text index),
    merged here. An action in both parts has the same date in both, so the page is exact."""
    wanted = offset + limit
    rows = paging.first_of_parts(
        [
            own.order_by("-updated_at", "-pk"),
            through_evidence.order_by("-action__updated_at", "-action_id"),
        ],
        wanted,
    )
    newest = sorted(set(rows), key=lambda row: (row[1], row[0]), reverse=True)
    return [pk for pk, _updated in newest[offset:wanted]]


def count_matches(own, through_evidence) -> int:
    """How many actions match, counted exactly up to COUNTED and as COUNTED + 1 beyond: a
    search that matches thousands is told "more than 1,000" and asked to narrow, rather than
    have every match read to count them."""
    cap = COUNTED + 1
    own_sql, own_params = _sql(own.order_by()[:cap])
    evidence_sql, evidence_params = _sql(through_evidence.order_by()[:cap])
    sql = (
        "SELECT COUNT(*) FROM ("  # noqa: S608 (compiled by the ORM, values as parameters)
        f"SELECT * FROM ({own_sql}) AS own UNION SELECT * FROM ({evidence_sql}) AS ev"
        ") AS found"
    )
    with connections[own.db].cursor() as cursor:
        cursor.execute(sql, own_params + evidence_params)
        return min(cursor.fetchone()[0], cap)


# --- One page of results -----------------------------------------------------------------------


# What the results show of each action.
SHOWN = (
    "pk", "title", "member__country", "commitment__label",
    "commitment__resolution__document_type", "commitment__resolution__number", "action_type",
    "stage", "review_state", "date",
)  # fmt: skip


@dataclass
class Match:
    """A matching action as read (`row`, the SHOWN fields) and the titles of its matching
    evidence."""

    row: tuple
    matched_evidence: list[str] = field(default_factory=list)


@dataclass
class Found:
    """A page of results: the matches in order (Match), and the total (COUNTED + 1 when there
    are more than COUNTED: `more_than`)."""

    number: int
    total: int
    actions: list[Match] = field(default_factory=list)

    @property
    def more_than(self) -> int | None:
        """COUNTED when there are more matches than were counted, else None."""
        return COUNTED if self.total > COUNTED else None

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.total, COUNTED) // PER_PAGE))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1


def search(user, text: str, filters: Filters = Filters(), page: int = 1) -> Found:
    """Page `page` of the actions matching `text` that `user` may see; a page past the end
    gives the last page. Four queries. `text` is what clean_text() returns; without a word in it
    nothing is searched."""
    if not words(text):
        return Found(1, 0)
    own, through_evidence = matches(user, text, filters)
    total = count_matches(own, through_evidence)
    if not total:
        return Found(1, 0)
    last = -(-min(total, COUNTED) // PER_PAGE)
    page = min(page, last)
    offset = (page - 1) * PER_PAGE
    # The pages stop where the count did: the COUNTED most recently updated.
    ids = page_of_matches(own, through_evidence, offset, min(PER_PAGE, COUNTED - offset))
    # As rows of what the results show: four models per action cost more than reading them.
    actions = (
        permissions.visible_actions(user)
        .filter(pk__in=ids)
        .order_by()
        .values_list(*SHOWN, named=True)
    )
    by_id = {row.pk: Match(row) for row in actions}
    # The titles of each action's matching evidence, oldest first, as rows handed out here:
    # the results show only titles, and prefetching them as models cost twice the query.
    evidence = matching(permissions.visible_evidence(user), EVIDENCE_FIELDS, text)
    for action_id, title in (
        evidence.filter(action_id__in=list(by_id))
        .order_by("created_at", "pk")
        .values_list("action_id", "title")
    ):
        by_id[action_id].matched_evidence.append(title)
    return Found(page, total, [by_id[pk] for pk in ids if pk in by_id])


# --- The page: the query string in, what the template shows out ---------------------------------


class SearchForm(FilterForm):
    """The filters of a search, read from the query string (the text itself is read by
    clean_text, which mends what a form field would refuse). An unknown value is reported and
    ignored. Plain choices from lists read once: two queries whichever filters are given (a
    model choice field would query again to check each value)."""

    resolution = ListedChoiceField(label=gettext_lazy("Resolution"), required=False)
    nation = ListedChoiceField(label=gettext_lazy("Nation"), required=False)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=[("", ""), *TYPES.items()], required=False
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), choices=[("", ""), *STAGES.items()], required=False
    )
    ignored_note = gettext_lazy("This filter was ignored.")

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        resolutions = Resolution.labelled(permissions.visible_resolutions(user).as_choices())
        self.resolutions = {str(r.pk): r.pk for r, _label in resolutions}
        self.members = nation_choices()
        self.fields["resolution"].choices = [
            ("", ""),
            *((str(r.pk), label) for r, label in resolutions),
        ]
        self.fields["nation"].choices = [
            ("", ""),
            *sorted(((code, name) for code, (_pk, name) in self.members.items()),
                    key=lambda choice: choice[1]),
        ]  # fmt: skip

    def filters(self) -> Filters:
        """The filters that were understood; call after is_valid()."""
        data = {name: self.cleaned_data.get(name, "") for name in FILTERS}
        member = self.members.get(data["nation"])
        return Filters(
            resolution=self.resolutions.get(data["resolution"]),
            member=member[0] if member else None,
            action_type=data["type"],
            stage=data["stage"],
        )


@dataclass
class Item:
    """One action as the results show it, labels worked out once in Python."""

    pk: int
    title: str
    url: str
    nation: str
    reference: str
    details: str
    review_state: str
    review_label: str
    date: datetime.date | None
    evidence: list[str]
    more_evidence: int


@dataclass
class Results:
    form: SearchForm
    text: str = ""
    found: Found | None = None
    items: list[Item] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)

    def link(self, number: int) -> str:
        """This search's URL for page `number`, with the same text and filters."""
        return paging.page_link(self.query, number)

    @property
    def clear_url(self) -> str:
        """The same words without filters."""
        url = reverse("search")
        return f"{url}?{urlencode({'q': self.text})}" if self.text else url

    @property
    def previous_url(self) -> str:
        found = self.found
        return self.link(found.number - 1) if found and found.number > 1 else ""

    @property
    def next_url(self) -> str:
        found = self.found
        return self.link(found.number + 1) if found and found.number < found.num_pages else ""


def read_search(query, user) -> Results:
    """The results page the query string asks for. Bad filters and page numbers become messages
    and what was understood still applies; without words to look for, no search runs."""
    form = SearchForm(query, user=user)
    results = Results(form, errors=form.problems())
    kept = form.understood(FILTERS)
    results.text, results.notices = clean_text(query.get("q", ""))
    # A bad filter is dropped from the form too, so the select shows what applies.
    form.data = kept
    results.query = {"q": results.text, **kept} if results.text else kept
    if not results.text:
        return results
    if not words(results.text):
        results.errors.append(_("Type a word to search for: punctuation alone finds nothing."))
        return results
    page = paging.asked_page(query.get("page"), results.errors)
    results.found = search(user, results.text, form.filters(), page)
    if results.found.number != page and results.found.total:
        results.errors.append(paging.past_the_end(page, results.found.number))
    item = item_maker()
    results.items = [item(match) for match in results.found.actions]
    return results


def item_maker():
    """A function action -> Item for one page of results: the labels and the reference's words
    translated once, the action URL reversed once."""
    reference = _("%(type)s %(number)s, %(label)s")
    kinds = {value: str(label) for value, label in RESOLUTION_TYPES.items()}
    types = {value: str(label) for value, label in TYPES.items()}
    stages = {value: str(label) for value, label in STAGES.items()}
    states = {value: str(label) for value, label in REVIEW_STATES.items()}
    action_url = pk_url_maker("action-detail")
    language = get_language()

    def item(match: Match) -> Item:
        action = match.row
        matched = match.matched_evidence
        kind = action.commitment__resolution__document_type
        return Item(
            pk=action.pk,
            title=action.title,
            url=action_url(action.pk),
            nation=country_name(action.member__country, language),
            reference=reference
            % {
                "type": kinds.get(kind, kind),
                "number": action.commitment__resolution__number,
                "label": action.commitment__label,
            },
            details=" · ".join(
                (
                    types.get(action.action_type, action.action_type),
                    stages.get(action.stage, action.stage),
                )
            ),
            review_state=action.review_state,
            review_label=states.get(action.review_state, action.review_state),
            date=action.date,
            evidence=matched[:MAX_EVIDENCE_SHOWN],
            more_evidence=max(0, len(matched) - MAX_EVIDENCE_SHOWN),
        )

    return item
