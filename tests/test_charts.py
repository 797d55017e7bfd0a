"""partnerships.charts: bar charts as SVG."""

from django.utils import translation

from partnerships import charts
from partnerships.money import format_eur


def test_bars_are_scaled_to_the_largest_value():
    svg = charts.bar_chart([charts.Row("Kayes", 40), charts.Row("Kidal", 10)])
    span = charts.WIDTH - charts.LABEL_WIDTH - 90
    assert f'width="{span:.1f}"' in svg
    assert f'width="{span / 4:.1f}"' in svg
    assert svg.count('class="chart-bar"') == 2
    assert 'aria-hidden="true"' in svg  # the table beside it carries the figures


def test_labels_are_escaped_and_shortened():
    svg = charts.bar_chart([charts.Row("<script>", 1), charts.Row("x" * 50, 2)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "x" * 50 not in svg and "…" in svg


def test_no_rows_no_bars():
    assert "chart-bar" not in charts.bar_chart([])


def test_numbers_are_written_as_readers_expect():
    with translation.override("fr"):
        assert charts.fmt(1234567) in {"1\xa0234\xa0567", "1\u202f234\u202f567", "1 234 567"}
        assert charts.fmt("82734.50").replace("\xa0", " ").replace("\u202f", " ") == "82 735"
    with translation.override("en"):
        assert charts.fmt(1234567) == "1,234,567"


def test_amounts_in_a_chart_are_written_as_on_the_pages():
    rows = [charts.Row("Santé", 460000)]
    with translation.override("fr"):
        assert ">460\xa0000\xa0€<" in charts.bar_chart(rows, value_format=format_eur)
    with translation.override("en"):
        assert ">€460,000<" in charts.bar_chart(rows, value_format=format_eur)
        assert ">460,000<" in charts.bar_chart(rows)
