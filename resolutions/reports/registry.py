"""The report formats, by the name a request uses (`?format=pdf`). Kept apart from base.py,
which every format module imports, so that nothing imports in a circle; the views, the export
links, the form and the background task all read the formats from here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .base import Exporter
from .csv import CsvExporter
from .docx import DocxExporter
from .pdf import PdfExporter
from .xlsx import XlsxExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.format: exporter
    for exporter in (PdfExporter(), DocxExporter(), XlsxExporter(), CsvExporter())
}


@dataclass(frozen=True)
class Link:
    """One export link: a format and, for the CSV's second shape, its extra option."""

    format: str
    label: Promise
    extra: str = ""  # added to the query string, e.g. "rows=statuses"


LINKS: list[Link] = [
    Link("pdf", EXPORTERS["pdf"].label),
    Link("docx", EXPORTERS["docx"].label),
    Link("xlsx", EXPORTERS["xlsx"].label),
    Link("csv", _("CSV by action")),
    Link("csv", _("CSV by nation"), "rows=statuses"),
]


def get(name: str) -> Exporter | None:
    return EXPORTERS.get(name)


def choices() -> list[tuple[str, Promise]]:
    return [(name, exporter.description) for name, exporter in EXPORTERS.items()]
