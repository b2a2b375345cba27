"""Reading resolution texts: the real Resolution 493, the forms a text takes when it comes out of
the Assembly's PDF, and every kind of bad input. Pure: no database."""

import datetime
from pathlib import Path

import pytest

from resolutions.parsing import (
    MAX_TEXT_BYTES,
    ParsedResolution,
    ResolutionParseError,
    parse_resolution,
)

HERE = Path(__file__).parent
TEXTS = HERE / "resolution_texts"
FIXTURE_493 = HERE.parent / "resolutions" / "fixtures" / "resolutions" / "nato-pa-resolution-493.md"

TEXT_25_E = (
    "to coordinate export controls on emerging dual-use technologies and strategic intellectual "
    "property, including through relevant international forums, so that strategic competitors "
    "are prevented from accessing critical technology that could be used to threaten the "
    "security of Allies and partners;"
)
TEXT_25_L = (
    "to allocate public funding needed to underwrite technological advances with military "
    "applications, in line with the renewed commitment to defence and investment spending "
    "adopted at the 2023 Vilnius Summit and reiterated at the 2024 Washington Summit."
)
TEXT_10 = (
    "Recognising that at least 92% of the world's most advanced (below ten nanometers) "
    "semiconductor manufacturing capacity is currently located in Taiwan;"
)
TEXT_25_I = "to strengthen public-private-university partnerships to drive technology development;"
VERBS_493 = [
    "Stressing",
    "Recognising",
    "Determined",
    "Concerned",
    "Noting",
    "Understanding",
    "Welcoming",
    "Supporting",
    "Applauding",
    "Recognising",
    "Endorsing",
    "Recognising",
    "Condemning",
    "Acknowledging",
    "Concerned",
    "Cognisant",
    "Welcoming",
    "Observing",
    "Encouraged",
    "Endorsing",
    "Supporting",
    "Recognising",
    "Applauding",
    "Convinced",
]


def text_493() -> str:
    return FIXTURE_493.read_text(encoding="utf-8")


def lines_493() -> list[str]:
    return text_493().split("\n")


def read(name: str) -> bytes:
    return (TEXTS / name).read_bytes()


def summary(parsed: ParsedResolution) -> list[tuple]:
    """Everything about the clauses except line numbers, to compare two forms of one text."""
    return [
        (c.number, c.kind, c.verb, c.text, c.addressees)
        + tuple((m.label, m.letter, m.text) for m in c.commitments)
        for c in parsed.clauses
    ]


def resolution(*paragraphs: str, title: str = "TEST TITLE", heading: str = "RESOLUTION 500") -> str:
    """A small text: title on line 1, heading on line 3, paragraphs from line 7."""
    return "\n".join([title, "", heading, "", "The Assembly,", "", *paragraphs]) + "\n"


def parse_error(text: str | bytes) -> ResolutionParseError:
    with pytest.raises(ResolutionParseError) as caught:
        parse_resolution(text)
    return caught.value


# --- Resolution 493 as published ------------------------------------------------------------------


def test_493_heading_and_adoption_footnote():
    parsed = parse_resolution(text_493())

    assert parsed.number == 493
    assert parsed.document_type == "resolution"
    assert parsed.title == (
        "Galvanising Technological Advance to Support Allied Prosperity and Security"
    )
    assert parsed.committee == "Economics and Security Committee"
    assert parsed.session == "70th Annual Session"
    assert parsed.session_number == 70
    assert parsed.session_kind == "Annual"
    assert parsed.place == "Montréal, Canada"
    assert parsed.adoption_date == datetime.date(2024, 11, 25)


def test_493_preambular_clauses():
    parsed = parse_resolution(text_493())

    assert len(parsed.preambular) == 24
    assert [c.number for c in parsed.preambular] == list(range(1, 25))
    assert [c.verb for c in parsed.preambular] == VERBS_493
    assert {c.kind for c in parsed.preambular} == {"preambular"}
    assert {c.addressees for c in parsed.preambular} == {""}
    assert {c.commitments for c in parsed.preambular} == {()}
    first = parsed.clauses[0]
    assert first.text == (
        "Stressing that maintaining NATO and Allied technological superiority is paramount in a "
        "security environment characterised by renewed strategic competition between democratic "
        "Allies and autocratic powers;"
    )
    assert first.line == 13


