#!/usr/bin/env python
"""How long the status reports take, and how much memory they hold, each in a fresh process.

By default it builds a throwaway SQLite database in a temporary folder (nothing of var/ is
touched): Resolution 493, the 32 nations, a status and PER actions (submitted or accepted, one
evidence item each) per commitment and nation. Each export then runs in a child process
(`EXPORTERS[fmt].write(scope, file)`, as `manage.py bench` does), which reports its time, size,
rows per second, pages (PDF) and peak resident memory. Then it re-seeds 493 with about each of
SIZES actions and measures CSV and XLSX again.

With `--existing`, it measures the database the settings point at instead (e.g. one filled by
`manage.py seed_scale --size M`), as its first secretary, for the scopes given.

    .venv/bin/python scripts/bench_reports.py                        # PER=3: 1,152 actions
    .venv/bin/python scripts/bench_reports.py --formats pdf --profile # cProfile of the PDF
    SIZES=25000,150000 .venv/bin/python scripts/bench_reports.py --formats csv,xlsx
    DATABASE_URL=sqlite:////tmp/m.sqlite3 .venv/bin/python scripts/bench_reports.py --existing \
        --scopes resolution,all
"""

import argparse
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "xlsx", "csv")


def setup(existing: bool) -> Path | None:
    tmp = None
    if not existing and "BENCH_TMP" not in os.environ:
        tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
        os.environ["BENCH_TMP"] = str(tmp)
    if "BENCH_TMP" in os.environ:
        folder = os.environ["BENCH_TMP"]
        os.environ.update(VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return tmp


# --- In the child: one export ------------------------------------------------------------------


def child(fmt: str, query: dict, username: str, profile: bool) -> None:
    from resolutions.benchmark.exports import peak_memory_mb as _peak_mb
    from resolutions.models import User
    from resolutions.reports.data import count_actions
    from resolutions.reports.registry import EXPORTERS
    from resolutions.reports.scope import read_scope

    user = User.objects.get(username=username)
    scope = read_scope(user, query)
    rows = count_actions(scope)
    before = _peak_mb()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        cpu_started = time.process_time()
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(EXPORTERS[fmt].write, scope, out)
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
        else:
            EXPORTERS[fmt].write(scope, out)
        seconds = time.perf_counter() - started
        # CPU time too: on a busy machine the wall time says more about the neighbours.
        cpu = time.process_time() - cpu_started
        size = out.tell()
        pages = None
        if fmt == "pdf":
            from pypdf import PdfReader

            out.seek(0)
            pages = len(PdfReader(io.BytesIO(out.read())).pages)
    print(json.dumps({
        "format": fmt, "rows": rows, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "rows_per_second": round(rows / seconds) if seconds else None, "bytes": size,
        "pages": pages, "peak_rss_mb": round(_peak_mb(), 1), "rss_before_mb": round(before, 1),
    }))  # fmt: skip


# --- In the parent -----------------------------------------------------------------------------


def measure(fmt: str, query: dict, username: str, profile=False) -> dict:
    command = [sys.executable, __file__, "--child", fmt, "--query", json.dumps(query),
               "--user", username] + (["--profile"] if profile else [])  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())  # noqa: S603
    if profile:
        print(done.stderr, file=sys.stderr)
    if done.returncode != 0:
        return {"format": fmt, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, figures: dict) -> None:
    if "error" in figures:
        print(f"  {label:<22} {figures['format']:4}  ERROR {figures['error']}")
        return
    pages = f"{figures['pages']:>4} pages" if figures.get("pages") else " " * 10
    print(
        f"  {label:<22} {figures['format']:4} {figures['seconds']:7.2f} s "
        f"(cpu {figures['cpu_seconds']:6.2f} s) "
        f"{figures['rows']:>8,} rows {figures['rows_per_second'] or 0:>8,} rows/s "
        f"{figures['bytes']:>12,} B {pages} peak {figures['peak_rss_mb']:6.1f} MB",
        flush=True,
    )


def seed(resolution, per: int, author) -> int:
    """`per` actions per commitment and nation, written in bulk (no history rows needed)."""
    from django.utils import timezone

    from resolutions.models import Evidence, ImplementationStatus, Member, NationalAction

    statuses_ = ImplementationStatus.Status.values
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
                    commitment=commitment, member=member, status=statuses_[(i + j) % 6],
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
    for n, action in enumerate(
        NationalAction.objects.filter(commitment__resolution=resolution).only("pk").iterator()
    ):
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
        if len(evidence) >= 5000:
            Evidence.objects.bulk_create(evidence)
            evidence = []
    Evidence.objects.bulk_create(evidence)
    return len(actions)


def throwaway(args) -> None:
    from django.core.management import call_command

    from resolutions.importing import import_resolution
    from resolutions.models import User
    from resolutions.parsing import parse_resolution

    call_command("migrate", verbosity=0)
    text = (ROOT / "resolutions/fixtures/resolutions/nato-pa-resolution-493.md").read_text()
    resolution = import_resolution(parse_resolution(text), text).resolution
    secretary = User.objects.create_user("bench-secretary", role=User.Role.SECRETARY)
    query = {"scope": "resolution", "id": str(resolution.pk)}
    formats = [f for f in args.formats.split(",") if f]

    count = seed(resolution, args.per, secretary)
    print(f"Resolution 493: 32 nations x 12 commitments x {args.per} actions = {count} actions")
    for fmt in formats:
        show("resolution 493", measure(fmt, query, secretary.username, args.profile))
    for size in [int(s) for s in args.sizes.split(",") if s]:
        per = max(1, round(size / (32 * 12)))
        count = seed(resolution, per, secretary)
        for fmt in ("csv", "xlsx"):
            if fmt in formats:
                show(f"493 at {count:,} actions", measure(fmt, query, secretary.username))


def existing(args) -> None:
    from resolutions.models import Resolution, User

    secretary = User.objects.filter(role=User.Role.SECRETARY).order_by(
        "username"
    ).first() or User.objects.create_user("bench-secretary", role=User.Role.SECRETARY)
    queries = {"all": {"scope": "all"}}
    resolution = Resolution.objects.filter(number=493).first()
    if resolution:
        queries["resolution"] = {"scope": "resolution", "id": str(resolution.pk)}
    for scope in args.scopes.split(","):
        for fmt in args.formats.split(","):
            show(scope, measure(fmt, queries[scope], secretary.username, args.profile))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per", type=int, default=int(os.environ.get("PER", "3")))
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "25000"))
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--profile", action="store_true", help="cProfile each export")
    parser.add_argument("--existing", action="store_true", help="measure the configured db")
    parser.add_argument("--scopes", default="resolution,all")
    parser.add_argument("--child", choices=FORMATS)
    parser.add_argument("--query", default="{}")
    parser.add_argument("--user", default="")
    args = parser.parse_args()
    tmp = setup(args.existing or bool(args.child))
    try:
        if args.child:
            child(args.child, json.loads(args.query), args.user, args.profile)
        elif args.existing:
            existing(args)
        else:
            throwaway(args)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
