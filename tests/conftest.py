"""Shared fixtures: the people who use the tracker, and Resolution 493 imported."""

from pathlib import Path

import pytest

from resolutions.importing import import_resolution
from resolutions.models import Delegation, User
from resolutions.parsing import parse_resolution

FIXTURE_493 = Path(__file__).resolve().parent.parent / (
    "resolutions/fixtures/resolutions/nato-pa-resolution-493.md"
)


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
    from django.core.cache import cache

    if "LocMemCache" in type(cache).__name__:
        cache.clear()


def make_user(username, role, country=None, **extra):
    delegation = Delegation.objects.get(member__country=country) if country else None
    return User.objects.create_user(
        username=username,
        password="pw",
        email=f"{username}@example.org",
        role=role,
        delegation=delegation,
        **extra,
    )


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
    """A small, real PDF document with one line of text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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
