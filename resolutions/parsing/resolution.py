"""One text -> ParsedResolution."""

from collections import Counter
from dataclasses import replace

from .adoption import (
    _is_committee,
    _is_french_footnote,
    _read_adoption,
    _take_footnotes,
    english_committee_name,
)
from .clauses import _build_clause, _split_paragraphs
from .data import MAX_TEXT_BYTES, ParsedResolution, ResolutionParseError
from .lines import (
    _ASSEMBLY_FR,
    _HEADING,
    _PARAGRAPH,
    _decode,
    _document_type,
    _heading_is_french,
    _is_structural,
    _join,
    _Line,
    _lines,
    _marker,
    _norm,
)
from .title import _acronyms_in, _title_case


def parse_resolution(
    text: str | bytes, *, max_bytes: int = MAX_TEXT_BYTES, first_line: int = 1
) -> ParsedResolution:
    """One text, English or French. `first_line` is the number of the text's first line in its
    file, so that errors name the file's line when the text is one of a booklet's."""
    lines = _lines(_decode(text, max_bytes), first_line)
    return parse_lines(lines)


def parse_lines(lines: list[_Line]) -> ParsedResolution:
    notes, lines = _take_footnotes(lines)
    start = next((i for i, line in enumerate(lines) if _PARAGRAPH.match(line.text)), len(lines))
    front, body = lines[:start], lines[start:]
    heading, title_lines = _read_front_matter(front)
    if not body:
        raise ResolutionParseError('no numbered paragraphs found (such as "1. Stressing that …")')
    title = _join(title_lines)
    clauses = tuple(
        _build_clause(paragraph)
        for paragraph in _split_paragraphs(_drop_page_furniture(body, front, title))
    )
    french = (
        _heading_is_french(heading)
        or any(_ASSEMBLY_FR.match(line.text) for line in front)
        or _is_french_footnote(notes)
    )
    language = "fr" if french else "en"
    committee, session, session_number, session_kind, place, date = _read_adoption(notes)
    if not committee:
        committee = next((t for t in (line.text for line in front) if _is_committee(t)), "")
    if language == "fr":
        committee = english_committee_name(committee)
    return ParsedResolution(
        number=int(heading.group(2)),
        document_type=_document_type(heading),
        title=_title_case(title, _acronyms_in(clauses), language),
        committee=committee,
        session=session,
        session_number=session_number,
        session_kind=session_kind,
        place=place,
        adoption_date=date,
        clauses=clauses,
        language=language,
        first_line=lines[0].number if lines else 1,
    )


def _read_front_matter(front: list[_Line]):
    """(heading match, title lines) from the lines before paragraph 1."""
    heading = None
    title_lines = []
    for line in front:
        text = line.text
        if match := _HEADING.match(text):
            heading = heading or match
        elif text and not _is_structural(line) and not _is_committee(text):
            title_lines.append(text.rstrip("*†¹ "))
    if heading is None:
        raise ResolutionParseError(
            'no resolution number found (expected a heading such as "RESOLUTION 493")'
        )
    return heading, title_lines


def _drop_page_furniture(body: list[_Line], front: list[_Line], title: str) -> list[_Line]:
    """The body without blank lines, page numbers, separators and running headers. A running
    header is a line repeated from the front matter (the title, "RESOLUTION 493") or a short line
    that recurs, as headers do on every page; a line that drops out marks a gap."""
    known = {_norm(line.text) for line in front if line.text} | {_norm(title)}
    recurring = Counter(_norm(line.text) for line in body if _could_be_header(line.text))
    kept = []
    gap = False
    for line in body:
        if not line.text:
            gap = True
            continue
        text, key = line.text, _norm(line.text)
        starts_something = _PARAGRAPH.match(text) or _marker(text)
        furniture = _is_structural(line) and not starts_something
        header = key in known or (recurring[key] > 1 and _could_be_header(text))
        if not furniture and not header:
            kept.append(replace(line, gap_before=gap))
        gap = furniture or header
    return kept


def _could_be_header(text: str) -> bool:
    return bool(
        text
        and len(text) <= 100
        and not text[0].islower()
        and not text.endswith((";", ",", ":", "."))
        and not _PARAGRAPH.match(text)
        and not _marker(text)
    )
