"""The full CSV export (every resolution, as a secretary) timed with its peak memory, for the
figures in docs/scaling.md: run it once straight to PostgreSQL and once through PgBouncer with
DISABLE_SERVER_SIDE_CURSORS=true, on a database seeded with `manage.py seed_scale --size L`.

    DATABASE_URL=postgres://…:5432/tracker_sbench_l .venv/bin/python scripts/bench_pooling.py
    DATABASE_URL=postgres://…:6432/tracker_sbench_l DISABLE_SERVER_SIDE_CURSORS=true \\
        .venv/bin/python scripts/bench_pooling.py
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from resolutions.models import User  # noqa: E402
from resolutions.reports.forms import read_export  # noqa: E402


class Sink:
    size = 0

    def write(self, data):
        self.size += len(data)


def main():
    secretary = User.objects.filter(role=User.Role.SECRETARY).first()
    exporter, scope = read_export(secretary, {"scope": "all", "format": "csv"})
    sink = Sink()
    started = time.perf_counter()
    exporter.write(scope, sink)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cursors = connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    port = connection.settings_dict.get("PORT")
    print(
        f"port {port}, DISABLE_SERVER_SIDE_CURSORS={cursors}: {sink.size / 1e6:.1f} MB of CSV "
        f"in {seconds:.2f} s, peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
