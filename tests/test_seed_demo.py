import io

import pytest
from django.core.management import call_command

from resolutions.models import Commitment, Resolution, User

pytestmark = pytest.mark.django_db


def seed(settings, tmp_path) -> str:
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_493_and_one_user_per_role(settings, tmp_path):
    output = seed(settings, tmp_path)
    resolution = Resolution.objects.get(number=493)
    assert resolution.commitments.count() == 12
    assert resolution.languages == ("en", "fr")  # the French text attached, not a second one
    assert Resolution.objects.count() == 1
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(User.Role.values)
    editor = User.objects.get(username="editor-ca")
    assert editor.delegation.member.code == "CA"
    password = next(line.split()[-1] for line in output.splitlines() if " editor-ca " in line)
    assert editor.check_password(password)
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_twice_reuses_everything_and_prints_the_same_passwords(settings, tmp_path):
    first = seed(settings, tmp_path)
    second = seed(settings, tmp_path)
    assert User.objects.count() == 5
    assert Resolution.objects.count() == 1
    assert Commitment.objects.count() == 12
    users = [line for line in first.splitlines() if line.startswith("  ")]
    assert users == [line for line in second.splitlines() if line.startswith("  ")]
