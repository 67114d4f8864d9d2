"""Server-side SVG of the roadmap: the value/effort matrix and the timeline (a Gantt by quarter).

Pure functions of plain dicts, so the pages and the PDF export draw the same pictures. Every piece of text goes
through format_html (escaped) and fragments are joined as SafeStrings: nothing is marked safe by hand. Coordinates
are formatted by Python, never by the template's localisation, so a French page still gets "12.5", not "12,5".

A matrix point: {"rank", "title", "value" (1–10 or None), "effort" (1–10 or None)}.
A timeline item: {"id", "rank", "title", "start_date", "end_date", "quarter" ("2027-Q2" or ""), "status",
"dependency_ids": [ids of items it depends on]}.
"""

import datetime
import math
import re
from functools import reduce
from operator import add

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INK, MUTED, GRID, BRAND = "#1d2433", "#5f6b7d", "#d5dbe6", "#3154d4"
FONT = "Inter, Segoe UI, Liberation Sans, DejaVu Sans, sans-serif"

# Value and effort are rated 1–10. An item is worth its effort when its value is at least its effort (a value ÷ effort
# score of 1 or more); an effort above the middle (5.5) is a large one. See `quadrant`.
MIDDLE = 5.5
QUADRANTS = {
    "quick_win": (gettext_lazy("Quick wins"), "#e6f5ec"),
    "big_bet": (gettext_lazy("Big bets"), "#e8edfc"),
    "fill_in": (gettext_lazy("Fill-ins"), "#f3f4f7"),
    "money_pit": (gettext_lazy("Money pits"), "#fbeaea"),
}
STATUS_COLOURS = {"idea": "#aab4c5", "planned": "#6d83f2", "in_progress": "#e0a33a", "done": "#3fa06a",
                  "dropped": "#d3d7de"}


def _join(parts) -> SafeString:
    return reduce(add, parts, SafeString(""))


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _n(number: float) -> float | int:
    rounded = round(number, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _svg(width, height, label: str, body: SafeString, css_class: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'font-family="{}" font-size="12">{}</svg>', css_class, _n(width), _n(height), label, FONT, body)


def _text(x, y, text, *, size=12, anchor="start", weight="normal", fill=INK) -> SafeString:
    return format_html('<text x="{}" y="{}" font-size="{}" text-anchor="{}" font-weight="{}" fill="{}">{}</text>',
                       _n(x), _n(y), size, anchor, weight, fill, text)


def _attrs(attrs: dict) -> SafeString:
    """Extra SVG attributes, escaped; keyword names use _ for - (stroke_dasharray → stroke-dasharray)."""
    return format_html_join("", ' {}="{}"', ((name.replace("_", "-"), value) for name, value in attrs.items()
                                            if value is not None))


def _rect(x, y, w, h, fill, stroke="none", rx=0, **attrs) -> SafeString:
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}"{}/>',
                       _n(x), _n(y), _n(w), _n(h), rx, fill, stroke, _attrs(attrs))


def _line(x1, y1, x2, y2, stroke=GRID, **attrs) -> SafeString:
    return format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"{}/>', _n(x1), _n(y1), _n(x2), _n(y2),
                       stroke, _attrs(attrs))


# Value / effort matrix ---------------------------------------------------------------------------------------------


def quadrant(value, effort) -> str | None:
    """Which quadrant a value (1–10) and an effort (1–10) fall in: quick_win, big_bet, fill_in or money_pit.

    Value is weighed against effort, as the value / effort score does: at or above the diagonal (value ≥ effort,
    a score of 1 or more) an item pays for itself, a quick win when the effort is small (1–5), a big bet when it is
    large (6–10); below the diagonal it is a fill-in (small effort) or a money pit (large effort). Judging value
    alone against a fixed middle made a value 5, effort 2 item (the best score, 2.5) a "fill-in" next to value 6,
    effort 9 "big bets" (0.67); now the best-scored items are always quick wins or big bets whenever they score 1
    or more.
    """
    if value is None or effort is None:
        return None
    worth, large = value >= effort, effort > MIDDLE
    if worth:
        return "big_bet" if large else "quick_win"
    return "money_pit" if large else "fill_in"


