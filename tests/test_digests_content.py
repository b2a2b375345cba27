"""What a reminder digest says, and when one is due: at fixed moments, exact items."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions import actions, digests
from resolutions.models import (
    Clause,
    Commitment,
    Committee,
    DigestLog,
    DigestPreference,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
    User,
)

from .conftest import make_action, make_user

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
Frequency = DigestPreference.Frequency
SITE = "https://tracker.example.org"


def at(text: str) -> datetime.datetime:
    """A moment in Brussels time, e.g. "2026-11-28 09:00"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.TIME_ZONE = "Europe/Brussels"
    settings.DIGEST_STALE_AFTER_DAYS = 90
    settings.DIGEST_DEADLINE_WINDOW_DAYS = 14


# --- Periods -----------------------------------------------------------------------------------


def pref(frequency, weekday=0):
    return DigestPreference(frequency=frequency, weekday=weekday)


@pytest.mark.parametrize(
    ("moment", "frequency", "expected"),
    [
        ("2026-11-28 09:00", Frequency.DAILY, "2026-11-28"),
        ("2026-11-28 09:00", Frequency.WEEKLY, "2026-W48"),
        ("2026-11-28 09:00", Frequency.MONTHLY, "2026-11"),
        # A week across the new year belongs to the ISO year of its Thursday.
        ("2026-12-28 08:00", Frequency.WEEKLY, "2026-W53"),
        ("2027-01-01 08:00", Frequency.WEEKLY, "2026-W53"),
        ("2027-01-03 23:59", Frequency.WEEKLY, "2026-W53"),
        ("2027-01-04 00:00", Frequency.WEEKLY, "2027-W01"),
        ("2025-12-29 08:00", Frequency.WEEKLY, "2026-W01"),
        # Month ends, leap day.
        ("2026-11-30 23:59", Frequency.MONTHLY, "2026-11"),
        ("2026-12-01 00:00", Frequency.MONTHLY, "2026-12"),
        ("2028-02-29 12:00", Frequency.DAILY, "2028-02-29"),
        ("2028-02-29 23:59", Frequency.MONTHLY, "2028-02"),
        ("2026-11-28 09:00", Frequency.OFF, None),
    ],
)
def test_period_of_each_frequency(moment, frequency, expected):
    assert digests.due_period(pref(frequency), at(moment)) == expected


def test_periods_follow_the_site_time_zone_not_utc():
    # 23:30 UTC on 30 November is already 1 December in Brussels.
    late_utc = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert digests.due_period(pref(Frequency.DAILY), late_utc) == "2026-12-01"
    assert digests.due_period(pref(Frequency.MONTHLY), late_utc) == "2026-12"
    # 23:30 Brussels on New Year's Eve is 22:30 UTC: still 2026.
    eve = at("2026-12-31 23:30").astimezone(datetime.UTC)
    assert digests.due_period(pref(Frequency.MONTHLY), eve) == "2026-12"


def test_weekly_digest_is_due_from_the_chosen_day_to_the_end_of_the_week():
    friday = pref(Frequency.WEEKLY, weekday=DigestPreference.Weekday.FRIDAY)
    assert digests.due_period(friday, at("2026-11-26 18:00")) is None  # Thursday
    assert digests.due_period(friday, at("2026-11-27 00:01")) == "2026-W48"  # Friday
    assert digests.due_period(friday, at("2026-11-29 23:00")) == "2026-W48"  # Sunday, late
    assert digests.due_period(friday, at("2026-11-30 09:00")) is None  # next Monday


def test_no_preference_means_weekly_on_mondays(editor_ca):
    preference = digests.preference_of(editor_ca)
    assert (preference.frequency, preference.weekday) == (Frequency.WEEKLY, 0)
    assert preference.pk is None  # nothing written by asking


