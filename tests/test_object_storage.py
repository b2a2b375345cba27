"""Evidence and report files on a real S3-compatible store (SeaweedFS on loopback, started once
per session): stored with their checksum, streamed back only after the permission check,
deleted with their action, report files expiring; a bucket that is missing or refuses the key
stops the start-up checks with a clear error."""

import datetime
import hashlib
import io
import os
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from resolutions import actions
from resolutions.models import Evidence, ExportJob
from resolutions.reports.tasks import delete_old_reports, make_report
from resolutions.storage_check import bucket_problem, object_storage_answers

from .conftest import make_action, minimal_pdf
from .services import ROOT, S3_ACCESS_KEY, free_port

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


@pytest.fixture
def draft(commitment_25e, canada, editor_ca):
    return make_action(commitment_25e, canada, editor_ca)


def upload(client, action, name, content):
    return client.post(
        f"/actions/{action.pk}/evidence/file/",
        {"file": SimpleUploadedFile(name, content), "title": "The act"},
    )


class Bucket:
    """The objects this test stored: the session's bucket, under the test's own prefix."""

    def __init__(self, seaweedfs, name: str, prefix: str):
        self.client, self.name, self.prefix = seaweedfs.client(), name, prefix

    def read(self, stored_name: str) -> bytes:
        key = f"{self.prefix}/{stored_name}"
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def has(self, stored_name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.name, Key=f"{self.prefix}/{stored_name}")
        except ClientError as error:
            assert error.response["Error"]["Code"] in {"404", "NoSuchKey"}
            return False
        return True

    def count(self) -> int:
        answer = self.client.list_objects_v2(Bucket=self.name, Prefix=f"{self.prefix}/")
        return answer.get("KeyCount", 0)


@pytest.fixture
def bucket(seaweedfs, s3_bucket, settings) -> Bucket:
    return Bucket(seaweedfs, s3_bucket, settings.S3_TEST_PREFIX)


def test_an_uploaded_file_lands_in_the_bucket_with_its_checksum(
    client, editor_ca, draft, bucket, seaweedfs
):
    client.force_login(editor_ca)
    content = minimal_pdf("Export Control Act")
    assert upload(client, draft, "Export Control Act.pdf", content).status_code == 302
    evidence = Evidence.objects.get()
    assert "Export" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    in_store = bucket.read(evidence.file.name)
    assert in_store == content
    assert hashlib.sha256(in_store).hexdigest() == evidence.sha256
    assert evidence.size == len(content)
    # Private: the store refuses anyone without the key.
    with pytest.raises(ClientError):
        seaweedfs.client(secret="not-the-secret").get_object(
            Bucket=bucket.name, Key=f"{bucket.prefix}/{evidence.file.name}"
        )


def test_a_refused_upload_leaves_nothing_in_the_bucket(client, editor_ca, draft, bucket):
    client.force_login(editor_ca)
    disguised = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    assert upload(client, draft, "report.pdf", disguised).status_code == 422
    assert not Evidence.objects.exists()
    assert bucket.count() == 0


def test_download_streams_from_the_bucket_only_to_those_allowed(
    client, editor_ca, editor_fr, draft, s3_bucket
):
    client.force_login(editor_ca)
    content = minimal_pdf("x" * 3000) + os.urandom(2 * 1024 * 1024)  # a few blocks
    upload(client, draft, "act.pdf", content)
    evidence = Evidence.objects.get()
    url = reverse("evidence-download", kwargs={"pk": evidence.pk})

    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="act.pdf"'
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # read from the store in blocks, not all at once
    assert b"".join(chunks) == content

    # France's editor may not see Canada's draft: 404, and nothing read from the store.
    client.force_login(editor_fr)
    assert client.get(url).status_code == 404


def test_a_file_gone_from_the_bucket_is_a_404_not_a_500(client, editor_ca, draft, bucket):
    client.force_login(editor_ca)
    upload(client, draft, "act.pdf", minimal_pdf())
    evidence = Evidence.objects.get()
    bucket.client.delete_object(Bucket=bucket.name, Key=f"{bucket.prefix}/{evidence.file.name}")
    assert client.get(reverse("evidence-download", kwargs={"pk": evidence.pk})).status_code == 404


