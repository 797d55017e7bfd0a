"""Server-rendered SVG bar charts: rows in, SVG markup out (readable without JavaScript).

Each chart is drawn beside a table of the same figures (templates/includes/_chart_bars.html), so
the SVG is decorative for screen readers (aria-hidden) and the table carries the numbers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR = 22  # height of a row
GAP = 6
LABEL_WIDTH = 190
WIDTH = 560


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    href: str = ""
    note: str = ""


def fmt(value, decimals: int = 0) -> str:
    """A number as French (or English) readers write it: 12 345 or 12,345."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def bar_chart(rows: list[Row], decimals: int = 0, value_format=None) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest value, each written by
    ``value_format`` (default: the number, ``fmt``), e.g. ``money.format_eur``."""
    value_format = value_format or (lambda value: fmt(value, decimals))
    top = max((r.value for r in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 90
    height = len(rows) * (BAR + GAP) + GAP
    bars = format_html_join(
        "\n",
        '<g transform="translate(0,{})"><text x="{}" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="0" width="{}" height="{}" class="chart-bar"/>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        (
            (
                GAP + i * (BAR + GAP),
                LABEL_WIDTH - 8,
                round(BAR * 0.7, 1),
                _shorten(r.label),
                LABEL_WIDTH,
                round(span * r.value / top, 1),
                BAR,
                LABEL_WIDTH + round(span * r.value / top, 1) + 6,
                round(BAR * 0.7, 1),
                value_format(r.value),
            )
            for i, r in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        height,
        bars,
    )


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
