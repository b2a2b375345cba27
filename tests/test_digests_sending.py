"""Each person gets at most one digest per period, and none is lost: sweeps run twice and at
once, a worker dies between claim and send, and a real SMTP server (aiosmtpd) refuses."""

import datetime
import email
import email.policy
import logging
import socket
import threading
import zoneinfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection

from resolutions import digests
from resolutions.models import DigestLog, DigestPreference, User
from resolutions.tasks import send_digest, sweep_digests
from tracker.celery import app as celery_app

SITE = "https://tracker.example.org"
SATURDAY = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts and refuses the first `refuse` messages
    with a temporary error (451), as a busy mail server does."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.attempts = 0
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    """A real SMTP server on 127.0.0.1 for the length of a `with` block."""

    def __init__(self, refuse: int = 0):
        self.mailbox = Mailbox(refuse)
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture(autouse=True)
def _digest_settings(settings):
    settings.SITE_URL = SITE
    settings.DIGEST_MAX_RETRIES = 2
    settings.DIGEST_RETRY_BACKOFF_SECONDS = 0
    settings.DIGEST_CLAIM_TIMEOUT_MINUTES = 30
    settings.DIGEST_MAX_CLAIMS = 3


@pytest.fixture
def reference_data(transactional_db):
    """Tests in real transactions find the database emptied by earlier ones (serialized rollback
    does not always restore it): put the nations and committees back, as tests/e2e does."""
    from resolutions.models import Committee, Delegation, Member
    from resolutions.reference import ensure_reference_data

    ensure_reference_data(Committee, Member, Delegation)


