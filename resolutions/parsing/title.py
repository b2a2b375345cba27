"""Title case for a heading printed in capitals."""

import re

from .data import ParsedClause

_KNOWN_ACRONYMS = {"NATO", "AI", "UK", "USA", "EU", "UN", "OSCE", "AUKUS", "DIANA", "PA", "CBRN"}
_KNOWN_ACRONYMS |= {"OTAN", "UE", "IA", "ONU", "AP", "RU"}
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "nor", "of"}
_SMALL_WORDS |= {"on", "or", "the", "to", "upon", "via", "with"}


def _acronyms_in(clauses: tuple[ParsedClause, ...]) -> set[str]:
    """Words the body prints in capitals (AUKUS, GCAP): they stay capitals in the title."""
    body = " ".join(c.text[len(c.verb) :] for c in clauses)
    return _KNOWN_ACRONYMS | set(re.findall(r"\b[A-Z][A-Z0-9]+\b", body))


def _title_case(title: str, acronyms: set[str], language: str = "en") -> str:
    """Title case for an all-caps heading (sentence case in French, as French titles are
    written); a heading already in mixed case is kept as printed."""
    if any(c.islower() for c in title):
        return title
    words = []
    for index, word in enumerate(title.split()):
        capitalise = index == 0 or words[-1].endswith(":")
        if language == "fr":
            words.append(word if word in acronyms else _sentence_word(word, capitalise))
            continue
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


def _sentence_word(word: str, capitalise: bool) -> str:
    lowered = word.lower()
    if not capitalise:
        return lowered
    letters = re.search(r"[^\W\d_]", lowered)
    return lowered[: letters.start()] + lowered[letters.start() :].capitalize() if letters else word
