"""What a reminder digest says, for whom, and when one is due. Pure: it reads the database and
builds messages, and never sends or records anything (tasks.py does, after claiming a period).

A digest is due once per period of the person's frequency, in the site's time zone
(settings.TIME_ZONE): daily "2026-11-28", weekly by ISO week "2026-W48" (from the chosen weekday
on), monthly "2026-11". Composing makes a fixed number of queries per person, whatever the number
of commitments, actions or rounds.
"""

import datetime
import smtplib
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import permissions, staleness
from .models import (
    Commitment,
    DigestLog,
    DigestPreference,
    ImplementationStatus,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
    User,
)
from .models.documents import texts_at
from .queries import dashboard, paging

Frequency = DigestPreference.Frequency
Status = ImplementationStatus.Status
STATUS_LABELS = Status.labels_by_value()
# The mail server refused for now or could not be reached: worth another try later (the task
# retries; the preview button says so).
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, socket.gaierror)
# Nations that reported these are done with a commitment: no reminder that it is "stale".
CLOSED_STATUSES = {Status.IMPLEMENTED, Status.NOT_APPLICABLE}
UNSUBSCRIBE_SALT = "resolutions.digests.unsubscribe"
# A section lists this many items in the e-mail; the rest are counted and linked.
SHOWN_PER_SECTION = 20
# Up to this many stale commitments are listed one by one; more are counted per resolution.
STALE_LISTED = 5


# --- Periods -----------------------------------------------------------------------------------


def local_date(now: datetime.datetime) -> datetime.date:
    """The date at `now` in the site's time zone (a digest's period follows the office's day)."""
    return timezone.localtime(now, timezone.get_default_timezone()).date()


def period_key(frequency: str, day: datetime.date) -> str:
    if frequency == Frequency.DAILY:
        return day.isoformat()
    if frequency == Frequency.WEEKLY:
        # ISO week: 2027-01-01 (a Friday) is in "2026-W53", like the Monday before it.
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == Frequency.MONTHLY:
        return f"{day:%Y-%m}"
    raise ValueError(f"no period for frequency {frequency!r}")


def due_period(preference: DigestPreference, now: datetime.datetime) -> str | None:
    """The period whose digest is due at `now`, or None (off, or before the weekly day)."""
    if preference.frequency == Frequency.OFF:
        return None
    day = local_date(now)
    if preference.frequency == Frequency.WEEKLY and day.weekday() < preference.weekday:
        return None  # sent on the chosen day, or later in the week if that sweep was missed
    return period_key(preference.frequency, day)


def preference_of(user) -> DigestPreference:
    """The saved preference, or the default (weekly, Mondays) when the person never chose."""
    try:
        return user.digest_preference
    except DigestPreference.DoesNotExist:
        return DigestPreference(user=user)


def recipients():
    """People who can get a digest: active, with an e-mail address, not switched off, and in a
    role the digest has something for (delegation editors and committee secretaries)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(role=User.Role.EDITOR, delegation__isnull=False) | Q(role=User.Role.SECRETARY))
        .exclude(digest_preference__frequency=Frequency.OFF)
        .select_related("digest_preference", "delegation__member")
        .order_by("pk")
    )


def due_digests(now: datetime.datetime, users=None) -> list[tuple[User, str]]:
    """(person, period) for every digest due at `now` and not yet sent or being sent. Two
    queries. Whether there is anything to say is decided later, per person."""
    candidates = []
    for user in users if users is not None else recipients():
        period = due_period(preference_of(user), now)
        if period:
            candidates.append((user, period))
    periods = {period for _user, period in candidates}
    taken = set(
        DigestLog.objects.filter(period__in=periods)
        .exclude(pk__in=DigestLog.objects.reclaimable(now).values("pk"))
        .values_list("user_id", "period")
    )
    return [(user, period) for user, period in candidates if (user.pk, period) not in taken]


# --- Content -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing to look at: a line of text, an optional second line, and where to go."""

    kind: str
    text: str
    url: str
    note: str = ""

    @property
    def note_lines(self) -> list[str]:
        """The note line by line (a reviewer's comment may have several), for the text part."""
        return self.note.splitlines()


