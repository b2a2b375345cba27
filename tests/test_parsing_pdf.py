"""Reading what PDF extraction really produces: PDFs typeset in the Assembly's layouts by the tests
(Typst), their text taken by PDFium (what the import uses) and by poppler's pdftotext (which puts
paragraph number, verb and text on lines of their own), one text or a session booklet, English or
French; and every kind of bad PDF. Pure: no database."""

import io
import re
import shutil
import subprocess

import pytest
import typst
from pypdf import PdfWriter

from resolutions.parsing import (
    ResolutionParseError,
    first_difference,
    parse_document,
    parse_resolution,
)
from resolutions.pdftext import text_of_pdf, text_of_upload
from tests import pdf as pdfs

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(not PDFTOTEXT, reason="needs poppler-utils (make system-packages)")


def pdftotext(data: bytes, *options: str) -> str:
    """poppler's reading of the PDF: the layout the parser must cope with besides PDFium's."""
    result = subprocess.run(
        [PDFTOTEXT, *options, "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


EXTRACTIONS = {
    "pdfium": text_of_pdf,
    "pdftotext": pdftotext,
    "pdftotext -raw": lambda data: pdftotext(data, "-raw"),
}


@pytest.fixture(scope="module")
def markdown_493():
    return parse_resolution(pdfs.FIXTURE_493.read_bytes())


@pytest.fixture(scope="module")
def pdf_493():
    return pdfs.make_pdf([pdfs.resolution_493()])


@pytest.fixture(scope="module")
def booklet_pdf():
    return pdfs.make_pdf([pdfs.declaration_489(), pdfs.resolution_493()], booklet=True)


@pytest.fixture(scope="module")
def pdf_493_fr():
    return pdfs.make_pdf([pdfs.resolution_493_fr()], lang="fr")


# --- One text, each extraction ------------------------------------------------------------------


@pytest.mark.parametrize("extraction", sorted(EXTRACTIONS))
def test_resolution_493_reads_the_same_from_its_pdf_as_from_markdown(
    extraction, pdf_493, markdown_493
):
    parsed = parse_resolution(EXTRACTIONS[extraction](pdf_493))
    assert (parsed.document_type, parsed.number) == ("resolution", 493)
    assert parsed.title == markdown_493.title  # printed over two lines
    assert parsed.structure == markdown_493.structure
    assert [c.verb for c in parsed.clauses] == [c.verb for c in markdown_493.clauses]
    assert [c.text for c in parsed.commitments] == [c.text for c in markdown_493.commitments]
    assert (
        parsed.operative[0].addressees
        == "the governments and parliaments of the North Atlantic Alliance"
    )
    assert parsed.committee == "Economics and Security Committee"
    assert str(parsed.adoption_date) == "2024-11-25"
    assert parsed.place == "Montréal, Canada"
    # Running headers, page numbers and the footnote stay out of the text.
    everything = " ".join(c.text for c in parsed.clauses)
    assert "SESA" not in everything and "Presented by" not in everything


def test_pdftotext_puts_number_verb_and_text_on_lines_of_their_own(pdf_493):
    """The layout the parser is tested against above is the one the issue describes."""
    lines = pdftotext(pdf_493).splitlines()
    assert lines[lines.index("25.") + 2].startswith("URGES")
    assert "*" in lines  # the footnote marker alone on its line
    assert "199 SESA 24 E" in lines


def test_number_verb_and_text_on_separate_lines_written_out():
    """The same layout as text, so that a change in poppler cannot hide a regression."""
    text = (
        "199 SESA 24 E\nRESOLUTION 493\n*\nGALVANISING TECHNOLOGICAL ADVANCE TO SUPPORT\n"
        "ALLIED PROSPERITY\nAND SECURITY\nThe Assembly,\n1.\n\nStressing\n\nthat maintaining "
        "superiority is paramount;\n\n2.\n\nURGES\n\nthe governments and parliaments of the North "
        "Atlantic Alliance:\na.\n\nto dedicate more political attention;\n\nb.\n\nto recognise the "
        "full scope.\n\nPresented by the Economics and Security Committee and adopted by the "
        "Plenary Assembly on Monday 25 November 2024,\nMontréal, Canada\n*\n\n1\n"
    )
    parsed = parse_resolution(text)
    assert (
        parsed.title
        == "Galvanising Technological Advance to Support Allied Prosperity and Security"
    )
    assert [(c.number, c.verb) for c in parsed.clauses] == [(1, "Stressing"), (2, "URGES")]
    assert [(c.label, c.text) for c in parsed.commitments] == [
        ("2.a", "to dedicate more political attention;"),
        ("2.b", "to recognise the full scope."),
    ]
    assert parsed.place == "Montréal, Canada" and str(parsed.adoption_date) == "2024-11-25"


@pytest.mark.parametrize(
    ("footnote", "session", "place"),
    [
        (pdfs.ADOPTED_ON, "", "Montréal, Canada"),
        (pdfs.ADOPTED_AT, "70th Annual Session", "Montréal, Canada"),
    ],
    ids=["on Monday 25 November 2024, Montréal", "at the 70th Annual Session"],
)
def test_both_forms_of_the_adoption_footnote(footnote, session, place):
    data = pdfs.make_pdf([pdfs.resolution_493(footnote)], numbers="inline", title_first=True)
    parsed = parse_resolution(text_of_pdf(data))
    assert parsed.session == session
    assert parsed.place == place
    assert str(parsed.adoption_date) == "2024-11-25"
    assert parsed.committee == "Economics and Security Committee"
    assert len(parsed.commitments) == 12


def test_a_title_over_three_lines_and_the_marker_after_the_heading():
    data = pdfs.make_pdf([pdfs.declaration_489()], symbol="", page_numbers=False)
    text = pdftotext(data)
    assert "DECLARATION 489*" in text.splitlines()
    parsed = parse_resolution(text)
    assert parsed.title == (
        "Declaration on Standing with Ukraine and Strengthening the Alliance's Deterrence and "
        "Defence for a Safer Euro-Atlantic Area"
    )  # three lines, one word broken by a hyphen at the end of a line
    assert parsed.document_type == "declaration"
    assert parsed.committee == "Defence and Security Committee"
    assert [c.label for c in parsed.commitments] == ["4.a", "4.b", "4.c", "5", "6"]
    assert [c.verb for c in parsed.operative] == ["CALLS UPON", "URGES", "ENCOURAGES"]


# --- French ----------------------------------------------------------------------------------


@pytest.mark.parametrize("extraction", sorted(EXTRACTIONS))
def test_the_french_493_has_the_english_structure(extraction, pdf_493_fr, markdown_493):
    parsed = parse_resolution(EXTRACTIONS[extraction](pdf_493_fr))
    assert parsed.language == "fr"
    assert (parsed.document_type, parsed.number) == ("resolution", 493)
    assert parsed.title == (
        "Faire progresser la technologie au service de la prospérité et de la sécurité alliées"
    )
    assert parsed.structure == markdown_493.structure
    assert first_difference(markdown_493.structure, "en", parsed) is None
    assert parsed.operative[0].verb == "INVITE INSTAMMENT"
    assert (
        parsed.operative[0].addressees == "les gouvernements et parlements de l'Alliance atlantique"
    )
    assert parsed.preambular[0].verb == "Soulignant"
    assert parsed.committee == "Economics and Security Committee"  # "Présentée par la Commission…"
    assert str(parsed.adoption_date) == "2024-11-25"  # "le lundi 25 novembre 2024"
    assert parsed.commitments[4].text.startswith("à coordonner les contrôles à l'exportation")


def test_a_french_session_footnote():
    text = pdfs.FIXTURE_493_FR.read_text(encoding="utf-8")
    parsed = parse_resolution(text)
    assert parsed.session == "70th Annual Session"
    assert parsed.place == "Montréal, Canada"


def test_french_letters_that_differ_are_named(markdown_493):
    text = pdfs.FIXTURE_493_FR.read_text(encoding="utf-8")
    without_l = text[: text.index("- l. à allouer")]
    french = parse_resolution(without_l)
    message, line = first_difference(markdown_493.structure, "en", french)
    assert message == "sub-clause 25.l of the English text is missing from the French text"
    assert line == french.operative[0].line
    extra = parse_resolution(text + "\n- m. à rendre compte de leurs progrès.\n")
    message, line = first_difference(markdown_493.structure, "en", extra)
    assert message == "sub-clause 25.m of the French text is not in the English text"
    assert line == extra.commitments[-1].line
    shorter = parse_resolution(text[: text.index("25. **INVITE")])
    message, _ = first_difference(markdown_493.structure, "en", shorter)
    assert message == "The French text has 24 paragraphs, the English text 25"


# --- Booklets --------------------------------------------------------------------------------


@pytest.mark.parametrize("extraction", sorted(EXTRACTIONS))
def test_a_booklet_is_split_into_its_texts(extraction, booklet_pdf, markdown_493):
    text = EXTRACTIONS[extraction](booklet_pdf)
    assert "Table of contents" in text
    found = parse_document(text)
    assert [f.name for f in found] == ["Declaration 489", "Resolution 493"]
    assert all(f.error is None for f in found)
    declaration, resolution = (f.parsed for f in found)
    assert declaration.title.startswith("Declaration on Standing with Ukraine")
    assert declaration.committee == "Defence and Security Committee"
    assert len(declaration.commitments) == 5
    assert resolution.title == markdown_493.title
    assert resolution.committee == "Economics and Security Committee"
    assert str(resolution.adoption_date) == "2024-11-25"
    assert [c.text for c in resolution.commitments] == [c.text for c in markdown_493.commitments]
    # Each text keeps its own lines; line numbers are the file's.
    lines = text.split("\n")
    assert "DECLARATION 489" in lines[found[0].first_line - 1]
    assert found[1].first_line > found[0].last_line
    assert "The Assembly," in found[1].source and "Table of contents" not in found[1].source


def test_a_booklet_with_a_missing_sub_clause_names_the_text_and_the_line():
    broken = pdfs.resolution_493()
    broken.paragraphs[-1].subs = [s for s in broken.paragraphs[-1].subs if s["letter"] != "c"]
    text = text_of_pdf(pdfs.make_pdf([pdfs.declaration_489(), broken], booklet=True))
    declaration, resolution = parse_document(text)
    assert declaration.error is None
    assert resolution.parsed is None
    assert re.fullmatch(
        r"Resolution 493, line \d+: sub-clause c is missing in paragraph 25 \(found d\)",
        resolution.message,
    )
    line = resolution.error.line
    assert text.split("\n")[line - 1].startswith("d. to enforce")


def test_a_heading_repeated_as_a_running_header_does_not_start_a_text():
    data = pdfs.make_pdf([pdfs.resolution_493()], symbol="RESOLUTION 493")
    found = parse_document(text_of_pdf(data))
    assert [f.name for f in found] == ["Resolution 493"]
    assert len(found[0].parsed.commitments) == 12


# --- Bad PDFs --------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    with pytest.raises(ResolutionParseError, match="the file is empty"):
        parse_document(text_of_upload(b""))


def test_a_pdf_without_pages_is_refused():
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    with pytest.raises(ResolutionParseError, match="no pages"):
        text_of_pdf(buffer.getvalue())


def test_an_encrypted_pdf_is_refused(pdf_493):
    writer = PdfWriter(clone_from=io.BytesIO(pdf_493))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ResolutionParseError, match="this PDF is encrypted"):
        text_of_pdf(buffer.getvalue())


def test_a_scanned_pdf_without_a_text_layer_is_refused():
    scan = typst.compile(
        b'#set page(paper: "a4")\n#rect(width: 100%, height: 60%, fill: luma(200))'
    )
    with pytest.raises(ResolutionParseError, match="no text layer; it looks scanned"):
        text_of_pdf(scan)


def test_a_damaged_pdf_is_refused():
    with pytest.raises(ResolutionParseError, match="cannot be read"):
        text_of_pdf(b"%PDF-1.7\n\x00\x01 not really")
