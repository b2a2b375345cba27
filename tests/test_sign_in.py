"""Signing in: lockout after repeated failures (per account and per address), the second factor
for secretaries and administrators, idle sessions, password change and reset."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from resolutions.models import SecurityEvent, User

from .conftest import TOTP_KEY, make_user

Kind = SecurityEvent.Kind
LOCKED = "Too many sign-in attempts failed"


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def fresh_address() -> str:
    """A client address no earlier test used (rate limits may be kept in a shared Redis)."""
    import secrets

    return ".".join(["10"] + [str(secrets.randbelow(254) + 1) for _ in range(3)])


def give_fresh_email(user):
    """An address no earlier run used: the reset limit counts per address in the cache."""
    import secrets

    user.email = f"{user.username}-{secrets.token_hex(4)}@example.org"
    user.save(update_fields=["email"])


def post_login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


# --- Lockout (django-axes) ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, editor_ca):
    for _ in range(4):
        response = post_login(client, editor_ca.username, "wrong")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    assert post_login(client, editor_ca.username, "wrong").status_code == 429  # the fifth
    response = post_login(client, editor_ca.username, "pw")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    kinds = list(SecurityEvent.objects.order_by("at").values_list("kind", flat=True))
    assert kinds.count(Kind.SIGN_IN_FAILED) == 4 and Kind.LOCKED_OUT in kinds


def test_the_lockout_page_is_the_same_whether_or_not_the_account_exists(client, editor_ca):
    pages = {}
    for name in (editor_ca.username, "nobody-by-that-name"):
        for _ in range(6):
            response = post_login(client, name, "wrong", REMOTE_ADDR=f"10.0.0.{len(pages) + 1}")
        pages[name] = response
    existing, missing = pages.values()
    assert existing.status_code == missing.status_code == 429

    def strip(response):  # what differs between any two pages: tokens and nonces
        pattern = r'value="[^"]+"|nonce="[^"]+"|"X-CSRFToken": "[^"]+"'
        return re.sub(pattern, "", response.content.decode())

    assert strip(existing) == strip(missing)
    assert editor_ca.username not in strip(existing)


def test_one_address_trying_many_accounts_is_locked_out(client, editor_ca):
    for n in range(5):
        post_login(client, f"guess-{n}", "wrong")
    assert post_login(client, editor_ca.username, "pw").status_code == 429
    # From another address the account itself is not locked.
    assert post_login(client, editor_ca.username, "pw", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_admin_sign_in_is_locked_too(client, admin_user):
    for _ in range(5):
        client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": admin_user.username, "password": "pw"})
    assert response.status_code == 429


def test_a_right_password_resets_the_count(client, editor_ca):
    for _ in range(4):
        post_login(client, editor_ca.username, "wrong")
    assert post_login(client, editor_ca.username, "pw").status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, editor_ca.username, "wrong")
    assert post_login(client, editor_ca.username, "pw").status_code == 302


def test_an_administrator_unlocks_an_account(client, editor_ca, admin_user):
    for _ in range(5):
        post_login(client, editor_ca.username, "wrong", REMOTE_ADDR="10.1.1.1")
    assert post_login(client, editor_ca.username, "pw", REMOTE_ADDR="10.1.1.2").status_code == 429
    admin = type(client)()
    admin.force_login(admin_user)
    response = admin.post(
        "/admin/resolutions/user/",
        {"action": "unlock_sign_in", "_selected_action": [editor_ca.pk]},
        follow=True,
    )
    assert "Sign-in unlocked" in response.content.decode()
    assert post_login(client, editor_ca.username, "pw", REMOTE_ADDR="10.1.1.2").status_code == 302
    assert SecurityEvent.objects.filter(kind=Kind.UNLOCKED, user=editor_ca).exists()


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, editor_ca, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # A forged first entry does not help: the proxy appends the real one last.
    for n in range(5):
        post_login(client, f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    locked = post_login(client, editor_ca.username, "pw", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    other = post_login(client, editor_ca.username, "pw", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert other.status_code == 302
    event = SecurityEvent.objects.filter(kind=Kind.SIGN_IN).latest("at")
    assert event.ip_address == "198.51.100.1"


# --- The second factor --------------------------------------------------------------------------


@pytest.fixture
def new_secretary(db):
    """A secretary who has never set up an authenticator (like the demo secretary)."""
    return make_user("nina-new-secretary", User.Role.SECRETARY, second_factor=False)


@pytest.mark.parametrize("path", ["/", "/matrix/", "/review/", "/preferences/", "/admin/"])
def test_an_unenrolled_secretary_is_sent_to_enrol_from_every_page(client, new_secretary, path):
    client.force_login(new_secretary)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/enrol/?next=")


def test_an_unenrolled_administrator_cannot_reach_the_admin_site(client, db):
    admin = make_user(
        "ada-new-admin", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True,
        second_factor=False,
    )  # fmt: skip
    client.force_login(admin)
    response = client.get("/admin/resolutions/user/")
    assert response.status_code == 302 and "/two-factor/enrol/" in response.url


def test_the_admin_sites_own_sign_in_still_asks_for_the_code(client, admin_user):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin_user.username, "password": "pw"}
    )
    assert response.status_code == 302
    follow = client.get("/admin/")
    assert follow.status_code == 302 and follow.url.startswith("/accounts/two-factor/verify/")


def test_htmx_requests_are_sent_to_enrol_by_header(client, new_secretary):
    client.force_login(new_secretary)
    response = client.get("/matrix/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/two-factor/enrol/")


def test_enrolling_needs_a_right_code_then_shows_backup_codes(client, new_secretary):
    client.force_login(new_secretary)
    page = client.get("/accounts/two-factor/enrol/?next=/review/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=new_secretary)
    assert not device.confirmed

    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000", "next": "/review/"})
        assert wrong.status_code == 422
        assert "That code is not right" in wrong.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert client.get("/review/").status_code == 302  # still not through
        clock.shift(timedelta(seconds=2))  # django-otp slows down guessing after a failure
        done = client.post(
            "/accounts/two-factor/enrol/", {"code": code_for(device), "next": "/review/"}
        )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/review/").status_code == 200
    assert SecurityEvent.objects.filter(
        kind=Kind.SECOND_FACTOR_ENROLLED, user=new_secretary
    ).exists()


def test_a_secretary_signs_in_with_password_then_code(client, secretary):
    response = post_login(client, secretary.username, "pw")
    assert response.status_code == 302
    assert client.get("/review/").url.startswith("/accounts/two-factor/verify/")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post("/accounts/two-factor/verify/", {"code": "12345", "next": "/review/"})
        assert wrong.status_code == 422
        assert client.get("/review/").status_code == 302
        clock.shift(timedelta(seconds=2))  # django-otp slows down guessing after a failure
        code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
        right = client.post("/accounts/two-factor/verify/", {"code": code, "next": "/review/"})
    assert right.status_code == 302 and right.url == "/review/"
    assert client.get("/review/").status_code == 200
    assert SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_FAILED, user=secretary).exists()


def test_a_backup_code_works_once(client, secretary):
    client.force_login(secretary)
    codes = re.findall(
        r"<code>([0-9a-f]{8})</code>",
        client.post("/accounts/two-factor/backup-codes/").content.decode(),
    )
    assert len(codes) == 10
    for attempt, expected in ((1, 302), (2, 422)):
        fresh = type(client)()
        post_login(fresh, secretary.username, "pw", REMOTE_ADDR=f"10.2.0.{attempt}")
        response = fresh.post("/accounts/two-factor/verify/", {"code": codes[0]})
        assert response.status_code == expected, attempt
    assert StaticToken.objects.filter(device__user=secretary).count() == 9


def test_the_next_address_after_the_code_stays_on_this_site(client, secretary):
    post_login(client, secretary.username, "pw")
    code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
    response = client.post(
        "/accounts/two-factor/verify/", {"code": code, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_the_second_factor_is_optional_for_an_editor_but_asked_once_set_up(client, editor_ca):
    client.force_login(editor_ca)
    assert client.get("/my-nation/").status_code == 302  # to the nation, not to enrol
    assert "/two-factor/" not in client.get("/my-nation/").url
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=editor_ca)
    client.post("/accounts/two-factor/enrol/", {"code": code_for(device)})
    client.logout()
    post_login(client, editor_ca.username, "pw")
    assert client.get("/matrix/").url.startswith("/accounts/two-factor/verify/")


def test_an_editor_may_remove_their_second_factor_but_a_secretary_may_not(
    client, editor_ca, secretary
):
    client.force_login(editor_ca)
    client.get("/accounts/two-factor/enrol/")
    TOTPDevice.objects.filter(user=editor_ca).update(confirmed=True)
    client.post("/accounts/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=editor_ca).exists()
    client.force_login(secretary)
    response = client.post("/accounts/two-factor/remove/", follow=True)
    assert "cannot be removed" in response.content.decode()
    assert TOTPDevice.objects.filter(user=secretary, confirmed=True).exists()


# --- Sessions end when idle ---------------------------------------------------------------------


def test_a_session_ends_after_eight_idle_hours(client, editor_ca):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(editor_ca)
        clock.shift(timedelta(hours=7, minutes=59))
        assert client.get("/matrix/").status_code == 200  # activity restarts the clock
        clock.shift(timedelta(hours=7, minutes=59))
        assert client.get("/matrix/").status_code == 200
        clock.shift(timedelta(hours=8, minutes=1))
        response = client.get("/matrix/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_session_ends_a_day_after_signing_in_however_active(client, editor_ca):
    statuses = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(editor_ca)
        for _ in range(6):  # a request every 4.5 hours: never idle, 27 hours in all
            clock.shift(timedelta(hours=4, minutes=30))
            statuses.append(client.get("/matrix/").status_code)
    assert statuses == [200, 200, 200, 200, 200, 302]


def test_the_idle_time_is_configurable(client, editor_ca, settings):
    settings.SESSION_IDLE_SECONDS = 15 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(editor_ca)
        clock.shift(timedelta(minutes=16))
        assert client.get("/matrix/").status_code == 302


# --- Password change and reset ------------------------------------------------------------------


def test_a_person_changes_their_password(client, editor_ca):
    client.force_login(editor_ca)
    page = client.get("/accounts/password/change/")
    assert 'class="site-header"' in page.content.decode()  # the site's layout
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": "a new long passphrase", "new_password2": "x"},
    )
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    editor_ca.refresh_from_db()
    assert editor_ca.check_password("pw")
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "pw",
            "new_password1": "bridges over the Saint-Laurent",
            "new_password2": "bridges over the Saint-Laurent",
        },
    )
    assert response.url == "/accounts/password/change/done/"
    editor_ca.refresh_from_db()
    assert editor_ca.check_password("bridges over the Saint-Laurent")
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=editor_ca).exists()


def test_a_password_reset_by_email_and_the_same_answer_for_unknown_addresses(client, editor_ca):
    give_fresh_email(editor_ca)
    address = fresh_address()  # the limits live in the cache, which may outlive the test
    unknown = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}, REMOTE_ADDR=address
    )
    known = client.post(
        "/accounts/password/reset/", {"email": editor_ca.email}, REMOTE_ADDR=address
    )
    assert unknown.url == known.url == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a quiet harbour at dawn", "new_password2": "a quiet harbour at dawn"},
    )
    assert response.url == "/accounts/password/reset/done/"
    editor_ca.refresh_from_db()
    assert editor_ca.check_password("a quiet harbour at dawn")
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET, user=editor_ca).exists()
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


@pytest.mark.parametrize(
    ("password", "refused"),
    [("Nato2026!", True), ("Tracker-12345", True), ("natoassemblytracker", True),
     ("bridges over the Saint-Laurent", False), ("a quiet harbour at dawn", False)],
)  # fmt: skip
def test_passwords_built_on_the_assemblys_name_are_refused(password, refused):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError as error:
        assert refused, error.messages
        return
    assert not refused


def test_password_reset_mails_are_limited_to_three_an_hour(client, editor_ca):
    give_fresh_email(editor_ca)
    for _ in range(5):
        response = client.post(
            "/accounts/password/reset/", {"email": editor_ca.email}, REMOTE_ADDR=fresh_address()
        )
        assert response.url == "/accounts/password/reset/sent/"  # the same answer every time
    assert len(mail.outbox) == 3
    held = SecurityEvent.objects.filter(
        kind=Kind.PASSWORD_RESET_REQUESTED, detail__startswith="not"
    )
    assert held.count() == 2


# --- The signed-in person's nation ----------------------------------------------------------------


def test_an_editors_nation_is_read_in_one_query_and_kept(editor_ca, django_assert_num_queries):
    editor = User.objects.get(pk=editor_ca.pk)
    with django_assert_num_queries(1):
        assert editor.nation.code == "CA" and editor.own_member_id == editor.nation.pk
        assert editor.nation.name == "Canada"


def test_a_nation_read_with_the_person_costs_no_query(editor_ca, django_assert_num_queries):
    editor = User.objects.select_related("delegation__member").get(pk=editor_ca.pk)
    with django_assert_num_queries(0):
        assert editor.nation.code == "CA" and editor.own_member_id == editor.nation.pk


def test_someone_without_a_delegation_has_no_nation(secretary, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert secretary.nation is None and secretary.own_member_id is None
