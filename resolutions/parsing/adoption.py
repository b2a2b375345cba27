"""The adoption footnote: committee, session, place and date, wherever the footnote lands, in
English ("Presented by the Economics and Security Committee and adopted by the Plenary Assembly on
Monday 25 November 2024, Montréal, Canada") or in French ("Présentée par la Commission de
l'économie et de la sécurité et adoptée … le lundi 25 novembre 2024, Montréal, Canada")."""

import datetime
import re

from .data import ResolutionParseError
from .lines import _is_structural, _Line

_FOOTNOTE_START = re.compile(  # "* Presented by …", "[^1]: Adopted by …", "Adopted at …"
    r"^(?:[*†¹]\s*|\[\^\w+\]:\s*)?(?:"
    r"(?:Presented|Submitted|Adopted|Tabled)\s+(?:by|at)"
    r"|(?:Présenté|Soumis|Adopté|Déposé)e?s?\s+(?:par|lors|à)"
    r")\b"
)
_FRENCH_FOOTNOTE = re.compile(r"^(?:[*†¹]\s*|\[\^\w+\]:\s*)?(?:Présenté|Soumis|Adopté|Déposé)")

_MONTHS = "January February March April May June July August September October November December"
_MOIS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
_MONTH = "(?P<month>" + "|".join(_MONTHS.split()) + ")"
_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b"
    rf"|\b{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}})\b"
    rf"|\b(?P<day3>\d{{1,2}})(?:er)?\s+(?P<mois>{'|'.join(_MOIS.split())})\s+(?P<year3>\d{{4}})\b"
)
_SESSION = re.compile(  # "70th Annual Session"; a spring session may go by its year instead
    r"\b(?:(?P<number>\d{1,3})\s*(?:st|nd|rd|th)?|(?P<year>\d{4}))"
    r"\s+(?P<kind>Annual|Spring)\s+Session\b",
    re.I,
)
_SESSION_FR = re.compile(  # "70e session annuelle", "la session de printemps 2024"
    r"\b(?:(?P<number>\d{1,3})\s*(?:e|ème|re|ère)\s+)?session\s+(?P<kind>annuelle|de\s+printemps)"
    r"(?:\s+(?P<year>\d{4}))?\b",
    re.I,
)
_COMMITTEE = re.compile(
    r"(?:Presented|Submitted|Tabled|Proposed)\s+by\s+the\s+(.*?Committee(?:\s+on\s+.+?)?)"
    r"(?=\s+and\s+adopted\b|\s+at\b|\s*[,.;(]|\s*$)"
)
_COMMITTEE_FR = re.compile(
    r"(?:Présenté|Soumis|Déposé)e?s?\s+par\s+la\s+(Commission\b.*?)"
    r"(?=\s+et\s+adoptée?s?\b|\s+lors\b|\s*[,.;(]|\s*$)"
)
_PLACES = (
    re.compile(r"\bheld\s+in\s+(.+?)(?:,?\s+(?:on|from)\s|[.;]|$)"),
    re.compile(r"\btenue?\s+à\s+(.+?)(?:,?\s+(?:le|du)\s|[.;]|$)"),
    re.compile(r"\d{4},\s*([^\W\d][^.;]*?)\s*[.;]?$"),  # "… 27 May 2024, Sofia, Bulgaria"
    re.compile(
        r"\bin\s+([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*,\s*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"
    ),
)

# The French names of the Assembly's committees, and the names the tracker knows them by.
FRENCH_COMMITTEES = {
    "commission sur la démocratie et la sécurité": "Committee on Democracy and Security",
    "commission de la défense et de la sécurité": "Defence and Security Committee",
    "commission de l'économie et de la sécurité": "Economics and Security Committee",
    "commission politique": "Political Committee",
    "commission des sciences et des technologies": "Science and Technology Committee",
}


def english_committee_name(name: str) -> str:
    """The English name of a committee named in French; any other name as it is."""
    return FRENCH_COMMITTEES.get(" ".join(name.replace("’", "'").lower().split()), name)


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
    """A footnote wrapped onto the next line goes on until its date (and the place after a comma:
    "… 25 November 2024,\nMontréal, Canada"), unless the text changes kind: a blank line, a
    structural line, an all-caps title line."""
    text = line.text
    so_far = " ".join(n.text for n in block)
    return bool(
        text
        and len(block) < 6
        and not _is_structural(line)
        and not (text.isupper() and len(text) > 3)
        and (not _DATE.search(so_far) or so_far.endswith(","))
        and not so_far.endswith(".")
    )


def _is_committee(text: str) -> bool:
    return len(text) < 80 and (
        text.endswith("Committee")
        or text.startswith("Committee on ")
        or text.lower() in FRENCH_COMMITTEES
    )


def _is_french_footnote(notes: list[list[_Line]]) -> bool:
    return any(_FRENCH_FOOTNOTE.match(block[0].text) for block in notes)


def _read_adoption(notes: list[list[_Line]]):
    """(committee, session, session number, kind, place, date) from the footnote or the adoption
    lines; each detail is taken from the first block that gives it. The session is named in
    English whatever the language ("70th Annual Session"): it is the same session."""
    # Capped: a footnote is a sentence, and the patterns below need not scan a whole file.
    blocks = [(b[0].number, " ".join(line.text for line in b)[:2000]) for b in notes]

    def first(pattern: re.Pattern) -> tuple[int, re.Match | None]:
        return next(((n, m) for n, text in blocks if (m := pattern.search(text))), (0, None))

    match = first(_COMMITTEE)[1] or first(_COMMITTEE_FR)[1]
    committee = match.group(1) if match else ""
    session, number, kind = "", 0, ""
    if match := first(_SESSION)[1] or first(_SESSION_FR)[1]:
        kind = "Spring" if "printemps" in match.group("kind").lower() else "Annual"
        if match.group("kind").lower() == "spring":
            kind = "Spring"
        if match.group("number"):
            number = int(match.group("number"))
            session = f"{number}{_ordinal_suffix(number)} {kind} Session"
        elif match.group("year"):
            session = f"{match.group('year')} {kind} Session"
    places = (m.group(1).strip() for p in _PLACES if (m := first(p)[1]))
    place = next(places, "")
    return committee, session, number, kind, place, _read_date(first(_DATE))


def _read_date(found: tuple[int, re.Match | None]) -> datetime.date | None:
    line, match = found
    if not match:
        return None
    day = int(match.group("day") or match.group("day2") or match.group("day3"))
    if match.group("mois"):
        month = _MOIS.split().index(match.group("mois")) + 1
    else:
        month = _MONTHS.split().index(match.group("month") or match.group("month2")) + 1
    year = int(match.group("year") or match.group("year2") or match.group("year3"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ResolutionParseError(f'"{match.group(0)}" is not a valid date', line) from None


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
