"""Digests at scale: the per-person work does not grow with the data, and the sections that
list twenty items and count the rest say what the plain definitions say on realistic data."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.scale import Size, seed_scale
from resolutions import digests
from resolutions.models import DigestLog, Member, NationalAction, ReportingRound, User
from resolutions.queries import dashboard
from resolutions.tasks import send_digest

from .conftest import make_user
from .test_digests_content import add_activity, add_commitments, at, make_resolution, set_status

pytestmark = pytest.mark.django_db

Status = digests.Status


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://tracker.example.org"
    settings.DIGEST_STALE_AFTER_DAYS = 90
    settings.DIGEST_DEADLINE_WINDOW_DAYS = 14


def send_all(users, period) -> tuple[int, list[str]]:
    DigestLog.objects.all().delete()
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        outcomes = [send_digest.apply(args=(user.pk, period)).get() for user in users]
    return len(queries), outcomes


def test_sending_makes_the_same_queries_per_person_at_two_data_sizes():
    resolution = make_resolution(900, 4)
    rnd = ReportingRound.objects.create(name="Soon", deadline=timezone.localdate())
    rnd.resolutions.add(resolution)
    members = list(Member.objects.filter(kind="member")[:20])
    users = [
        make_user(f"editor{i}", User.Role.EDITOR, members[i % 20].country.code) for i in range(40)
    ] + [make_user(f"secretary{i}", User.Role.SECRETARY) for i in range(5)]
    add_activity(resolution, users)
    period = digests.period_key("daily", timezone.localdate())

    few, outcomes = send_all(users, period)
    assert outcomes == ["sent"] * 45
    small_subjects = {m.subject for m in mail.outbox}

    # 4 -> 34 commitments: every list passes the twenty it shows.
    add_commitments(resolution, 30)
    add_activity(resolution, users)
    many, outcomes = send_all(users, period)

    assert outcomes == ["sent"] * 45
    assert "35 items need your attention · Commitment Tracker" in {m.subject for m in mail.outbox}
    assert small_subjects != {m.subject for m in mail.outbox}
    assert many == few
    # Per person: who they are, four or five queries of content, the claim and its mark.
    assert few <= 45 * 10, f"{few} queries for 45 people"


TINY = Size("T", 4, (18, 20), 3_000, 0.0, 0, 40)


@pytest.fixture
def seeded():
    seed_scale(TINY, seed=3)
    now = timezone.now()
    # A secretary who heard last week hears of the newer submissions only.
    heard = make_user("heard", User.Role.SECRETARY)
    DigestLog.objects.create(
        user=heard, period="old", state="sent", claim_token="1" * 32,
        claimed_at=now - datetime.timedelta(days=7), sent_at=now - datetime.timedelta(days=7),
    )  # fmt: skip
    make_user("fresh", User.Role.SECRETARY)
    return now


def expected_stale(user, member, now):
    """The dashboard's rows, open and not updated for 90 days, in the dashboard's order."""
    cutoff = now - datetime.timedelta(days=90)
    return [
        f"{row.commitment.resolution.number} {row.commitment.label}"
        for row in dashboard.commitment_rows(user, member)
        if row.status not in digests.CLOSED_STATUSES
        and (row.last_update is None or row.last_update < cutoff)
    ]


def test_listed_and_counted_items_match_the_plain_definitions_on_realistic_data(seeded):
    now = seeded
    editors = [u for u in digests.recipients() if u.role == User.Role.EDITOR]
    assert len({u.delegation_id for u in editors}) > 10
    long_lists = 0
    for user in editors:
        member = user.delegation.member
        stale = expected_stale(user, member, now)
        section = digests.stale_section(user, member, now)
        assert section.count == len(stale)
        assert [i.text.split(" — ")[0] for i in section.items] == stale[:20]
        long_lists += len(stale) > 20

        returned = NationalAction.objects.filter(member=member, review_state="returned")
        section = digests.returned_section(member)
        assert section.count == returned.count()
        assert [i.url.rsplit("/", 2)[-2] for i in section.items] == [
            str(pk) for pk in returned.order_by("reviewed_at", "pk").values_list("pk", flat=True)
        ][:20]
    assert long_lists, "the data should give some nation more than twenty stale commitments"

    waiting = NationalAction.objects.filter(review_state="submitted", submitted_at__lte=now)
    for username, new in [
        ("fresh", waiting),
        ("heard", waiting.filter(submitted_at__gt=now - datetime.timedelta(days=7))),
    ]:
        section = digests.submitted_section(User.objects.get(username=username), now)
        assert section.count == new.count()
        assert [i.url.rsplit("-", 1)[-1] for i in section.items] == [
            str(pk) for pk in new.order_by("submitted_at", "pk").values_list("pk", flat=True)
        ][:20]
        assert section.hidden_count == max(new.count() - 20, 0)


def test_a_long_digest_reads_well_with_twenty_items_per_section_and_the_rest_counted(seeded):
    user = max(
        (u for u in digests.recipients() if u.role == User.Role.EDITOR),
        key=lambda u: len(expected_stale(u, u.delegation.member, seeded)),
    )
    digest = digests.compose_digest(user, seeded)
    stale = digest.sections[0]
    assert stale.count > 20 and len(stale.items) == 20
    message = digests.build_message(digest)
    assert message.subject.startswith(f"{digest.count} items need your attention")
    assert f"… and {stale.count - 20} more: " in message.body
    assert message.body.count("\n* ") == len(digest.items)


def test_deadlines_count_what_each_nation_still_lacks(resolution_493, editor_ca, canada):
    rnd = ReportingRound.objects.create(name="Spring", deadline=datetime.date(2026, 12, 3))
    rnd.resolutions.add(resolution_493, make_resolution(902, 0))

    for commitment in list(resolution_493.commitments.all())[:5]:
        set_status(commitment, canada, "in_progress", editor_ca)
    commitment = resolution_493.commitments.last()
    set_status(commitment, canada, "no_information", editor_ca)
    set_status(commitment, Member.objects.get(country="FR"), "implemented", editor_ca, "Done.")

    section = digests.deadline_section(canada, at("2026-11-28 09:00"))
    assert [i.note for i in section.items] == [
        "7 of 12 commitments still have no information for Canada."
    ]
