"""Backups that can be restored: the database (pg_dump's custom format on PostgreSQL, SQLite's
online backup otherwise), every evidence file read through the storage (so S3 is covered too),
and a manifest of row counts and checksums that the restore is checked against.

A backup folder holds `database.dump` or `database.sqlite3`, `evidence.tar` and `manifest.json`.
Report files made in the background are not kept: they expire within a day anyway.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.db import connection
from django.utils import timezone

from .evidence_check import check_evidence
from .models import Evidence

MANIFEST = "manifest.json"
EVIDENCE_TAR = "evidence.tar"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    args += ["-U", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed (Debian: postgresql-client).")
        args, env = _pg_env()
        target = folder / "database.dump"
        _run(["pg_dump", "-Fc", *args, "-f", str(target), connection.settings_dict["NAME"]], env)
        return target.name
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return target.name
    raise BackupError(f"No backup method for {connection.vendor}.")


def archive_evidence(folder: Path) -> tuple[int, int]:
    """Every evidence file into one tar under its storage name; (files, bytes)."""
    storage = Evidence._meta.get_field("file").storage
    files = total = 0
    with tarfile.open(folder / EVIDENCE_TAR, "w") as tar:
        for name in Evidence.objects.exclude(file="").values_list("file", flat=True).iterator():
            try:
                with storage.open(name, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                continue  # counted as missing by the manifest's check; nothing to copy
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            files += 1
            total += len(data)
    return files, total


def make_backup(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    problems = [p for _pk, p in check_evidence() if p is not None]
    manifest = {
        "made_at": timezone.now().isoformat(),
        "database": dump_database(folder),
        "vendor": connection.vendor,
        "rows": row_counts(),
        "evidence": dict(
            zip(("files", "bytes"), archive_evidence(folder), strict=True),
            problems=[f"{p.kind}: {p.name}" for p in problems],
        ),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore_backup(folder: Path) -> dict:
    """Restores the database into the configured (empty) one and the evidence into the storage,
    then checks row counts and every evidence checksum against the manifest. Returns a report."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup is of {manifest['vendor']}, the database is {connection.vendor}."
        )
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connection.close()
        _run(["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", name,
              str(folder / manifest["database"])], env)  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / manifest["database"]) as source:
            source.backup(connection.connection)
    storage = Evidence._meta.get_field("file").storage
    with tarfile.open(folder / EVIDENCE_TAR) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in member.name:
                continue
            if storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, tar.extractfile(member))
            if saved != member.name:
                raise BackupError(f"Evidence {member.name} was stored as {saved}.")
    rows = row_counts()
    differences = {
        table: (count, rows.get(table))
        for table, count in manifest["rows"].items()
        if rows.get(table) != count
    }
    problems = [p for _pk, p in check_evidence() if p is not None]
    return {"rows": rows, "differences": differences, "problems": problems}
