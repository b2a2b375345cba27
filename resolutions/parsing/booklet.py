"""A file -> the texts in it. A session booklet ("Policy recommendations adopted in 2024") holds a
cover, a table of contents, then declarations and resolutions one after another; a file of one
text is read whole, as before.

A heading ("DECLARATION 489", "RESOLUTION 493") starts a text only when "The Assembly," (or
"L'Assemblée,", or paragraph 1) follows it before another text's heading: the table of contents
names the same headings, without any paragraphs under them. A heading that repeats the current
text's is a running header, not a new text."""

import re
from dataclasses import replace

from .data import MAX_TEXT_BYTES, FoundText, ResolutionParseError
from .lines import (
    _ASSEMBLY,
    _ASSEMBLY_FR,
    _HEADING,
    _PARAGRAPH,
    _decode,
    _document_type,
    _heading_is_french,
    _is_structural,
    _Line,
    _lines,
)
from .resolution import parse_lines

_TITLE_LINES_ABOVE_HEADING = 4  # a title printed above its heading runs to at most this many lines


def parse_document(text: str | bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> list[FoundText]:
    """Every text in the file, each read or refused on its own. What makes the whole file
    unreadable (empty, binary, too large) raises ResolutionParseError."""
    lines = _lines(_decode(text, max_bytes))
    starts = _text_starts(lines)
    if len(starts) <= 1:
        return [_read(lines)]
    bounds = [*starts[1:], len(lines)]
    return [_read(lines[start:end]) for start, end in zip(starts, bounds, strict=True)]


def _read(lines: list[_Line]) -> FoundText:
    heading = next((m for line in lines if (m := _HEADING.match(line.text))), None)
    document_type = _document_type(heading) if heading else ""
    number = int(heading.group(2)) if heading else 0
    found = FoundText(
        name=f"{document_type.capitalize()} {number}" if heading else "The text",
        document_type=document_type,
        number=number,
        first_line=lines[0].number,
        last_line=lines[-1].number,
        source="\n".join(line.raw for line in lines).strip("\n") + "\n",
    )
    try:
        return _with(found, parsed=parse_lines(lines))
    except ResolutionParseError as error:
        return _with(found, error=error)


def _with(found: FoundText, **values) -> FoundText:
    return replace(found, **values)


def _text_starts(lines: list[_Line]) -> list[int]:
    """The index of each text's first line: its heading, or the title printed above it."""
    headings = [(i, _key(m)) for i, line in enumerate(lines) if (m := _HEADING.match(line.text))]
    starts: list[int] = []
    current = None
    for position, (index, key) in enumerate(headings):
        if key == current:
            continue  # the current text's heading again: a running header
        end = next((i for i, k in headings[position + 1 :] if k != key), len(lines))
        if any(_opens_text(line) for line in lines[index + 1 : end]):
            starts.append(_title_start(lines, index, starts[-1] if starts else -1))
            current = key
    return starts


def _key(heading: re.Match) -> tuple[str, int, bool]:
    """The text a heading names; the English and French versions of one text are two texts."""
    return _document_type(heading), int(heading.group(2)), _heading_is_french(heading)


def _opens_text(line: _Line) -> bool:
    paragraph = _PARAGRAPH.match(line.text)
    return bool(
        _ASSEMBLY.match(line.text)
        or _ASSEMBLY_FR.match(line.text)
        or (paragraph and paragraph.group(1) == "1")
    )


def _title_start(lines: list[_Line], heading: int, floor: int) -> int:
    """A title printed in capitals just above the heading, on the same page, belongs to it."""
    start = heading
    if lines[heading].raw.startswith("\f"):
        return start
    for index in range(heading - 1, max(floor, heading - _TITLE_LINES_ABOVE_HEADING - 1), -1):
        line = lines[index]
        if not line.text or _is_structural(line) or not line.text.isupper():
            break
        start = index
        if line.raw.startswith("\f"):
            break  # the first line of the page
    return start
