"""python -m bench: how fast the tracker is at realistic sizes (docs/performance.md).

    python -m bench seed --size M                  # fill the database DATABASE_URL names
    python -m bench run --size M                   # pages cold and warm, exports, digests
    python -m bench run --size L --pages-only
    python -m bench summary                        # Markdown of the latest run of each size
    python -m bench compare var/bench-before var/bench   # before/after, page by page

Outside the application package (it does not go into the wheel); it drives the application
through URLs with Django's test client, never by importing views. `make bench` runs it.
"""

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path


def main(argv=None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings

    from . import exports
    from .scale import SIZES

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="generate realistic data of a size")
    seed.add_argument("--size", choices=sorted(SIZES), required=True)
    seed.add_argument("--seed", type=int, default=1)
    run = commands.add_parser("run", help="measure pages, exports and digests")
    run.add_argument("--size", choices=sorted(SIZES), required=True)
    run.add_argument("--repeat", type=int, default=60, help="timed rounds per page and mode")
    run.add_argument("--warmup", type=int, default=5)
    run.add_argument("--pages-only", action="store_true", help="no exports, no digests")
    run.add_argument("--no-exports", action="store_true")
    run.add_argument("--digest-users", type=int, default=1000)
    run.add_argument("--export-scopes", default="resolution,full")
    run.add_argument("--export-formats", default=",".join(exports.FORMATS))
    run.add_argument("--export-timeout", type=float, default=900)
    run.add_argument("--output", default=str(settings.VAR_DIR / "bench"))
    summary = commands.add_parser("summary", help="Markdown of the latest run of each size")
    summary.add_argument("--output", default=str(settings.VAR_DIR / "bench"))
    compare = commands.add_parser("compare", help="before/after Markdown of two result folders")
    compare.add_argument("before")
    compare.add_argument("after")
    child = commands.add_parser("export-child")
    child.add_argument("format", choices=exports.FORMATS)
    child.add_argument("--query", default="{}")
    child.add_argument("--user", default="")
    options = parser.parse_args(argv)

    if options.command == "seed":
        return _seed(options)
    if options.command == "run":
        return _run(options)
    if options.command == "export-child":
        figures = exports.run_child(options.format, json.loads(options.query), options.user)
        print(json.dumps(figures))
        return 0
    from . import report

    if options.command == "summary":
        latest = report.load_latest(Path(options.output))
        if not latest:
            print(f"No results in {options.output} yet.", file=sys.stderr)
            return 1
        print(report.markdown(latest), end="")
        return 0
    before = report.load_latest(Path(options.before))
    after = report.load_latest(Path(options.after))
    print(report.comparison_markdown(before, after), end="")
    return 0


def _seed(options) -> int:
    from .scale import SIZES, AlreadySeeded, seed_scale

    started = time.perf_counter()
    try:
        result = seed_scale(SIZES[options.size], seed=options.seed)
    except AlreadySeeded:
        print(
            "This database already holds generated data (users named scale-…). Seed an empty "
            "database: `make bench` creates a fresh one for each size.",
            file=sys.stderr,
        )
        return 1
    print(
        "Size {size}, seed {seed}: {resolutions} resolutions, {commitments} commitments, "
        "{users} users, {statuses} statuses, {actions} actions, {evidence} evidence records "
        "({files} with a stored file), {history} history rows in {seconds:.1f} s.".format(
            size=options.size,
            seed=options.seed,
            seconds=time.perf_counter() - started,
            **vars(result),
        )
    )
    return 0


def _run(options) -> int:
    from . import report
    from .measure import BadResponse
    from .run import ChoiceError, NothingToMeasure, measure

    try:
        results = measure(options)
    except (ChoiceError, NothingToMeasure, BadResponse) as error:
        print(str(error) or "Run `python -m bench seed` first.", file=sys.stderr)
        return 1
    print(report.table(results))
    path = report.write_json(results, Path(options.output))
    print(f"Results written to {path}")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
