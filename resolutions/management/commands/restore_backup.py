"""`manage.py restore_backup FOLDER`: restores a backup into the configured, empty database and
storage, then checks every table's row count and every evidence checksum against the manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup made by `manage.py backup` and verifies it."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            report = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for table, (expected, found) in sorted(report["differences"].items()):
            self.stderr.write(f"{table}: {found} rows, the backup had {expected}")
        for problem in report["problems"]:
            self.stderr.write(f"{problem.kind}: evidence {problem.evidence_id} ({problem.name})")
        if report["differences"] or report["problems"]:
            raise CommandError("The restore does not match the backup.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {sum(report['rows'].values())} rows in "
                f"{len(report['rows'])} tables, every evidence checksum matches."
            )
        )
