"""python manage.py bench --size M: how fast the tracker is on the data seed_scale wrote.

Measures the pages (p50/p95 against a trivial view in the same run, queries per page), the
exports (time, rows per second, peak memory, each in its own process) and the reminder digests
for many people (task time, queries). Prints a table and writes JSON to var/bench/.

    python manage.py bench --size M                 # everything
    python manage.py bench --size L --pages-only    # pages and their queries
    python manage.py bench --summary                # Markdown of the latest run of each size
"""

import json
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from resolutions.benchmark import exports, report
from resolutions.benchmark.digests import measure_digests
from resolutions.benchmark.measure import BadResponse, measure_pages, summarise
from resolutions.benchmark.pages import NothingToMeasure, benchmark_pages
from resolutions.benchmark.scale import SIZES
from resolutions.models import Evidence, NationalAction, Resolution, User

# The two exports measured: Resolution 493's report, and every resolution ("all").
EXPORT_SCOPES = ("resolution", "full")


class Command(BaseCommand):
    help = _("Measure pages, exports and digests on the data seed_scale wrote.")

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), help=_("the size seeded"))
        parser.add_argument("--repeat", type=int, default=60, help=_("timed rounds per page"))
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--pages-only", action="store_true", help=_("no exports, no digests"))
        parser.add_argument("--no-exports", action="store_true")
        parser.add_argument("--digest-users", type=int, default=1000)
        parser.add_argument(
            "--export-scopes",
            default="resolution,full",
            help=_("which exports to time: resolution, full, or both (comma-separated)"),
        )
        parser.add_argument(
            "--export-formats",
            default=",".join(exports.FORMATS),
            help=_("which formats to time: csv, xlsx, docx, pdf (comma-separated)"),
        )
        parser.add_argument("--export-timeout", type=float, default=900)
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench"))
        parser.add_argument("--summary", action="store_true", help=_("print Markdown and stop"))
        # Internal: one export in this process, figures as JSON on stdout.
        parser.add_argument("--export-child", choices=exports.FORMATS, help="==SUPPRESS==")
        parser.add_argument("--export-query", default="{}", help="==SUPPRESS==")
        parser.add_argument("--export-user", default="", help="==SUPPRESS==")

    def handle(self, *args, **options):
        folder = Path(options["output"])
        if options["export_child"]:
            figures = exports.run_child(
                options["export_child"],
                json.loads(options["export_query"]),
                options["export_user"],
            )
            self.stdout.write(json.dumps(figures))
            return
        if options["summary"]:
            latest = report.load_latest(folder)
            if not latest:
                raise CommandError(_("No results in %(folder)s yet.") % {"folder": folder})
            self.stdout.write(report.markdown(latest))
            return
        if not options["size"]:
            raise CommandError(_("Name the size seeded: --size S, M or L."))
        _export_choices(options)  # a typo is refused before minutes of measuring
        results = self._measure(options)
        self.stdout.write(report.table(results))
        path = report.write_json(results, folder)
        self.stdout.write(_("Results written to %(path)s") % {"path": path})

    def _measure(self, options) -> dict:
        started = time.perf_counter()
        results = {
            "size": options["size"],
            "database": f"{connection.vendor} {_server_version()}",
            "repeat": options["repeat"],
            "warmup": options["warmup"],
            "data": _data_counts(),
        }
        # The trivial view is only in the benchmark's URLconf; DEBUG off like production
        # (templates cached, no query log kept except where counted).
        with override_settings(
            ROOT_URLCONF="resolutions.benchmark.urls",
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ):
            try:
                pages = benchmark_pages()
                measured = measure_pages(pages, repeat=options["repeat"], warmup=options["warmup"])
            except (NothingToMeasure, BadResponse) as error:
                raise CommandError(str(error) or _("Run seed_scale first.")) from error
        results["pages"] = report.page_rows(
            [
                {
                    "name": r.name,
                    "description": r.description,
                    "url": r.url,
                    "queries": r.queries,
                    "bytes": r.bytes,
                    **summarise(r.samples),
                }
                for r in measured
            ]
        )
        if not options["pages_only"] and not options["no_exports"]:
            results["exports"] = self._exports(options)
        if not options["pages_only"]:
            self.stderr.write(_("Digests for %(n)d people…") % {"n": options["digest_users"]})
            # One log line per digest is what a worker wants, not a benchmark.
            for name in ("celery", "resolutions.tasks"):
                logging.getLogger(name).setLevel(logging.WARNING)
            results["digests"] = measure_digests(options["digest_users"])
        results["seconds"] = round(time.perf_counter() - started, 1)
        results["finished_at"] = timezone.now().isoformat(timespec="seconds")
        return results

    def _exports(self, options) -> dict:
        secretary = (
            User.objects.filter(username__startswith="scale-", role=User.Role.SECRETARY)
            .order_by("username")
            .first()
        )
        resolution = Resolution.objects.get(document_type="resolution", number=493)
        queries = {
            "resolution": {"scope": "resolution", "id": str(resolution.pk)},
            "full": {"scope": "all"},
        }
        formats, scopes = _export_choices(options)
        measured = {}
        for scope in scopes:
            measured[scope] = []
            for fmt in formats:
                self.stderr.write(f"export {scope} {fmt}…")
                figures = exports.measure_export(
                    fmt, queries[scope], secretary.username, options["export_timeout"]
                )
                figures["verdict"] = report.export_verdict(scope, figures)
                measured[scope].append(figures)
        return measured


def _export_choices(options) -> tuple[list[str], list[str]]:
    """The export formats and scopes asked for, or an error naming the one not known."""
    formats = [f.strip() for f in options["export_formats"].split(",") if f.strip()]
    scopes = [s.strip() for s in options["export_scopes"].split(",") if s.strip()]
    for fmt in formats:
        if fmt not in exports.FORMATS:
            raise CommandError(_("Unknown export format: %(format)s") % {"format": fmt})
    for scope in scopes:
        if scope not in EXPORT_SCOPES:
            raise CommandError(_("Unknown export scope: %(scope)s") % {"scope": scope})
    return formats, scopes


def _data_counts() -> dict:
    return {
        "resolutions": Resolution.objects.count(),
        "actions": NationalAction.objects.count(),
        "evidence": Evidence.objects.count(),
        "users": User.objects.count(),
    }


def _server_version() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150010
        return f"{version // 10000}.{version % 100}"
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    return ""
