"""Lines of a text: decoding, cleaning, and the patterns that say what a line is."""

import re
from dataclasses import dataclass

from .data import ResolutionParseError

# --- Line patterns (matched against cleaned text unless said otherwise) ---------------------------

_HEADING = re.compile(
    r"^(RESOLUTION|DECLARATION|RECOMMENDATION|R[ÉE]SOLUTION|D[ÉE]CLARATION|RECOMMANDATION)"
    r"\s+(?:No\.?\s*|n[°o]\s*)?(\d{1,4})\s*[*†¹]?$",
    re.I,
)
# French capitals often drop their accents ("RESOLUTION"): only the spelling tells the language.
_FRENCH_HEADINGS = {"résolution", "déclaration", "recommandation"}
_PARAGRAPH = re.compile(r"^(?:[-*+•]\s+)?(\d{1,3})\.(?:\s+(.*))?$")
_RAW_PARAGRAPH = re.compile(r"^\s*(?:[-*+•]\s+)?\d{1,3}\\?\.\s*")  # the same, on the raw line
_MARKER = re.compile(
    r"^(?:[-*+•–]\s+)?(?:\((?P<paren>[a-z]|[ivx]{2,5})\)|(?P<token>[a-z]|[ivx]{2,5})(?P<end>[.)]))"
    r"(?:\s+(?P<rest>.*))?$"
)
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv")
_SEPARATOR = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")  # on the raw line: ---, ***, ___
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,3})?$", re.I
)
_ASSEMBLY = re.compile(r"^The (?:Parliamentary )?Assembly,?$", re.I)
_ASSEMBLY_FR = re.compile(r"^L['’]Assembl[ée]e(?: parlementaire)?,?$", re.I)
# The document symbol printed as a running header: "199 SESA 24 E", "037 DSC 23 F rev.1 fin".
_DOCUMENT_SYMBOL = re.compile(
    r"^\d{2,4}\s+[A-Z]{2,8}(?:\s+[A-Z]{2,8})?\s+\d{2}\s+[EF](?:\s+rev\.?\s*\d+)?(?:\s+fin)?\.?$"
)
_FOOTNOTE_MARK = re.compile(r"^[*†¹]$")  # the marker alone on its line, as pdftotext leaves it
_BANNER = re.compile(r"^NATO\s+(?:PA|PARLIAMENTARY\s+ASSEMBLY)\b(?:\s*[-–—|:,]\s*.*)?$")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_HTML_TAG = re.compile(r"</?(?:sup|sub|b|i|em|strong|span|br)\b[^>]*>", re.I)


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    raw: str  # as in the file
    text: str  # Markdown removed, whitespace collapsed
    indent: int
    gap_before: bool = False  # a blank or dropped line precedes it


# --- Decoding and cleaning ------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF", "it looks like a PDF"),
    (b"\x89PNG", "it looks like a PNG image"),
    (b"\xff\xd8\xff", "it looks like a JPEG image"),
    (b"GIF8", "it looks like a GIF image"),
    (b"PK\x03\x04", "it looks like a ZIP archive or a Word/Excel document"),
    (b"\xd0\xcf\x11\xe0", "it looks like an old Word/Excel document"),
)


def _decode(data: str | bytes, max_bytes: int) -> str:
    """The text, with "\n" line ends; refuses binary data, other encodings and oversized texts."""
    is_bytes = isinstance(data, bytes)
    size = len(data) if is_bytes else len(data.encode("utf-8", "replace"))
    if size > max_bytes:
        raise ResolutionParseError(
            f"the text is {size:,} bytes, larger than the limit of {max_bytes:,} bytes"
        )
    head = data[:16] if is_bytes else data[:16].encode("utf-8", "replace")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ResolutionParseError(f"this is not a text file ({what})")
    if is_bytes:
        if b"\0" in data:
            raise ResolutionParseError("this is not a text file (binary data)")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ResolutionParseError(
                "this is not a text file (binary data, or text not encoded as UTF-8)", line
            ) from None
    if "\0" in data:
        raise ResolutionParseError("this is not a text file (binary data)")
    text = data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ResolutionParseError("the file is empty")
    return text


def _clean(raw: str) -> str:
    """The line's words: no Markdown heading marks, bold, escapes or <sup> tags."""
    if not raw or raw.isspace():
        return ""  # most lines of a long file; keep them cheap
    # A soft hyphen is dropped, except at the end of a line, where it says that the word goes on
    # on the next line (PDF extraction of hyphenated text): `_join` rejoins it.
    broken = raw.rstrip().endswith("\u00ad")
    text = raw.replace("\f", " ").replace("\u00ad", "").replace("\u00a0", " ")
    text = _HTML_TAG.sub("", text)
    text = _MARKDOWN_HEADING.sub("", text).replace("**", "")
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    return " ".join(text.split()) + ("\u00ad" if broken else "")


def _norm(text: str) -> str:
    return " ".join(text.casefold().rstrip("*†¹ \u00ad").split())


def _join(parts: list[str]) -> str:
    """Hard-wrapped lines as one line; a word broken after a hyphen is rejoined without a space."""
    joined = ""
    for part in filter(None, parts):
        if joined.endswith("\u00ad"):
            joined = joined[:-1] + part
            continue
        hyphenated = joined.endswith("-") and len(joined) > 1 and joined[-2].isalpha()
        joined = joined + part if hyphenated or not joined else f"{joined} {part}"
    return joined


def _is_structural(line: _Line) -> bool:
    text = line.text
    return bool(
        _SEPARATOR.match(line.raw)
        or _PAGE_NUMBER.match(text)
        or _HEADING.match(text)
        or _ASSEMBLY.match(text)
        or _ASSEMBLY_FR.match(text)
        or _DOCUMENT_SYMBOL.match(text)
        or _FOOTNOTE_MARK.match(text)
        or _BANNER.match(text)
        or _PARAGRAPH.match(text)
        or _marker(text)
    )


def _marker(text: str) -> re.Match | None:
    """A list marker ("a.", "(a)", "b)", "- c.", "ii.") at the start of a line."""
    match = _MARKER.match(text)
    token = match and (match.group("paren") or match.group("token"))
    return match if token and (len(token) == 1 or token in _ROMANS) else None


def _lines(text: str, first_line: int = 1) -> list[_Line]:
    return [
        _Line(number, raw, _clean(raw), len(raw) - len(raw.lstrip(" \t")))
        for number, raw in enumerate(text.split("\n"), start=first_line)
    ]


def _document_type(heading: re.Match) -> str:
    """ "resolution", "declaration" or "recommendation", whichever language the heading is in."""
    word = heading.group(1).lower().replace("é", "e")
    return "recommendation" if word == "recommandation" else word


def _heading_is_french(heading: re.Match) -> bool:
    return heading.group(1).lower() in _FRENCH_HEADINGS
