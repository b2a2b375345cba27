"""Is an uploaded evidence file (or link) acceptable, and what is it?

Pure checks on a file-like object: no database, nothing written anywhere. The type is decided by the
content (magic bytes), never by the name or the browser's Content-Type, and the name only has to
agree with it. Every refusal is a ValidationError with its own `code` and a translated message a
delegation staffer can act on.
"""

import codecs
import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "odt": (".odt",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "txt": (".txt",),
}
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
}
# kind -> (as in "its content is not …", as in "is not a real …"): two forms so that translations
# can get their articles right.
_LABELS = {
    "pdf": (gettext_lazy("a PDF document"), gettext_lazy("PDF document")),
    "docx": (gettext_lazy("a DOCX document"), gettext_lazy("DOCX document")),
    "xlsx": (gettext_lazy("an XLSX spreadsheet"), gettext_lazy("XLSX spreadsheet")),
    "odt": (gettext_lazy("an ODT document"), gettext_lazy("ODT document")),
    "png": (gettext_lazy("a PNG image"), gettext_lazy("PNG image")),
    "jpeg": (gettext_lazy("a JPEG image"), gettext_lazy("JPEG image")),
    "txt": (gettext_lazy("a plain text file"), gettext_lazy("UTF-8 text file")),
}

MAX_NAME_LENGTH = 200
SNIFF_BYTES = 1024  # markup is looked for in this much of the start of a file
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # applies to members larger than RATIO_MIN_BYTES once expanded
RATIO_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_URL_LENGTH = 2000

