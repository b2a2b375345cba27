"""Each report format, made and read back: PDF (pdftotext, pypdf), DOCX (python-docx), XLSX
(openpyxl), CSV (csv); their counts and texts match the database, nobody's export holds
another delegation's drafts, and formula-like cells are neutralised. The PDF is tagged, with its
language set, in English and in French."""

import csv
import datetime
import io
import itertools
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from pypdf import PdfReader

from resolutions import permissions
from resolutions.models import Evidence
from resolutions.reports.base import safe_cell
from resolutions.reports.columns import ACTION_COLUMNS
from resolutions.reports.csv import csv_blocks
from resolutions.reports.data import ActionRow, gather_report
from resolutions.reports.pdf import typst_data
from resolutions.reports.registry import EXPORTERS
from resolutions.reports.scope import read_scope

from .reports_helpers import FORMULAS, add_formula_actions, build_world

pytestmark = pytest.mark.django_db
DATE = "yyyy-mm-dd"
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # poppler-utils (make system-packages)

DRAFTS = {"CA draft: chip guidance", "FR brouillon confidentiel"}
ACCEPTED = {"Export Control Act amended", "Bundestag hearing on leakage"}
SHOWN = ACCEPTED | {"Loi de programmation militaire"}  # with the one awaiting review


@pytest.fixture
def world(resolution_493, editor_ca, editor_fr, secretary, admin_user):
    return build_world(
        resolution_493,
        editor_ca=editor_ca, editor_fr=editor_fr, secretary=secretary, admin_user=admin_user,
    )  # fmt: skip


def export(fmt, user, resolution, **query) -> bytes:
    """The report with the actions awaiting review (`submitted=""` leaves them out)."""
    query = {"scope": "resolution", "id": str(resolution.pk), "submitted": "1", **query}
    scope = read_scope(user, query)
    out = io.BytesIO()
    made = EXPORTERS[fmt].write(scope, out)
    assert made.filename.endswith(f".{EXPORTERS[fmt].extension}")
    return out.getvalue()


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def visible_titles(user, resolution) -> set[str]:
    """What the user sees on screen, less drafts and returned actions (never in a report)."""
    actions = permissions.visible_actions(user).filter(
        commitment__resolution=resolution, review_state__in=["accepted", "submitted"]
    )
    return set(actions.values_list("title", flat=True))


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_says_what_the_database_says(world, secretary, tmp_path):
    data = export("pdf", secretary, world.resolution)
    reader = PdfReader(io.BytesIO(data))
    text = pdf_text(data, tmp_path)
    # Cover: number, title, committee, session, scope, generation date.
    assert "Resolution 493" in text
    assert "Galvanising Technological Advance" in text
    assert "Economics and Security Committee (ESC)" in text
    assert "70th Annual Session, Montréal" in text
    assert datetime.date.today().strftime("%-d %B %Y") in text
    # Page numbers and the running header on every page but the cover.
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count("Resolution 493 · Status report") >= pages - 1
    # A4 portrait, with the matrix on an A4 landscape page whose heads are the 32 nation codes.
    sizes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    assert sizes[0] == (595, 842) and (842, 595) in sizes
    matrix_page = reader.pages[sizes.index((842, 595))].extract_text()
    assert all(code in matrix_page for code in ("AL", "CA", "FR", "DE", "US", "TR"))
    assert "United States of America" in matrix_page  # the legend of the codes
    # Details: statuses, justifications, actions, evidence by SHA-256 prefix or link.
    for title in SHOWN:
        assert text.count(title) == 1
    assert "Export Control Act 2025 in force since 1 March" in text
    assert f"SHA-256 {world.file_sha[:12]}" in text
    assert world.link_url in text
    assert not DRAFTS & set(text.splitlines())
    assert "CA draft" not in text and "brouillon" not in text


def test_pdf_of_an_editor_holds_their_own_drafts_only_on_request(world, editor_ca, tmp_path):
    text = pdf_text(export("pdf", editor_ca, world.resolution), tmp_path)
    assert "CA draft" not in text
    text = pdf_text(export("pdf", editor_ca, world.resolution, drafts="1"), tmp_path)
    assert "CA draft: chip guidance" in text
    assert "CA draft memo" in text  # its evidence
    assert "Draft, not submitted" in text  # marked
    assert "brouillon" not in text


