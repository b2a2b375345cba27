"""A resolution file, as uploaded or named on the command line -> the texts in it."""

from django.conf import settings
from django.utils.translation import gettext as _

from .parsing import FoundText, ResolutionParseError, decode_text, parse_document
from .pdftext import is_pdf, text_of_upload


def read_limited(handle) -> bytes:
    """The file's bytes; refuses a file over the size limit without reading it all. A PDF may be
    larger than a text: RESOLUTION_PDF_MAX_BYTES against RESOLUTION_TEXT_MAX_BYTES."""
    head = handle.read(1024)
    pdf = is_pdf(head)
    limit = settings.RESOLUTION_PDF_MAX_BYTES if pdf else settings.RESOLUTION_TEXT_MAX_BYTES
    data = head + handle.read(max(0, limit + 1 - len(head)))
    if len(data) > limit:
        raise ResolutionParseError(
            _("the file is larger than the limit of %(limit)s bytes") % {"limit": f"{limit:,}"}
        )
    return data


def texts_in(data: bytes) -> tuple[str, list[FoundText]]:
    """(the file's text, every text found in it). Raises ResolutionParseError for what makes the
    whole file unreadable: empty, binary, encrypted or scanned PDF, too large."""
    limit = settings.RESOLUTION_TEXT_MAX_BYTES
    text = decode_text(text_of_upload(data), limit)
    return text, parse_document(text, max_bytes=limit)
