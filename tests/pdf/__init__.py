"""Test PDFs in the Assembly's layouts, typeset with Typst from texts written for the tests.

`text_from_markdown` reads a test fixture (numbered paragraphs with a bold verb, lettered
sub-clauses) with a few regular expressions of its own, not with the parser under test."""

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import typst

TEMPLATE = Path(__file__).with_name("assembly.typ")
TEXTS = Path(__file__).resolve().parent.parent / "resolution_texts"
FIXTURE_493 = (
    Path(__file__).resolve().parents[2]
    / "resolutions/fixtures/resolutions/nato-pa-resolution-493.md"
)
# Written for the tests from the English text (not the Assembly's own French).
FIXTURE_493_FR = FIXTURE_493.with_name("nato-pa-resolution-493-fr.md")

ADOPTED_ON = (
    "Presented by the Economics and Security Committee and adopted by the Plenary Assembly on "
    "Monday 25 November 2024, Montréal, Canada"
)
ADOPTED_AT = (
    "Presented by the Economics and Security Committee and adopted by the Plenary Assembly at the "
    "70th Annual Session of the NATO Parliamentary Assembly held in Montréal, Canada, on Monday "
    "25 November 2024"
)
ADOPTEE_LE = (
    "Présentée par la Commission de l'économie et de la sécurité et adoptée par l'Assemblée "
    "plénière le lundi 25 novembre 2024, Montréal, Canada"
)


@dataclass
class Paragraph:
    number: int
    verb: str
    rest: str
    subs: list[dict] = field(default_factory=list)  # {"letter": "a", "text": "…"}


@dataclass
class Text:
    heading: str  # "RESOLUTION 493"
    title: str  # in capitals, as the Assembly prints it
    footnote: str
    paragraphs: list[Paragraph]
    assembly: str = "The Assembly,"


def text_from_markdown(source: str, *, heading: str, footnote: str, assembly="The Assembly,"):
    """A Text from a Markdown fixture: its "## TITLE", its "N. **Verb** rest" paragraphs and
    "- x. text" sub-clauses (the adoption footnote of the Markdown is left out: `footnote`)."""
    title = re.search(r"^## (.+)$", source, re.M).group(1).strip()
    paragraphs: list[Paragraph] = []
    for line in source.splitlines():
        if match := re.match(r"^(\d+)\. \*\*(.+?)\*\*,? ?(.*)$", line):
            paragraphs.append(Paragraph(int(match[1]), match[2], match[3]))
        elif match := re.match(r"^- ([a-z])\. (.*)$", line):
            paragraphs[-1].subs.append({"letter": match[1], "text": match[2]})
    return Text(heading, title, footnote, paragraphs, assembly)


def resolution_493(footnote: str = ADOPTED_ON) -> Text:
    return text_from_markdown(
        FIXTURE_493.read_text(encoding="utf-8"), heading="RESOLUTION 493", footnote=footnote
    )


def resolution_493_fr(footnote: str = ADOPTEE_LE) -> Text:
    return text_from_markdown(
        FIXTURE_493_FR.read_text(encoding="utf-8"),
        heading="RÉSOLUTION 493",
        footnote=footnote,
        assembly="L'Assemblée,",
    )


def declaration_489() -> Text:
    return text_from_markdown(
        (TEXTS / "489-declaration.md").read_text(encoding="utf-8"),
        heading="DECLARATION 489",
        footnote=(
            "Presented by the Defence and Security Committee and adopted by the Plenary Assembly "
            "on Monday 25 November 2024, Montréal, Canada"
        ),
    )


def make_pdf(
    texts: list[Text],
    *,
    booklet: bool = False,
    numbers: str = "column",
    symbol: str = "199 SESA 24 E",
    page_numbers: bool = True,
    title_first: bool = False,
    lang: str = "en",
) -> bytes:
    """The PDF of `texts`, typeset now. `numbers="column"` puts paragraph numbers and letters in
    a column of their own; "inline" prints them in the line of the text."""
    data = {
        "texts": [asdict(t) for t in texts],
        "booklet": booklet,
        "numbers": numbers,
        "symbol": symbol,
        "page_numbers": page_numbers,
        "title_first": title_first,
        "lang": lang,
    }
    return typst.compile(str(TEMPLATE), sys_inputs={"data": json.dumps(data)})