# --- Who is due --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_digests_leave_out_the_off_the_inactive_the_addressless_and_the_sent(
    editor_ca, editor_fr, secretary, viewer, admin_user
):
    now = at("2026-11-28 09:00")  # a Saturday
    daily = make_user("dora-daily", User.Role.EDITOR, "DE")
    DigestPreference.objects.create(user=daily, frequency=Frequency.DAILY)
    DigestPreference.objects.create(user=editor_fr, frequency=Frequency.OFF)
    make_user("ina-inactive", User.Role.EDITOR, "IT", is_active=False)
    nomail = make_user("nomail", User.Role.EDITOR, "NL")
    User.objects.filter(pk=nomail.pk).update(email="")
    sunday = make_user("sunny", User.Role.EDITOR, "ES")
    DigestPreference.objects.create(user=sunday, frequency=Frequency.WEEKLY, weekday=6)
    sent = make_user("sent-already", User.Role.EDITOR, "PL")
    DigestLog.objects.create(
        user=sent, period="2026-W48", state="sent", claim_token="0" * 32,
        claimed_at=now, sent_at=now,
    )  # fmt: skip

    due = {(user.username, period) for user, period in digests.due_digests(now)}

    # Viewers and administrators have nothing to hear about; the Sunday person waits.
    assert due == {
        ("claire-ca", "2026-W48"),
        ("sam-secretary", "2026-W48"),
        ("dora-daily", "2026-11-28"),
    }


# --- Editors -----------------------------------------------------------------------------------


def set_status(commitment, member, status, by, justification=""):
    current = actions.status_of(commitment, member)
    return actions.set_status(
        commitment, member, status, justification, version=current.version, by=by
    )


@pytest.fixture
def canada_history(resolution_493, editor_ca, canada):
    """Canada set a status on every commitment on 2 March 2026; 25.b got an action on 1 May;
    25.c is implemented (closed)."""
    commitments = {c.label: c for c in resolution_493.commitments.all()}
    with time_machine.travel(at("2026-03-02 10:00"), tick=False):
        for label, commitment in commitments.items():
            if label == "25.c":
                set_status(commitment, canada, "implemented", editor_ca, "Law in force.")
            else:
                set_status(commitment, canada, "in_progress", editor_ca)
    with time_machine.travel(at("2026-05-01 10:00"), tick=False):
        make_action(commitments["25.b"], canada, editor_ca, title="Hearing on AI chips")
    return commitments


def labels(digest, kind):
    return [item.text.split(" — ")[0] for item in digest.items if item.kind == kind]


@pytest.mark.django_db
def test_commitments_with_no_update_for_90_days_are_listed(canada_history, editor_ca):
    # 2 March + 91 days = 1 June: stale. 25.b was updated on 1 May; 25.c is implemented.
    digest = digests.compose_digest(editor_ca, at("2026-06-01 12:00"))

    assert labels(digest, "stale") == [
        "493 25.a", "493 25.d", "493 25.e", "493 25.f", "493 25.g", "493 25.h", "493 25.i",
        "493 25.j", "493 25.k", "493 25.l",
    ]  # fmt: skip
    first = digest.items[0]
    assert first.note == "In progress · last update 2 March 2026"
    assert first.url == f"{SITE}/nations/CA/commitments/{canada_history['25.a'].pk}/"
    assert first.text.startswith("493 25.a — to dedicate more political attention")
    assert digest.sections[0].title == "10 commitments with no update for 90 days"


@pytest.mark.django_db
def test_nothing_to_say_when_everything_was_updated_recently(canada_history, editor_ca):
    # 89 days after 2 March nothing is stale yet, no deadline is near, nothing was returned.
    assert digests.compose_digest(editor_ca, at("2026-05-30 12:00")) is None


@pytest.mark.django_db
def test_never_updated_commitments_are_stale_like_on_the_dashboard(resolution_493, editor_ca):
    digest = digests.compose_digest(editor_ca, at("2026-11-28 09:00"))
    assert len(labels(digest, "stale")) == 12
    assert {item.note for item in digest.items} == {"No information · never updated"}


