"""Numbered paragraphs, their leading verbs and their lettered sub-clauses."""

import re
from dataclasses import dataclass, field, replace

from .data import ParsedClause, ParsedCommitment, ResolutionParseError
from .lines import _PARAGRAPH, _RAW_PARAGRAPH, _ROMANS, _clean, _join, _Line, _marker
from .title import _KNOWN_ACRONYMS

# Operative verbs and their companions; an all-caps word outside these ends the verb, so that
# "URGES NATO member states" reads as URGES. French verbs go with an adverb ("INVITE INSTAMMENT",
# "DEMANDE ÉGALEMENT") or "EN OUTRE".
_VERB_PARTICLES = {"UPON", "ON", "TO", "FOR", "ALSO", "FURTHER", "AGAIN", "ONCE", "MORE"}
_VERB_PARTICLES |= {"EN", "OUTRE", "DE", "NOUVEAU", "AUSSI"}
_ADDRESSING_VERBS = {"URGES", "CALLS", "ENCOURAGES", "REQUESTS", "INVITES", "ASKS", "APPEALS"}
_ADDRESSING_VERBS |= {"INVITE", "DEMANDE", "ENCOURAGE", "PRIE", "EXHORTE", "APPELLE"}
# Words that take the next word with them into the verb ("Further noting", "Se félicitant").
_ADVERBS = {"Further", "Also", "Again", "Having", "Furthermore", "Ayant", "Se"}
_MULTIWORD_OPENINGS = ("bearing in mind", "taking into account", "taking note", "noting with")
_MULTIWORD_OPENINGS += ("prenant note", "tenant compte", "notant avec")
# "Noting with concern", "Notant avec préoccupation": the phrase and the word after it.
_OPENINGS_WITH_OBJECT = ("noting with", "notant avec")


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
        previous = lines[index - 1].text
        # A bare marker ("a." alone, as PDF extraction leaves it) is not a final stop.
        ends = previous.endswith(".") and not _marker(previous)
        if line.gap_before and ends and not _marker(line.text):
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
        companion = bare.endswith(("S", "LY", "MENT")) or bare in _VERB_PARTICLES
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
            size = len(phrase.split()) + (phrase in _OPENINGS_WITH_OBJECT)
            return " ".join(w.rstrip(",;:") for w in words[:size])
    first = words[0].rstrip(",;:")
    adverb = first.endswith(("ly", "ment")) or first in _ADVERBS
    if len(words) > 1 and adverb and first == words[0]:
        return f"{first} {words[1].rstrip(',;:')}"
    return first


def _read_addressees(verb: str, after_verb: str) -> str:
    """Who an operative verb addresses: the words up to the colon that opens the sub-clauses
    ("… of the North Atlantic Alliance:"), or up to "to" after a verb that addresses someone
    ("REQUESTS the NATO Secretary General to …")."""
    if ":" in after_verb:
        return re.sub(r"\s+(?:to|à)$", "", after_verb.split(":", 1)[0].strip())
    if _ADDRESSING_VERBS & set(verb.split()):
        for to in (" to ", " à "):
            head, found, _ = after_verb.partition(to)
            if found:
                return head.strip()
    return ""


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
