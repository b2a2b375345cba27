"""Export time and peak memory, each export in a fresh process, asked for through its URL.

The child process signs in as a secretary with Django's test client and requests
`/reports/export/?scope=…&format=…` (reverse("report-export")), with the background threshold
raised so that the file comes back in the response; it writes the body to a temporary file and
reports time, size and its own peak memory. Nothing of the reports' internals is imported: the
reports are measured as a person gets them.

A fresh process per export makes the peak resident memory (VmHWM) that export's own, not the
largest of everything measured before it. The child asks for one page first, as a running worker
would have: the export is timed, not the loading of the project's modules. The parent runs
`python -m bench export-child` and reads one line of JSON back.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("csv", "xlsx", "docx", "pdf")
ROOT = Path(__file__).resolve().parent.parent


def run_child(fmt: str, query: dict, username: str) -> dict:
    """In the child: one export through its URL into a temporary file."""
    from django.test.utils import override_settings
    from django.urls import reverse

    from resolutions import permissions
    from resolutions.models import User

    from .measure import signed_in

    user = User.objects.get(username=username)
    # Reports hold accepted actions, and those awaiting review when asked (the query asks): the
    # rows counted are those. Through permissions.visible_actions(), which older code has too
    # (BENCH_BEFORE; its reports held every visible action, so its rows/s reads low).
    actions = permissions.visible_actions(user).filter(review_state__in=["accepted", "submitted"])
    if query.get("scope") == "resolution":
        actions = actions.filter(commitment__resolution_id=int(query["id"]))
    rows = actions.count()
    client = signed_in(user)
    # A server's worker has loaded the URLs, views and middleware before anyone asks for a
    # report: one page first, so that the timing is the export's, not the process's start.
    client.get("/", secure=True)
    baseline = peak_memory_mb()
    with (
        override_settings(EXPORT_BACKGROUND_THRESHOLD=10**12),
        tempfile.NamedTemporaryFile(suffix=f".{fmt}") as out,
    ):
        started = time.perf_counter()
        response = client.get(
            reverse("report-export"), {**query, "submitted": "1", "format": fmt}, secure=True
        )
        if response.status_code != 200:
            raise RuntimeError(f"{fmt} {query}: answered {response.status_code}")
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            out.write(chunk)
        seconds = time.perf_counter() - started
        size = out.tell()
        out.flush()
        peak = peak_memory_mb()
        pages = pdf_pages(out.name) if fmt == "pdf" else None
    return {
        "format": fmt,
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "bytes": size,
        "pages": pages,
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(baseline, 1),
        "in_background": answered_in_background(client, fmt, query),
    }


def pdf_pages(path: str) -> int:
    """The page count of the PDF a person downloads."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def answered_in_background(client, fmt: str, query: dict) -> bool | None:
    """Whether the same export, asked for with the project's own background threshold, becomes
    a background job (the person waits on a progress page) rather than a download. Asked after
    the timed request, so the timing is of a first request; a download asked here is read and
    thrown away."""
    from django.db import DatabaseError
    from django.urls import reverse

    from resolutions.models import ExportJob

    before = set(ExportJob.objects.values_list("pk", flat=True))
    try:
        response = client.get(
            reverse("report-export"), {**query, "submitted": "1", "format": fmt}, secure=True
        )
    except DatabaseError:
        # Older code (BENCH_BEFORE) cannot save a job in a database this code migrated.
        return None
    # The job this made is not wanted (nothing runs it here), and would count against the
    # secretary's limit of reports being made at once in the next export's check.
    ExportJob.objects.exclude(pk__in=before).delete()
    if response.status_code == 200:
        return False
    if response.status_code in (302, 303):
        return True
    raise RuntimeError(f"{fmt} {query}: answered {response.status_code} at the real threshold")


def measure_export(fmt: str, query: dict, username: str, timeout: float) -> dict:
    """In the parent: runs one export in a child process and returns its figures."""
    command = [
        sys.executable,
        "-m",
        "bench",
        "export-child",
        fmt,
        "--query",
        json.dumps(query),
        "--user",
        username,
    ]
    try:
        # Our own module with arguments built here: nothing comes from outside.
        done = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=os.environ.copy(),
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"format": fmt, "error": f"stopped after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"format": fmt, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries a parent's
    ru_maxrss over fork and exec, so a child started by a parent that seeded 150,000 actions
    would report the parent's peak, not its own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