# Windows/DOS, Linux, scripts, then Mach-O (32/64-bit, both byte orders) and universal binaries.
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe")
EXECUTABLE_MAGICS += (b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")
UTF8_BOM = codecs.BOM_UTF8
ZIP_KINDS = ("docx", "xlsx", "odt")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Bidirectional overrides and isolates let "report\u202efdp.exe" display as "reportexe.pdf".
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the cleaned original file name, as the user will see it
    kind: str  # a key of ACCEPTED_TYPES
    content_type: str
    size: int
    sha256: str


def check_evidence_file(uploaded, *, max_bytes: int) -> CheckedFile:
    """Accept `uploaded` (a Django File / UploadedFile) as evidence or raise ValidationError.

    The file position is back at 0 afterwards, whether it was accepted or not.
    """
    try:
        name = check_name(uploaded.name)
        if uploaded.size == 0:
            raise ValidationError(_("This file is empty."), code="empty")
        if uploaded.size is not None and uploaded.size > max_bytes:
            raise _too_large(uploaded.size, max_bytes)
        uploaded.seek(0)
        head = uploaded.read(SNIFF_BYTES)
        extension = _extension(name)
        # Programs and markup are refused before the name is looked at: "setup.exe" is better told
        # "no programs" than "accepted types: …", and markup is refused whatever it is called.
        check_not_program_or_markup(head, extension)
        kind = _kind_for_extension(extension)
        check_content(kind, extension, head)
        size, sha256 = _digest(uploaded, kind)
        if size == 0:  # .size may be wrong on a hand-made File; the bytes read decide
            raise ValidationError(_("This file is empty."), code="empty")
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        if kind in ZIP_KINDS:
            check_zip_container(uploaded, kind, extension)
    finally:
        uploaded.seek(0)
    return CheckedFile(name, kind, MIME_TYPES[kind], size, sha256)


def check_name(raw: str | None) -> str:
    """The name to show, cleaned; refuses names that could not be shown or stored safely."""
    name = raw or ""
    if _has_control_characters(name):
        raise _bad_name(_("it contains a line break or another control character."))
    # Browsers on macOS send decomposed accents ("e" + "´"); store the composed form.
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise _bad_name(_("it is empty."))
    if name in {".", ".."}:
        raise _bad_name(_("it is not a file name."))
    if "/" in name or "\\" in name:
        raise _bad_name(_("it contains “/” or “\\”."))
    if len(name) > MAX_NAME_LENGTH:
        extension = _extension(name)
        if len(extension) >= MAX_NAME_LENGTH:
            extension = ""
        name = name[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension
    return name


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file announce: an ACCEPTED_TYPES key, "zip", or None."""
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def check_not_program_or_markup(head: bytes, extension: str) -> None:
    """Refuse executables, and web pages, SVG and scripts, by their first bytes."""
    if head.startswith(EXECUTABLE_MAGICS):
        raise ValidationError(
            _("Programs and scripts cannot be attached as evidence."), code="executable"
        )
    if _is_markup(head, anywhere=extension == ".txt"):
        raise ValidationError(
            _(
                "Web pages, SVG images and scripts cannot be attached as evidence; "
                "save the page as PDF instead."
            ),
            code="markup",
        )


def check_content(kind: str, extension: str, head: bytes) -> None:
    """Refuse a start of file that does not match the type the name promises."""
    found = sniff(head)
    if found == ("zip" if kind in ZIP_KINDS else kind) or (kind == "txt" and found is None):
        return
    # No known signature at all: a damaged file of the promised type. Except for a .pdf: with no
    # "%PDF-" there is nothing PDF about it, so say so.
    if found is None and kind != "pdf":
        raise _corrupt(kind)
    raise _disguised(extension, kind)


def check_zip_container(fileobj, kind: str, extension: str) -> None:
    """Refuse a DOCX/XLSX/ODT that is no ZIP, would expand too far, or is another kind of ZIP.

    Only the central directory is read (infolist); nothing is extracted.
    """
    try:
        with zipfile.ZipFile(fileobj) as archive:
            _check_expansion(archive.infolist())
            found = _zip_kind(archive)
    # Broken archives fail in many ways: bad directory, bad deflate data in the ODT "mimetype"
    # member (zlib.error), a compression method zipfile lacks, an encrypted member (RuntimeError).
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError) as error:
        raise _corrupt(kind) from error
    if found is None:
        raise _corrupt(kind)
    if found != kind:
        raise _disguised(extension, kind)


def check_evidence_url(url: str) -> str:
    """Return the link with surrounding whitespace removed, or raise ValidationError("bad_url")."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        message = _("Links cannot be longer than %(limit)s characters.")
        params = {"limit": formats.number_format(MAX_URL_LENGTH, force_grouping=True)}
        raise ValidationError(message, code="bad_url", params=params)
    # Before urlsplit: it silently drops tabs and newlines, which would hide "java\tscript:".
    if any(char.isspace() for char in url) or _has_control_characters(url):
        raise _bad_url(_("Links cannot contain spaces or control characters."))
    if not re.match(r"https?://", url, flags=re.IGNORECASE):
        raise _bad_url(_("Links must start with http:// or https://."))
    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise _bad_url(_("Links cannot contain a user name or password."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise _bad_url(_("This link is not a valid web address.")) from error
    return url


def storage_name(checked: CheckedFile, *, today=None) -> str:
    """Where to store the file: the date and a random name, nothing of what the user called it."""
    today = today or timezone.localdate()
    extension = ACCEPTED_TYPES[checked.kind][0]
    return f"evidence/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{extension}"


# --- helpers ---------------------------------------------------------------------------------


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def _kind_for_extension(extension: str) -> str:
    for kind, extensions in ACCEPTED_TYPES.items():
        if extension in extensions:
            return kind
    types = ", ".join(kind.upper() for kind in ACCEPTED_TYPES)
    raise ValidationError(
        _("Accepted file types: %(types)s."), code="unsupported", params={"types": types}
    )


def _is_markup(head: bytes, *, anywhere: bool) -> bool:
    text = head.removeprefix(UTF8_BOM).lstrip().lower()
    if anywhere:
        return any(marker in text for marker in MARKUP_STARTS)
    return text.startswith(MARKUP_STARTS)


def _digest(fileobj, kind: str) -> tuple[int, str]:
    """Size and SHA-256 of the whole content, read chunk by chunk; a .txt is also decoded."""
    sha256 = hashlib.sha256()
    size = 0
    # utf-8-sig: a leading byte-order mark is allowed (Notepad writes one) and is not content.
    decoder = codecs.getincrementaldecoder("utf-8-sig")() if kind == "txt" else None
    for chunk in fileobj.chunks():
        sha256.update(chunk)
        size += len(chunk)
        if decoder is not None:
            _decode_text(decoder, chunk)
    if decoder is not None:
        _decode_text(decoder, b"", final=True)
    return size, sha256.hexdigest()


def _decode_text(decoder, chunk: bytes, *, final: bool = False) -> None:
    try:
        text = decoder.decode(chunk, final=final)
    except UnicodeDecodeError as error:
        raise _corrupt("txt") from error
    if "\x00" in text:
        raise _corrupt("txt")


def _check_expansion(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        size = _("%(count)s files") % {
            "count": formats.number_format(MAX_ZIP_MEMBERS, force_grouping=True)
        }
        raise _zip_bomb(size)
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise _zip_bomb(filesizeformat(MAX_UNCOMPRESSED_BYTES))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _zip_bomb(_("%(ratio)s times its size") % {"ratio": MAX_COMPRESSION_RATIO})


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            # Bounded read: the member may itself be a bomb.
            if member.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE:
                return "odt"
    return None


def _has_control_characters(text: str) -> bool:
    # Cc: C0/C1 controls (NUL, CR, LF, tab, ESC …); Cs: lone surrogates; Zl/Zp: Unicode line
    # and paragraph separators.
    return any(
        unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS
        for char in text
    )


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("This file is %(size)s; the limit is %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _bad_name(reason: str) -> ValidationError:
    return ValidationError(
        _("This file name cannot be used: %(reason)s"), code="bad_name", params={"reason": reason}
    )


def _disguised(extension: str, kind: str) -> ValidationError:
    return ValidationError(
        _("This file's name ends in %(extension)s but its content is not %(description)s."),
        code="disguised",
        params={"extension": extension, "description": _LABELS[kind][0]},
    )


def _corrupt(kind: str) -> ValidationError:
    return ValidationError(
        _("This file is damaged or is not a real %(type)s."),
        code="corrupt",
        params={"type": _LABELS[kind][1]},
    )


def _zip_bomb(limit: str) -> ValidationError:
    return ValidationError(
        _("This document expands to more than %(limit)s; it cannot be accepted."),
        code="zip_bomb",
        params={"limit": limit},
    )


def _bad_url(message: str) -> ValidationError:
    return ValidationError(message, code="bad_url")
