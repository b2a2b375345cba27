"""Checks every evidence file against the SHA-256 and size recorded when it was uploaded."""

from django.core.management.base import BaseCommand, CommandError

from resolutions.evidence_check import check_evidence


class Command(BaseCommand):
    help = "Reports evidence files that are missing from storage or differ from their checksum."

    def handle(self, *args, **options):
        checked, problems = 0, []
        for _pk, problem in check_evidence():
            checked += 1
            if problem is not None:
                problems.append(problem)
                self.stdout.write(
                    f"{problem.kind.upper()}: evidence {problem.evidence_id} ({problem.name}): "
                    f"{problem.detail}"
                )
        summary = f"{checked} evidence files checked, {len(problems)} with problems."
        if problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