@pytest.mark.django_db
def test_an_old_action_without_a_status_counts_as_the_last_update(
    resolution_493, editor_ca, canada
):
    commitment = resolution_493.commitments.get(label="25.f")
    with time_machine.travel(at("2026-01-15 10:00"), tick=False):
        make_action(commitment, canada, editor_ca, title="Old draft")
    digest = digests.compose_digest(editor_ca, at("2026-11-28 09:00"))
    (item,) = [i for i in digest.items if i.text.startswith("493 25.f")]
    assert item.note == "No information · last update 15 January 2026"


@pytest.mark.django_db
def test_a_deadline_in_13_days_is_listed_and_one_in_15_days_is_not(
    canada_history, editor_ca, resolution_493
):
    now = at("2026-05-10 09:00")  # nothing stale yet (last updates 2 March, 1 May)
    soon = ReportingRound.objects.create(
        name="Spring progress", deadline=datetime.date(2026, 5, 23)
    )
    later = ReportingRound.objects.create(
        name="Summer progress", deadline=datetime.date(2026, 5, 25)
    )
    closed = ReportingRound.objects.create(
        name="Closed round", deadline=datetime.date(2026, 5, 20), is_open=False
    )
    for rnd in (soon, later, closed):
        rnd.resolutions.add(resolution_493)
    # Two commitments back to "no information" for Canada: 10 of 12 have information.
    with time_machine.travel(at("2026-05-09 10:00"), tick=False):
        for label in ("25.a", "25.d"):
            set_status(
                canada_history[label], Member.objects.get(country="CA"), "no_information", editor_ca
            )

    digest = digests.compose_digest(editor_ca, now)

    assert [(item.kind, item.text, item.note, item.url) for item in digest.items] == [
        (
            "deadline",
            "Spring progress — due 23 May 2026, in 13 days",
            "2 of 12 commitments still have no information for Canada.",
            f"{SITE}/nations/CA/?status=no_information",
        )
    ]
    assert digest.count == 1


@pytest.mark.django_db
def test_a_deadline_exactly_14_days_ahead_is_still_listed(resolution_493, editor_ca):
    rnd = ReportingRound.objects.create(name="Edge", deadline=datetime.date(2026, 12, 12))
    rnd.resolutions.add(resolution_493)
    digest = digests.compose_digest(editor_ca, at("2026-11-28 09:00"))
    assert [item.text for item in digest.items if item.kind == "deadline"] == [
        "Edge — due 12 December 2026, in 14 days"
    ]
    assert digest.items[-1].note == "12 of 12 commitments still have no information for Canada."


@pytest.mark.django_db
def test_returned_actions_are_listed_with_the_secretarys_comment(
    canada_history, editor_ca, secretary, canada
):
    with time_machine.travel(at("2026-05-02 10:00"), tick=False):
        action = make_action(canada_history["25.e"], canada, editor_ca, title="Export Control Act")
        actions.submit_action(action, by=editor_ca)
        actions.return_action(action, "Please attach the text of the law.", by=secretary)

    digest = digests.compose_digest(editor_ca, at("2026-05-10 09:00"))

    assert [(i.kind, i.text, i.note, i.url) for i in digest.items] == [
        (
            "returned",
            "“Export Control Act” (493 25.e)",
            "Comment: Please attach the text of the law.",
            f"{SITE}/actions/{action.pk}/",
        )
    ]


@pytest.mark.django_db
def test_another_nations_returned_action_is_not_listed(
    canada_history, editor_fr, secretary, france
):
    with time_machine.travel(at("2026-05-02 10:00"), tick=False):
        action = make_action(canada_history["25.e"], france, editor_fr, title="Loi")
        actions.submit_action(action, by=editor_fr)
        actions.return_action(action, "Précisez.", by=secretary)
    canada_editor = User.objects.get(username="claire-ca")
    assert digests.compose_digest(canada_editor, at("2026-05-10 09:00")) is None