def test_deleting_evidence_or_its_action_deletes_the_files_in_the_bucket(
    client, editor_ca, draft, bucket, django_capture_on_commit_callbacks
):
    client.force_login(editor_ca)
    upload(client, draft, "first.pdf", minimal_pdf("first"))
    upload(client, draft, "second.pdf", minimal_pdf("second"))
    first, second = Evidence.objects.order_by("pk")
    assert bucket.has(first.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/evidence/{first.pk}/delete/").status_code == 302
    assert not bucket.has(first.file.name)
    assert bucket.has(second.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_action(draft, by=editor_ca)
    assert not bucket.has(second.file.name)
    assert bucket.count() == 0


def test_a_background_report_is_stored_in_the_bucket_downloaded_and_expires(
    client, secretary, editor_ca, draft, resolution_493, bucket, settings
):
    actions.accept_action(actions.submit_action(draft, by=editor_ca), by=secretary)
    job = ExportJob.objects.create(
        requested_by=secretary,
        format="csv",
        scope={"scope": "resolution", "id": str(resolution_493.pk)},
    )
    make_report(str(job.pk))  # what the worker runs
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE, job.error
    in_store = bucket.read(job.file.name)
    assert "Export Control Act amended" in in_store.decode("utf-8-sig")

    client.force_login(secretary)
    got = client.get(reverse("report-job-download", kwargs={"pk": job.pk}))
    assert got.status_code == 200 and b"".join(got.streaming_content) == in_store
    assert got["Content-Length"] == str(len(in_store))

    # Younger than EXPORT_KEEP_HOURS: kept. Older: the row and the object go.
    assert delete_old_reports() == 0
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)
    )
    assert delete_old_reports() == 1
    assert not ExportJob.objects.exists()
    assert not bucket.has(job.file.name)


def test_verify_evidence_reads_the_bucket_and_names_missing_and_altered_files(
    client, editor_ca, draft, bucket
):
    client.force_login(editor_ca)
    for name in ("kept.pdf", "altered.pdf", "lost.pdf"):
        upload(client, draft, name, minimal_pdf(name))
    kept, altered, lost = Evidence.objects.order_by("pk")
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "3 evidence files checked, 0 with problems." in out.getvalue()

    bucket.client.put_object(
        Bucket=bucket.name, Key=f"{bucket.prefix}/{altered.file.name}", Body=b"not the act"
    )
    bucket.client.delete_object(Bucket=bucket.name, Key=f"{bucket.prefix}/{lost.file.name}")
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 evidence files checked, 2 with problems."):
        call_command("verify_evidence", stdout=out)
    report = out.getvalue()
    assert f"MISSING: evidence {lost.pk} ({lost.file.name}): not found in storage" in report
    assert f"ALTERED: evidence {altered.pk} ({altered.file.name}): SHA-256 " in report
    assert f"evidence {kept.pk} " not in report


# The start-up check. ----------------------------------------------------------------------


def test_the_check_passes_when_the_bucket_answers(s3_bucket):
    assert object_storage_answers() == []


def test_the_check_is_silent_on_local_disk(settings):
    assert object_storage_answers() == []


def test_a_missing_bucket_is_named_by_the_check(seaweedfs, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": seaweedfs.storage_options("no-such-bucket"),
        },
    }
    [error] = object_storage_answers()
    assert error.id == "resolutions.E102"
    assert error.msg == f"The bucket “no-such-bucket” does not exist at {seaweedfs.endpoint}."


def test_a_refused_key_is_named_by_the_check(seaweedfs, s3_bucket, settings):
    options = {**seaweedfs.storage_options(s3_bucket), "secret_key": "not-the-secret"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    [error] = object_storage_answers()
    assert error.id == "resolutions.E103"
    assert f"refused the access key “{S3_ACCESS_KEY}” for the bucket “{s3_bucket}”" in error.msg


def test_an_unreachable_store_is_named_by_the_check(seaweedfs, settings):
    nowhere = f"http://127.0.0.1:{free_port()}"
    options = {**seaweedfs.storage_options("any"), "endpoint_url": nowhere}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    settings.S3_CHECK_TIMEOUT_SECONDS = 2
    problem = bucket_problem(default_storage)
    assert problem.id == "resolutions.E105"
    assert problem.msg.startswith(f"The object store at {nowhere} cannot be reached")


@pytest.mark.parametrize(
    ("bucket", "secret", "expected"),
    [
        ("no-such-bucket", None, "resolutions.E102"),
        (None, "not-the-secret", "resolutions.E103"),
    ],
)
def test_manage_py_check_and_migrate_stop_at_start_up(
    seaweedfs, s3_bucket, tmp_path, bucket, secret, expected
):
    """What a web, worker or migrate container runs first: it exits non-zero, saying why."""
    env = {
        **os.environ,
        **seaweedfs.settings_env(bucket or s3_bucket),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    if secret:
        env["AWS_SECRET_ACCESS_KEY"] = secret
    for command in (["check"], ["migrate", "--noinput"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode != 0, done.stdout + done.stderr
        assert expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_manage_py_check_passes_with_a_good_bucket(seaweedfs, s3_bucket, tmp_path):
    env = {
        **os.environ,
        **seaweedfs.settings_env(s3_bucket),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
