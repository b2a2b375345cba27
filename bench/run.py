"""One benchmark run at one size: pages (cold and warm, against a trivial view in the same
run), queries and HTML sizes per page, exports through their URLs (each in its own process),
and reminder digests for many people."""

import logging
import sys
import time

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from resolutions.models import Evidence, NationalAction, Resolution, User

from . import exports, report
from .digests import measure_digests
from .measure import MODES, measure_pages, summarise
from .pages import NothingToMeasure, benchmark_pages
from .scale import USER_PREFIX

# The two exports measured: Resolution 493's report, and every resolution ("all").
EXPORT_SCOPES = ("resolution", "full")

__all__ = ["ChoiceError", "NothingToMeasure", "measure"]


class ChoiceError(ValueError):
    """An export format or scope that the benchmark does not know."""


def measure(options) -> dict:
    formats, scopes = export_choices(options.export_formats, options.export_scopes)
    started = time.perf_counter()
    results = {
        "size": options.size,
        "database": f"{connection.vendor} {_server_version()}",
        "repeat": options.repeat,
        "warmup": options.warmup,
        "data": _data_counts(),
    }
    # The trivial view is only in the benchmark's URLconf; DEBUG off like production
    # (templates cached, no query log kept except where counted).
    with override_settings(
        ROOT_URLCONF="bench.urls",
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    ):
        pages = benchmark_pages()
        measured = measure_pages(pages, repeat=options.repeat, warmup=options.warmup)
    results["pages"] = report.page_rows(
        [
            {
                "name": r.name,
                "description": r.description,
                "url": r.url,
                "queries": r.queries,
                "bytes": r.bytes,
                "gzip_bytes": r.gzip_bytes,
                **{mode: summarise(r.samples[mode]) for mode in MODES},
            }
            for r in measured
        ]
    )
    if not options.pages_only and not options.no_exports:
        results["exports"] = _exports(formats, scopes, options.export_timeout)
    if not options.pages_only and options.digest_users:
        print(f"Digests for {options.digest_users} people…", file=sys.stderr)
        # One log line per digest is what a worker wants, not a benchmark.
        for name in ("celery", "resolutions.tasks"):
            logging.getLogger(name).setLevel(logging.WARNING)
        results["digests"] = measure_digests(options.digest_users)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["finished_at"] = timezone.now().isoformat(timespec="seconds")
    return results


def _exports(formats, scopes, timeout) -> dict:
    secretary = (
        User.objects.filter(username__startswith=USER_PREFIX, role=User.Role.SECRETARY)
        .order_by("username")
        .first()
    )
    resolution = Resolution.objects.get(document_type="resolution", number=493)
    queries = {
        "resolution": {"scope": "resolution", "id": str(resolution.pk)},
        "full": {"scope": "all"},
    }
    measured = {}
    for scope in scopes:
        measured[scope] = []
        for fmt in formats:
            print(f"export {scope} {fmt}…", file=sys.stderr)
            figures = exports.measure_export(fmt, queries[scope], secretary.username, timeout)
            figures["verdict"] = report.export_verdict(scope, figures)
            measured[scope].append(figures)
    return measured


def export_choices(formats: str, scopes: str) -> tuple[list[str], list[str]]:
    """The export formats and scopes asked for, or an error naming the one not known (before
    minutes of measuring)."""
    chosen_formats = [f.strip() for f in formats.split(",") if f.strip()]
    chosen_scopes = [s.strip() for s in scopes.split(",") if s.strip()]
    for fmt in chosen_formats:
        if fmt not in exports.FORMATS:
            raise ChoiceError(f"Unknown export format: {fmt}")
    for scope in chosen_scopes:
        if scope not in EXPORT_SCOPES:
            raise ChoiceError(f"Unknown export scope: {scope}")
    return chosen_formats, chosen_scopes


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
