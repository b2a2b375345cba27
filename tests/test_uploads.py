"""Evidence files and links: what is accepted, what is refused and with which message.

Every file is built here, in memory or in tmp_path: a real PDF, DOCX, XLSX, ODT, PNG, JPEG and
text, and the bad ones a careless or hostile upload would bring.
"""

import datetime
import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import timezone

from resolutions import uploads
from resolutions.uploads import (
    ACCEPTED_TYPES,
    MIME_TYPES,
    CheckedFile,
    check_evidence_file,
    check_evidence_url,
    storage_name,
)

from .conftest import minimal_pdf

MB = 1024 * 1024
LIMIT = 64 * 1024  # most tests use a small limit; one uses the real 20 MB


# --- real files ------------------------------------------------------------------------------


def make_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    return minimal_pdf()


def make_png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    """A JPEG start: SOI, a JFIF APP0 segment, EOI. Enough for a signature check."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            # ODF wants "mimetype" first and stored uncompressed.
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def make_docx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document><w:body><w:p/></w:body></w:document>",
        }
    )


def make_xlsx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook><sheets/></workbook>",
        }
    )


def make_odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return make_zip(
        {
            "mimetype": mimetype,
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        }
    )


TEXT = "Loi n° 2025-17 relative au contrôle des exportations — résumé.\n".encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(uploaded, max_bytes: int = LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_evidence_file(uploaded, max_bytes=max_bytes)
    return caught.value


def message(error: ValidationError) -> str:
    """The one message, with filesizeformat's non-breaking spaces made plain."""
    assert len(error.messages) == 1
    return error.messages[0].replace("\xa0", " ")


# --- accepted --------------------------------------------------------------------------------

