"""Export time and peak memory, each export in a fresh process.

A fresh process per export makes the peak resident memory (VmHWM) that export's own, not the
largest of everything measured before it. The parent runs `manage.py bench --export-child`
and reads one line of JSON back.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

from ..models import User
from ..reports.data import count_actions
from ..reports.registry import EXPORTERS
from ..reports.scope import read_scope

FORMATS = ("csv", "xlsx", "docx", "pdf")


def run_child(fmt: str, query: dict, username: str) -> dict:
    """In the child: one export into a temporary file, with its time, size and memory."""
    user = User.objects.get(username=username)
    scope = read_scope(user, query)
    rows = count_actions(scope)
    baseline = peak_memory_mb()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        EXPORTERS[fmt].write(scope, out)
        seconds = time.perf_counter() - started
        size = out.tell()
    return {
        "format": fmt,
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "bytes": size,
        "peak_rss_mb": round(peak_memory_mb(), 1),
        "rss_before_mb": round(baseline, 1),
    }


def measure_export(fmt: str, query: dict, username: str, timeout: float) -> dict:
    """In the parent: runs one export in a child process and returns its figures."""
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "bench",
        "--export-child",
        fmt,
        "--export-query",
        json.dumps(query),
        "--export-user",
        username,
    ]
    try:
        # Our own manage.py with arguments built here: nothing comes from outside.
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
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
