"""What the parser gives: plain data, and the one error it raises."""

import datetime
from dataclasses import dataclass

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
    language: str = "en"  # "en" or "fr": the language the text is written in
    first_line: int = 1  # where the text starts in its file (a booklet holds several)

    @property
    def name(self) -> str:
        """How messages name the text: "Resolution 493", "Declaration 489"."""
        return f"{self.document_type.capitalize()} {self.number}"

    @property
    def structure(self) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
        """(paragraph number, kind, sub-clause letters) of each paragraph: what the English and
        French versions of one text must share."""
        return tuple(
            (c.number, c.kind, tuple(m.letter for m in c.commitments if m.letter))
            for c in self.clauses
        )

    @property
    def commitments(self) -> tuple[ParsedCommitment, ...]:
        return tuple(c for clause in self.clauses for c in clause.commitments)

    @property
    def preambular(self) -> tuple[ParsedClause, ...]:
        return tuple(c for c in self.clauses if c.kind == "preambular")

    @property
    def operative(self) -> tuple[ParsedClause, ...]:
        return tuple(c for c in self.clauses if c.kind == "operative")


@dataclass(frozen=True)
class FoundText:
    """One text of a file (a file may be a booklet of several): read, or refused with an error.
    `source` is the text's own lines, kept as its original text."""

    name: str  # "Resolution 493", or "the text" when no heading was found
    document_type: str  # "" when no heading was found
    number: int  # 0 when no heading was found
    first_line: int
    last_line: int
    source: str
    parsed: ParsedResolution | None = None
    error: ResolutionParseError | None = None

    @property
    def message(self) -> str:
        """One line that names the text and the line: "Resolution 493, line 57: …"."""
        if not self.document_type:
            return str(self.error)
        return f"{self.name}, {self.error}" if self.error.line else f"{self.name}: {self.error}"