GOOD_FILES = [
    ("Export control act.pdf", make_pdf(), "pdf", "application/pdf"),
    (
        "Plan.docx",
        make_docx(),
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "Budget.xlsx",
        make_xlsx(),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("Rapport.odt", make_odt(), "odt", "application/vnd.oasis.opendocument.text"),
    ("Chart.png", make_png(), "png", "image/png"),
    ("Photo.jpg", make_jpeg(), "jpeg", "image/jpeg"),
    ("Photo.JPEG", make_jpeg(), "jpeg", "image/jpeg"),
    ("Notes.txt", TEXT, "txt", "text/plain"),
    ("With BOM.txt", b"\xef\xbb\xbf" + TEXT, "txt", "text/plain"),
]


@pytest.mark.parametrize(("name", "content", "kind", "content_type"), GOOD_FILES)
def test_accepts_real_files_and_describes_them(name, content, kind, content_type):
    uploaded = upload(name, content)
    uploaded.read(3)  # wherever the caller left it

    checked = check_evidence_file(uploaded, max_bytes=LIMIT)

    assert checked == CheckedFile(
        name=name,
        kind=kind,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_every_accepted_type_has_a_mime_type():
    assert set(MIME_TYPES) == set(ACCEPTED_TYPES)


def test_reads_a_file_spooled_to_disk_in_chunks(settings, tmp_path):
    """Large uploads reach the view as TemporaryUploadedFile; the hash covers every chunk."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = make_pdf() + b"%" + bytes(range(256)) * 1000  # several 64 KB chunks
    with TemporaryUploadedFile("Big report.pdf", "application/pdf", len(content), None) as f:
        f.write(content)
        f.seek(0)
        checked = check_evidence_file(f, max_bytes=MB)
        assert f.tell() == 0
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_pdf_may_start_with_whitespace():
    assert check_evidence_file(upload("a.pdf", b"\r\n" + make_pdf()), max_bytes=LIMIT).kind == "pdf"


def test_cleans_the_name():
    checked = check_evidence_file(
        upload("  Loi rele\u0301vante.pdf  ", make_pdf()), max_bytes=LIMIT
    )
    assert checked.name == "Loi relévante.pdf"  # surrounding spaces gone, accent composed (NFC)


def test_shortens_a_long_name_keeping_the_extension():
    checked = check_evidence_file(upload("a" * 240 + ".pdf", make_pdf()), max_bytes=LIMIT)
    assert checked.name == "a" * 196 + ".pdf"
    assert len(checked.name) == 200


# --- refused: size ---------------------------------------------------------------------------


def test_refuses_an_empty_file():
    error = refusal(upload("Report.pdf", b""))
    assert error.code == "empty"
    assert message(error) == "This file is empty."


def test_refuses_a_file_over_the_limit():
    error = refusal(upload("Report.pdf", b"%PDF-" + b"\0" * 2000), max_bytes=1000)
    assert error.code == "too_large"
    assert message(error) == "This file is 2.0 KB; the limit is 1000 bytes."


def test_real_limit_20_mb_plus_one_byte_is_refused_and_20_mb_accepted():
    limit = 20 * MB
    exactly = SimpleUploadedFile("Act.pdf", b"%PDF-" + bytes(limit - 5))
    assert check_evidence_file(exactly, max_bytes=limit).size == limit
    del exactly

    error = refusal(SimpleUploadedFile("Act.pdf", b"%PDF-" + bytes(limit - 4)), max_bytes=limit)
    assert error.code == "too_large"
    assert message(error) == "This file is 20.0 MB; the limit is 20.0 MB."


def test_size_in_the_message_is_the_real_one():
    error = refusal(upload("Act.pdf", b"%PDF-" + bytes(int(23.4 * MB))), max_bytes=20 * MB)
    assert message(error) == "This file is 23.4 MB; the limit is 20.0 MB."


def test_trusts_the_bytes_over_a_wrong_size_attribute():
    lying = ContentFile(b"%PDF-" + bytes(5000), name="Act.pdf")
    lying.size = 10
    error = refusal(lying, max_bytes=1000)
    assert error.code == "too_large"
    assert lying.tell() == 0


# --- refused: names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd.pdf", "it contains “/” or “\\”."),
        ("..\\..\\boot.pdf", "it contains “/” or “\\”."),
        ("reports/2025.pdf", "it contains “/” or “\\”."),
        ("report\x00.pdf", "it contains a line break or another control character."),
        ("report.pdf\x00.exe", "it contains a line break or another control character."),
        (
            "report\r\nContent-Type: text/html.pdf",
            "it contains a line break or another control character.",
        ),
        ("report\n.pdf", "it contains a line break or another control character."),
        ("report\x1b[31m.pdf", "it contains a line break or another control character."),
        ("report\u2028.pdf", "it contains a line break or another control character."),
        ("invoice\u202efdp.exe", "it contains a line break or another control character."),
        ("..", "it is not a file name."),
        (".", "it is not a file name."),
        (" .. ", "it is not a file name."),
        ("   ", "it is empty."),
        ("", "it is empty."),
    ],
)
def test_refuses_names_that_cannot_be_shown_or_stored(name, reason):
    # ContentFile keeps the name as given, like a caller that bypasses Django's upload parser.
    error = refusal(ContentFile(make_pdf(), name=name))
    assert error.code == "bad_name"
    assert message(error) == f"This file name cannot be used: {reason}"


def test_uploaded_file_names_lose_their_directories_before_the_check():
    """Django's own UploadedFile keeps only the base name; what is left is accepted."""
    checked = check_evidence_file(upload("../../Export act.pdf", make_pdf()), max_bytes=LIMIT)
    assert checked.name == "Export act.pdf"


# --- refused: programs and markup ------------------------------------------------------------

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"PE\x00\x00"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Act.pdf", ELF),
        ("setup.exe", MZ),
        ("Act.pdf", MZ),
        ("tool", ELF),
        ("run.txt", b"#!/bin/sh\nrm -rf ~\n"),
        ("App.docx", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(24)),
        ("App.png", b"\xca\xfe\xba\xbe" + bytes(24)),
        ("App.pdf", b"\xfe\xed\xfa\xce" + bytes(24)),
    ],
)
def test_refuses_programs_and_scripts(name, content):
    error = refusal(upload(name, content))
    assert error.code == "executable"
    assert message(error) == "Programs and scripts cannot be attached as evidence."


HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/steal')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
MARKUP_MESSAGE = "Web pages, SVG images and scripts cannot be attached as evidence; save the page as PDF instead."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Act.pdf", HTML),
        ("Act.pdf", SVG),
        ("Act.pdf", b"\xef\xbb\xbf  \n<HTML><body>hi</body></HTML>"),
        ("Act.pdf", b'<?xml version="1.0"?><svg/>'),
        ("page.html", HTML),
        ("drawing.svg", SVG),
        ("Photo.png", b"<script>alert(1)</script>"),
        ("Notes.txt", b"Meeting notes\n\n<script>alert(document.cookie)</script>\n"),
        ("Notes.txt", b"Plain start, then " + b"x" * 900 + b" <Svg onload=alert(1)>"),
    ],
)
def test_refuses_web_pages_svg_and_scripts_whatever_the_name(name, content):
    error = refusal(upload(name, content))
    assert error.code == "markup"
    assert message(error) == MARKUP_MESSAGE


def test_markup_past_the_first_kilobyte_of_a_text_is_left_alone():
    content = b"x" * 1100 + b" <html> is a tag name.\n"
    assert check_evidence_file(upload("Notes.txt", content), max_bytes=LIMIT).kind == "txt"