@dataclass
class Section:
    """A heading, up to SHOWN_PER_SECTION items to list, and how many there are in all (the
    rest are counted and linked, never loaded: a nation may have hundreds)."""

    kind: str
    title: str
    items: list[Item]
    count: int = 0
    intro: str = ""
    more_url: str = ""
    more_label: str = ""
    # Items are counts (one per resolution), not one per thing counted: nothing is hidden.
    summarised: bool = False

    @property
    def shown(self) -> list[Item]:
        return self.items[:SHOWN_PER_SECTION]

    @property
    def hidden_count(self) -> int:
        if self.summarised:
            return 0
        return max(self.count - len(self.shown), 0)


@dataclass
class Digest:
    user: User
    now: datetime.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        """The items the e-mail lists (each section's first SHOWN_PER_SECTION)."""
        return [item for section in self.sections for item in section.shown]

    @property
    def count(self) -> int:
        """Everything there is to look at, listed or not: the subject's number."""
        return sum(section.count for section in self.sections)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def compose_digest(user, now: datetime.datetime) -> Digest | None:
    """What `user` should hear about at `now`, or None when there is nothing to say."""
    sections: list[Section] = []
    if permissions.is_editor(user):
        sections += editor_sections(user, user.delegation.member, now)
    elif permissions.is_secretary(user):
        sections += [submitted_section(user, now), round_gaps_section(now)]
    sections = [section for section in sections if section.count]
    return Digest(user=user, now=now, sections=sections) if sections else None


def editor_sections(user, member: Member, now) -> list[Section]:
    """An editor's three sections, most urgent first: actions returned for revision, then
    deadlines, then (summarised) stale commitments. Read fresh for every editor: a digest must
    never say something the data no longer says."""
    return [
        returned_section(member),
        deadline_section(member, now),
        stale_section(user, member, now),
    ]


def _commitment_text(commitment: Commitment) -> str:
    text = Truncator(commitment.text).words(14)
    return f"{commitment.reference} — {text}"


def _day(value) -> str:
    return date_format(value, "j F Y")


def stale_section(user, member: Member, now) -> Section:
    """The nation's open commitments with no update for DIGEST_STALE_AFTER_DAYS days. The last
    update is the dashboard's: the latest of the status and the visible actions
    (queries/dashboard.py), and the clock starts no earlier than the adoption or the current
    round's opening (staleness.py). Implemented or not-applicable commitments are left out."""
    days = settings.DIGEST_STALE_AFTER_DAYS
    # Only a few columns of every commitment, decided here, then the listed commitments
    # themselves: filtering on the subqueries in SQL would repeat each of them in WHERE.
    rows = dashboard.commitments_with_last_update(user, member).values_list(
        "pk", "status_value", "status_updated", "last_action",
        "resolution_id", "resolution__adoption_date", "resolution__imported_at",
    )  # fmt: skip
    rounds = dashboard.next_rounds(local_date(now))
    stale = {}
    for pk, value, status_updated, last_action, resolution, adopted, imported in rows:
        if value in CLOSED_STATUSES:
            continue
        updates = [d for d in (status_updated, last_action) if d]
        last = max(updates) if updates else None
        opened = rounds[resolution].opened_on if resolution in rounds else None
        # Staleness counts from the adoption, the import or the round's opening too
        # (staleness.py): never from "never updated".
        if staleness.is_stale(now, days, last, adopted, imported, opened):
            stale[pk] = (value, last, resolution)
    total = len(stale)
    if total > STALE_LISTED:
        items = _stale_per_resolution(stale, member)
    else:
        items = _stale_items(stale, member)
    nation = member.name
    return Section(
        kind="stale",
        title=ngettext(
            "%(count)d commitment with no update for %(days)d days",
            "%(count)d commitments with no update for %(days)d days",
            total,
        )
        % {"count": total, "days": days},
        intro=_("Set a status or log a national action to show where %(nation)s stands.")
        % {"nation": nation},
        items=items,
        count=total,
        summarised=total > STALE_LISTED,
        more_url=absolute(
            reverse("nation-dashboard", kwargs={"code": member.code}) + "?sort=updated"
        ),
        more_label=_("Open the dashboard of %(nation)s") % {"nation": nation},
    )


