"""python manage.py import_resolution FILE [--only 491,493] [--all-or-nothing] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resolutions.booklets import NothingSaved, TextOutcome, import_texts
from resolutions.parsing import ResolutionParseError
from resolutions.sources import read_limited, texts_in


class Command(BaseCommand):
    help = _(
        "Import a resolution, or every declaration and resolution of a session booklet, in "
        "English or French: PDF, Markdown or plain text."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--only",
            default="",
            help=_("Import only the texts with these numbers, e.g. 491,493."),
        )
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help=_("Save nothing if any text cannot be imported."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Show what would change; save nothing.")
        )

    def handle(self, *args, file: Path, only: str, all_or_nothing: bool, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": file})
        try:
            with file.open("rb") as handle:
                _text, found = texts_in(read_limited(handle))
        except ResolutionParseError as error:
            raise CommandError(f"{file}: {error}") from error
        chosen = self._chosen(file, only, found)
        if len(found) > 1:
            self.stdout.write(
                _("%(count)d texts found in %(file)s.") % {"count": len(found), "file": file}
            )
        try:
            outcomes = import_texts(
                found, only=chosen, all_or_nothing=all_or_nothing, dry_run=dry_run
            )
        except NothingSaved as refused:
            failures = [o.error for o in refused.outcomes if o.error]
            for message in failures[1:]:
                self.stderr.write(message)
            raise CommandError(
                f"{file}: {failures[0]}" + _(" (all or nothing: nothing was saved)")
            ) from refused
        self._report(file, outcomes, dry_run)

    def _chosen(self, file, only: str, found) -> set[str] | None:
        if not only.strip():
            return None
        chosen = {number.strip() for number in only.split(",") if number.strip()}
        numbers = {str(f.number) for f in found}
        if unknown := sorted(chosen - numbers):
            raise CommandError(
                _("%(file)s: no text numbered %(unknown)s in this file (it holds %(numbers)s)")
                % {
                    "file": file,
                    "unknown": ", ".join(unknown),
                    "numbers": ", ".join(str(f.number) for f in found),
                }
            )
        return chosen

    def _report(self, file, outcomes: list[TextOutcome], dry_run: bool) -> None:
        failures = [outcome for outcome in outcomes if outcome.error]
        for outcome in outcomes:
            if outcome.error:
                if len(outcomes) > 1:
                    self.stderr.write(outcome.error)
                continue
            self._describe(outcome)
            if outcome.chosen:
                self._verdict(outcome, dry_run)
            else:
                self.stdout.write(_("Not chosen: skipped."))
        if len(outcomes) == 1 and failures:
            raise CommandError(f"{file}: {failures[0].error}")
        if failures:
            raise CommandError(
                _("%(file)s: %(failed)d of %(total)d texts could not be imported (%(names)s)")
                % {
                    "file": file,
                    "failed": len(failures),
                    "total": len(outcomes),
                    "names": ", ".join(o.found.name for o in failures),
                }
            )

    def _describe(self, outcome: TextOutcome) -> None:
        parsed = outcome.found.parsed
        self.stdout.write(
            _("%(type)s %(number)s: %(title)s")
            % {"type": parsed.document_type.title(), "number": parsed.number, "title": parsed.title}
            + (_(" (French)") if parsed.language == "fr" else "")
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

    def _verdict(self, outcome: TextOutcome, dry_run: bool) -> None:
        report = outcome.report
        prefix = _("Dry run, nothing saved. ") if dry_run else ""
        what = outcome.found.parsed.document_type.capitalize()
        if report.created:
            verdict = _("would be created") if dry_run else _("created")
            self.stdout.write(self.style.SUCCESS(f"{prefix}{what} {verdict}."))
        elif report.unchanged:
            self.stdout.write(self.style.SUCCESS(_("Already up to date: nothing changed.")))
        else:
            verdict = _("would be updated") if dry_run else _("updated")
            self.stdout.write(
                self.style.SUCCESS(f"{prefix}{what} {verdict}: ") + "; ".join(report.changes)
            )