def test_493_footnote_and_page_break_stay_out_of_clause_10():
    parsed = parse_resolution(text_493())
    clause_10, clause_11 = parsed.clauses[9], parsed.clauses[10]

    assert clause_10.text == TEXT_10
    assert clause_10.line == 22
    assert clause_11.text == (
        "Endorsing western commercial and government efforts to strengthen defences against "
        "intellectual property theft;"
    )
    assert clause_11.line == 28


def test_493_verb_followed_by_a_comma():
    clause_15 = parse_resolution(text_493()).clauses[14]

    assert clause_15.verb == "Concerned"
    assert clause_15.text.startswith("Concerned, moreover, that western governments have ")


def test_493_operative_clause():
    parsed = parse_resolution(text_493())

    assert len(parsed.operative) == 1
    clause = parsed.operative[0]
    assert (clause.number, clause.kind, clause.verb, clause.line) == (25, "operative", "URGES", 44)
    assert clause.addressees == "the governments and parliaments of the North Atlantic Alliance"
    lines = clause.text.split("\n")
    assert len(lines) == 13
    assert lines[0] == "URGES the governments and parliaments of the North Atlantic Alliance:"
    assert lines[5] == f"e. {TEXT_25_E}"
    assert lines[12] == f"l. {TEXT_25_L}"


def test_493_twelve_commitments():
    parsed = parse_resolution(text_493())
    commitments = parsed.commitments

    assert [c.label for c in commitments] == [f"25.{letter}" for letter in "abcdefghijkl"]
    assert [c.letter for c in commitments] == list("abcdefghijkl")
    assert [c.line for c in commitments] == list(range(46, 58))
    assert commitments == parsed.operative[0].commitments
    assert commitments[0].text == (
        "to dedicate more political attention and resources to counter the risks of technology "
        "leakages through trade, targeted investments in western firms undertaken by strategic "
        "competitors, smuggling, and espionage;"
    )
    assert commitments[4].text == TEXT_25_E
    assert commitments[8].text == TEXT_25_I
    assert commitments[11].text == TEXT_25_L


def test_493_as_bytes_with_bom_and_crlf_reads_the_same():
    as_text = parse_resolution(text_493())
    as_bytes = parse_resolution(b"\xef\xbb\xbf" + text_493().replace("\n", "\r\n").encode())

    assert as_bytes == as_text


def test_493_with_a_document_code_after_the_last_paragraph():
    parsed = parse_resolution(text_493() + "\n\n234 ESC 24 E rev.1 fin\n")

    assert parsed.commitments[-1].text == TEXT_25_L


# --- The forms a text takes -----------------------------------------------------------------------


def test_plain_text_from_pdf_reads_like_the_markdown():
    """Hard wraps, a word wrapped after a hyphen, page numbers ("- 1 -", "2", "Page 3 of 4"),
    running headers (the number, a banner, the title), form feeds and the footnote between the
    two halves of paragraph 10."""
    plain = parse_resolution(read("493-plain-from-pdf.txt"))
    markdown = parse_resolution(text_493())

    assert summary(plain) == summary(markdown)
    assert (plain.number, plain.document_type, plain.title) == (
        493,
        "resolution",
        "Galvanising Technological Advance to Support Allied Prosperity and Security",
    )
    assert (plain.committee, plain.session, plain.place, plain.adoption_date) == (
        "Economics and Security Committee",
        "70th Annual Session",
        "Montréal, Canada",
        datetime.date(2024, 11, 25),
    )
    assert plain.clauses[9].text == TEXT_10
    assert [plain.clauses[i].line for i in (0, 9, 10, 24)] == [10, 40, 51, 100]
    assert plain.operative[0].addressees == (
        "the governments and parliaments of the North Atlantic Alliance"
    )
    assert [c.line for c in plain.commitments[::4]] == [107, 120, 133]
    assert plain.commitments[8].text == TEXT_25_I