def _stale_items(stale: dict, member: Member) -> list[Item]:
    """A few stale commitments, one line each with its status and last update."""
    found = Commitment.objects.select_related("resolution").in_bulk(list(stale))
    items = []
    for pk, (value, last, _resolution) in stale.items():
        status_label = STATUS_LABELS[value or Status.NO_INFORMATION]
        items.append(
            Item(
                kind="stale",
                text=_commitment_text(found[pk]),
                url=absolute(reverse("commitment-detail", kwargs={"code": member.code, "pk": pk})),
                note=_("%(status)s · last update %(date)s")
                % {"status": status_label, "date": _day(timezone.localtime(last))}
                if last
                else _("%(status)s · never updated") % {"status": status_label},
            )
        )
    return items


def _stale_per_resolution(stale: dict, member: Member) -> list[Item]:
    """Past STALE_LISTED, staleness is summarised: one line per resolution with its count and
    a link to the nation's dashboard, in the dashboard's order. Staleness is the least
    urgent news of a digest; a list of thirty commitments would bury the rest."""
    counts: dict[int, int] = {}
    for _value, _last, resolution in stale.values():
        counts[resolution] = counts.get(resolution, 0) + 1
    found = Resolution.objects.only("document_type", "number").in_bulk(list(counts))
    url = absolute(reverse("nation-dashboard", kwargs={"code": member.code}) + "?sort=updated")
    return [
        Item(
            kind="stale",
            text=ngettext(
                "%(resolution)s: %(count)d commitment with no recent update",
                "%(resolution)s: %(count)d commitments with no recent update",
                n,
            )
            % {
                "resolution": f"{found[pk].get_document_type_display()} {found[pk].number}",
                "count": n,
            },
            url=url,
        )
        for pk, n in counts.items()
    ]


def _near_rounds(now):
    today = local_date(now)
    window = datetime.timedelta(days=settings.DIGEST_DEADLINE_WINDOW_DAYS)
    return ReportingRound.objects.filter(
        is_open=True, deadline__gte=today, deadline__lte=today + window
    ).order_by("deadline", "pk")


def near_rounds(now) -> list[ReportingRound]:
    """Open reporting rounds due today or within DIGEST_DEADLINE_WINDOW_DAYS days."""
    return list(_near_rounds(now))


