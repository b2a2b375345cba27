"""A small streaming XLSX writer: sheets of rows written as SpreadsheetML text straight into the
zip file, one sheet after the other.

Why not openpyxl, even in write-only mode: it builds an lxml element for every cell, about 15 µs
each on this machine, and a full export holds a million cells (25,000 actions, 50,000 evidence
records): 15 s for the cells alone, where the target is 10,000 actions a second. Here a cell is
one formatted string. What the reports need, and only that: text, numbers, dates and date-times,
a few fixed styles (bold, wrapped, date formats, status fills), column widths, a frozen header
and a filter on it, document properties. Strings are written inline (no shared-string table
to hold in memory); the zip entries are deflated at level 1, which is several times faster than
the default for a file about 15 % larger.
"""

import datetime
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr  # for the few texts outside the rows

from openpyxl.utils import get_column_letter

# Characters XML 1.0 does not allow: dropped, as openpyxl refuses them.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (leap bug included)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


class Style:
    """Indexes into the cellXfs of STYLES below."""

    NONE = 0
    HEADER = 1  # bold, wrapped, top-aligned
    BOLD = 2
    WRAP = 3
    DATE = 4  # yyyy-mm-dd
    DATETIME = 5  # yyyy-mm-dd hh:mm
    FILL = 6  # + the index of the fill colour in Workbook(fills=…)


class Workbook:
    def __init__(self, out, *, fills: list[str] = (), title="", subject="", creator=""):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.fills = list(fills)
        self.properties = {"title": title, "subject": subject, "creator": creator}
        self.sheets: list[str] = []

    def sheet(self, title: str, widths: list[float], *, freeze: str = "A2") -> "Sheet":
        self.sheets.append(title[:31])
        return Sheet(self, len(self.sheets), widths, freeze)

    def close(self):
        self._write("[Content_Types].xml", self._content_types())
        self._write("_rels/.rels", RELS)
        self._write("docProps/core.xml", self._core())
        self._write("xl/workbook.xml", self._workbook())
        self._write("xl/_rels/workbook.xml.rels", self._workbook_rels())
        self._write("xl/styles.xml", self._styles())
        self.zip.close()

    def _write(self, name, text):
        self.zip.writestr(name, text)

    def _content_types(self):
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            f'package.core-properties+xml"/>{sheets}</Types>'
        )

    def _core(self):
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        p = {k: escape(_clean(v)) for k, v in self.properties.items()}
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{p['title']}</dc:title><dc:subject>{p['subject']}</dc:subject>"
            f"<dc:creator>{p['creator']}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self):
        sheets = "".join(
            f'<sheet name={quoteattr(_clean(title))} sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(self.sheets, start=1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<workbook {NS} {NS_R}><bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets}</sheets></workbook>"
        )

    def _workbook_rels(self):
        base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{base}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        styles = len(self.sheets) + 1
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{styles}" Type="{base}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )

    def _styles(self):
        fills = "".join(
            '<fill><patternFill patternType="solid">'
            f'<fgColor rgb="FF{colour.lstrip("#").upper()}"/></patternFill></fill>'
            for colour in self.fills
        )
        fill_xfs = "".join(
            f'<xf numFmtId="0" fontId="0" fillId="{2 + n}" borderId="0" applyFill="1"/>'
            for n in range(len(self.fills))
        )
        top_wrap = '<alignment wrapText="1" vertical="top"/>'
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet {NS}><numFmts count="2">'
            '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
            '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            f'<fills count="{2 + len(self.fills)}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{Style.FILL + len(self.fills)}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1" '
            f'applyAlignment="1">{top_wrap}</xf>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/>'
            f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1">'
            f"{top_wrap}</xf>"
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
            f"{fill_xfs}</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


class Sheet:
    """Rows appended in order. A value is a string, a number, a date, a datetime or None; a
    (value, style) pair gives it a style. Dates get their format without asking."""

    def __init__(self, book: Workbook, number: int, widths: list[float], freeze: str):
        self.name = f"xl/worksheets/sheet{number}.xml"
        self.stream = book.zip.open(self.name, "w")
        self.letters = [get_column_letter(n) for n in range(1, len(widths) + 1)]
        self.rows = 0
        self.filter = ""
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
            for n, w in enumerate(widths, start=1)
        )
        self.buffer = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet {NS} {NS_R}><sheetViews><sheetView workbookViewId="0">',
            _pane(freeze),
            f"</sheetView></sheetViews><cols>{cols}</cols><sheetData>",
        ]

    def append(self, values) -> None:
        self.rows += 1
        number = str(self.rows)
        out = [f'<row r="{number}">']
        add = out.append
        for letter, value in zip(self.letters, values, strict=False):
            if value is None:
                continue
            style = 0
            if type(value) is tuple:
                value, style = value
                if value is None:
                    continue
            kind = type(value)
            if kind is str:
                if value:
                    add(_inline(f"{letter}{number}", style, value))
            elif kind is int or kind is float:
                add(f'<c r="{letter}{number}" s="{style}"><v>{value}</v></c>')
            elif kind is datetime.datetime:
                serial = _serial(value)
                add(f'<c r="{letter}{number}" s="{style or Style.DATETIME}"><v>{serial}</v></c>')
            elif kind is datetime.date:
                days = (value - EPOCH).days
                add(f'<c r="{letter}{number}" s="{style or Style.DATE}"><v>{days}</v></c>')
            elif kind is bool:
                add(f'<c r="{letter}{number}" s="{style}" t="b"><v>{int(value)}</v></c>')
            else:
                add(_inline(f"{letter}{number}", style, str(value)))
        add("</row>")
        self.buffer.append("".join(out))
        if len(self.buffer) >= 500:
            self._flush()

    def auto_filter(self, first_row: int) -> None:
        """A filter on the header in `first_row` over every row written."""
        self.filter = f"{self.letters[0]}{first_row}:{self.letters[-1]}{self.rows}"

    def close(self) -> None:
        self.buffer.append("</sheetData>")
        if self.filter:
            self.buffer.append(f'<autoFilter ref="{self.filter}"/>')
        self.buffer.append("</worksheet>")
        self._flush()
        self.stream.close()

    def _flush(self):
        # Characters XML forbids can only come from the texts: one pass over the block removes
        # them, cheaper than one per cell.
        self.stream.write(ILLEGAL.sub("", "".join(self.buffer)).encode("utf-8"))
        self.buffer = []


def _pane(freeze: str) -> str:
    match = re.fullmatch(r"([A-Z]+)(\d+)", freeze)
    column = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(match[1]))) - 1
    row = int(match[2]) - 1
    if not column and not row:
        return ""
    active = "bottomRight" if column and row else "bottomLeft" if row else "topRight"
    split = (f' xSplit="{column}"' if column else "") + (f' ySplit="{row}"' if row else "")
    return (
        f'<pane{split} topLeftCell="{freeze}" activePane="{active}" state="frozen"/>'
        f'<selection pane="{active}" activeCell="{freeze}" sqref="{freeze}"/>'
    )


def _inline(ref: str, style: int, value: str) -> str:
    """A text cell: escaped, with its spaces kept when it starts or ends with one."""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value[0] == " " or value[-1] == " " else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _serial(moment: datetime.datetime) -> float:
    delta = moment.replace(tzinfo=None) - datetime.datetime(1899, 12, 30)
    return round(delta.days + delta.seconds / 86400, 8)


def _clean(value) -> str:
    return ILLEGAL.sub("", str(value or ""))


RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)