# --- refused: names and content that disagree ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "Act.pdf",
            make_png(),
            "This file's name ends in .pdf but its content is not a PDF document.",
        ),
        ("Act.pdf", TEXT, "This file's name ends in .pdf but its content is not a PDF document."),
        (
            "Plan.docx",
            make_png(),
            "This file's name ends in .docx but its content is not a DOCX document.",
        ),
        (
            "Plan.docx",
            make_xlsx(),
            "This file's name ends in .docx but its content is not a DOCX document.",
        ),
        (
            "Budget.xlsx",
            make_docx(),
            "This file's name ends in .xlsx but its content is not an XLSX spreadsheet.",
        ),
        (
            "Chart.png",
            make_jpeg(),
            "This file's name ends in .png but its content is not a PNG image.",
        ),
        (
            "Photo.JPG",
            make_pdf(),
            "This file's name ends in .jpg but its content is not a JPEG image.",
        ),
        (
            "Notes.txt",
            make_pdf(),
            "This file's name ends in .txt but its content is not a plain text file.",
        ),
    ],
)
def test_refuses_a_file_whose_content_is_another_type(name, content, expected):
    error = refusal(upload(name, content))
    assert error.code == "disguised"
    assert message(error) == expected


@pytest.mark.parametrize(
    "name", ["archive.zip", "setup.exe", "page.html", "drawing.svg", "README", "old.doc"]
)
def test_refuses_types_not_on_the_list(name):
    error = refusal(upload(name, make_docx() if name.endswith(".zip") else TEXT))
    assert error.code == "unsupported"
    assert message(error) == "Accepted file types: PDF, DOCX, XLSX, ODT, PNG, JPEG, TXT."


# --- refused: damaged files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "type_name"),
    [
        ("Budget.xlsx", b"Name;Amount\nExports;12\n", "XLSX spreadsheet"),
        (
            "Plan.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "DOCX document",
        ),  # old .doc
        ("Plan.docx", make_zip({"readme.txt": b"hello"}), "DOCX document"),
        ("Plan.docx", make_docx()[:200], "DOCX document"),  # truncated: no central directory
        ("Budget.xlsx", make_zip({"xl/styles.xml": b"<styleSheet/>"}), "XLSX spreadsheet"),
        ("Rapport.odt", make_zip({"content.xml": b"<x/>"}), "ODT document"),
        (
            "Rapport.odt",
            make_odt(b"application/vnd.oasis.opendocument.spreadsheet"),
            "ODT document",
        ),
        ("Chart.png", b"GIF89a\x01\x00\x01\x00", "PNG image"),
        ("Photo.jpg", b"\xff\xd8 not quite", "JPEG image"),
        ("Notes.txt", "Résumé des mesures prises".encode("latin-1"), "UTF-8 text file"),
        ("Notes.txt", b"Text with a \x00 NUL", "UTF-8 text file"),
        ("Notes.txt", "Utf-16 text".encode("utf-16"), "UTF-8 text file"),
        ("Notes.txt", b"Cut in the middle of \xc3", "UTF-8 text file"),
    ],
)
def test_refuses_damaged_files_naming_the_type(name, content, type_name):
    error = refusal(upload(name, content))
    assert error.code == "corrupt"
    assert message(error) == f"This file is damaged or is not a real {type_name}."


def test_refuses_an_odt_whose_mimetype_member_does_not_inflate():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text")
    content = bytearray(buffer.getvalue())
    data_start = 30 + len("mimetype")  # after the local file header
    content[data_start : data_start + 8] = b"\xff" * 8
    error = refusal(upload("Rapport.odt", bytes(content)))
    assert error.code == "corrupt"
    assert message(error) == "This file is damaged or is not a real ODT document."