def test_footnote_at_top_and_several_operative_paragraphs():
    parsed = parse_resolution(read("dsc-ukraine-footnote-top.md"))

    assert (parsed.number, parsed.title) == (
        487,
        "Standing with Ukraine: Sustaining Military Support and Preparing for NATO Membership",
    )
    assert parsed.committee == "Defence and Security Committee"
    assert (parsed.session, parsed.session_number, parsed.session_kind) == (
        "69th Annual Session",
        69,
        "Annual",
    )
    assert (parsed.place, parsed.adoption_date) == (
        "Copenhagen, Denmark",
        datetime.date(2023, 10, 9),
    )
    assert [c.verb for c in parsed.preambular] == [
        "Condemning",
        "Deeply concerned",
        "Saluting",
        "Further recognising",
        "Noting with concern",
        "Welcoming",
        "Reaffirming",
    ]
    assert [(c.number, c.verb, c.addressees) for c in parsed.operative] == [
        (8, "CALLS UPON", "the member governments of the Alliance"),
        (9, "URGES", "the governments and parliaments of the North Atlantic Alliance"),
        (10, "ENCOURAGES", "the NATO Secretary General and the NATO International Staff"),
        (11, "REQUESTS", "the NATO Secretary General"),
    ]
    assert [c.label for c in parsed.commitments] == [
        "8.a",
        "8.b",
        "8.c",
        "9.a",
        "9.b",
        "10.a",
        "10.b",
        "11",
    ]
    assert parsed.commitments[3].text == (
        "to hold Russia accountable for its war crimes, including through a special tribunal for "
        "the crime of aggression;"
    )
    assert parsed.commitments[3].line == 27


def test_operative_paragraph_without_sub_clauses_is_one_commitment():
    clause = parse_resolution(read("dsc-ukraine-footnote-top.md")).clauses[-1]
    text = (
        "REQUESTS the NATO Secretary General to report to the Assembly on the implementation of "
        "the Comprehensive Assistance Package for Ukraine before its 2024 Spring Session."
    )

    assert clause.text == text
    assert len(clause.commitments) == 1
    commitment = clause.commitments[0]
    assert (commitment.label, commitment.letter, commitment.text, commitment.line) == (
        "11",
        "",
        text,
        35,
    )


def test_footnote_at_bottom_nested_roman_items_and_letter_i_after_h():
    parsed = parse_resolution(read("stc-climate-footnote-bottom.txt"))

    assert (parsed.number, parsed.title) == (
        477,
        "Climate Change and Security: Adapting Allied Forces to a Hotter World",
    )
    assert parsed.committee == "Science and Technology Committee"
    assert (parsed.session, parsed.place, parsed.adoption_date) == (
        "68th Annual Session",
        "Madrid, Spain",
        datetime.date(2022, 11, 21),
    )
    assert [c.verb for c in parsed.preambular] == [
        "Recognising",
        "Fully aware",
        "Concerned",
        "Welcoming",
        "Bearing in mind",
    ]
    assert [c.label for c in parsed.commitments] == [f"6.{letter}" for letter in "abcdefghij"]
    by_label = {c.label: c for c in parsed.commitments}
    assert by_label["6.c"].text == (
        "to support the NATO Climate Change and Security Action Plan, in particular by:\n"
        "i. contributing data and expertise to NATO's annual climate change and security impact "
        "assessment;\n"
        "ii. sharing best practices on energy efficiency in the armed forces;\n"
        "iii. seconding national experts to the Centre of Excellence in Montréal;"
    )
    assert by_label["6.b"].text == (
        "to assess the vulnerability of military bases and critical infrastructure to "
        "climate-related hazards;"
    )
    assert (by_label["6.i"].letter, by_label["6.i"].line) == ("i", 37)
    assert by_label["6.i"].text == (
        "to support partners in the Middle East, North Africa and the Sahel in adapting to the "
        "security consequences of climate change;"
    )
    assert by_label["6.j"].text == (
        "to report on their progress in reducing military emissions by the 2025 Summit."
    )
    assert "Presented" not in parsed.operative[0].text


