#!/usr/bin/env python
"""How long the status reports take, and how much memory the CSV stream holds.

Builds a throwaway SQLite database in a temporary folder (nothing of var/ is touched): Resolution
493, the 32 nations, a status and PER actions (submitted or accepted, one evidence item each) per
commitment and nation. Renders each format once as a committee secretary and prints the time,
then streams a CSV of about CSV_ACTIONS actions and prints its peak memory next to the peak of
gathering the same report whole. One measurement each: numbers to compare, not a test.

    .venv/bin/python scripts/bench_reports.py            # PER=3 (1,152 actions), CSV_ACTIONS=10000
    PER=1 CSV_ACTIONS=2000 .venv/bin/python scripts/bench_reports.py
"""

import io
import os
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="bench-reports-"))
os.environ.update(VAR_DIR=str(TMP), DATABASE_URL=f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from resolutions.importing import import_resolution  # noqa: E402
from resolutions.models import (  # noqa: E402
    Evidence,
    ImplementationStatus,
    Member,
    NationalAction,
    User,
)
from resolutions.parsing import parse_resolution  # noqa: E402
from resolutions.reports.base import EXPORTERS  # noqa: E402
from resolutions.reports.csv import csv_lines  # noqa: E402
from resolutions.reports.data import gather_report, read_scope, stream_actions  # noqa: E402

STATUSES = ImplementationStatus.Status.values
TEXT = ROOT / "resolutions/fixtures/resolutions/nato-pa-resolution-493.md"


def seed(resolution, per: int, author) -> int:
    """`per` actions per commitment and nation, written in bulk (no history rows needed)."""
    NationalAction.objects.filter(commitment__resolution=resolution).delete()
    ImplementationStatus.objects.filter(commitment__resolution=resolution).delete()
    members = list(Member.objects.filter(kind=Member.Kind.MEMBER))
    commitments = list(resolution.commitments.all())
    now = timezone.now()
    statuses, actions = [], []
    for i, member in enumerate(members):
        for j, commitment in enumerate(commitments):
            statuses.append(
                ImplementationStatus(
                    commitment=commitment, member=member, status=STATUSES[(i + j) % 6],
                    justification=f"{member.code} reported on {commitment.label} in 2025.",
                )
            )  # fmt: skip
            for k in range(per):
                actions.append(
                    NationalAction(
                        commitment=commitment, member=member, author=author,
                        title=f"National measure {k + 1} on {commitment.label} ({member.code})",
                        description="Extends export controls to dual-use items and funds "
                        "enforcement staff, as the sub-clause recommends.",
                        action_type="legislation", actor="parliament", stage="completed",
                        date=now.date(), review_state="accepted" if k % 2 else "submitted",
                    )
                )  # fmt: skip
    ImplementationStatus.objects.bulk_create(statuses)
    NationalAction.objects.bulk_create(actions, batch_size=2000)
    evidence = []
    for n, action in enumerate(NationalAction.objects.filter(commitment__resolution=resolution)):
        if n % 2:
            evidence.append(
                Evidence(action=action, kind="link", title="Parliamentary record",
                         url=f"https://parliament.example.org/records/{n}")
            )  # fmt: skip
        else:
            evidence.append(
                Evidence(action=action, kind="file", title="Official Journal extract",
                         file=f"evidence/{n}.pdf", original_name="extract.pdf",
                         content_type="application/pdf", size=1234,
                         sha256=secrets.token_hex(32))
            )  # fmt: skip
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    return len(actions)


def main():
    per = int(os.environ.get("PER", "3"))
    csv_actions = int(os.environ.get("CSV_ACTIONS", "10000"))
    call_command("migrate", verbosity=0)
    text = TEXT.read_text(encoding="utf-8")
    resolution = import_resolution(parse_resolution(text), text).resolution
    secretary = User.objects.create_user("bench-secretary", role=User.Role.SECRETARY)
    scope = read_scope(secretary, {"scope": "resolution", "id": str(resolution.pk)})

    count = seed(resolution, per, secretary)
    print(f"Resolution 493: 32 nations x 12 commitments x {per} actions = {count} actions")
    for fmt, exporter in EXPORTERS.items():
        out = io.BytesIO()
        start = time.perf_counter()
        exporter.export(scope, out)
        took = time.perf_counter() - start
        pages = ""
        if fmt == "pdf":
            from pypdf import PdfReader

            pages = f", {len(PdfReader(io.BytesIO(out.getvalue())).pages)} pages"
        print(f"  {fmt:4}  {took:6.2f} s  {len(out.getvalue()):>10,} bytes{pages}")

    per_big = max(1, round(csv_actions / (32 * 12)))
    count = seed(resolution, per_big, secretary)
    tracemalloc.start()
    size = sum(len(line) for line in csv_lines(stream_actions(scope)))
    _now, stream_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    report = gather_report(scope)
    _now, gather_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"CSV of {count:,} actions ({size:,} bytes) streamed with a peak of "
          f"{stream_peak / 2**20:.1f} MiB; gathering the whole report ({report.action_count:,} "
          f"actions) peaks at {gather_peak / 2**20:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
