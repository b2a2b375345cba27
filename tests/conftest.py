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