def test_adoption_lines_at_top_numbers_alone_on_their_line_and_a_parenthesis_markers():
    """A declaration with CRLF line ends; "2." alone on its line, a bare page number "3" and a
    repeated heading in the middle of paragraph 2."""
    parsed = parse_resolution(read("cds-declaration-adoption-line-top.txt"))

    assert (parsed.document_type, parsed.number) == ("declaration", 491)
    assert parsed.title == (
        "Defending Democratic Resilience Against Foreign Information Manipulation and Interference"
    )
    assert parsed.committee == "Committee on Democracy and Security"
    assert (parsed.place, parsed.adoption_date) == ("Sofia, Bulgaria", datetime.date(2024, 5, 27))
    assert (parsed.session, parsed.session_number, parsed.session_kind) == ("", 0, "")
    assert [(c.number, c.line, c.verb) for c in parsed.clauses] == [
        (1, 11, "Alarmed"),
        (2, 15, "Recognising"),
        (3, 24, "Determined"),
        (4, 28, "Welcoming"),
        (5, 32, "CALLS UPON"),
        (6, 39, "URGES"),
    ]
    assert parsed.clauses[1].text == (
        "Recognising that democratic resilience is a core pillar of Allied security and that the "
        "defence of shared values begins at home;"
    )
    calls_upon = parsed.clauses[4]
    assert calls_upon.addressees == "the member governments and parliaments of the Alliance"
    assert calls_upon.text.split("\n") == [
        "CALLS UPON the member governments and parliaments of the Alliance to:",
        "a) adopt whole-of-society strategies to counter foreign information manipulation and "
        "interference;",
        "b) increase support for independent media, fact-checkers and media literacy education;",
        "c) share intelligence on hostile influence operations with Allies in a timely manner;",
    ]
    assert [(c.label, c.line) for c in parsed.commitments] == [
        ("5.a", 34),
        ("5.b", 36),
        ("5.c", 37),
        ("6", 39),
    ]
    assert parsed.commitments[0].text == (
        "adopt whole-of-society strategies to counter foreign information manipulation and "
        "interference;"
    )
    urges = parsed.clauses[5]
    assert (urges.verb, urges.addressees) == ("URGES", "NATO Allies")
    assert urges.commitments[0].text == (
        "URGES NATO Allies to establish a Democratic Resilience Centre at NATO Headquarters as a "
        "resource for member and partner nations."
    )


def test_bracketed_markers_with_bullets_and_a_spring_session_named_by_its_year():
    parsed = parse_resolution(read("pc-spring-paren-markers.txt"))

    assert (parsed.number, parsed.title) == (
        481,
        "Deepening NATO's Partnerships in the Indo-Pacific",
    )
    assert parsed.committee == "Political Committee"
    assert (parsed.session, parsed.session_number, parsed.session_kind) == (
        "2023 Spring Session",
        0,
        "Spring",
    )
    assert (parsed.place, parsed.adoption_date) == (
        "Luxembourg, Luxembourg",
        datetime.date(2023, 5, 22),
    )
    assert [c.verb for c in parsed.clauses] == [
        "Aware",
        "Noting with satisfaction",
        "Recalling",
        "STRONGLY ENCOURAGES",
        "INVITES",
    ]
    assert parsed.clauses[2].text.endswith(
        "as a challenge to Allied interests, security and values;"
    )
    assert [(c.label, c.letter) for c in parsed.commitments] == [
        ("4.a", "a"),
        ("4.b", "b"),
        ("4.c", "c"),
        ("5.a", "a"),
        ("5.b", "b"),
    ]
    assert parsed.commitments[1].text == (
        "to coordinate with Indo-Pacific partners on:\n"
        "(i) cyber defence and the security of critical infrastructure;\n"
        "(ii) maritime security and freedom of navigation;"
    )
    assert parsed.operative[1].addressees == "the NATO Secretary General"
    assert parsed.operative[1].text.split("\n")[1] == (
        "(a) to develop an Individually Tailored Partnership Programme with each Indo-Pacific "
        "partner;"
    )


@pytest.mark.parametrize(
    ("opening", "verb", "kind"),
    [
        ("Deeply concerned that x;", "Deeply concerned", "preambular"),
        ("Concerned, moreover, that x;", "Concerned", "preambular"),
        ("Further recognising that x;", "Further recognising", "preambular"),
        ("Noting with concern that x;", "Noting with concern", "preambular"),
        ("Taking into account x;", "Taking into account", "preambular"),
        ("Cognisant that x;", "Cognisant", "preambular"),
        ("**Fully aware** that x;", "Fully aware", "preambular"),
        ("CALLS UPON the Allies to act.", "CALLS UPON", "operative"),
        ("CALLS ON NATO to act.", "CALLS ON", "operative"),
        ("STRONGLY URGES the Allies to act.", "STRONGLY URGES", "operative"),
        ("URGES NATO member states to act.", "URGES", "operative"),
        ("**REITERATES ITS CALL** on the Allies to act.", "REITERATES ITS CALL", "operative"),
        ("**Stressing that the whole paragraph is in bold;**", "Stressing", "preambular"),
    ],
)
def test_leading_verb_and_kind(opening, verb, kind):
    clause = parse_resolution(resolution(f"1. {opening}")).clauses[0]

    assert (clause.verb, clause.kind) == (verb, kind)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "THE AI REVOLUTION AND THE FUTURE OF NATO'S DETERRENCE",
            "1. Noting x;",
            "The AI Revolution and the Future of NATO's Deterrence",
        ),
        (
            "SECURING GCAP AND AUKUS: A MODEL FOR STATE-OF-THE-ART COOPERATION",
            "1. Welcoming GCAP and AUKUS;",
            "Securing GCAP and AUKUS: A Model for State-of-the-Art Cooperation",
        ),
        ("Already in Title Case for the UK", "1. Noting x;", "Already in Title Case for the UK"),
    ],
)
def test_title_case(title, body, expected):
    assert parse_resolution(resolution(body, title=title)).title == expected


