"""python manage.py seed_demo: Resolution 493 (English and French) and one demo user per role.

Safe to run again: existing users and resolutions are reused. Passwords are generated on first
run and kept in var/demo-users.txt (never committed), so they can be printed every time.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from resolutions.models import Delegation, Resolution, User

FIXTURE_493 = Path(__file__).resolve().parents[2] / "fixtures/resolutions/nato-pa-resolution-493.md"
# A French version written for the demo and the tests from the English text.
FIXTURE_493_FR = FIXTURE_493.with_name("nato-pa-resolution-493-fr.md")

# username, role, ISO code of the delegation (editors only), first name, last name
DEMO_USERS = [
    ("admin", User.Role.ADMINISTRATOR, None, "Alex", "Admin"),
    ("secretary", User.Role.SECRETARY, None, "Sam", "Secretary"),
    ("editor-ca", User.Role.EDITOR, "CA", "Claire", "Tremblay"),
    ("editor-fr", User.Role.EDITOR, "FR", "Julien", "Martin"),
    ("viewer", User.Role.VIEWER, None, "Vic", "Viewer"),
]


class Command(BaseCommand):
    help = _("Load Resolution 493 and create one demo user per role (idempotent).")

    def handle(self, *args, **options):
        if not Resolution.objects.filter(document_type="resolution", number=493).exists():
            call_command("import_resolution", str(FIXTURE_493), stdout=self.stdout)
        if not Resolution.objects.filter(number=493).exclude(original_text_fr="").exists():
            call_command("import_resolution", str(FIXTURE_493_FR), stdout=self.stdout)
        passwords = self._passwords_file()
        known = dict(
            line.split(" ", 1) for line in passwords.read_text().splitlines() if " " in line
        )
        rows = []
        for username, role, country, first, last in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(9)
                delegation = Delegation.objects.get(member__country=country) if country else None
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@example.org",
                    password=password,
                    first_name=first,
                    last_name=last,
                    role=role,
                    delegation=delegation,
                    is_staff=role == User.Role.ADMINISTRATOR,
                    is_superuser=role == User.Role.ADMINISTRATOR,
                )
                known[username] = password
            rows.append((user, known.get(username, _("(changed since; not known)"))))
        passwords.write_text("".join(f"{name} {pw}\n" for name, pw in known.items()))
        passwords.chmod(0o600)

        self.stdout.write(_("Demo users (passwords kept in %(path)s):") % {"path": passwords})
        for user, password in rows:
            where = f" ({user.delegation.member.name})" if user.delegation_id else ""
            self.stdout.write(
                f"  {user.get_role_display() + where:<36} {user.username:<12} {password}"
            )

    def _passwords_file(self) -> Path:
        path = Path(settings.VAR_DIR) / "demo-users.txt"
        if not path.exists():
            path.touch(mode=0o600)
        return path
