#!/usr/bin/env python
"""One PDF export of Resolution 493 as the first secretary, in this process; prints one line of
JSON: seconds (wall and CPU), pages, actions, bytes, peak resident memory (VmHWM).

Works with the code of the current directory, old (WeasyPrint, `reports.base.EXPORTERS`) or new
(Typst, `reports.registry`), so that docs/performance.md §6 can alternate both on one database:

    cd OLD_TREE && DATABASE_URL=… python NEW_TREE/scripts/pdf_before_after.py
    cd NEW_TREE && DATABASE_URL=… python scripts/pdf_before_after.py '{"submitted": "1"}'
"""

import io
import json
import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
import django  # noqa: E402

django.setup()
from pypdf import PdfReader  # noqa: E402

from resolutions.models import Resolution, User  # noqa: E402


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    user = User.objects.filter(role="secretary").order_by("pk").first()
    resolution = Resolution.objects.get(number=493)
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    query = {"scope": "resolution", "id": str(resolution.pk), **options}
    try:
        from resolutions.reports.data import count_actions
        from resolutions.reports.registry import EXPORTERS
        from resolutions.reports.scope import read_scope

        engine = "typst"
    except ImportError:  # the code before Typst
        from resolutions.reports.base import EXPORTERS
        from resolutions.reports.data import count_actions, read_scope

        engine = "weasyprint"
    scope = read_scope(user, query)
    actions = count_actions(scope)
    out = io.BytesIO()
    started, cpu = time.perf_counter(), time.process_time()
    if engine == "typst":
        EXPORTERS["pdf"].write(scope, out)
    else:
        EXPORTERS["pdf"].export(scope, out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = {
        "engine": engine, "seconds": round(seconds, 2), "cpu": round(cpu, 2),
        "pages": len(PdfReader(io.BytesIO(out.getvalue())).pages), "actions": actions,
        "bytes": len(out.getvalue()), "peak_mb": round(peak_mb(), 1),
    }  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