def test_number_at_the_start_of_a_wrapped_line_is_not_a_paragraph():
    text = resolution(
        "1. Recalling the commitment to collective defence enshrined in Article",
        "5. The Allies stand together;",
        "2. Noting x;",
    )
    parsed = parse_resolution(text)

    assert [c.number for c in parsed.clauses] == [1, 2]
    assert parsed.clauses[0].text == (
        "Recalling the commitment to collective defence enshrined in Article 5. The Allies stand "
        "together;"
    )


def test_i_after_h_is_a_nested_item_when_ii_follows():
    letters = [f"{letter}. to act on {letter};" for letter in "abcdefg"]
    text = resolution(
        "1. URGES the Allies:", *letters, "h. to report on:", "i. x;", "ii. y;", "i. to act on i."
    )
    commitments = parse_resolution(text).commitments

    assert [c.label for c in commitments][-3:] == ["1.g", "1.h", "1.i"]
    assert commitments[-2].text == "to report on:\ni. x;\nii. y;"
    assert (commitments[-1].text, commitments[-1].line) == ("to act on i.", 18)


def test_markdown_footnote_syntax():
    text = resolution(
        "1. Noting x;",
        "",
        "[^1]: Presented by the Economics and Security Committee and adopted by the Plenary "
        "Assembly at the 70th Annual Session held in Montréal, Canada, on 25 November 2024",
    )
    parsed = parse_resolution(text)

    assert (parsed.committee, parsed.session, parsed.adoption_date) == (
        "Economics and Security Committee",
        "70th Annual Session",
        datetime.date(2024, 11, 25),
    )
    assert parsed.clauses[0].text == "Noting x;"


def test_roman_items_directly_under_a_paragraph_stay_in_its_one_commitment():
    text = resolution("1. URGES the Allies:", "(i) to act;", "(ii) to report.")
    commitment = parse_resolution(text).commitments[0]

    assert (commitment.label, commitment.text) == (
        "1",
        "URGES the Allies:\n(i) to act;\n(ii) to report.",
    )


def test_adoption_date_without_weekday_and_superscript_less_ordinal():
    text = resolution(
        "1. Noting x;",
        "",
        "* Presented by the Political Committee and adopted by the Plenary Assembly at the "
        "71st Annual Session of the NATO Parliamentary Assembly held in The Hague, "
        "Netherlands, on 13 October 2025",
    )
    parsed = parse_resolution(text)

    assert (parsed.session, parsed.session_number, parsed.place, parsed.adoption_date) == (
        "71st Annual Session",
        71,
        "The Hague, Netherlands",
        datetime.date(2025, 10, 13),
    )
    assert parsed.clauses[0].text == "Noting x;"


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\t\n", b"", b"\xef\xbb\xbf\r\n"])
def test_empty_text(text):
    error = parse_error(text)

    assert (error.message, error.line) == ("the file is empty", None)
    assert str(error) == "the file is empty"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "this is not a text file (it looks like a PDF)"),
        ("%PDF-1.4\nRESOLUTION 493", "this is not a text file (it looks like a PDF)"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "this is not a text file (it looks like a PNG image)"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "this is not a text file (it looks like a JPEG image)"),
        (
            b"PK\x03\x04\x14\0\x06\0",
            "this is not a text file (it looks like a ZIP archive or a Word/Excel document)",
        ),
        (b"RESOLUTION 493\n\0\0\x01\x02", "this is not a text file (binary data)"),
        ("RESOLUTION 493\n\0", "this is not a text file (binary data)"),
    ],
)
def test_binary_content(data, message):
    error = parse_error(data)

    assert (error.message, error.line) == (message, None)


