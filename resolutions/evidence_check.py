"""Re-reads evidence files from storage and compares them with the SHA-256 and size recorded at
upload: what `manage.py verify_evidence` reports, and what a restore is checked with."""

import hashlib
from dataclasses import dataclass

from django.core.files.storage import Storage

from .models import Evidence

CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    evidence_id: int
    name: str
    kind: str  # "missing" or "altered"
    detail: str


def file_digest(storage: Storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_evidence(storage: Storage | None = None):
    """Yields (evidence id, Problem or None) for every evidence item that has a file."""
    rows = (
        Evidence.objects.exclude(file="")
        .order_by("pk")
        .values_list("pk", "file", "sha256", "size")
        .iterator(chunk_size=500)
    )
    for pk, name, sha256, size in rows:
        store = storage or Evidence._meta.get_field("file").storage
        try:
            actual, actual_size = file_digest(store, name)
        except FileNotFoundError:
            yield pk, Problem(pk, name, "missing", "not found in storage")
            continue
        if sha256 and actual != sha256:
            yield pk, Problem(pk, name, "altered", f"SHA-256 {actual}, recorded {sha256}")
        elif size is not None and actual_size != size:
            yield pk, Problem(pk, name, "altered", f"{actual_size} bytes, recorded {size}")
        else:
            yield pk, None
