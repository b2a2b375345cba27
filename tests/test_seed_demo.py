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


@pytest.mark.parametrize("username", ["secretary", "admin"])
def test_the_demo_secretary_and_administrator_are_asked_to_enrol_at_first_sign_in(
    settings, tmp_path, client, username
):
    output = seed(settings, tmp_path)
    assert "set up a second factor" in output
    password = next(line.split()[-1] for line in output.splitlines() if f" {username} " in line)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302
    page = client.get(response.url, follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/two-factor/enrol/")
    assert "Set up a second factor" in page.content.decode()


def test_the_demo_editor_is_not_asked_for_a_second_factor(settings, tmp_path, client):
    output = seed(settings, tmp_path)
    password = next(line.split()[-1] for line in output.splitlines() if " editor-ca " in line)
    client.post("/accounts/login/", {"username": "editor-ca", "password": password})
    page = client.get("/", follow=True)
    assert "/two-factor/" not in page.redirect_chain[-1][0]
