"""A bar chart of status counts, drawn on the server as SVG for the PDF report.

Accessible and printable: the SVG has a <title> and a <desc> that says every count in words,
each segment carries its status symbol (and its count when there is room), and the legend pairs
each colour with its symbol and name, so a black-and-white print still reads.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .data import STATUS_SYMBOLS, Status, status_labels

# Background and ink of each status, as on the matrix page (static/css/tracker.css).
STATUS_COLOURS = {
    Status.NO_INFORMATION: ("#eceff2", "#3d4650"),
    Status.NOT_STARTED: ("#fde2e1", "#7a1414"),
    Status.IN_PROGRESS: ("#fff1c2", "#5c4300"),
    Status.PARTIAL: ("#dcecff", "#0a3d73"),
    Status.IMPLEMENTED: ("#d6f0dc", "#14532d"),
    Status.NOT_APPLICABLE: ("#ece6f5", "#47306b"),
}
# Left to right: the furthest along first, "no information" last.
STACK_ORDER = [
    Status.IMPLEMENTED,
    Status.PARTIAL,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.NOT_APPLICABLE,
    Status.NO_INFORMATION,
]


@dataclass
class Bar:
    label: str  # "25.e"
    counts: dict[str, int]


WIDTH = 680
LABEL_WIDTH = 58
TOTAL_WIDTH = 34
ROW = 22
BAR = 16
FONT = "DejaVu Sans, Liberation Sans, sans-serif"


def status_bar_chart(bars: list[Bar], *, title: str, chart_id: str = "chart") -> SafeString:
    """Horizontal stacked bars, one per commitment (or per resolution), segments per status."""
    labels = status_labels()
    scale_max = max([sum(bar.counts.values()) for bar in bars] + [1])
    # Room for the longest label ("25.e", or "Resolution 493" in a nation's report): bold
    # DejaVu Sans at 10 units is about 6.5 units a character.
    label_width = max(LABEL_WIDTH, 12 + round(6.5 * max([len(bar.label) for bar in bars] + [0])))
    area = WIDTH - label_width - TOTAL_WIDTH
    unit = area / scale_max
    legend_top = len(bars) * ROW + 14
    height = legend_top + 2 * ROW + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" font-size="10">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(bars, labels))}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW
        out.append(
            f'<text x="{label_width - 8}" y="{y + BAR - 4}" text-anchor="end" '
            f'font-weight="bold">{escape(bar.label)}</text>'
        )
        x = float(label_width)
        for status in STACK_ORDER:
            n = bar.counts.get(status, 0)
            if not n:
                continue
            width = n * unit
            fill, ink = STATUS_COLOURS[status]
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(labels[status])}: {n}'
                f"</title></rect>"
            )
            # A symbol always (every segment is at least one nation wide); the count when it fits.
            text = f"{STATUS_SYMBOLS[status]} {n}" if width >= 30 else STATUS_SYMBOLS[status]
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{y + BAR - 4}" text-anchor="middle" '
                f'fill="{ink}">{escape(text)}</text>'
            )
            x += width
        out.append(
            f'<text x="{WIDTH - 2}" y="{y + BAR - 4}" text-anchor="end" fill="#55606b">'
            f"{sum(bar.counts.values())}</text>"
        )
    per_row = 3
    for index, status in enumerate(STACK_ORDER):
        fill, ink = STATUS_COLOURS[status]
        x = label_width + (index % per_row) * (area / per_row)
        y = legend_top + (index // per_row) * ROW
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="22" height="{BAR}" fill="{fill}" '
            f'stroke="#8a949e" stroke-width="0.5"/>'
            f'<text x="{x + 11:.1f}" y="{y + BAR - 4}" text-anchor="middle" fill="{ink}">'
            f"{STATUS_SYMBOLS[status]}</text>"
            f'<text x="{x + 28:.1f}" y="{y + BAR - 4}">{escape(labels[status])}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def describe(bars: list[Bar], labels: dict[str, str]) -> str:
    """The chart in words: "25.a: 3 Implemented, 29 No information. 25.b: …"."""
    parts = []
    for bar in bars:
        counts = [
            f"{bar.counts[status]} {labels[status]}"
            for status in STACK_ORDER
            if bar.counts.get(status)
        ]
        parts.append(f"{bar.label}: {', '.join(counts) or _('no nation')}.")
    return " ".join(parts)
