"""The text of an uploaded file: a PDF's text layer, or the file's own text.

PDFium (through pypdfium2) reads the PDF: a self-contained wheel, so the same extraction runs in
`make run`, CI and the container without poppler, in-process (no subprocess per upload), and it
reads the text in the order it was written, paragraph numbers and verbs on the line of their text.
The parser copes with poppler's layouts too (number, verb and text on lines of their own); the
README says how the two compare."""

import pypdfium2 as pdfium
from django.utils.translation import gettext as _

from .parsing import ResolutionParseError

MAX_PAGES = 500  # a session booklet runs to about a hundred pages
# Fewer visible characters than this on every page together: there is no text layer to speak of.
MIN_TEXT_CHARACTERS = 40


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def text_of_upload(data: bytes) -> str | bytes:
    """A PDF's text, or the bytes of any other file for the parser to decode (or refuse)."""
    return text_of_pdf(data) if is_pdf(data) else data


def text_of_pdf(data: bytes) -> str:
    """The text of every page, pages separated by a form feed at the start of the next page's
    first line (as poppler's pdftotext writes them). Refuses encrypted, empty and scanned PDFs."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # PDFium says "incorrect password" for an empty page tree too; the trailer tells.
        if b"/Encrypt" in data:
            raise ResolutionParseError(
                _("this PDF is encrypted (password-protected); save a copy without a password")
            ) from error
        raise ResolutionParseError(
            _("this PDF cannot be read: it has no pages or is damaged")
        ) from error
    try:
        if len(document) == 0:
            raise ResolutionParseError(_("this PDF has no pages"))
        if len(document) > MAX_PAGES:
            raise ResolutionParseError(
                _("this PDF has %(pages)d pages, more than the %(limit)d a booklet may have")
                % {"pages": len(document), "limit": MAX_PAGES}
            )
        pages = [_page_text(document[index]) for index in range(len(document))]
    finally:
        document.close()
    if sum(len("".join(page.split())) for page in pages) < MIN_TEXT_CHARACTERS:
        raise ResolutionParseError(
            _("this PDF has no text layer; it looks scanned (import a PDF with text, or its text)")
        )
    return "\n\f".join(pages)


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    # PDFium joins a word hyphenated at the end of a line, leaving U+0002 where it broke.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "")
    return text.replace("\0", "").replace("\ufffe", "")