def quadrant_label(value, effort) -> str:
    key = quadrant(value, effort)
    return str(QUADRANTS[key][0]) if key else ""


def _spread(count: int) -> list[tuple[float, float]]:
    """Offsets for `count` points on the same spot: the first in place, the others on a ring around it."""
    if count == 1:
        return [(0.0, 0.0)]
    radius = 13 if count <= 6 else 17
    return [(radius * math.cos(2 * math.pi * i / count - math.pi / 2),
             radius * math.sin(2 * math.pi * i / count - math.pi / 2)) for i in range(count)]


def _polygon(points, fill) -> SafeString:
    return format_html('<polygon points="{}" fill="{}"/>', " ".join(f"{_n(x)},{_n(y)}" for x, y in points), fill)


# Each quadrant's corners as (effort, value) on the chart's 0.5–10.5 scale: the diagonal value = effort runs from the
# bottom-left corner to the top-right one, the middle of the effort axis splits small from large.
REGIONS = {
    "quick_win": [(0.5, 0.5), (MIDDLE, MIDDLE), (MIDDLE, 10.5), (0.5, 10.5)],
    "big_bet": [(MIDDLE, MIDDLE), (10.5, 10.5), (MIDDLE, 10.5)],
    "fill_in": [(0.5, 0.5), (MIDDLE, 0.5), (MIDDLE, MIDDLE)],
    "money_pit": [(MIDDLE, 0.5), (10.5, 0.5), (10.5, 10.5), (MIDDLE, MIDDLE)],
}


def matrix_svg(points: list[dict]) -> SafeString:
    """Value (up) against effort (across), 1–10 each; every placed item is a dot numbered by its rank.

    The diagonal is value = effort (see `quadrant`): quick wins top left, big bets above it on the right, fill-ins
    under it on the left, money pits bottom right. Points without a value or an effort are left out (list them
    beside the chart).
    """
    left, top, size = 58, 16, 440
    step = size / 10
    half = size / 2

    def at(value, effort):
        return left + (effort - 0.5) * step, top + size - (value - 0.5) * step

    parts = []
    labels = {"quick_win": ("start", left + 10, top + 20), "big_bet": ("start", left + half + 10, top + 20),
              "fill_in": ("end", left + half - 10, top + size - 10),
              "money_pit": ("end", left + size - 10, top + size - 10)}
    for key, corners in REGIONS.items():
        label, fill = QUADRANTS[key]
        parts.append(_polygon([at(value, effort) for effort, value in corners], fill))
        anchor, label_x, label_y = labels[key]
        parts.append(_text(label_x, label_y, str(label), size=13, weight="bold", anchor=anchor, fill=MUTED))
    for tick in range(1, 11):
        x, y = at(tick, tick)
        parts.append(_line(x, top + size, x, top + size + 4, stroke=MUTED))
        parts.append(_text(x, top + size + 17, str(tick), anchor="middle", size=11, fill=MUTED))
        parts.append(_line(left - 4, y, left, y, stroke=MUTED))
        parts.append(_text(left - 8, y + 4, str(tick), anchor="end", size=11, fill=MUTED))
    parts.append(_rect(left, top, size, size, "none", stroke=GRID))
    parts.append(_line(left + half, top, left + half, top + size, stroke="#aab4c5", stroke_dasharray="4 4"))
    parts.append(_line(left, top + size, left + size, top, stroke="#aab4c5", stroke_dasharray="4 4"))  # value = effort
    parts.append(_text(left + half, top + size + 38, _("Effort →"), anchor="middle", weight="bold", fill=MUTED))
    parts.append(format_html('<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle" '
                             'font-weight="bold" fill="{}">{}</text>', _n(top + half), _n(top + half), MUTED,
                             _("Value →")))
    spots: dict[tuple, list[dict]] = {}
    for point in points:
        if point.get("value") and point.get("effort"):
            spots.setdefault((point["value"], point["effort"]), []).append(point)
    for (value, effort), group in sorted(spots.items()):
        x, y = at(value, effort)
        for point, (dx, dy) in zip(sorted(group, key=lambda p: p["rank"]), _spread(len(group)), strict=True):
            parts.append(_dot(x + dx, y + dy, point))
    return _svg(left + size + 12, top + size + 48, _("Value and effort of the roadmap items"), _join(parts),
                "roadmap-matrix")


