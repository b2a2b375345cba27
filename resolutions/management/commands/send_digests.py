"""python manage.py send_digests [--dry-run] [--user EMAIL]

Without --dry-run: runs the digest sweep now, in this process, and sends each due digest (the
same claim as the Celery task, so nothing already sent is sent again).
With --dry-run: prints what would be sent (subject and text part) and claims nothing. With
--user, only that person; with both, the digest is shown even when it is not due.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resolutions import digests
from resolutions.languages import in_language_of
from resolutions.models import DigestLog, User
from resolutions.tasks import send_digest


class Command(BaseCommand):
    help = _("Send the reminder digests that are due now, or show them with --dry-run.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Print what would be sent; send nothing.")
        )
        parser.add_argument("--user", metavar="EMAIL", help=_("Only this person."))

    def handle(self, *args, dry_run=False, user=None, **options):
        now = timezone.now()
        people = digests.recipients()
        if user:
            if not User.objects.filter(email__iexact=user).exists():
                raise CommandError(_("No user has the e-mail address %(email)s.") % {"email": user})
            people = people.filter(email__iexact=user)
            if not people.exists():
                raise CommandError(
                    _(
                        "%(email)s gets no digest: inactive, switched off, or in a role "
                        "digests have nothing for."
                    )
                    % {"email": user}
                )
        due = digests.due_digests(now, users=people)
        if dry_run:
            self._show(people if user else [u for u, _p in due], dict(due), now)
            return
        for person, period in due:
            outcome = send_digest.apply(args=(person.pk, period)).get()
            self.stdout.write(f"{person.email} {period}: {outcome}")
        self.stdout.write(
            ngettext("%(count)d digest was due.", "%(count)d digests were due.", len(due))
            % {"count": len(due)}
        )

    def _show(self, people, due: dict, now):
        shown = 0
        for person in people:
            period = due.get(person)
            if period is None:
                preference = digests.preference_of(person)
                current = digests.period_key(
                    preference.frequency
                    if preference.frequency != preference.Frequency.OFF
                    else preference.Frequency.WEEKLY,
                    digests.local_date(now),
                )
                log = DigestLog.objects.filter(user=person, period=current).first()
                state = (
                    _("already %(state)s for %(period)s")
                    % {"state": log.get_state_display().lower(), "period": current}
                    if log
                    else _("not due yet")
                )
            else:
                state = _("due for %(period)s") % {"period": period}
            self.stdout.write(f"=== {person.email} ({state})")
            with in_language_of(person):  # the e-mail as this person would read it
                digest = digests.compose_digest(person, now)
                message = digests.build_message(digest, period=period or "") if digest else None
            if digest is None:
                self.stdout.write(_("Nothing to say: no e-mail would be sent.") + "\n")
                continue
            self.stdout.write(f"Subject: {message.subject}\n\n{message.body}")
            shown += 1
        self.stdout.write(
            ngettext(
                "Dry run: %(count)d digest shown, nothing sent.",
                "Dry run: %(count)d digests shown, nothing sent.",
                shown,
            )
            % {"count": shown}
        )
