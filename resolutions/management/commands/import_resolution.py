"""python manage.py import_resolution FILE [--dry-run]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resolutions.importing import ImportRefused, import_resolution, read_resolution_file
from resolutions.parsing import ResolutionParseError


def read_limited(path: Path) -> bytes:
    """The file's bytes, at most one past the limit: a larger file is not read whole."""
    with path.open("rb") as handle:
        return handle.read(settings.RESOLUTION_TEXT_MAX_BYTES + 1)


class Command(BaseCommand):
    help = _("Import a resolution from its text (Markdown or plain text from the Assembly's PDF).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Show what would change; save nothing.")
        )
        parser.add_argument("--language", default="en")

    def handle(self, *args, file: Path, dry_run: bool, language: str, **options):
        if not file.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": file})
        try:
            parsed, text = read_resolution_file(read_limited(file))
            report = import_resolution(parsed, text, language=language, dry_run=dry_run)
        except (ResolutionParseError, ImportRefused) as error:
            raise CommandError(f"{file}: {error}") from error

        self.stdout.write(
            _("%(type)s %(number)s: %(title)s")
            % {"type": parsed.document_type.title(), "number": parsed.number, "title": parsed.title}
        )
        self.stdout.write(
            _("%(committee)s, %(session)s, %(place)s, adopted %(date)s")
            % {
                "committee": parsed.committee,
                "session": parsed.session,
                "place": parsed.place,
                "date": parsed.adoption_date or _("(no date)"),
            }
        )
        self.stdout.write(
            _("%(pre)d preambular and %(op)d operative paragraphs, %(n)d commitments: %(labels)s")
            % {
                "pre": len(parsed.preambular),
                "op": len(parsed.operative),
                "n": len(parsed.commitments),
                "labels": ", ".join(c.label for c in parsed.commitments),
            }
        )
        prefix = _("Dry run, nothing saved. ") if dry_run else ""
        if report.created:
            verdict = _("would be created") if dry_run else _("created")
            self.stdout.write(self.style.SUCCESS(f"{prefix}{_('Resolution')} {verdict}."))
        elif report.unchanged:
            self.stdout.write(self.style.SUCCESS(_("Already up to date: nothing changed.")))
        else:
            verdict = _("would be updated") if dry_run else _("updated")
            self.stdout.write(
                self.style.SUCCESS(f"{prefix}{_('Resolution')} {verdict}: ")
                + "; ".join(report.changes)
            )