def _dot(x, y, point) -> SafeString:
    tip = _("%(rank)s. %(title)s: value %(value)s, effort %(effort)s") % {
        "rank": point["rank"], "title": point["title"], "value": point["value"], "effort": point["effort"]}
    return format_html(
        '<g class="dot"><title>{}</title><circle cx="{}" cy="{}" r="11" fill="{}" stroke="#fff" stroke-width="2"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" font-weight="bold" fill="#fff">{}</text></g>',
        tip, _n(x), _n(y), BRAND, _n(x), _n(y + 4), point["rank"])


# Timeline --------------------------------------------------------------------------------------------------------

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_start(year: int, q: int) -> datetime.date:
    return datetime.date(year, 3 * (q - 1) + 1, 1)


def _next_quarter(year: int, q: int) -> tuple[int, int]:
    return (year + 1, 1) if q == 4 else (year, q + 1)


def span(item: dict) -> tuple[datetime.date, datetime.date, bool] | None:
    """(start, end, from_quarter) of an item: its dates, else its quarter ("2027-Q2"), else None."""
    start, end = item.get("start_date"), item.get("end_date")
    if start and end:
        return start, end, False
    match = QUARTER.match(item.get("quarter") or "")
    if match:
        year, q = int(match[1]), int(match[2])
        quarter_start = _quarter_start(year, q)
        quarter_end = _quarter_start(*_next_quarter(year, q)) - datetime.timedelta(days=1)
        return start or quarter_start, end or quarter_end, True
    if start or end:  # one date only: a one-day milestone
        return start or end, start or end, False
    return None


