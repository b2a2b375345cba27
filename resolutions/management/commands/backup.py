"""`manage.py backup FOLDER`: the database, every evidence file and a manifest, restorable with
`manage.py restore_backup FOLDER` (README, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Writes a restorable backup (database, evidence files, manifest) into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = make_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        evidence = manifest["evidence"]
        self.stdout.write(
            f"Backup in {folder}: {manifest['database']}, {sum(manifest['rows'].values())} rows "
            f"in {len(manifest['rows'])} tables, {evidence['files']} evidence files "
            f"({evidence['bytes']} bytes)."
        )
        for problem in evidence["problems"]:
            self.stderr.write(f"Not in the backup, {problem}")
