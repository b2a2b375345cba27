"""Do two versions of one text (English and French) have the same paragraphs and sub-clauses?"""

from .data import ParsedResolution

# (paragraph number, kind, sub-clause letters) of each paragraph, as ParsedResolution.structure.
Structure = tuple[tuple[int, str, tuple[str, ...]], ...]

_LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def first_difference(
    existing: Structure, existing_language: str, incoming: ParsedResolution
) -> tuple[str, int | None] | None:
    """The first place where `incoming` departs from the structure already saved, as a message and
    the incoming text's line; None when they match."""
    ours = f"the {_LANGUAGE_NAMES.get(existing_language, existing_language)} text"
    theirs = f"the {_LANGUAGE_NAMES.get(incoming.language, incoming.language)} text"
    lines = {clause.number: clause for clause in incoming.clauses}
    for (number, kind, letters), (_, new_kind, new_letters) in zip(
        existing, incoming.structure, strict=False
    ):
        clause = lines[number]
        if kind != new_kind:
            return f"paragraph {number} is {kind} in {ours} but {new_kind} in {theirs}", clause.line
        for index in range(max(len(letters), len(new_letters))):
            old = letters[index] if index < len(letters) else None
            new = new_letters[index] if index < len(new_letters) else None
            if old == new:
                continue
            line = clause.commitments[index].line if new else clause.line
            if new is None:
                message = f"sub-clause {number}.{old} of {ours} is missing from {theirs}"
            elif old is None:
                message = f"sub-clause {number}.{new} of {theirs} is not in {ours}"
            else:
                message = f"paragraph {number} has sub-clause {old} in {ours} but {new} in {theirs}"
            return message, line
    if len(existing) != len(incoming.structure):
        line = incoming.clauses[-1].line if incoming.clauses else None
        counts = f"{theirs} has {len(incoming.structure)} paragraphs, {ours} {len(existing)}"
        return counts[0].upper() + counts[1:], line
    return None