def _round_commitments(rounds) -> dict[int, dict[int, int]]:
    """Per round id, its commitments' ids mapped to their resolution's id: one query."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Commitment.objects.filter(resolution__reporting_rounds__in=rounds).values_list(
        "resolution__reporting_rounds", "pk", "resolution_id"
    )
    for round_id, commitment_id, resolution_id in rows:
        found[round_id][commitment_id] = resolution_id
    return found


def _informed(rounds, member=None) -> set[tuple[int, int]]:
    """(nation id, commitment id) with a status other than "no information": one query."""
    statuses = ImplementationStatus.objects.filter(
        commitment__resolution__reporting_rounds__in=rounds
    ).exclude(status=Status.NO_INFORMATION)
    if member is not None:
        statuses = statuses.filter(member=member)
    return set(statuses.values_list("member_id", "commitment_id").distinct())


def _due_in(deadline: datetime.date, now) -> str:
    days = (deadline - local_date(now)).days
    if days == 0:
        return _("due today, %(date)s") % {"date": _day(deadline)}
    return ngettext("due %(date)s, in %(days)d day", "due %(date)s, in %(days)d days", days) % {
        "date": _day(deadline),
        "days": days,
    }


def deadline_section(member: Member, now) -> Section:
    """Reporting deadlines coming up, each with how many of its commitments still have no
    information for the nation. One query: each round with its commitments counted, in all and
    with information from the nation (a status other than "no information")."""
    informed = Q(resolutions__commitments__statuses__member=member) & ~Q(
        resolutions__commitments__statuses__status=Status.NO_INFORMATION
    )
    rounds = list(
        _near_rounds(now).annotate(
            total=Count("resolutions__commitments", distinct=True),
            informed=Count("resolutions__commitments", filter=informed, distinct=True),
        )
    )
    items = []
    dashboard = absolute(reverse("nation-dashboard", kwargs={"code": member.code}))
    nation = member.name if rounds else ""  # a translated country name: not free
    for rnd in rounds:
        if not rnd.total:
            continue  # a round of resolutions without commitments asks nothing of anyone
        missing = rnd.total - rnd.informed
        note = (
            ngettext(
                "%(missing)d of %(total)d commitment still has no information for %(nation)s.",
                "%(missing)d of %(total)d commitments still have no information for %(nation)s.",
                rnd.total,
            )
            if missing
            else _("All %(total)d commitments have information for %(nation)s.")
        ) % {"missing": missing, "total": rnd.total, "nation": nation}
        items.append(
            Item(
                kind="deadline",
                text=f"{rnd.name} — {_due_in(rnd.deadline, now)}",
                url=dashboard + "?status=no_information",
                note=note,
            )
        )
    return Section(
        kind="deadline",
        title=ngettext("%(count)d reporting deadline", "%(count)d reporting deadlines", len(items))
        % {"count": len(items)},
        items=items,
        count=len(items),
    )


def returned_section(member: Member) -> Section:
    """The nation's actions the secretariat returned for revision, with its comment."""
    returned = (
        NationalAction.objects.filter(
            member=member, review_state=NationalAction.ReviewState.RETURNED
        )
        .select_related("commitment__resolution")
        .defer(*texts_at("commitment__resolution"))
        .order_by("reviewed_at", "pk")
    )
    listed, total = paging.first_and_total(returned, SHOWN_PER_SECTION)
    items = [
        Item(
            kind="returned",
            text=f"“{action.title}” ({action.commitment.resolution.number} "
            f"{action.commitment.label})",
            url=absolute(reverse("action-detail", kwargs={"pk": action.pk})),
            note=_("Comment: %(comment)s") % {"comment": action.review_comment}
            if action.review_comment
            else "",
        )
        for action in listed
    ]
    return Section(
        kind="returned",
        title=ngettext(
            "%(count)d action returned for revision",
            "%(count)d actions returned for revision",
            total,
        )
        % {"count": total},
        intro=ngettext(
            "Revise it and submit it again.", "Revise them and submit them again.", total
        ),
        items=items,
        count=total,
    )


def last_digest_sent(user, now) -> datetime.datetime | None:
    return DigestLog.objects.filter(
        user=user, state=DigestLog.State.SENT, sent_at__lte=now
    ).aggregate(last=Max("sent_at"))["last"]


def submitted_section(user, now) -> Section:
    """Actions submitted since the secretary's last digest and still waiting for review."""
    since = last_digest_sent(user, now)
    waiting = (
        NationalAction.objects.filter(
            review_state=NationalAction.ReviewState.SUBMITTED, submitted_at__lte=now
        )
        .select_related("member", "commitment__resolution")
        .defer(*texts_at("commitment__resolution"))
        .order_by("submitted_at", "pk")
    )
    new = waiting if since is None else waiting.filter(submitted_at__gt=since)
    review = reverse("review-queue")
    # Counted apart rather than with paging.first_and_total's window: the window joins every
    # waiting action (thousands across the Assembly) to its nation and resolution before the
    # limit applies (docs/performance.md, digests); the count reads the review index alone.
    new_count = new.count()
    listed = list(new[:SHOWN_PER_SECTION]) if new_count else []
    items = [
        Item(
            kind="submitted",
            text=f"{action.member.name}: “{action.title}” ({action.commitment.resolution.number} "
            f"{action.commitment.label})",
            url=absolute(f"{review}#review-{action.pk}"),
            note=_("Submitted %(date)s") % {"date": _day(timezone.localtime(action.submitted_at))},
        )
        for action in listed
    ]
    older = waiting.count() - new_count if new_count and since is not None else 0
    return Section(
        kind="submitted",
        title=ngettext(
            "%(count)d new submission waiting for review",
            "%(count)d new submissions waiting for review",
            new_count,
        )
        % {"count": new_count},
        intro=ngettext(
            "%(older)d older submission waits for review too.",
            "%(older)d older submissions wait for review too.",
            older,
        )
        % {"older": older}
        if older > 0
        else "",
        items=items,
        count=new_count,
        more_url=absolute(review),
        more_label=_("Open the review queue"),
    )