def test_pdf_chart_is_svg_with_a_title_a_description_and_symbols(world, secretary):
    scope = read_scope(secretary, {"scope": "resolution", "id": str(world.resolution.pk)})
    [section] = typst_data(gather_report(scope))["sections"]
    svg = section["chart_svg"]
    assert 'role="img"' in svg and "<title id=" in svg
    assert "Resolution 493: status counts per commitment</title>" in svg
    description = svg[svg.index("<desc") : svg.index("</desc>")]
    assert "25.e: 1 Implemented, 1 Partially implemented, 1 In progress, 29 No information." in (
        description
    )
    assert description.split(">", 1)[1] in section["chart_alt"]  # the PDF's alternative text
    assert svg.count("<rect") >= 12 + 6  # a segment at least per commitment, a legend swatch each
    assert ">● Implemented<" not in svg and ">Implemented</text>" in svg  # words in the legend


def test_pdf_is_tagged_and_says_its_language(world, secretary, tmp_path):
    reader = PdfReader(io.BytesIO(export("pdf", secretary, world.resolution)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # headings, tables and reading order for screen readers
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Status report: " + str(world.resolution)


def test_pdf_in_french_is_written_in_french(world, secretary, tmp_path):
    data = export("pdf", secretary, world.resolution, language="fr")
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    text = pdf_text(data, tmp_path)
    pages = len(reader.pages)
    # Words from Django's own French catalogue (the tracker's is being written): the month
    # and the country names prove the report was made under French.
    assert "novembre 2024" in text
    assert "Canada" in text and "Allemagne" in text
    assert f"{pages}" in text


def test_pdf_leaves_actions_awaiting_review_out_unless_asked(world, secretary, tmp_path):
    text = pdf_text(export("pdf", secretary, world.resolution, submitted=""), tmp_path)
    assert "Export Control Act amended" in text
    assert "Loi de programmation militaire" not in text
    assert "Accepted actions only" in text
    text = pdf_text(export("pdf", secretary, world.resolution), tmp_path)
    assert "Loi de programmation militaire" in text
    assert "Submitted, awaiting review" in text


# --- DOCX ------------------------------------------------------------------------------------


def test_docx_has_real_headings_tables_and_the_same_content(world, secretary):
    document = Document(io.BytesIO(export("docx", secretary, world.resolution)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]  # fmt: skip  # noqa: E501
    assert ("Title", "Resolution 493\nGalvanising Technological Advance to Support Allied "
            "Prosperity and Security") in headings  # fmt: skip
    assert ("Heading 1", "Matrix: status of each commitment by nation") in headings
    assert [t for s, t in headings if s == "Heading 2"] == [f"25.{x}" for x in "abcdefghijkl"]
    assert ("Heading 3", "CA  Canada — ● Implemented") in headings
    text = docx_text(document)
    for title in SHOWN:
        assert title in text
    assert not any(draft in text for draft in DRAFTS)
    assert f"SHA-256 {world.file_sha[:12]}" in text
    assert "Export Control Act 2025 in force since 1 March" in text
    # The matrix: a landscape section, 12 commitments x 32 nations (+ label and two totals).
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    matrix = next(t for t in document.tables if len(t.columns) == 35)
    assert len(matrix.rows) == 13
    header = [c.text for c in matrix.rows[0].cells]
    assert header[1:4] == ["AL", "BE", "BG"] and "CA" in header
    row_e = next(r for r in matrix.rows if r.cells[0].text == "25.e")
    assert row_e.cells[header.index("CA")].text == "●"
    # The header and page numbers on every page but the cover's.
    cover, *others = document.sections
    assert cover.different_first_page_header_footer
    assert "Resolution 493 · Status report" in cover.header.paragraphs[0].text
    assert not any(section.different_first_page_header_footer for section in others)
    assert all(section.header.is_linked_to_previous for section in others)
    assert 'w:instrText xml:space="preserve"> PAGE </w:instrText>' in cover.footer._element.xml
    assert document.core_properties.title.startswith("Status report: Resolution 493")


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_has_four_filtered_frozen_sheets_matching_the_database(world, secretary):
    book = load_workbook(io.BytesIO(export("xlsx", secretary, world.resolution)))
    assert book.sheetnames == ["Summary", "Matrix", "Actions", "Evidence"]
    for name in ("Matrix", "Actions", "Evidence"):
        sheet = book[name]
        assert sheet.freeze_panes in {"A2", "C2"}
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
        assert sheet.column_dimensions["B"].width >= 10
    summary = book["Summary"]
    assert summary["B1"].value == str(world.resolution)
    assert summary.freeze_panes == "A7" and summary.auto_filter.ref.startswith("A6:")
    assert isinstance(summary["B4"].value, datetime.datetime)
    header = [c.value for c in summary[6]]
    row_e = next(r for r in summary.iter_rows(min_row=7, values_only=True) if r[1] == "25.e")
    assert row_e[header.index("Implemented")] == 1
    assert row_e[header.index("In progress")] == 1
    assert row_e[header.index("Actions")] == 2

    matrix = book["Matrix"]
    heads = [c.value for c in matrix[1]]
    assert len(heads) == 2 + 32 + 2 and "CA Canada" in heads
    rows = {r[1]: r for r in matrix.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 12
    assert rows["25.e"][heads.index("CA Canada")] == "Implemented"
    assert rows["25.a"][heads.index("DE Germany")] == "Not applicable"

    actions = list(book["Actions"].iter_rows(values_only=True))
    heads = actions[0]
    by_title = {r[heads.index("Action")]: r for r in actions[1:]}
    assert set(by_title) == visible_titles(secretary, world.resolution) == SHOWN
    canada = by_title["Export Control Act amended"]
    assert canada[heads.index("Date")] == datetime.datetime(2025, 3, 1)  # a real date
    assert canada[heads.index("Status")] == "Implemented"
    assert canada[heads.index("Evidence items")] == 2
    row = 2 + [r[heads.index("Action")] for r in actions[1:]].index("Export Control Act amended")
    assert book["Actions"].cell(row=row, column=heads.index("Date") + 1).number_format == DATE

    evidence = list(book["Evidence"].iter_rows(values_only=True))
    heads = evidence[0]
    assert len(evidence) - 1 == Evidence.objects.filter(action__title__in=SHOWN).count() == 4
    shas = {r[heads.index("SHA-256")] for r in evidence[1:]}
    assert world.file_sha in shas
    assert world.link_url in {r[heads.index("Link")] for r in evidence[1:]}


def test_xlsx_of_the_french_editor_holds_french_drafts_not_canadian(world, editor_fr):
    book = load_workbook(io.BytesIO(export("xlsx", editor_fr, world.resolution, drafts="1")))
    titles = {r[6] for r in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert titles == SHOWN | {"FR brouillon confidentiel"}
    evidence = {r[5] for r in book["Evidence"].iter_rows(min_row=2, values_only=True)}
    assert "CA draft memo" not in evidence


# --- CSV -------------------------------------------------------------------------------------


def test_csv_has_one_row_per_visible_action(world, viewer):
    rows = csv_rows(export("csv", viewer, world.resolution))
    assert {r["Action"] for r in rows} == visible_titles(viewer, world.resolution) == SHOWN
    canada = next(r for r in rows if r["Nation code"] == "CA")
    updated = canada.pop("Last updated")
    assert canada == {
        "Action ID": str(world.accepted_ca.pk), "Resolution": "Resolution 493",
        "Commitment": "25.e", "Nation code": "CA", "Nation": "Canada", "Status": "Implemented",
        "Action": "Export Control Act amended", "Type": "Legislation", "Actor": "Parliament",
        "Stage": "Completed", "Review state": "Accepted", "Date": "2025-03-01",
        "Evidence items": "2",
        "Justification of the status": "Export Control Act 2025 in force since 1 March",
        "Description": "Covers AI accelerators and their design software.",
    }  # fmt: skip
    assert datetime.datetime.strptime(updated, "%Y-%m-%d %H:%M")
    france = next(r for r in rows if r["Nation code"] == "FR")
    assert (france["Status"], france["Evidence items"]) == ("In progress", "1")
    assert france["Review state"] == "Submitted, awaiting review"


def test_csv_and_xlsx_actions_have_the_same_columns(world, secretary):
    rows = csv_rows(export("csv", secretary, world.resolution))
    book = load_workbook(io.BytesIO(export("xlsx", secretary, world.resolution)))
    heads = [c.value for c in book["Actions"][1]]
    assert list(rows[0]) == heads == [str(c.heading) for c in ACTION_COLUMNS]
    by_id = {r["Action ID"]: r for r in rows}
    for row in book["Actions"].iter_rows(min_row=2, values_only=True):
        assert by_id[str(row[0])]["Action"] == row[6]


def test_csv_of_an_administrator_holds_no_draft(world, admin_user):
    """A report is for circulating: drafts stay with their delegation, even for administrators."""
    rows = csv_rows(export("csv", admin_user, world.resolution))
    assert {r["Action"] for r in rows} == SHOWN


def test_csv_by_nation_has_a_row_per_commitment_and_nation(world, viewer, secretary):
    scope = {"rows": "statuses", "submitted": ""}
    rows = csv_rows(export("csv", viewer, world.resolution, **scope))
    assert len(rows) == 12 * 32  # every nation, with or without an action
    by_key = {(r["Commitment"], r["Nation code"]): r for r in rows}
    canada = by_key["25.e", "CA"]
    assert canada["Status"] == "Implemented"
    assert canada["Justification of the status"] == "Export Control Act 2025 in force since 1 March"
    assert (canada["Accepted actions"], canada["Actions awaiting review"]) == ("1", "0")
    france = by_key["25.e", "FR"]
    assert (france["Accepted actions"], france["Actions awaiting review"]) == ("0", "1")
    assert france["Status"] == "In progress" and france["Last update"]
    italy = by_key["25.e", "IT"]  # a status, no action: still there
    assert (italy["Status"], italy["Accepted actions"]) == ("Partially implemented", "0")
    assert by_key["25.b", "CA"]["Status"] == "No information"
    assert by_key["25.b", "CA"]["Last update"] == ""
    # A status filter keeps only the cells it names.
    filtered = csv_rows(export("csv", secretary, world.resolution, rows="statuses",
                               status="implemented"))  # fmt: skip
    assert [(r["Commitment"], r["Nation code"]) for r in filtered] == [("25.e", "CA")]


def test_csv_writer_pulls_only_the_rows_of_the_blocks_it_yields():
    """Lazy all the way: an endless source still gives its first blocks at once."""
    pulled = []

    def endless():
        for n in itertools.count():
            pulled.append(n)
            yield ActionRow(n, "Resolution 493", 1, "25.e", 1, "CA", "Canada", "Implemented", "",
                            f"Action {n}", "", "", "", "", "accepted", "Accepted", None,
                            datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC), 0)  # fmt: skip

    blocks = csv_blocks(endless(), ACTION_COLUMNS, batch=2)
    first = list(itertools.islice(blocks, 3))
    assert first[0].startswith("\ufeffAction ID,Resolution,Commitment".encode())
    assert first[0].count(b"\r\n") == 1  # the header alone, before any row is read
    assert first[2].startswith(b"2,Resolution 493,25.e,CA,Canada,Implemented,Action 2,")
    assert first[2].count(b"\r\n") == 2
    assert pulled == [0, 1, 2, 3]


# --- Formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("Export Act", "Export Act"), ("", ""),
        ("a=1", "a=1"), (-2, -2), (None, None),
    ],
)  # fmt: skip
def test_safe_cell_neutralises_what_a_spreadsheet_would_run(value, written):
    assert safe_cell(value) == written


def test_formula_cells_are_neutralised_in_csv_and_xlsx(world, secretary, editor_ca):
    add_formula_actions(world.c25e, editor_ca)
    rows = csv_rows(export("csv", secretary, world.resolution))
    titles = {r["Action"] for r in rows}
    assert {"'" + f for f in FORMULAS} <= titles
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)

    book = load_workbook(io.BytesIO(export("xlsx", secretary, world.resolution)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no formula anywhere"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'" + f for f in FORMULAS} <= texts
    assert "'=1+1" in texts  # the descriptions
    assert "'=cmd|' /C calc'!A0" in texts  # an evidence title
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)


# --- Rendering reads nothing more ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_rendering_makes_no_query(world, secretary, fmt):
    scope = read_scope(secretary, {"scope": "resolution", "id": str(world.resolution.pk)})
    report = gather_report(scope)
    with CaptureQueriesContext(connection) as captured:
        EXPORTERS[fmt].render(report, io.BytesIO())
    assert len(captured) == 0


# --- Language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx"])
def test_every_format_is_written_in_the_language_asked_for(world, secretary, fmt):
    """Nation names come from django-countries' French catalogue, which exists already."""

    def text(data: bytes) -> str:
        if fmt == "csv":
            return data.decode("utf-8-sig")
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(data))
            return str([c.value for sheet in book for row in sheet.iter_rows() for c in row])
        return docx_text(Document(io.BytesIO(data)))

    assert "Allemagne" in text(export(fmt, secretary, world.resolution, language="fr"))
    english = text(export(fmt, secretary, world.resolution, language="en"))
    assert "Germany" in english and "Allemagne" not in english


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_resolution_text_is_in_the_reports_language_when_it_exists(world, secretary, fmt):
    """The commitments in French once the French text is imported; before, in English marked."""
    from resolutions.importing import import_resolution
    from resolutions.parsing import parse_resolution
    from tests.pdf import FIXTURE_493_FR

    def text(data: bytes) -> str:
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(data))
            return str([c.value for sheet in book for row in sheet.iter_rows() for c in row])
        return docx_text(Document(io.BytesIO(data)))

    before = text(export(fmt, secretary, world.resolution, language="fr"))
    assert "to coordinate export controls" in before and "(English only)" in before
    french = FIXTURE_493_FR.read_text(encoding="utf-8")
    import_resolution(parse_resolution(french), french)
    after = text(export(fmt, secretary, world.resolution, language="fr"))
    assert "à coordonner les contrôles à l'exportation" in after
    assert "(English only)" not in after
    english = text(export(fmt, secretary, world.resolution, language="en"))
    assert "to coordinate export controls" in english and "à coordonner" not in english
