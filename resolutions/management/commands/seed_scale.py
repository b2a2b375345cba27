"""python manage.py seed_scale --size {S,M,L} [--seed N]: realistic data for the benchmark.

S: Resolution 493, 32 nations, about 1,000 actions. M: 20 resolutions, about 25,000 actions and
50,000 evidence records. L: 100 resolutions, about 150,000 actions, 300,000 evidence records and
200 users. The same seed gives the same data (dates are counted back from today).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resolutions.benchmark.scale import SIZES, AlreadySeeded, seed_scale


class Command(BaseCommand):
    help = _("Fill the database with realistic generated data for the benchmark (S, M or L).")

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, size, seed, **options):
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 1 else None
        try:
            result = seed_scale(SIZES[size], seed=seed, log=log)
        except AlreadySeeded:
            raise CommandError(
                _(
                    "This database already holds generated data (users named scale-…). "
                    "Seed an empty database: `make bench` creates a fresh one for each size."
                )
            ) from None
        self.stdout.write(
            _(
                "Size %(size)s, seed %(seed)d: %(resolutions)d resolutions, %(commitments)d "
                "commitments, %(users)d users, %(statuses)d statuses, %(actions)d actions, "
                "%(evidence)d evidence records (%(files)d with a stored file), %(history)d "
                "history rows in %(seconds).1f s."
            )
            % {
                "size": size,
                "seed": seed,
                "seconds": time.perf_counter() - started,
                **vars(result),
            }
        )
