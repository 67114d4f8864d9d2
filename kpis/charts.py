"""A KPI's sparkline, drawn on the server as a small SVG: its measurements in date order, the baseline and the
target as dashed lines when set. Dates are spaced by their real distance, not evenly."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 120.0, 32.0, 3.0


def _n(value: float) -> str:
    return f"{value:.1f}"


def sparkline(series: list[tuple], *, baseline: Decimal | None = None, target: Decimal | None = None,
              label: str = "") -> SafeString:
    """`series`: (date, value) in date order. An empty series draws nothing (the page says there is no data)."""
    if not series:
        return mark_safe("")
    values = [float(v) for _d, v in series]
    guides = [float(g) for g in (baseline, target) if g is not None]
    low, high = min(values + guides), max(values + guides)
    span = (high - low) or 1.0
    first, last = series[0][0], series[-1][0]
    days = (last - first).days or 1

    def x(day) -> float:
        return PAD + (WIDTH - 2 * PAD) * ((day - first).days / days if len(series) > 1 else 0.5)

    def y(value: float) -> float:
        return PAD + (HEIGHT - 2 * PAD) * (1 - (value - low) / span)

    points = " ".join(f"{_n(x(d))},{_n(y(float(v)))}" for d, v in series)
    lines = []
    for value, css in ((baseline, "kpi-spark-baseline"), (target, "kpi-spark-target")):
        if value is not None:
            level = _n(y(float(value)))
            lines.append(format_html('<line class="{}" x1="0" y1="{}" x2="{}" y2="{}"/>', css, level, _n(WIDTH),
                                     level))
    end = format_html('<circle class="kpi-spark-end" cx="{}" cy="{}" r="2.5"/>', _n(x(last)),
                      _n(y(values[-1])))
    return format_html(
        '<svg class="kpi-spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '{}<polyline class="kpi-spark-line" points="{}"/>{}</svg>',
        _n(WIDTH), _n(HEIGHT), int(WIDTH), int(HEIGHT), label, format_html_join("", "{}", ((line,) for line in lines)),
        points, end)
