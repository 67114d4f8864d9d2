"""Server-side SVG charts of the listening indicators, in the manner of assessments.charts and experience.charts.

Pure functions: plain data in, an escaped SVG string out (format_html: every label is escaped). No query is made
while drawing. Each chart scales to its box (viewBox, width 100%), so it fits a 390 px screen; every mark has a text
label or a legend entry and a <title>, so colour is never the only cue.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 190
ROW = 26
PALETTE = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626", "#4b5563",
           "#9333ea"]
SENTIMENT_COLOURS = {"negative": "#dc2626", "neutral": "#9ca3af", "positive": "#16a34a"}


def _join(parts) -> SafeString:
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308  (every part is format_html output)


def _svg(height: float, title: str, body) -> SafeString:
    return format_html('<svg class="ls-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
                       'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
                       WIDTH, round(height), title, title, _join(body))


def _short(text: str, limit: int = 28) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(rows: list[tuple[str, float, str]], *, title: str, colour: str = PALETTE[0]) -> SafeString:
    """Horizontal bars: (label, value, the value as text) per row, scaled to the largest value."""
    top = max((value for _label, value, _text in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    body = []
    for index, (label, value, text) in enumerate(rows):
        y = 6 + index * ROW
        length = max(span * value / top, 1 if value else 0)
        body.append(format_html(
            '<g><title>{}: {}</title><text class="ls-label" x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="16" rx="2" fill="{}"></rect>'
            '<text class="ls-value" x="{}" y="{}">{}</text></g>',
            label, text, LABEL_WIDTH - 8, y + 13, _short(label), LABEL_WIDTH, y, round(length, 1), colour,
            LABEL_WIDTH + length + 6, y + 13, text))
    return _svg(12 + len(rows) * ROW, title, body)


def sentiment_bars(rows: list[tuple[str, int, int, int]], *, title: str, labels: dict) -> SafeString:
    """One 100% bar per row split into negative, neutral and positive, each part with its share written in it when
    it is wide enough; a legend under the bars names the colours."""
    span = WIDTH - LABEL_WIDTH - 50
    body = []
    for index, (label, negative, neutral, positive) in enumerate(rows):
        y = 6 + index * ROW
        n = negative + neutral + positive
        body.append(format_html('<text class="ls-label" x="{}" y="{}" text-anchor="end">{}</text>',
                                LABEL_WIDTH - 8, y + 13, _short(label)))
        x = LABEL_WIDTH
        for key, count in (("negative", negative), ("neutral", neutral), ("positive", positive)):
            if not n or not count:
                continue
            width = span * count / n
            share = f"{round(100 * count / n)} %"
            body.append(format_html(
                '<g><title>{} · {}: {} ({})</title><rect x="{}" y="{}" width="{}" height="16" fill="{}"></rect>{}</g>',
                label, labels[key], count, share, round(x, 1), y, round(width, 1), SENTIMENT_COLOURS[key],
                format_html('<text class="ls-in" x="{}" y="{}">{}</text>', round(x + 3, 1), y + 12, share)
                if width > 34 else ""))
            x += width
        body.append(format_html('<text class="ls-value" x="{}" y="{}">n = {}</text>', LABEL_WIDTH + span + 6,
                                y + 13, n))
    y = 12 + len(rows) * ROW
    body.append(_legend([(labels[key], SENTIMENT_COLOURS[key]) for key in ("negative", "neutral", "positive")], y))
    return _svg(y + 22, title, body)


def _legend(entries: list[tuple[str, str]], y: float) -> SafeString:
    parts, x = [], 8
    for name, colour in entries:
        parts.append(format_html('<rect x="{}" y="{}" width="12" height="12" fill="{}"></rect>'
                                 '<text class="ls-label" x="{}" y="{}">{}</text>', x, y, colour, x + 16, y + 10,
                                 _short(name, 22)))
        x += 30 + 7 * len(_short(name, 22))
        if x > WIDTH - 120:
            x, y = 8, y + 18
    return _join(parts)


def lines(series: list[tuple[str, list[float | None]]], buckets: list[date], *, title: str, low: float = 0,
          high: float | None = None, percent: bool = False, granularity: str = "month") -> SafeString:
    """One line per series over the weeks or months; a gap where a value is None (no mention that period). The
    axis shows the lowest and highest values and the first, middle and last periods; a legend names the lines."""
    values = [v for _name, points in series for v in points if v is not None]
    high = high if high is not None else max(values, default=1) or 1
    left, right, top, height = 48, WIDTH - 12, 12, 180
    span_x = (right - left) / max(len(buckets) - 1, 1)

    def y_of(value):
        return top + height - (value - low) / ((high - low) or 1) * height

    def shown(value):
        return f"{round(100 * value)} %" if percent else f"{round(value)}"

    body = [format_html('<line class="ls-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>', left, top + height,
                        right, top + height),
            format_html('<text class="ls-tick" x="{}" y="{}" text-anchor="end">{}</text>', left - 4,
                        top + height + 4, shown(low)),
            format_html('<text class="ls-tick" x="{}" y="{}" text-anchor="end">{}</text>', left - 4, top + 4,
                        shown(high))]
    if low < 0 < high:
        body.append(format_html('<line class="ls-zero" x1="{}" y1="{}" x2="{}" y2="{}"></line>', left, y_of(0),
                                right, y_of(0)))
    fmt = "SHORT_DATE_FORMAT" if granularity == "week" else "YEAR_MONTH_FORMAT"
    for index in sorted({0, len(buckets) // 2, len(buckets) - 1}) if buckets else ():
        anchor = "start" if index == 0 else "end" if index == len(buckets) - 1 else "middle"
        body.append(format_html('<text class="ls-tick" x="{}" y="{}" text-anchor="{}">{}</text>',
                                round(left + index * span_x, 1), top + height + 18, anchor,
                                date_format(buckets[index], fmt)))
    for number, (name, points) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        runs, current = [], []
        for index, value in enumerate(points):
            if value is None:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append((round(left + index * span_x, 1), round(y_of(value), 1), index, value))
        if current:
            runs.append(current)
        for run in runs:
            path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _index, _v) in enumerate(run))
            body.append(format_html('<path d="{}" fill="none" stroke="{}" stroke-width="2"></path>', path, colour))
            body.append(format_html_join("", '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{} · {}: {}</title>'
                                         "</circle>",
                                         ((x, y, colour, name, date_format(buckets[index], fmt), shown(value))
                                          for x, y, index, value in run)))
    legend_y = top + height + 30
    body.append(_legend([(name, PALETTE[n % len(PALETTE)]) for n, (name, _points) in enumerate(series)], legend_y))
    return _svg(legend_y + 28 + 18 * (len(series) // 4), title, body)