@pytest.fixture
def eager():
    """Tasks run in this process, retries included (the real worker is in test_digests_worker)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def smtp_backend(settings):
    def use(server: SMTPServer):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    return use


def sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return sweep_digests()


# SQLite's shared in-memory test database locks whole tables between threads ("database table
# is locked"), so real races are run on PostgreSQL (CI runs the suite on both).
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions need PostgreSQL (set DATABASE_URL); SQLite locks tables",
)


def digests_to(address):
    return [m for m in mail.outbox if m.to == [address]]


# --- Once per period ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_sweep_twice_sends_one_digest_per_person(
    eager, resolution_493, editor_ca, editor_fr, viewer, django_capture_on_commit_callbacks
):
    with time_machine.travel(SATURDAY, tick=False):
        assert sweep(django_capture_on_commit_callbacks) == 2
        assert sweep(django_capture_on_commit_callbacks) == 0

    assert len(digests_to(editor_ca.email)) == 1
    assert len(digests_to(editor_fr.email)) == 1
    assert len(mail.outbox) == 2  # the viewer has nothing to hear about
    log = DigestLog.objects.get(user=editor_ca)
    assert (log.period, log.state, log.item_count, log.attempts) == ("2026-W48", "sent", 12, 1)
    assert log.subject == "12 items need your attention · Commitment Tracker"


@pytest.mark.django_db
def test_next_period_brings_the_next_digest(
    eager, resolution_493, editor_ca, django_capture_on_commit_callbacks
):
    DigestPreference.objects.create(user=editor_ca, frequency="daily")
    for day in (
        SATURDAY,
        SATURDAY + datetime.timedelta(hours=5),
        SATURDAY + datetime.timedelta(days=1),
    ):
        with time_machine.travel(day, tick=False):
            sweep(django_capture_on_commit_callbacks)
    assert sorted(DigestLog.objects.values_list("period", flat=True)) == [
        "2026-11-28",
        "2026-11-29",
    ]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_nothing_to_say_sends_nothing_and_records_nothing_so_a_later_sweep_looks_again(
    eager, editor_ca, django_capture_on_commit_callbacks, text_493
):
    with time_machine.travel(SATURDAY, tick=False):
        assert sweep(django_capture_on_commit_callbacks) == 1  # due, but no resolution yet
    assert mail.outbox == [] and not DigestLog.objects.exists()

    from resolutions.importing import import_resolution
    from resolutions.parsing import parse_resolution

    import_resolution(parse_resolution(text_493), text_493)
    with time_machine.travel(SATURDAY + datetime.timedelta(hours=1), tick=False):
        sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inactive_people_and_people_without_address_get_nothing(eager, resolution_493, editor_ca):
    User.objects.filter(pk=editor_ca.pk).update(is_active=False)
    assert send_digest.apply(args=(editor_ca.pk, "2026-W48")).get() == "not a recipient"
    User.objects.filter(pk=editor_ca.pk).update(is_active=True, email="")
    assert send_digest.apply(args=(editor_ca.pk, "2026-W48")).get() == "not a recipient"
    assert send_digest.apply(args=(999999, "2026-W48")).get() == "not a recipient"
    assert mail.outbox == [] and not DigestLog.objects.exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_for_one_period_have_one_winner():
    user = User.objects.create_user("racer", email="racer@example.org")
    barrier = threading.Barrier(6)
    won = []

    def claim():
        try:
            barrier.wait()
            won.append(DigestLog.objects.claim(user.pk, "2026-W48", SATURDAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len([w for w in won if w is not None]) == 1
    assert DigestLog.objects.filter(user=user).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sending_at_once_send_one_digest(reference_data, eager, text_493):
    from resolutions.importing import import_resolution
    from resolutions.parsing import parse_resolution

    from .conftest import make_user

    import_resolution(parse_resolution(text_493), text_493)
    editor = make_user("claire-ca", User.Role.EDITOR, "CA")
    barrier = threading.Barrier(4)
    outcomes = []

    def work():
        try:
            barrier.wait()
            outcomes.append(send_digest.apply(args=(editor.pk, "2026-W48")).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["sent", "taken", "taken", "taken"]
    assert len(mail.outbox) == 1
    assert DigestLog.objects.get(user=editor).state == "sent"


# --- A worker dies between claim and send ------------------------------------------------------


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_timeout(
    eager, resolution_493, editor_ca, django_capture_on_commit_callbacks
):
    with time_machine.travel(SATURDAY, tick=False):
        # The worker claimed the period, then died before sending.
        assert DigestLog.objects.claim(editor_ca.pk, "2026-W48", SATURDAY) is not None
        # Redelivered at once (acks_late), or a sweep soon after: the claim is still fresh.
        assert send_digest.apply(args=(editor_ca.pk, "2026-W48")).get() == "taken"
    with time_machine.travel(SATURDAY + datetime.timedelta(minutes=29), tick=False):
        assert sweep(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    with time_machine.travel(SATURDAY + datetime.timedelta(minutes=31), tick=False):
        assert sweep(django_capture_on_commit_callbacks) == 1
        assert sweep(django_capture_on_commit_callbacks) == 0

    assert len(mail.outbox) == 1
    log = DigestLog.objects.get(user=editor_ca)
    assert (log.state, log.claims, log.attempts) == ("sent", 2, 1)


@pytest.mark.django_db
def test_a_retry_whose_claim_was_taken_over_does_not_send(eager, resolution_493, editor_ca):
    first = DigestLog.objects.claim(editor_ca.pk, "2026-W48", SATURDAY)
    later = SATURDAY + datetime.timedelta(minutes=45)
    assert DigestLog.objects.claim(editor_ca.pk, "2026-W48", later) is not None
    outcome = send_digest.apply(
        args=(editor_ca.pk, "2026-W48"), kwargs={"claim": str(first.claim_token)}
    )
    assert outcome.get() == "taken"
    assert mail.outbox == []


# --- The mail server refuses -------------------------------------------------------------------


@pytest.mark.django_db
def test_smtp_refusal_is_retried_and_the_period_is_sent_once_accepted(
    eager, smtp_backend, resolution_493, editor_ca
):
    with SMTPServer(refuse=1) as server:
        smtp_backend(server)
        assert send_digest.apply(args=(editor_ca.pk, "2026-W48")).get() == "sent"

    assert server.mailbox.attempts == 2
    assert len(server.mailbox.messages) == 1
    log = DigestLog.objects.get(user=editor_ca)
    assert (log.state, log.attempts, log.error) == ("sent", 2, "")
    assert log.sent_at is not None


@pytest.mark.django_db
def test_after_the_last_retry_the_failure_is_recorded_logged_and_shown_to_administrators(
    eager, smtp_backend, resolution_493, editor_ca, admin_client, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with SMTPServer(refuse=99) as server, time_machine.travel(SATURDAY, tick=False):
        smtp_backend(server)
        with caplog.at_level(logging.ERROR, logger="resolutions.tasks"):
            assert send_digest.apply(args=(editor_ca.pk, "2026-W48")).get() == "failed"
        # A sweep right after leaves it alone: retrying every hour is enough.
        assert sweep(django_capture_on_commit_callbacks) == 0

    assert server.mailbox.attempts == 3  # DIGEST_MAX_RETRIES = 2
    log = DigestLog.objects.get(user=editor_ca)
    assert (log.state, log.attempts) == ("failed", 3)
    assert "451" in log.error and "Try again later" in log.error
    assert "not sent after 3 attempts" in caplog.text

    page = admin_client.get("/admin/resolutions/digestlog/?state__exact=failed")
    assert page.status_code == 200
    assert "claire-ca" in page.text and "Try again later" in page.text

    # The server is back: the next sweep after the claim timeout sends it.
    with (
        SMTPServer() as server,
        time_machine.travel(SATURDAY + datetime.timedelta(hours=1), tick=False),
    ):
        smtp_backend(server)
        assert sweep(django_capture_on_commit_callbacks) == 1
    assert len(server.mailbox.messages) == 1
    log.refresh_from_db()
    assert (log.state, log.claims) == ("sent", 2)


@pytest.mark.django_db
def test_a_period_that_keeps_failing_is_given_up_after_three_claims(
    eager, smtp_backend, resolution_493, editor_ca, django_capture_on_commit_callbacks
):
    with SMTPServer(refuse=999) as server:
        smtp_backend(server)
        for hours in range(5):
            with time_machine.travel(SATURDAY + datetime.timedelta(hours=hours), tick=False):
                sweep(django_capture_on_commit_callbacks)
    log = DigestLog.objects.get(user=editor_ca)
    assert (log.state, log.claims, log.attempts) == ("failed", 3, 9)
    assert server.mailbox.messages == []


# --- The message -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_message_has_both_parts_absolute_links_and_one_click_unsubscribe(
    eager, resolution_493, editor_ca
):
    # Five stale commitments, listed one by one (more would be counted per resolution).
    from resolutions import actions
    from resolutions.models import Member

    canada = Member.objects.get(country="CA")
    keep = {"25.a", "25.b", "25.c", "25.d", "25.e"}
    for other in resolution_493.commitments.exclude(label__in=keep):
        actions.set_status(other, canada, "implemented", "Done.", version=0, by=editor_ca)
    send_digest.apply(args=(editor_ca.pk, "2026-W48"))
    (message,) = mail.outbox

    assert message.subject == "5 items need your attention · Commitment Tracker"
    assert message.to == ["claire-ca@example.org"]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/digests/unsubscribe/") and unsubscribe.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = unsubscribe.removeprefix(f"<{SITE}/digests/unsubscribe/").removesuffix("/>")
    assert digests.user_id_from_token(token) == editor_ca.pk

    commitment = resolution_493.commitments.get(label="25.e")
    link = f"{SITE}/nations/CA/commitments/{commitment.pk}/"
    text = message.body
    assert text.startswith("Hello claire-ca,")
    assert "5 COMMITMENTS WITH NO UPDATE FOR 90 DAYS" in text
    assert "* 493 25.e — to coordinate export controls" in text and link in text
    assert f"Change how often: {SITE}/preferences/" in text
    assert "&amp;" not in text and "&#x27;" not in text  # the text part is not HTML-escaped
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{link}"' in html
    assert f'href="{SITE}/preferences/"' in html
    assert "China&#x27;s" in html  # escaped in HTML
    assert "<script" not in html and "<link" not in html and "<img" not in html


def test_a_tampered_token_is_refused():
    token = signing.dumps(5, salt=digests.UNSUBSCRIBE_SALT)
    with pytest.raises(signing.BadSignature):
        digests.user_id_from_token(token[:-1] + ("A" if token[-1] != "A" else "B"))
    with pytest.raises(signing.BadSignature):
        digests.user_id_from_token(signing.dumps(5, salt="another purpose"))


# --- The command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_prints_what_would_be_sent_and_claims_nothing(
    resolution_493, editor_ca, editor_fr, capsys
):
    call_command("send_digests", "--dry-run", "--user", "claire-ca@example.org")
    out = capsys.readouterr().out
    assert "=== claire-ca@example.org (due for " in out
    assert "Subject: 12 items need your attention · Commitment Tracker" in out
    assert "12 COMMITMENTS WITH NO UPDATE FOR 90 DAYS" in out
    assert "julien-fr" not in out
    assert mail.outbox == [] and not DigestLog.objects.exists()


@pytest.mark.django_db
def test_command_without_dry_run_sends_what_is_due_once(eager, resolution_493, editor_ca, capsys):
    call_command("send_digests")
    call_command("send_digests")
    out = capsys.readouterr().out
    assert out.count(": sent") == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_command_names_an_unknown_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user has the e-mail address nobody@example.org"):
        call_command("send_digests", "--dry-run", "--user", "nobody@example.org")