# --- Secretaries -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_secretary_hears_of_submissions_since_the_last_digest(
    resolution_493, editor_ca, secretary, canada
):
    commitment = resolution_493.commitments.get(label="25.e")
    with time_machine.travel(at("2026-11-20 10:00"), tick=False):
        old = make_action(commitment, canada, editor_ca, title="Old submission")
        actions.submit_action(old, by=editor_ca)
    DigestLog.objects.create(
        user=secretary, period="2026-W47", state="sent", claim_token="1" * 32,
        claimed_at=at("2026-11-23 07:00"), sent_at=at("2026-11-23 07:00"),
    )  # fmt: skip
    with time_machine.travel(at("2026-11-25 10:00"), tick=False):
        new = make_action(commitment, canada, editor_ca, title="New submission")
        actions.submit_action(new, by=editor_ca)
        draft = make_action(commitment, canada, editor_ca, title="Still a draft")

    digest = digests.compose_digest(secretary, at("2026-11-30 08:00"))

    assert [(i.kind, i.text, i.note, i.url) for i in digest.items] == [
        (
            "submitted",
            "Canada: “New submission” (493 25.e)",
            "Submitted 25 November 2026",
            f"{SITE}/review/#review-{new.pk}",
        )
    ]
    assert digest.sections[0].intro == "1 older submission waits for review too."
    assert draft.review_state == NationalAction.ReviewState.DRAFT


@pytest.mark.django_db
def test_first_digest_of_a_secretary_lists_everything_waiting(
    resolution_493, editor_ca, secretary, canada
):
    commitment = resolution_493.commitments.get(label="25.a")
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        action = make_action(commitment, canada, editor_ca, title="Waiting")
        actions.submit_action(action, by=editor_ca)
    digest = digests.compose_digest(secretary, at("2026-11-30 08:00"))
    assert [item.text for item in digest.items] == ["Canada: “Waiting” (493 25.a)"]


@pytest.mark.django_db
def test_secretary_hears_which_nations_lack_information_before_a_deadline(
    resolution_493, editor_ca, secretary, canada
):
    rnd = ReportingRound.objects.create(name="Spring progress", deadline=datetime.date(2026, 12, 3))
    rnd.resolutions.add(resolution_493)
    far = ReportingRound.objects.create(name="Far away", deadline=datetime.date(2027, 3, 1))
    far.resolutions.add(resolution_493)
    # Canada has information on all 12; France on 11.
    for commitment in resolution_493.commitments.all():
        set_status(commitment, canada, "in_progress", editor_ca)
        if commitment.label != "25.l":
            set_status(commitment, Member.objects.get(country="FR"), "not_started", editor_ca)

    digest = digests.compose_digest(secretary, at("2026-11-28 09:00"))

    (item,) = digest.items
    assert item.kind == "round_gaps"
    assert item.text == "Spring progress — due 3 December 2026, in 5 days"
    assert item.note.startswith(
        "31 nations still have no information on some of its 12 commitments (how many in "
        "brackets): Albania (12), Belgium (12), "
    )
    assert "France (1)" in item.note and "Albania (12)" in item.note
    assert "Canada" not in item.note
    assert item.url == f"{SITE}/matrix/?resolution={resolution_493.pk}&status=no_information"


@pytest.mark.django_db
def test_viewers_and_administrators_get_nothing(resolution_493, viewer, admin_user):
    now = at("2026-11-28 09:00")
    assert digests.compose_digest(viewer, now) is None
    assert digests.compose_digest(admin_user, now) is None


# --- Queries do not grow with the data ---------------------------------------------------------


def make_resolution(number: int, size: int) -> Resolution:
    resolution = Resolution.objects.create(
        number=number,
        title=f"Resolution {number}",
        committee=Committee.objects.first(),
        original_text="…",
        adoption_date=datetime.date(2024, 11, 25),
    )
    add_commitments(resolution, size)
    return resolution


def add_commitments(resolution, count):
    clause, _ = Clause.objects.get_or_create(
        resolution=resolution,
        number=1,
        defaults={"kind": "operative", "verb": "URGES", "text": "URGES"},
    )
    start = resolution.commitments.count()
    for i in range(start, start + count):
        Commitment.objects.create(
            resolution=resolution,
            clause=clause,
            label=f"1.{i}",
            letter=str(i),
            text=f"to do {i}",
            order=i,
        )


