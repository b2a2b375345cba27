"""Resolution text -> plain data.

Reads a NATO Parliamentary Assembly resolution (or declaration, recommendation) as it comes out of
the Assembly's PDF, in Markdown or in plain text, into its numbered clauses and the commitments of
its operative clauses. Pure: no Django, no database, no I/O.

How a text is read:
1. refuse what is not a text (`_decode`), clean each line of Markdown (`_clean`);
2. take out the adoption footnote wherever it sits (`_take_footnotes`): in the Assembly's PDF it
   lands at the foot of a page, in the middle of the preamble;
3. the lines before the first numbered paragraph are the front matter: number and title;
   page numbers and running headers are dropped from the rest (`_drop_page_furniture`);
4. split the rest into numbered paragraphs, trusting a number only when it comes in sequence
   (`_split_paragraphs`), and operative paragraphs into lettered sub-clauses (`_group_subclauses`).
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field, replace

MAX_TEXT_BYTES = 1_000_000  # a text larger than this is refused


class ResolutionParseError(ValueError):
    """A text that cannot be read as a resolution. `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ParsedCommitment:
    label: str  # "25.a", or "26" for an operative paragraph without sub-clauses
    letter: str  # "a", or "" for a whole paragraph
    text: str  # as printed, without the list marker and Markdown; nested items on their own lines
    line: int  # 1-based line where it starts


@dataclass(frozen=True)
class ParsedClause:
    number: int
    kind: str  # "preambular" or "operative"
    verb: str  # as printed: "Stressing", "URGES", "CALLS UPON", "Deeply concerned"
    text: str  # the paragraph after its number; sub-clauses on their own lines
    addressees: str  # operative only: who the verb addresses; "" otherwise
    commitments: tuple[ParsedCommitment, ...]  # empty for preambular clauses
    line: int


@dataclass(frozen=True)
class ParsedResolution:
    number: int
    document_type: str  # "resolution", "declaration" or "recommendation"
    title: str
    committee: str
    session: str  # "70th Annual Session", or "" when the text does not say
    session_number: int  # 70, or 0
    session_kind: str  # "Annual", "Spring", or ""
    place: str
    adoption_date: datetime.date | None
    clauses: tuple[ParsedClause, ...]

    @property
    def commitments(self) -> tuple[ParsedCommitment, ...]:
        return tuple(c for clause in self.clauses for c in clause.commitments)

    @property
    def preambular(self) -> tuple[ParsedClause, ...]:
        return tuple(c for c in self.clauses if c.kind == "preambular")

    @property
    def operative(self) -> tuple[ParsedClause, ...]:
        return tuple(c for c in self.clauses if c.kind == "operative")


# --- Line patterns (matched against cleaned text unless said otherwise) ---------------------------

_HEADING = re.compile(
    r"^(RESOLUTION|DECLARATION|RECOMMENDATION)\s+(?:No\.?\s*)?(\d{1,4})\s*[*†¹]?$", re.I
)
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
_BANNER = re.compile(r"^NATO\s+(?:PA|PARLIAMENTARY\s+ASSEMBLY)\b(?:\s*[-–—|:,]\s*.*)?$")
_FOOTNOTE_START = re.compile(  # "* Presented by …", "[^1]: Adopted by …", "Adopted at …"
    r"^(?:[*†¹]\s*|\[\^\w+\]:\s*)?(?:Presented|Submitted|Adopted|Tabled)\s+(?:by|at)\b"
)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_HTML_TAG = re.compile(r"</?(?:sup|sub|b|i|em|strong|span|br)\b[^>]*>", re.I)

_MONTHS = "January February March April May June July August September October November December"
_MONTH = "(?P<month>" + "|".join(_MONTHS.split()) + ")"
_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b"
    rf"|\b{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}})\b"
)
_SESSION = re.compile(  # "70th Annual Session"; a spring session may go by its year instead
    r"\b(?:(?P<number>\d{1,3})\s*(?:st|nd|rd|th)?|(?P<year>\d{4}))"
    r"\s+(?P<kind>Annual|Spring)\s+Session\b",
    re.I,
)
_COMMITTEE = re.compile(
    r"(?:Presented|Submitted|Tabled|Proposed)\s+by\s+the\s+(.*?Committee(?:\s+on\s+.+?)?)"
    r"(?=\s+and\s+adopted\b|\s+at\b|\s*[,.;(]|\s*$)"
)
_PLACES = (
    re.compile(r"\bheld\s+in\s+(.+?)(?:,?\s+(?:on|from)\s|[.;]|$)"),
    re.compile(r"\d{4},\s*([^\W\d][^.;]*?)\s*[.;]?$"),  # "… 27 May 2024, Sofia, Bulgaria"
    re.compile(
        r"\bin\s+([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*,\s*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"
    ),
)

# Operative verbs and their companions; an all-caps word outside these ends the verb, so that
# "URGES NATO member states" reads as URGES.
_VERB_PARTICLES = {"UPON", "ON", "TO", "FOR", "ALSO", "FURTHER", "AGAIN", "ONCE", "MORE"}
_ADDRESSING_VERBS = {"URGES", "CALLS", "ENCOURAGES", "REQUESTS", "INVITES", "ASKS", "APPEALS"}
_ADVERBS = {"Further", "Also", "Again", "Having", "Furthermore"}
_MULTIWORD_OPENINGS = ("bearing in mind", "taking into account", "taking note", "noting with")
_KNOWN_ACRONYMS = {"NATO", "AI", "UK", "USA", "EU", "UN", "OSCE", "AUKUS", "DIANA", "PA", "CBRN"}
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "nor", "of"}
_SMALL_WORDS |= {"on", "or", "the", "to", "upon", "via", "with"}


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    raw: str  # as in the file
    text: str  # Markdown removed, whitespace collapsed
    indent: int
    gap_before: bool = False  # a blank or dropped line precedes it


@dataclass
class _Item:
    """The opening of a paragraph, or one list item (sub-clause or nested item) with its lines."""

    line: int
    marker: str = ""  # as printed, without bullet: "a.", "(a)", "a)"
    key: str = ""  # the letter or numeral: "a", "ii"
    style: str = ""  # ".", ")" or "()"
    indent: int = 0
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _join(self.parts)

    @property
    def display(self) -> str:
        return f"{self.marker} {self.text}".strip() if self.marker else self.text


# --- Entry point ----------------------------------------------------------------------------------


def parse_resolution(text: str | bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> ParsedResolution:
    lines = [
        _Line(number, raw, _clean(raw), len(raw) - len(raw.lstrip(" \t")))
        for number, raw in enumerate(_decode(text, max_bytes).split("\n"), start=1)
    ]
    notes, lines = _take_footnotes(lines)
    start = next((i for i, line in enumerate(lines) if _PARAGRAPH.match(line.text)), len(lines))
    front, body = lines[:start], lines[start:]
    document_type, number, title_lines = _read_front_matter(front)
    if not body:
        raise ResolutionParseError('no numbered paragraphs found (such as "1. Stressing that …")')
    title = " ".join(title_lines)
    clauses = tuple(
        _build_clause(paragraph)
        for paragraph in _split_paragraphs(_drop_page_furniture(body, front, title))
    )
    committee, session, session_number, session_kind, place, date = _read_adoption(notes)
    if not committee:
        committee = next((t for t in (line.text for line in front) if _is_committee(t)), "")
    return ParsedResolution(
        number=number,
        document_type=document_type,
        title=_title_case(title, _acronyms_in(clauses)),
        committee=committee,
        session=session,
        session_number=session_number,
        session_kind=session_kind,
        place=place,
        adoption_date=date,
        clauses=clauses,
    )


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
    text = raw.replace("\f", " ").replace("\u00ad", "").replace("\u00a0", " ")
    text = _HTML_TAG.sub("", text)
    text = _MARKDOWN_HEADING.sub("", text).replace("**", "")
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _norm(text: str) -> str:
    return " ".join(text.casefold().rstrip("*†¹ ").split())


def _join(parts: list[str]) -> str:
    """Hard-wrapped lines as one line; a word broken after a hyphen is rejoined without a space."""
    joined = ""
    for part in filter(None, parts):
        hyphenated = joined.endswith("-") and len(joined) > 1 and joined[-2].isalpha()
        joined = joined + part if hyphenated or not joined else f"{joined} {part}"
    return joined


# --- Footnote, front matter, page furniture -------------------------------------------------------


def _take_footnotes(lines: list[_Line]) -> tuple[list[list[_Line]], list[_Line]]:
    """Split off the adoption footnote or adoption lines, wherever they are: (blocks of lines,
    the other lines)."""
    notes: list[list[_Line]] = []
    kept: list[_Line] = []
    block: list[_Line] = []
    for line in lines:
        if _FOOTNOTE_START.match(line.text):
            block = [line]
            notes.append(block)
        elif block and _continues_footnote(line, block):
            block.append(line)
        else:
            block = []
            kept.append(line)
    return notes, kept


def _continues_footnote(line: _Line, block: list[_Line]) -> bool:
    """A footnote wrapped onto the next line goes on until its date, unless the text changes kind:
    a blank line, a structural line, an all-caps title line."""
    text = line.text
    so_far = " ".join(n.text for n in block)
    return bool(
        text
        and len(block) < 6
        and not _is_structural(line)
        and not (text.isupper() and len(text) > 3)
        and not _DATE.search(so_far)
        and not so_far.endswith(".")
    )


def _is_structural(line: _Line) -> bool:
    text = line.text
    return bool(
        _SEPARATOR.match(line.raw)
        or _PAGE_NUMBER.match(text)
        or _HEADING.match(text)
        or _ASSEMBLY.match(text)
        or _BANNER.match(text)
        or _PARAGRAPH.match(text)
        or _marker(text)
    )


def _read_front_matter(front: list[_Line]) -> tuple[str, int, list[str]]:
    """(document type, number, title lines) from the lines before paragraph 1."""
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
    return heading.group(1).lower(), int(heading.group(2)), title_lines


def _is_committee(text: str) -> bool:
    return len(text) < 80 and (text.endswith("Committee") or text.startswith("Committee on "))


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


def _read_adoption(notes: list[list[_Line]]):
    """(committee, session, session number, kind, place, date) from the footnote or the adoption
    lines; each detail is taken from the first block that gives it."""
    # Capped: a footnote is a sentence, and the patterns below need not scan a whole file.
    blocks = [(b[0].number, " ".join(line.text for line in b)[:2000]) for b in notes]

    def first(pattern: re.Pattern) -> tuple[int, re.Match | None]:
        return next(((n, m) for n, text in blocks if (m := pattern.search(text))), (0, None))

    committee = match.group(1) if (match := first(_COMMITTEE)[1]) else ""
    session, number, kind = "", 0, ""
    if match := first(_SESSION)[1]:
        kind = match.group("kind").capitalize()
        if match.group("number"):
            number = int(match.group("number"))
            session = f"{number}{_ordinal_suffix(number)} {kind} Session"
        else:
            session = f"{match.group('year')} {kind} Session"
    places = (m.group(1).strip() for p in _PLACES if (m := first(p)[1]))
    place = next(places, "")
    date = None
    line, match = first(_DATE)
    if match:
        day = int(match.group("day") or match.group("day2"))
        month = _MONTHS.split().index(match.group("month") or match.group("month2")) + 1
        year = int(match.group("year") or match.group("year2"))
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ResolutionParseError(f'"{match.group(0)}" is not a valid date', line) from None
    return committee, session, number, kind, place, date


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


# --- Paragraphs -----------------------------------------------------------------------------------


@dataclass
class _Paragraph:
    number: int
    line: int
    lines: list[_Line]  # the first holds the text after the number, if any


def _split_paragraphs(body: list[_Line]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for index, line in enumerate(body):
        match = _PARAGRAPH.match(line.text)
        expected = len(paragraphs) + 1
        if match and _starts_paragraph(body, index, int(match.group(1)), expected):
            number = int(match.group(1))
            if number < expected:
                raise ResolutionParseError(f"paragraph {number} appears twice", line.number)
            if number > expected:
                message = f"paragraph {expected} is missing (found {number})"
                raise ResolutionParseError(message, line.number)
            rest = replace(line, raw=_RAW_PARAGRAPH.sub("", line.raw), text=match.group(2) or "")
            paragraphs.append(_Paragraph(number, line.number, [rest] if rest.text else []))
        elif match and not match.group(2):
            continue  # "3." alone and out of sequence: a page number with a dot
        else:
            paragraphs[-1].lines.append(line)
    for paragraph in paragraphs:
        paragraph.lines = _without_trailing_matter(paragraph.lines)
    return paragraphs


def _starts_paragraph(body: list[_Line], index: int, number: int, expected: int) -> bool:
    """A number in sequence starts a paragraph. One out of sequence does only where a paragraph
    can start (after a paragraph's end, before a capitalised opening); otherwise it is a number
    that a hard wrap put at the start of a line ("… Article\n5. …")."""
    if number == expected or index == 0:
        return True
    line, previous = body[index], body[index - 1]
    opening = _PARAGRAPH.match(line.text).group(2)
    if opening is None and index + 1 < len(body):
        opening = body[index + 1].text
    after_end = line.gap_before or previous.text.endswith((";", ":", ".", ","))
    return bool(opening) and opening[0].isupper() and after_end


def _without_trailing_matter(lines: list[_Line]) -> list[_Line]:
    """Drop what follows a paragraph's closing full stop after a gap (a document code, a note
    at the end of the file): a paragraph does not go on after its final stop."""
    for index in range(1, len(lines)):
        line = lines[index]
        if line.gap_before and lines[index - 1].text.endswith(".") and not _marker(line.text):
            return lines[:index]
    return lines


def _build_clause(paragraph: _Paragraph) -> ParsedClause:
    number = paragraph.number
    if not paragraph.lines:
        raise ResolutionParseError(f"paragraph {number} has no text", paragraph.line)
    items = _items(paragraph.lines)
    opening = items[0]
    verb = _read_verb(paragraph.lines[0].raw, opening.text)
    kind = "operative" if verb.isupper() else "preambular"
    after_verb = opening.text[len(verb) :].strip(" ,") if opening.text.startswith(verb) else ""
    text = "\n".join(item.display for item in items)
    if kind == "preambular":
        if not after_verb and len(items) == 1:
            raise _no_text_error(number, verb, paragraph.line)
        return ParsedClause(number, kind, verb, text, "", (), paragraph.line)

    leading, groups = _group_subclauses(number, items[1:])
    if not groups and not leading and (not after_verb or after_verb.endswith(":")):
        raise _no_text_error(number, verb, paragraph.line)
    commitments = tuple(
        ParsedCommitment(
            f"{number}.{first.key}",
            first.key,
            "\n".join([first.text] + [nested.display for nested in nested_items]),
            first.line,
        )
        for first, *nested_items in groups
    ) or (ParsedCommitment(str(number), "", text, paragraph.line),)
    addressees = _read_addressees(verb, after_verb)
    return ParsedClause(number, kind, verb, text, addressees, commitments, paragraph.line)


def _no_text_error(number: int, verb: str, line: int) -> ResolutionParseError:
    return ResolutionParseError(f"paragraph {number} ({verb}) has no text after the verb", line)


def _read_verb(raw_opening: str, opening: str) -> str:
    """The leading verb as printed. Markdown marks it in bold; in plain text an operative verb is
    the run of capitals ("CALLS UPON"), a preambular one the first word or two ("Fully aware")."""
    if bold := re.match(r"^\s*\*\*(.+?)\*\*", raw_opening):
        verb = _clean(bold.group(1)).rstrip(",;: ")
        # A paragraph printed all in bold does not make its whole text the verb.
        if verb and opening.startswith(verb) and len(verb.split()) <= 4:
            return verb
    words = opening.split()
    capitals = []
    for word in words:
        bare = word.rstrip(",;:")
        is_verb_word = bare.isalpha() and bare.isupper() and bare not in _KNOWN_ACRONYMS
        companion = bare.endswith(("S", "LY")) or bare in _VERB_PARTICLES
        if not (is_verb_word and (not capitals or companion)):
            break
        capitals.append(bare)
        if bare != word:
            break
    if capitals and len(capitals[0]) > 1:
        return " ".join(capitals)
    lowered = opening.lower()
    for phrase in _MULTIWORD_OPENINGS:
        if lowered.startswith(phrase + " "):
            size = len(phrase.split()) + (phrase == "noting with")  # "Noting with concern"
            return " ".join(w.rstrip(",;:") for w in words[:size])
    first = words[0].rstrip(",;:")
    if len(words) > 1 and (first.endswith("ly") or first in _ADVERBS) and first == words[0]:
        return f"{first} {words[1].rstrip(',;:')}"
    return first


def _read_addressees(verb: str, after_verb: str) -> str:
    """Who an operative verb addresses: the words up to the colon that opens the sub-clauses
    ("… of the North Atlantic Alliance:"), or up to "to" after a verb that addresses someone
    ("REQUESTS the NATO Secretary General to …")."""
    if ":" in after_verb:
        return re.sub(r"\s+to$", "", after_verb.split(":", 1)[0].strip())
    if _ADDRESSING_VERBS & set(verb.split()):
        head, to, _ = after_verb.partition(" to ")
        return head.strip() if to else ""
    return ""


# --- Sub-clauses ----------------------------------------------------------------------------------


def _marker(text: str) -> re.Match | None:
    """A list marker ("a.", "(a)", "b)", "- c.", "ii.") at the start of a line."""
    match = _MARKER.match(text)
    token = match and (match.group("paren") or match.group("token"))
    return match if token and (len(token) == 1 or token in _ROMANS) else None


def _items(lines: list[_Line]) -> list[_Item]:
    """The paragraph's opening and its list items, each with its hard-wrapped continuation lines."""
    items = [_Item(line=lines[0].number)]
    for line in lines:
        match = _marker(line.text)
        if match and line is not lines[0]:
            key = match.group("paren") or match.group("token")
            style = "()" if match.group("paren") else match.group("end")
            marker = f"({key})" if style == "()" else key + style
            items.append(_Item(line.number, marker, key, style, line.indent))
            line = replace(line, text=match.group("rest") or "")
        items[-1].parts.append(line.text)
    return items


def _group_subclauses(number: int, items: list[_Item]) -> tuple[list[_Item], list[list[_Item]]]:
    """Lettered sub-clauses, each followed by its nested (roman) items; and roman items that come
    before any letter. "i." is ambiguous: after "h." it is the next letter, unless "ii." follows
    or it is printed or indented differently from the letters; elsewhere it opens a nested list."""
    leading: list[_Item] = []
    groups: list[list[_Item]] = []
    roman = ""
    for index, item in enumerate(items):
        following = items[index + 1].key if index + 1 < len(items) else ""
        letter = groups[-1][0] if groups else None
        expected = chr(ord(letter.key) + 1) if letter else "a"
        next_roman = _ROMANS[_ROMANS.index(roman) + 1] if roman in _ROMANS[:-1] else "i"
        continues_roman = bool(roman) and item.key == next_roman
        looks_nested = letter is not None and (
            item.style != letter.style or item.indent > letter.indent
        )
        is_roman = item.key in _ROMANS
        opens_roman_list = item.key == "i" and following == "ii"
        nested = continues_roman or (is_roman and looks_nested) or opens_roman_list
        if item.key == expected and not nested:
            groups.append([item])
            roman = ""
        elif is_roman and (continues_roman or item.key == "i" or looks_nested):
            (groups[-1] if groups else leading).append(item)
            roman = item.key
        elif len(item.key) == 1 and item.key < expected:
            raise ResolutionParseError(
                f"sub-clause {item.key} appears twice in paragraph {number}", item.line
            )
        else:
            raise ResolutionParseError(
                f"sub-clause {expected} is missing in paragraph {number} (found {item.key})",
                item.line,
            )
    for first, *_ in groups:
        if not first.text:
            raise ResolutionParseError(
                f"sub-clause {first.key} of paragraph {number} has no text", first.line
            )
    return leading, groups


# --- Title ----------------------------------------------------------------------------------------


def _acronyms_in(clauses: tuple[ParsedClause, ...]) -> set[str]:
    """Words the body prints in capitals (AUKUS, GCAP): they stay capitals in the title."""
    body = " ".join(c.text[len(c.verb) :] for c in clauses)
    return _KNOWN_ACRONYMS | set(re.findall(r"\b[A-Z][A-Z0-9]+\b", body))


def _title_case(title: str, acronyms: set[str]) -> str:
    """Title case for an all-caps heading; a heading already in mixed case is kept as printed."""
    if any(c.islower() for c in title):
        return title
    words = []
    for index, word in enumerate(title.split()):
        capitalise = index == 0 or words[-1].endswith(":")
        parts = [
            _case_part(p, capitalise and i == 0, acronyms) for i, p in enumerate(word.split("-"))
        ]
        words.append("-".join(parts))
    return " ".join(words)


def _case_part(part: str, first: bool, acronyms: set[str]) -> str:
    match = re.match(r"^(\W*)(\w+)(.*)$", part)
    if not match:
        return part
    before, core, after = match.groups()
    if core in acronyms or re.fullmatch(r"[IVX]{2,}", core):
        return before + core + after.lower()
    if not first and core.lower() in _SMALL_WORDS:
        return part.lower()
    return before + core[0] + core[1:].lower() + after.lower()
