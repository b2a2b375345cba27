"""Resolution text -> plain data.

Reads NATO Parliamentary Assembly resolutions (and declarations, recommendations), in English or
French, as they come out of the Assembly's PDF, in Markdown or in plain text, into their numbered
clauses and the commitments of their operative clauses. Pure: no Django, no database, no I/O.

How a text is read (`resolution.py`):
1. refuse what is not a text, clean each line of Markdown (`lines.py`);
2. take out the adoption footnote wherever it sits (`adoption.py`): in the Assembly's PDF it
   lands at the foot of a page, in the middle of the preamble;
3. the lines before the first numbered paragraph are the front matter: number and title;
   page numbers, document symbols and running headers are dropped from the rest;
4. split the rest into numbered paragraphs, trusting a number only when it comes in sequence,
   and operative paragraphs into lettered sub-clauses (`clauses.py`).
A file may hold several texts, a session booklet: `booklet.py` finds them. `structure.py` compares
the English and French versions of one text.
"""

from .adoption import english_committee_name
from .booklet import parse_document
from .data import (
    MAX_TEXT_BYTES,
    FoundText,
    ParsedClause,
    ParsedCommitment,
    ParsedResolution,
    ResolutionParseError,
)
from .lines import _decode as decode_text
from .resolution import parse_resolution
from .structure import Structure, first_difference

__all__ = [
    "MAX_TEXT_BYTES",
    "FoundText",
    "ParsedClause",
    "ParsedCommitment",
    "ParsedResolution",
    "ResolutionParseError",
    "Structure",
    "decode_text",
    "english_committee_name",
    "first_difference",
    "parse_document",
    "parse_resolution",
]