def add_activity(resolution, users):
    """For every commitment: a status for some nations, a returned and a submitted action."""
    secretary = next(u for u in users if u.role == User.Role.SECRETARY)
    editors = [u for u in users if u.role == User.Role.EDITOR]
    for commitment in resolution.commitments.filter(statuses__isnull=True):
        for editor in editors[:5]:
            set_status(commitment, editor.delegation.member, "in_progress", editor)
        returned = make_action(commitment, editors[0].delegation.member, editors[0], title="R")
        actions.submit_action(returned, by=editors[0])
        actions.return_action(returned, "More detail, please.", by=secretary)
        submitted = make_action(commitment, editors[1].delegation.member, editors[1], title="S")
        actions.submit_action(submitted, by=editors[1])


@pytest.mark.django_db
def test_composing_for_100_people_makes_the_same_queries_for_3_times_the_commitments():
    resolution = make_resolution(900, 4)
    rnd = ReportingRound.objects.create(name="Soon", deadline=datetime.date(2026, 12, 1))
    rnd.resolutions.add(resolution)
    members = list(Member.objects.filter(kind="member").select_related("delegation")[:30])
    users = [
        make_user(f"editor{i}", User.Role.EDITOR, members[i % 30].country.code) for i in range(90)
    ] + [make_user(f"secretary{i}", User.Role.SECRETARY) for i in range(10)]
    add_activity(resolution, users)
    now = at("2026-11-28 09:00")

    def compose_all():
        people = list(digests.recipients())
        with CaptureQueriesContext(connection) as queries:
            composed = [digests.compose_digest(person, now) for person in people]
        return len(queries), composed

    few, composed_few = compose_all()
    add_commitments(resolution, 8)  # 4 -> 12 commitments
    add_activity(resolution, users)
    many, composed_many = compose_all()

    assert len(composed_few) == 100
    assert all(composed_many)
    assert max(d.count for d in composed_many) > max(d.count for d in composed_few)
    assert many == few
    # Five queries per editor, six per secretary.
    assert few <= 90 * 5 + 10 * 6, f"{few} queries for 100 people"


@pytest.mark.django_db
def test_a_long_section_shows_twenty_items_and_links_to_the_rest(editor_ca):
    make_resolution(901, 25)
    digest = digests.compose_digest(editor_ca, at("2026-11-28 09:00"))
    assert digest.count == 25
    message = digests.build_message(digest)
    assert message.subject == "25 items need your attention · Commitment Tracker"
    assert message.body.count("\n* 901 ") == 20
    assert f"… and 5 more: {SITE}/nations/CA/?sort=updated" in message.body
    html = message.alternatives[0][0]
    assert html.count("<li ") == 20
    assert (
        f'<a href="{SITE}/nations/CA/?sort=updated" style="color:#0b4f8a;">… and 5 more</a>' in html
    )


@pytest.mark.django_db
def test_editors_of_one_delegation_read_the_same_sections_and_a_change_shows_at_once(
    resolution_493, editor_ca, canada
):
    colleague = make_user("colin-ca", User.Role.EDITOR, "CA")
    now = at("2026-11-28 09:00")
    first = digests.compose_digest(editor_ca, now)
    with CaptureQueriesContext(connection) as composed_again:
        second = digests.compose_digest(colleague, now)
    # Nothing is shared through a cache: each digest reads its sections (the delegation with its
    # nation, the commitments' last updates, the listed commitments, the rounds, the returned
    # actions), a fixed number of queries.
    assert len(composed_again) == 5, [q["sql"][:60] for q in composed_again]
    assert second.sections == first.sections and second.user == colleague

    commitment = resolution_493.commitments.get(label="25.f")
    with time_machine.travel(at("2026-11-27 10:00"), tick=False):
        make_action(commitment, canada, colleague, title="New draft")
    after = digests.compose_digest(editor_ca, now)
    assert len(labels(after, "stale")) == 11
    assert not [i for i in after.items if i.text.startswith("493 25.f")]