def round_gaps_section(now) -> Section:
    """For each reporting round due soon, the nations with no information on some of its
    commitments."""
    rounds = near_rounds(now)
    items = []
    if rounds:
        commitments = _round_commitments(rounds)
        informed = _informed(rounds)
        members = list(Member.objects.filter(kind=Member.Kind.MEMBER))
        for rnd in rounds:
            ids = commitments.get(rnd.pk, {})
            gaps = []
            for m in members:
                missing = sum(1 for pk in ids if (m.pk, pk) not in informed)
                if missing:
                    gaps.append((m.name, missing))
            if not gaps:
                continue
            gaps.sort()
            listed = ", ".join(f"{name} ({missing})" for name, missing in gaps)
            # The matrix shows one resolution at a time best; a round of several opens it
            # filtered by status only.
            query = {"status": Status.NO_INFORMATION}
            resolutions = set(ids.values())
            if len(resolutions) == 1:
                query = {"resolution": resolutions.pop(), **query}
            items.append(
                Item(
                    kind="round_gaps",
                    text=f"{rnd.name} — {_due_in(rnd.deadline, now)}",
                    url=absolute(reverse("matrix") + "?" + urlencode(query)),
                    note=ngettext(
                        "%(count)d nation still has no information on some of the round's "
                        "%(total)d commitments (how many in brackets): %(nations)s.",
                        "%(count)d nations still have no information on some of the round's "
                        "%(total)d commitments (how many in brackets): %(nations)s.",
                        len(gaps),
                    )
                    % {"count": len(gaps), "total": len(ids), "nations": listed},
                )
            )
    return Section(
        kind="round_gaps",
        title=ngettext(
            "%(count)d reporting deadline with missing information",
            "%(count)d reporting deadlines with missing information",
            len(items),
        )
        % {"count": len(items)},
        items=items,
        count=len(items),
    )


# --- The e-mail --------------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    """A signed, non-expiring token naming the person: the e-mail's one-click unsubscribe."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token: str) -> int:
    """The person a token names; raises signing.BadSignature when it was altered."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(value, int):
        raise signing.BadSignature("not a digest token")
    return value


def build_message(digest: Digest, *, period: str = "", preview: bool = False, connection=None):
    """The e-mail for a digest: subject with the count, plain-text and HTML parts, and the
    List-Unsubscribe headers (RFC 8058 one-click)."""
    user = digest.user
    preference = preference_of(user)
    unsubscribe = absolute(reverse("digest-unsubscribe", kwargs={"token": unsubscribe_token(user)}))
    context = {
        "digest": digest,
        "user": user,
        "name": user.first_name or user.get_full_name() or user.username,
        "preview": preview,
        "period": period,
        "frequency": preference.get_frequency_display().lower(),
        "site_url": settings.SITE_URL,
        "preferences_url": absolute(reverse("preferences")),
        "unsubscribe_url": unsubscribe,
        "date": _day(timezone.localtime(digest.now)),
    }
    subject = " ".join(render_to_string("email/digest_subject.txt", context).split())
    context["subject"] = subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/digest.txt", context),
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("email/digest.html", context), "text/html")
    return message