def test_bytes_that_are_not_utf8_name_the_line():
    error = parse_error(
        "RESOLUTION 493\n\nThe Assembly,\n1. Noting the Montréal Summit;".encode("latin-1")
    )

    assert error.message == "this is not a text file (binary data, or text not encoded as UTF-8)"
    assert error.line == 4


def test_text_over_the_size_limit():
    error = parse_error(b"x" * (MAX_TEXT_BYTES + 1))

    assert error.message == "the text is 1,000,001 bytes, larger than the limit of 1,000,000 bytes"
    assert error.line is None


def test_str_over_the_size_limit_is_measured_in_utf8_bytes():
    error = parse_error("é" * 500_001)

    assert error.message == "the text is 1,000,002 bytes, larger than the limit of 1,000,000 bytes"


def test_text_of_exactly_the_size_limit_is_read():
    data = text_493().encode()
    data += b"\n" + b" " * (MAX_TEXT_BYTES - len(data) - 1)

    assert len(data) == MAX_TEXT_BYTES
    assert len(parse_resolution(data).commitments) == 12


def test_missing_resolution_number():
    lines = lines_493()
    lines[6] = ""  # "### RESOLUTION 493\*"
    error = parse_error("\n".join(lines))

    assert error.message == (
        'no resolution number found (expected a heading such as "RESOLUTION 493")'
    )
    assert error.line is None


def test_no_numbered_paragraphs():
    error = parse_error("## A TITLE\n\n### RESOLUTION 493\n\nThe Assembly,\n\nStressing that x;\n")

    assert error.message == 'no numbered paragraphs found (such as "1. Stressing that …")'
    assert error.line is None


def test_duplicate_paragraph_number():
    lines = lines_493()
    lines[28] = lines[28].replace("12.", "11.", 1)
    error = parse_error("\n".join(lines))

    assert (error.message, error.line) == ("paragraph 11 appears twice", 29)
    assert str(error) == "line 29: paragraph 11 appears twice"


def test_missing_paragraph_number():
    lines = lines_493()
    lines[21] = ""  # paragraph 10
    error = parse_error("\n".join(lines))

    assert (error.message, error.line) == ("paragraph 10 is missing (found 11)", 28)
    assert str(error) == "line 28: paragraph 10 is missing (found 11)"


def test_first_paragraph_missing():
    error = parse_error(resolution("2. Noting x;"))

    assert (error.message, error.line) == ("paragraph 1 is missing (found 2)", 7)


def test_gap_in_sub_clause_letters():
    lines = lines_493()
    lines[47] = ""  # "- c. …"
    error = parse_error("\n".join(lines))

    assert (error.message, error.line) == ("sub-clause c is missing in paragraph 25 (found d)", 49)


def test_sub_clause_letter_twice():
    lines = lines_493()
    lines[48] = lines[48].replace("- d.", "- c.", 1)
    error = parse_error("\n".join(lines))

    assert (error.message, error.line) == ("sub-clause c appears twice in paragraph 25", 49)


def test_sub_clauses_not_starting_at_a():
    error = parse_error(resolution("1. URGES the Allies:", "b. to act;"))

    assert (error.message, error.line) == ("sub-clause a is missing in paragraph 1 (found b)", 8)


def test_operative_verb_followed_by_nothing():
    text = "\n".join(lines_493()[:44])  # ends with "25. **URGES** the governments …:"
    error = parse_error(text)

    assert (error.message, error.line) == ("paragraph 25 (URGES) has no text after the verb", 44)


def test_operative_verb_alone():
    error = parse_error(resolution("1. Noting x;", "2. **URGES**"))

    assert (error.message, error.line) == ("paragraph 2 (URGES) has no text after the verb", 8)


def test_paragraph_number_without_text():
    error = parse_error(resolution("1. Noting x;", "2."))

    assert (error.message, error.line) == ("paragraph 2 has no text", 8)


def test_impossible_adoption_date():
    lines = lines_493()
    lines[25] = lines[25].replace("Monday 25 November 2024", "31 February 2024")
    error = parse_error("\n".join(lines))

    assert (error.message, error.line) == ('"31 February 2024" is not a valid date', 26)


def test_error_is_a_value_error():
    assert issubclass(ResolutionParseError, ValueError)
    assert str(ResolutionParseError("the file is empty")) == "the file is empty"
    assert (
        str(ResolutionParseError("paragraph 3 has no text", 9)) == "line 9: paragraph 3 has no text"
    )
