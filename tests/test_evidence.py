"""Evidence: files checked and stored under generated names, served only to those allowed, as
attachments; links only over http(s)."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resolutions.models import Evidence

from .conftest import make_action, minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(commitment_25e, canada, editor_ca):
    return make_action(commitment_25e, canada, editor_ca)


def upload(client, action, name, content, **extra):
    return client.post(
        f"/actions/{action.pk}/evidence/file/",
        {"file": SimpleUploadedFile(name, content), "title": extra.get("title", "")},
    )


def test_a_pdf_is_stored_with_its_checksum_under_a_generated_name(
    client, editor_ca, draft, settings
):
    client.force_login(editor_ca)
    content = minimal_pdf("Export Control Act")
    response = upload(client, draft, "Export Control Act.pdf", content, title="The act")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert (evidence.size, evidence.content_type) == (len(content), "application/pdf")
    assert evidence.original_name == "Export Control Act.pdf"
    assert "Export" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == content


def test_download_is_an_attachment_with_nosniff(client, editor_ca, draft):
    client.force_login(editor_ca)
    upload(client, draft, "act.pdf", minimal_pdf())
    evidence = Evidence.objects.get()
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="act.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == minimal_pdf()


def test_the_same_file_twice_on_one_action_is_refused_politely(client, editor_ca, draft):
    client.force_login(editor_ca)
    upload(client, draft, "act.pdf", minimal_pdf())
    response = upload(client, draft, "copy of act.pdf", minimal_pdf())
    assert response.status_code == 422
    assert "This file is already attached to this action." in response.content.decode()
    assert Evidence.objects.count() == 1


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/big.bin", "w", force_zip64=True) as member:
            for _ in range(120):
                member.write(b"\0" * 1024 * 1024)
    return buffer.getvalue()


BAD_FILES = {
    "HTML renamed .pdf": ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "SVG renamed .pdf": ("chart.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "an executable": ("tool.pdf", b"MZ\x90\x00\x03" + b"\0" * 100),
    "an ELF binary": ("run.txt", b"\x7fELF\x02\x01\x01" + b"\0" * 100),
    "a ZIP bomb disguised as DOCX": ("minutes.docx", None),
    "a PNG renamed .docx": ("minutes.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 50),
    "an unsupported type": ("archive.zip", b"PK\x03\x04" + b"\0" * 50),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_with_a_message_and_nothing_saved(
    case, client, editor_ca, draft, settings
):
    name, content = BAD_FILES[case]
    client.force_login(editor_ca)
    response = upload(client, draft, name, content if content is not None else zip_bomb())
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "evidence").exists() or not any(
        (settings.MEDIA_ROOT / "evidence").rglob("*.*")
    )


def test_an_empty_file_is_refused(client, editor_ca, draft):
    client.force_login(editor_ca)
    response = upload(client, draft, "empty.pdf", b"")
    assert response.status_code == 422
    assert "The submitted file is empty." in response.content.decode()
    assert Evidence.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, editor_ca, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(editor_ca)
    response = upload(client, draft, "big.pdf", minimal_pdf() + b"%" * 1000)
    assert response.status_code == 422
    assert "the limit is 1000" in response.content.decode().replace("\xa0", " ")
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "stored_as"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),  # Django's parser drops the directories
        ("evil\x00.pdf", "evil.pdf"),  # and the NUL
        # The multipart header ends at the line break: the name arrives as "a", with no
        # extension, and is refused as an unsupported type.
        ("a\r\nSet-Cookie: x.pdf", None),
    ],
)
def test_hostile_file_names_never_reach_the_disk_or_headers(
    name, stored_as, client, editor_ca, draft
):
    client.force_login(editor_ca)
    response = upload(client, draft, name, minimal_pdf())
    if stored_as is None:
        assert response.status_code == 422
        assert "Accepted file types:" in response.content.decode()
        assert Evidence.objects.count() == 0
        return
    evidence = Evidence.objects.get()
    assert evidence.original_name == stored_as
    assert evidence.file.name.startswith("evidence/") and stored_as not in evidence.file.name
    download = client.get(f"/evidence/{evidence.pk}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="{stored_as}"'


def test_a_link_is_added(client, editor_ca, draft):
    client.force_login(editor_ca)
    response = client.post(
        f"/actions/{draft.pk}/evidence/link/",
        {"url": "https://www.parl.ca/act", "title": "Act on parl.ca"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://www.parl.ca/act"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "JavaScript:alert(1)", "data:text/html,x"]
)
def test_dangerous_links_are_refused(url, client, editor_ca, draft):
    client.force_login(editor_ca)
    response = client.post(f"/actions/{draft.pk}/evidence/link/", {"url": url, "title": "x"})
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_another_nation_cannot_download_delete_or_add_to_a_draft(
    client, editor_ca, editor_fr, draft
):
    client.force_login(editor_ca)
    upload(client, draft, "act.pdf", minimal_pdf())
    evidence = Evidence.objects.get()
    client.force_login(editor_fr)
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404
    assert client.post(f"/evidence/{evidence.pk}/delete/").status_code == 404
    assert upload(client, draft, "mine.pdf", minimal_pdf("x")).status_code == 404
    assert Evidence.objects.count() == 1


def test_removing_evidence_deletes_its_file(
    client, editor_ca, draft, settings, django_capture_on_commit_callbacks
):
    client.force_login(editor_ca)
    upload(client, draft, "act.pdf", minimal_pdf())
    evidence = Evidence.objects.get()
    path = settings.MEDIA_ROOT / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evidence/{evidence.pk}/delete/")
    assert Evidence.objects.count() == 0
    assert not path.exists()