def test_text_split_across_chunks_mid_character_is_fine(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = ("é" * 70_000).encode()  # 140 KB: chunk boundaries fall inside characters
    with TemporaryUploadedFile("Notes.txt", "text/plain", len(content), None) as f:
        f.write(content)
        checked = check_evidence_file(f, max_bytes=MB)
    assert checked.size == len(content)


# --- refused: ZIP bombs ----------------------------------------------------------------------


def test_refuses_a_zip_bomb_disguised_as_docx(settings, tmp_path):
    """150 MB of zeros deflate to ~150 KB: far over 100:1. Built streaming, never in memory."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            zeros = bytes(MB)
            for _ in range(150):
                member.write(zeros)
    content = path.read_bytes()
    assert len(content) < LIMIT * 4

    with TemporaryUploadedFile("Plan.docx", "application/octet-stream", len(content), None) as f:
        f.write(content)
        error = refusal(f, max_bytes=MB)
        assert f.tell() == 0
    assert error.code == "zip_bomb"
    assert message(error) == (
        "This document expands to more than 100 times its size; it cannot be accepted."
    )


def test_refuses_a_document_expanding_past_the_total_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 100_000)
    content = make_zip(
        {"word/document.xml": b"<w:document/>", "a.bin": bytes(60_000), "b.bin": bytes(60_000)}
    )
    error = refusal(upload("Plan.docx", content))
    assert error.code == "zip_bomb"
    assert message(error) == "This document expands to more than 97.7 KB; it cannot be accepted."


def test_the_real_total_limit_is_200_mb():
    assert uploads.MAX_UNCOMPRESSED_BYTES == 200 * MB


def test_refuses_a_document_with_too_many_parts():
    members = {"word/document.xml": b"<w:document/>"}
    members.update((f"p/{number}", b"") for number in range(10_000))
    error = refusal(upload("Plan.docx", make_zip(members)), max_bytes=4 * MB)
    assert error.code == "zip_bomb"
    assert (
        message(error) == "This document expands to more than 10,000 files; it cannot be accepted."
    )


def test_highly_compressible_but_small_members_are_fine():
    """Under 1 MB expanded, a high ratio is just XML being XML."""
    content = make_zip({"word/document.xml": b"<w:p/>" * 150_000})  # 900 KB, ratio > 100
    assert check_evidence_file(upload("Plan.docx", content), max_bytes=LIMIT).kind == "docx"


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        ("https://www.bundestag.de/dokumente/textarchiv/2025", None),
        ("http://example.org/a?b=c#d", None),
        ("HTTPS://EXAMPLE.ORG/Path", None),
        (
            "  https://www.assemblee-nationale.fr/dyn/17/textes \n",
            "https://www.assemblee-nationale.fr/dyn/17/textes",
        ),
        ("https://sejm.gov.pl/Sejm10.nsf/druk.xsp?nr=1", None),
        ("https://[2001:db8::1]:8443/report", None),
    ],
)
def test_accepts_web_links(url, cleaned):
    assert check_evidence_url(url) == (cleaned or url)


SCHEME = "Links must start with http:// or https://."
SPACES = "Links cannot contain spaces or control characters."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", SCHEME),
        ("JAVASCRIPT:alert(document.cookie)", SCHEME),
        (" javascript:alert(1)", SCHEME),
        ("java\tscript:alert(1)", SPACES),
        ("\x01javascript:alert(1)", SPACES),
        ("file:///etc/passwd", SCHEME),
        ("data:text/html,<script>alert(1)</script>", SCHEME),
        ("ftp://ftp.example.org/report.pdf", SCHEME),
        ("mailto:clerk@example.org", SCHEME),
        ("www.example.org/report", SCHEME),
        ("http:example.org", SCHEME),
        ("", SCHEME),
        ("http://user:pw@example.org/", "Links cannot contain a user name or password."),
        ("https://example.org@evil.example/", "Links cannot contain a user name or password."),
        ("http://exa mple.org", SPACES),
        ("https://example.org/a\nb", SPACES),
        ("https://example.org/\u202egpj.exe", SPACES),
        ("https://", "This link is not a valid web address."),
        ("https://exa_mple..org/", "This link is not a valid web address."),
        ("https://example.org/" + "a" * 1981, "Links cannot be longer than 2,000 characters."),
    ],
)
def test_refuses_links_that_are_not_plain_web_addresses(url, expected):
    with pytest.raises(ValidationError) as caught:
        check_evidence_url(url)
    assert caught.value.code == "bad_url"
    assert caught.value.messages == [expected]


def test_a_link_of_exactly_2000_characters_is_accepted():
    url = "https://example.org/" + "a" * 1980
    assert check_evidence_url(url) == url


# --- storage names ---------------------------------------------------------------------------


def test_storage_name_reveals_nothing_of_the_users_name():
    checked = check_evidence_file(
        upload("Secret negotiation notes.jpeg", make_jpeg()), max_bytes=LIMIT
    )

    name = storage_name(checked, today=datetime.date(2026, 11, 5))

    assert re.fullmatch(r"evidence/2026/11/[0-9a-f]{32}\.jpg", name)
    assert "Secret" not in name and "negotiation" not in name
    assert storage_name(checked, today=datetime.date(2026, 11, 5)) != name  # random each time


def test_storage_name_defaults_to_today():
    checked = check_evidence_file(upload("Act.pdf", make_pdf()), max_bytes=LIMIT)
    today = timezone.localdate()  # in the project's time zone, like storage_name
    assert storage_name(checked).startswith(f"evidence/{today:%Y}/{today:%m}/")
    assert storage_name(checked).endswith(".pdf")