def timeline_rows(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Split items into those the timeline can draw (with "start", "end", "from_quarter") and the others."""
    placed, unplaced = [], []
    for item in items:
        found = span(item)
        if found is None or found[1] < found[0]:
            unplaced.append(item)
        else:
            placed.append({**item, "start": found[0], "end": found[1], "from_quarter": found[2]})
    placed.sort(key=lambda row: (row["start"], row["rank"]))
    return placed, unplaced


def _quarters(rows: list[dict]) -> list[tuple[int, int]]:
    first = _quarter_of(min(row["start"] for row in rows))
    last = _quarter_of(max(row["end"] for row in rows))
    quarters = [first]
    while quarters[-1] != last:
        quarters.append(_next_quarter(*quarters[-1]))
    return quarters


def timeline_svg(rows: list[dict], *, today: datetime.date | None = None) -> SafeString:
    """A Gantt of the placed rows (from timeline_rows): quarters across, one bar per item, arrows for dependencies.

    Bars from a quarter only (no dates) are drawn lighter with a dashed outline.
    """
    if not rows:
        return SafeString("")
    quarters = _quarters(rows)
    label_w, head_h, row_h = 250, 44, 30
    quarter_w = max(70, min(150, 760 / len(quarters)))
    width = label_w + quarter_w * len(quarters) + 16
    height = head_h + row_h * len(rows) + 12

    def x_of(day: datetime.date, *, end=False) -> float:
        if end:
            day = day + datetime.timedelta(days=1)  # the bar covers its last day
        year, q = _quarter_of(day)
        start = _quarter_start(year, q)
        days = (_quarter_start(*_next_quarter(year, q)) - start).days
        index = (year - quarters[0][0]) * 4 + (q - quarters[0][1])
        return label_w + (index + (day - start).days / days) * quarter_w

    parts = [format_html('<defs><marker id="roadmap-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
                         'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="{}"/></marker></defs>',
                         MUTED)]
    parts += _timeline_axis(quarters, label_w, quarter_w, head_h, height)
    ys = {}
    for index, row in enumerate(rows):
        y = head_h + index * row_h
        ys[row["id"]] = y + row_h / 2
        if index % 2:
            parts.append(_rect(0, y, width, row_h, "#f7f8fb"))
        label = _text(8, y + row_h / 2 + 4, f"{row['rank']}. {_clip(row['title'], 34)}", size=12)
        parts.append(format_html("<g><title>{}</title>{}</g>", row["title"], label))
    for row in rows:
        parts.append(_bar(x_of(row["start"]), x_of(row["end"], end=True), ys[row["id"]], row))
    ends = {row["id"]: x_of(row["end"], end=True) for row in rows}
    for row in rows:
        for dependency in row.get("dependency_ids", ()):
            if dependency in ys:
                parts.append(_arrow(ends[dependency], ys[dependency], x_of(row["start"]), ys[row["id"]], row_h))
    if today is not None and x_of(_quarter_start(*quarters[0])) <= x_of(today) < label_w + quarter_w * len(quarters):
        x = x_of(today)
        parts.append(_line(x, head_h - 6, x, height - 8, stroke="#c0392b", stroke_dasharray="3 3"))
        parts.append(_text(x, head_h - 9, _("today"), size=10, anchor="middle", fill="#c0392b"))
    return _svg(width, height, _("Roadmap timeline"), _join(parts), "roadmap-timeline")


def _timeline_axis(quarters, label_w, quarter_w, head_h, height) -> list[SafeString]:
    parts = []
    for index, (year, q) in enumerate(quarters):
        x = label_w + index * quarter_w
        parts.append(_line(x, head_h - 22, x, height - 8))
        label = _("Q%(q)s %(year)s") % {"q": q, "year": year}
        parts.append(_text(x + quarter_w / 2, head_h - 14, label, size=11, anchor="middle", weight="bold",
                           fill=MUTED))
    right = label_w + len(quarters) * quarter_w
    parts.append(_line(right, head_h - 22, right, height - 8))
    parts.append(_line(0, head_h - 2, right, head_h - 2, stroke="#aab4c5"))
    return parts


def _bar(x1, x2, y, row) -> SafeString:
    colour = STATUS_COLOURS.get(row.get("status"), BRAND)
    width = max(x2 - x1, 4)
    tip = f"{row['rank']}. {row['title']}: {row['start'].isoformat()} – {row['end'].isoformat()}"
    if row["from_quarter"]:
        body = _rect(x1, y - 8, width, 16, colour, stroke=colour, rx=4, fill_opacity="0.35",
                     stroke_dasharray="4 3")
    else:
        body = _rect(x1, y - 8, width, 16, colour, rx=4)
    return format_html('<g class="bar"><title>{}</title>{}</g>', tip, body)


def _arrow(x1, y1, x2, y2, row_h) -> SafeString:
    """From the end of the dependency to the start of the item that waits for it. When the item starts before
    the dependency's end plus a little room, the line runs along the gap between rows to come in from the left."""
    out = x1 + 6
    if x2 - 6 >= out:
        path = f"M{_n(x1)},{_n(y1)} H{_n(out)} V{_n(y2)} H{_n(x2)}"
    else:
        between = y2 - row_h / 2 if y2 > y1 else y2 + row_h / 2
        path = f"M{_n(x1)},{_n(y1)} H{_n(out)} V{_n(between)} H{_n(x2 - 6)} V{_n(y2)} H{_n(x2)}"
    return format_html('<path d="{}" fill="none" stroke="{}" stroke-width="1.3" marker-end="url(#roadmap-arrow)"/>',
                       path, MUTED)
