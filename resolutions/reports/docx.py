"""DOCX: the same report as the PDF, for secretaries to edit: real headings (so Word's navigation
pane and table of contents work), real tables, the matrix in a landscape section, page numbers
and a running header.

Word cannot take the SVG chart through python-docx, so its numbers come as the "status counts
per commitment" table, each status with its symbol.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .base import Exporter
from .charts import STATUS_COLOURS
from .data import ReportData, ResolutionReport

BRAND = RGBColor(0x00, 0x33, 0x66)
SECT_PR = qn("w:sectPr")
MUTED = RGBColor(0x55, 0x60, 0x6B)


class DocxExporter(Exporter):
    format = "docx"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    label = gettext_lazy("Word")
    description = gettext_lazy("Word (to edit)")
    weight = 2  # 1.2–1.5 s for 885 actions, like the PDF: docs/performance.md

    def render(self, report: ReportData, out, progress=None) -> None:
        doc = Document()
        _setup(doc, report)
        _cover(doc, report)
        for index, resolution in enumerate(report.resolutions):
            _summary(doc, report, resolution)
            if resolution.commitments and report.kind != "nation":
                _matrix(doc, report, resolution)
            if report.details:
                _details(doc, report, resolution)
            if progress:
                progress(30 + 55 * (index + 1) // len(report.resolutions))
        doc.save(out)


def _setup(doc, report: ReportData):
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    props = doc.core_properties
    props.title = _("Status report: %(title)s") % {"title": report.title}
    props.subject = report.scope_label
    props.author = report.generated_by or _("Commitment Tracker")
    props.created = report.generated_at
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    # The cover has no running header; every later page does, and a page number.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = " · ".join([report.scope_label, _("Status report"), _day(report.generated_at)])
    _small(header, MUTED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_("Page") + " ")
    _field(footer, "PAGE")
    footer.add_run(" " + _("of") + " ")
    _field(footer, "NUMPAGES")
    _small(footer, MUTED)


def _cover(doc, report: ReportData):
    kicker = doc.add_paragraph(_("NATO Parliamentary Assembly").upper())
    kicker.runs[0].bold = True
    kicker.runs[0].font.color.rgb = BRAND
    scope_line = doc.add_paragraph(report.scope_label + " · " + _("Status report"))
    scope_line.runs[0].font.color.rgb = MUTED
    facts = []
    if report.kind == "resolution":
        resolution = report.resolutions[0]
        title = doc.add_heading(level=0)
        title.add_run(resolution.name + "\n").font.size = Pt(16)
        title.add_run(resolution.title)
        facts.append((_("Committee"), f"{resolution.committee} ({resolution.committee_code})"))
        if resolution.session:
            place = f", {resolution.session_place}" if resolution.session_place else ""
            facts.append((_("Session"), f"{resolution.session}{place}"))
        if resolution.adoption_date:
            facts.append((_("Adopted"), date_format(resolution.adoption_date, "j F Y")))
    else:
        doc.add_heading(report.title, level=0)
        names = ", ".join(r.name for r in report.resolutions) or _("none")
        facts.append((_("Resolutions"), names))
        if report.deadline:
            facts.append((_("Deadline"), date_format(report.deadline, "j F Y")))
    facts += [
        (_("Scope"), report.scope_label),
        (_("Filters"), "; ".join(report.filters) or _("none: every commitment and nation")),
        (
            _("Generated"),
            _("%(when)s by %(who)s")
            % {"when": date_format(report.generated_at, "j F Y, H:i"), "who": report.generated_by}
            if report.generated_by
            else date_format(report.generated_at, "j F Y, H:i"),
        ),
        (
            _("Key figures"),
            ", ".join(
                [
                    ngettext("%(n)s resolution", "%(n)s resolutions", len(report.resolutions))
                    % {"n": len(report.resolutions)},
                    ngettext("%(n)s nation", "%(n)s nations", len(report.nations))
                    % {"n": len(report.nations)},
                    ngettext("%(n)s national action", "%(n)s national actions", report.action_count)
                    % {"n": report.action_count},
                    ngettext(
                        "%(n)s piece of evidence", "%(n)s pieces of evidence", report.evidence_count
                    )
                    % {"n": report.evidence_count},
                ]
            ),
        ),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    _widths(table, [Mm(40), Mm(130)])
    doc.add_paragraph()
    note = doc.add_paragraph(
        _(
            "Statuses are set by each nation's delegation. Actions are listed with their review "
            "state: “Accepted” actions were checked by the International Secretariat; "
            "“Submitted” ones await review."
        )
    )
    _small(note, MUTED)
    if not report.details:
        limit = doc.add_paragraph()
        limit.add_run(report.limit_note).bold = True
    legend = doc.add_paragraph()
    legend.add_run(_("Status symbols:") + " ").bold = True
    legend.add_run("   ".join(f"{s.symbol} {s.label}" for s in report.statuses))
    doc.add_page_break()


def _summary(doc, report: ReportData, resolution: ResolutionReport):
    several = len(report.resolutions) > 1 or report.kind == "nation"
    prefix = f"{resolution.name}: " if several else ""
    doc.add_heading(prefix + _("Status counts per commitment"), level=1)
    if several:
        doc.add_paragraph(resolution.title).runs[0].font.color.rgb = MUTED
    if not resolution.commitments:
        doc.add_paragraph(_("No commitment matches these filters."))
        return
    statuses = report.statuses
    table = doc.add_table(rows=1, cols=len(statuses) + 2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text = _("Commitment")
    for cell, status in zip(head[1:], statuses, strict=False):
        cell.text = f"{status.symbol} {status.label}"
        _shade(cell, STATUS_COLOURS[status.value][0])
    head[-1].text = _("Actions")
    _header_row(table)
    for commitment in resolution.commitments:
        cells = table.add_row().cells
        cells[0].text = commitment.label
        for cell, status in zip(cells[1:], statuses, strict=False):
            cell.text = str(commitment.counts.get(status.value, 0))
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cells[-1].text = str(len(commitment.actions))
        cells[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(table, Pt(8.5))
    if report.kind == "nation":
        doc.add_heading(_("%(nation)s's status per commitment") % {"nation": report.title}, level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, [_("Commitment"), _("Status"), _("Actions")], strict=True
        ):
            cell.text = text
        _header_row(table)
        for commitment in resolution.commitments:
            for nation in commitment.cells:
                if nation.shown:
                    cells = table.add_row().cells
                    cells[0].text = commitment.label
                    cells[1].text = f"{nation.symbol} {nation.status_label}"
                    _shade(cells[1], STATUS_COLOURS[nation.status][0])
                    cells[2].text = str(len(nation.actions))
        _font(table, Pt(9))


def _matrix(doc, report: ReportData, resolution: ResolutionReport):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # only the cover goes without
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    prefix = f"{resolution.name}: " if len(report.resolutions) > 1 else ""
    doc.add_heading(prefix + _("Matrix: status of each commitment by nation"), level=1)
    nations = resolution.nations
    table = doc.add_table(rows=1, cols=len(nations) + 3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    head[0].text = _("Commitment")
    for cell, nation in zip(head[1:], nations, strict=False):
        cell.text = nation.code
    head[-2].text = _("Impl.")
    head[-1].text = _("With info")
    _header_row(table)
    for commitment in resolution.commitments:
        cells = table.add_row().cells
        cells[0].text = commitment.label
        for cell, nation in zip(cells[1:], commitment.cells, strict=False):
            if nation.shown:
                cell.text = nation.symbol
                _shade(cell, STATUS_COLOURS[nation.status][0])
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cells[-2].text = str(commitment.implemented)
        cells[-1].text = str(commitment.with_information)
    _font(table, Pt(7.5))
    usable = 273 - 18 - 2 * 11
    _widths(table, [Mm(18)] + [Mm(usable / max(len(nations), 1))] * len(nations) + [Mm(11)] * 2)
    legend = doc.add_paragraph()
    legend.add_run(_("Symbols:") + " ").bold = True
    legend.add_run("   ".join(f"{s.symbol} {s.label}" for s in report.statuses))
    legend.add_run("   " + _("(empty: left out by a filter)"))
    _small(legend)
    names = doc.add_paragraph()
    names.add_run(_("Nations:") + " ").bold = True
    names.add_run(" · ".join(f"{n.code} {n.name}" for n in nations))
    _small(names)
    back = doc.add_section(WD_SECTION.NEW_PAGE)
    back.different_first_page_header_footer = False
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = Mm(210), Mm(297)
    back.left_margin = back.right_margin = Mm(20)


def _details(doc, report: ReportData, resolution: ResolutionReport):
    several = len(report.resolutions) > 1 or report.kind == "nation"
    prefix = f"{resolution.name}: " if several else ""
    if report.kind == "nation":
        doc.add_page_break()
    doc.add_heading(prefix + _("Commitments in detail"), level=1)
    para = _paragraphs(doc)
    for commitment in resolution.commitments:
        para(commitment.label, "Heading 2")
        quote = para(commitment.text, "Quote")
        quote.paragraph_format.space_after = Pt(6)
        for cell in commitment.reporting:
            heading = para(f"{cell.code}  {cell.name} — ", "Heading 3")
            heading.add_run(f"{cell.symbol} {cell.status_label}")
            if cell.justification:
                p = doc.add_paragraph()
                p.add_run(_("Justification:") + " ").bold = True
                p.add_run(cell.justification)
            if not cell.actions:
                _small(doc.add_paragraph(_("No action reported.")), MUTED)
            for action in cell.actions:
                item = para("", "List Bullet")
                item.add_run(action.title).bold = True
                meta = [action.type_label, action.actor_label, action.stage_label]
                if action.date:
                    meta.append(action.date.isoformat())
                meta.append(action.review_label)
                item.add_run("\n" + " · ".join(meta)).font.color.rgb = MUTED
                if action.description:
                    item.add_run("\n" + action.description)
                if not action.evidence:
                    p = para(_("No evidence attached."), "List Bullet 2")
                    _small(p, MUTED)
                for evidence in action.evidence:
                    p = para("", "List Bullet 2")
                    dated = f" ({evidence.date.isoformat()})" if evidence.date else ""
                    if evidence.kind == "link":
                        p.add_run(_("Link:") + " ").bold = True
                        p.add_run(f"{evidence.title}{dated} — ")
                        _hyperlink(p, evidence.url, evidence.url)
                    else:
                        p.add_run(_("File:") + " ").bold = True
                        name = (
                            f" — {evidence.file_name}"
                            if evidence.file_name and evidence.file_name != evidence.title
                            else ""
                        )
                        p.add_run(f"{evidence.title}{dated}{name} · ")
                        sha = p.add_run(f"SHA-256 {evidence.sha256_prefix}…")
                        sha.font.name = "Consolas"
                        sha.font.color.rgb = MUTED
                    _small(p)
        silent = commitment.silent
        if silent and not commitment.reporting:
            _small(para(_("No nation has reported on this commitment yet."), "Normal"), MUTED)
        elif silent:
            p = para("", "Normal")
            p.add_run(
                ngettext(
                    "No information from %(n)s nation:",
                    "No information from %(n)s nations:",
                    len(silent),
                )
                % {"n": len(silent)}
                + " "
            ).bold = True
            p.add_run(", ".join(cell.code for cell in silent) + ".")
            _small(p, MUTED)


# --- python-docx helpers ---------------------------------------------------------------------


def _link_id(part, url: str) -> str:
    """The relationship id of an external link, one per distinct URL. python-docx's own
    relate_to() compares the URL with every relationship already there and then scans them again
    for a free id: quadratic, 20 s of a report with 2,000 links."""
    ids = part.__dict__.setdefault("_report_link_ids", {})
    if url not in ids:
        rid = f"rIdLink{len(ids) + 1}"
        part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, rid, is_external=True)
        ids[url] = rid
    return ids[url]


def _paragraphs(doc):
    """doc.add_paragraph(text, style), made fast for long reports: python-docx looks the style
    up by scanning every style, and finds where to insert by scanning every paragraph, for each
    paragraph added (most of the time of a large report). The body always ends with its
    section properties, so a new paragraph goes just before them."""
    ids: dict[str, str] = {}
    body = doc.element.body

    def add(text: str, style: str):
        if style not in ids:
            ids[style] = doc.styles[style].style_id
        element = OxmlElement("w:p")
        # body[-1], not len(body): lxml counts children one by one, and the body of a large
        # report holds tens of thousands.
        try:
            last = body[-1]
        except IndexError:
            last = None
        if last is not None and last.tag == SECT_PR:
            last.addprevious(element)
        else:
            body.append(element)
        paragraph = Paragraph(element, doc._body)
        element.style = ids[style]
        if text:
            paragraph.add_run(text)
        return paragraph

    return add


def _day(moment) -> str:
    return date_format(moment, "j F Y")


SMALL = Pt(8.5)


def _small(paragraph, colour=None, size=SMALL):
    for run in paragraph.runs:
        run.font.size = size
        if colour is not None:
            run.font.color.rgb = colour
    return paragraph


def _font(table, size):
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size


def _widths(table, widths):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _header_row(table):
    """The first row is a header: bold, and repeated on each page the table runs over."""
    row = table.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _shade(cell, colour: str):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph, code: str):
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""

    def run_with(element):
        paragraph.add_run()._r.append(element)

    for kind in ("begin", "instr", "separate", "value", "end"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        elif kind == "value":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run_with(element)


def _hyperlink(paragraph, url: str, text: str):
    rel = _link_id(paragraph.part, url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0B4F8A")
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)
