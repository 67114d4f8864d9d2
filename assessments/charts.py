"""Server-side SVG charts of assessments, shared by the pages and the PDF export.

Pure functions: plain data in, an escaped SVG string out (built with format_html, so every label, date or
translated text is escaped; nothing here is marked safe by hand). No query is made while drawing.
Readable in print: every mark has a text label or a legend entry, colour is never the only cue.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import CHANNEL_AXIS, ENGAGEMENT_AXIS, OBJECTIVES

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
LEVELS = (1, 2, 3, 4)
# Short axis labels for the grid; the full descriptions (CHANNEL_AXIS, ENGAGEMENT_AXIS) are shown beside it.
CHANNEL_SHORT = {
    1: gettext_lazy("Single channel"),
    2: gettext_lazy("Multi-channel"),
    3: gettext_lazy("Cross-channel"),
    4: gettext_lazy("Omnichannel"),
}
ENGAGEMENT_SHORT = {
    1: gettext_lazy("Segmented"),
    2: gettext_lazy("Lifecycle"),
    3: gettext_lazy("Real-time"),
    4: gettext_lazy("Connected"),
}

# Geometry of the grid (SVG user units).
WIDTH, HEIGHT = 760, 700
LEFT, RIGHT, TOP, BOTTOM = 150, 16, 16, 150
CELL_W = (WIDTH - LEFT - RIGHT) / 4
CELL_H = (HEIGHT - TOP - BOTTOM) / 4
INK, MUTED, LINE = "#1d2433", "#5f6b7d", "#cfd6e4"
CURRENT, TARGET, VOTE, EARLIER = "#3154d4", "#1e8e5a", "#c76a12", "#8a94a6"
TARGET_RING = 17


@dataclass(frozen=True)
class Spread:
    """How the participants' votes spread over the grid."""

    n: int
    cells: Counter = field(default_factory=Counter)  # (channel, engagement) -> votes
    channel: tuple[int, int] | None = None  # lowest and highest level voted
    engagement: tuple[int, int] | None = None

    @property
    def channel_range(self) -> str:
        return _level_range(self.channel)

    @property
    def engagement_range(self) -> str:
        return _level_range(self.engagement)


def _level_range(bounds) -> str:
    if bounds is None:
        return "—"
    low, high = bounds
    return ROMAN[low] if low == high else f"{ROMAN[low]}–{ROMAN[high]}"


def vote_spread(votes: Iterable[tuple[int, int]]) -> Spread:
    cells = Counter((int(c), int(e)) for c, e in votes)
    if not cells:
        return Spread(0)
    channels = [c for c, _e in cells.elements()]
    engagements = [e for _c, e in cells.elements()]
    return Spread(sum(cells.values()), cells, (min(channels), max(channels)), (min(engagements), max(engagements)))


def position(channel, engagement) -> tuple[int, int] | None:
    """A point of the grid, or None unless both levels are known."""
    if channel is None or engagement is None:
        return None
    return int(channel), int(engagement)


def maturity_grid_data(assessment, earlier: Iterable = ()) -> dict:
    """The keyword arguments of maturity_grid_svg for an assessment (its votes should be prefetched) and the
    assessments before it (oldest first)."""
    return {
        "votes": [(v.channel_level, v.engagement_level) for v in assessment.votes.all()],
        "current": position(assessment.channel_level, assessment.engagement_level),
        "target": position(assessment.target_channel_level, assessment.target_engagement_level),
        "history": [(a.assessed_on, a.channel_level, a.engagement_level) for a in earlier
                    if position(a.channel_level, a.engagement_level)],
        "caption": _("Digital maturity on %(date)s") % {"date": date_format(assessment.assessed_on)},
    }


def _x(channel: float) -> float:
    return round(LEFT + (channel - 1) * CELL_W, 1)


def _y(engagement: float) -> float:
    """Top edge of the row of an engagement level (level IV at the top)."""
    return round(TOP + (4 - engagement) * CELL_H, 1)


def _slot(cell: tuple[int, int], dx: float, dy: float) -> tuple[float, float]:
    """A point inside a cell, as fractions of its width and height from its top-left corner."""
    return round(_x(cell[0]) + dx * CELL_W, 1), round(_y(cell[1]) + dy * CELL_H, 1)


def _join(parts: Iterable) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _text_lines(x, y, lines, css_class, line_height=12) -> SafeString:
    spans = format_html_join("", '<tspan x="{}" dy="{}">{}</tspan>',
                             ((x, 0 if i == 0 else line_height, line) for i, line in enumerate(lines)))
    return format_html('<text class="{}" x="{}" y="{}">{}</text>', css_class, x, y, spans)


def _cells() -> SafeString:
    parts = []
    for channel in LEVELS:
        for engagement in LEVELS:
            goal = channel == engagement == 4
            parts.append(format_html(
                '<rect class="mg-cell{}" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>',
                " mg-goal" if goal else "", _x(channel), _y(engagement), round(CELL_W, 1), round(CELL_H, 1),
                "#e9f6ef" if goal else ("#f7f9fd" if (channel + engagement) % 2 else "#ffffff"), LINE))
    return _join(parts)


def _objectives() -> SafeString:
    """The objective of each level, in the cell where both axes are at that level (drawn over the arrow, with a
    halo, so it stays legible)."""
    parts = []
    for level in LEVELS:
        x, y = _slot((level, level), 0.06, 0.13)
        lines = [_("Objective %(level)s:") % {"level": ROMAN[level]}, *_wrap(OBJECTIVES[level], 27)]
        parts.append(_text_lines(x, y, lines, "mg-objective"))
    return _join(parts)


def _axes() -> SafeString:
    parts = []
    base = TOP + 4 * CELL_H
    for level in LEVELS:
        cx = round(_x(level) + CELL_W / 2, 1)
        parts.append(format_html('<text class="mg-level" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 cx, base + 20, ROMAN[level]))
        parts.append(format_html('<text class="mg-axislabel" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 cx, base + 36, CHANNEL_SHORT[level]))
        cy = round(_y(level) + CELL_H / 2, 1)
        parts.append(format_html('<text class="mg-level" x="{}" y="{}" text-anchor="end">{}</text>',
                                 LEFT - 10, cy - 4, ROMAN[level]))
        parts.append(format_html('<text class="mg-axislabel" x="{}" y="{}" text-anchor="end">{}</text>',
                                 LEFT - 10, cy + 12, ENGAGEMENT_SHORT[level]))
    parts.append(format_html('<text class="mg-axistitle" x="{}" y="{}" text-anchor="middle">{} →</text>',
                             round(LEFT + 2 * CELL_W, 1), base + 60, _("Channels")))
    mid = round(TOP + 2 * CELL_H, 1)
    parts.append(format_html(
        '<text class="mg-axistitle" x="{}" y="{}" text-anchor="middle" transform="rotate(-90 {} {})">{} →</text>',
        24, mid, 24, mid, _("Engagement")))
    return _join(parts)


def _votes(spread: Spread) -> SafeString:
    parts = []
    for (channel, engagement), count in sorted(spread.cells.items()):
        x, y = _slot((channel, engagement), 0.2, 0.74)
        radius = round(min(9 + 3.5 * math.sqrt(count), 22), 1)
        label = ngettext("%(count)s vote: channels %(channel)s, engagement %(engagement)s",
                         "%(count)s votes: channels %(channel)s, engagement %(engagement)s", count) % {
            "count": count, "channel": ROMAN[channel], "engagement": ROMAN[engagement]}
        parts.append(format_html(
            '<g class="mg-vote" data-channel="{}" data-engagement="{}" data-count="{}"><title>{}</title>'
            '<circle cx="{}" cy="{}" r="{}" fill="{}" fill-opacity=".85" stroke="#fff" stroke-width="1.5"/>'
            '<text x="{}" y="{}" text-anchor="middle" class="mg-votecount">{}</text></g>',
            channel, engagement, count, label, x, y, radius, VOTE, x, round(y + 4.5, 1), count))
    return _join(parts)


def _history(history: list, current) -> SafeString:
    parts, seen, points = [], Counter(), []
    for when, channel, engagement in history:
        cell = (channel, engagement)
        x, y = _slot(cell, 0.86, 0.42 + 0.12 * seen[cell])
        seen[cell] += 1
        points.append((x, y))
        label = date_format(when, "SHORT_DATE_FORMAT") if isinstance(when, date) else str(when)
        parts.append(format_html(
            '<g class="mg-earlier" data-channel="{}" data-engagement="{}"><title>{}</title>'
            '<circle cx="{}" cy="{}" r="5" fill="#fff" stroke="{}" stroke-width="1.5"/>'
            '<text class="mg-earlierlabel" x="{}" y="{}" text-anchor="end">{}</text></g>',
            channel, engagement, _("Agreed on %(date)s: channels %(channel)s, engagement %(engagement)s") % {
                "date": label, "channel": ROMAN[channel], "engagement": ROMAN[engagement]},
            x, y, EARLIER, round(x - 8, 1), round(y + 3.5, 1), label))
    if current is not None:
        points.append(_slot(current, 0.6, 0.7))
    if len(points) > 1:
        path = " ".join(f"{x},{y}" for x, y in points)
        parts.insert(0, format_html('<polyline class="mg-trail" points="{}" fill="none" stroke="{}" '
                                    'stroke-width="1.5" stroke-dasharray="3 4"/>', path, EARLIER))
    return _join(parts)


def _arrow(current, target, id_prefix) -> SafeString:
    if current is None or target is None or current == target:
        return SafeString("")
    (x1, y1), (x2, y2) = _slot(current, 0.6, 0.7), _slot(target, 0.6, 0.7)
    length = math.hypot(x2 - x1, y2 - y1)
    shorten = (TARGET_RING + 3) / length
    x2, y2 = round(x2 - (x2 - x1) * shorten, 1), round(y2 - (y2 - y1) * shorten, 1)
    return format_html(
        '<line class="mg-arrow" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" '
        'marker-end="url(#{}-head)"/>', x1, y1, x2, y2, CURRENT, id_prefix)


def _marker(cell, kind: str) -> SafeString:
    if cell is None:
        return SafeString("")
    x, y = _slot(cell, 0.6, 0.7)
    levels = {"channel": ROMAN[cell[0]], "engagement": ROMAN[cell[1]]}
    if kind == "current":
        text = _("Agreed position: channels %(channel)s, engagement %(engagement)s") % levels
        return format_html(
            '<g class="mg-current" data-channel="{}" data-engagement="{}"><title>{}</title>'
            '<circle cx="{}" cy="{}" r="9" fill="{}" stroke="#fff" stroke-width="2"/>'
            '<text class="mg-markerlabel" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text></g>',
            cell[0], cell[1], text, x, y, CURRENT, x, round(y + 31, 1), CURRENT, _("Now"))
    text = _("Target: channels %(channel)s, engagement %(engagement)s") % levels
    return format_html(
        '<g class="mg-target" data-channel="{}" data-engagement="{}"><title>{}</title>'
        '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="3" stroke-dasharray="5 3"/>'
        '<text class="mg-markerlabel" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text></g>',
        cell[0], cell[1], text, x, y, TARGET_RING, TARGET, x, round(y - TARGET_RING - 6, 1), TARGET, _("Target"))


def _legend(has_history: bool) -> SafeString:
    y = TOP + 4 * CELL_H + 92
    items = [
        format_html('<circle cx="{}" cy="{}" r="9" fill="{}" fill-opacity=".85"/>'
                    '<text x="{}" y="{}" text-anchor="middle" class="mg-votecount">2</text>'
                    '<text class="mg-legendtext" x="{}" y="{}">{}</text>',
                    LEFT + 9, y, VOTE, LEFT + 9, y + 4, LEFT + 24, y + 4, _("Participants' votes (how many)")),
        format_html('<circle cx="{}" cy="{}" r="8" fill="{}"/><text class="mg-legendtext" x="{}" y="{}">{}</text>',
                    LEFT + 9, y + 26, CURRENT, LEFT + 24, y + 30, _("Agreed position (now)")),
        format_html('<circle cx="{}" cy="{}" r="9" fill="none" stroke="{}" stroke-width="3" stroke-dasharray="5 3"/>'
                    '<text class="mg-legendtext" x="{}" y="{}">{}</text>',
                    LEFT + 309, y, TARGET, LEFT + 324, y + 4, _("Target")),
    ]
    if has_history:
        items.append(format_html(
            '<circle cx="{}" cy="{}" r="5" fill="#fff" stroke="{}" stroke-width="1.5"/>'
            '<text class="mg-legendtext" x="{}" y="{}">{}</text>',
            LEFT + 309, y + 26, EARLIER, LEFT + 324, y + 30, _("Earlier assessments (date)")))
    return _join(items)


# Longhand font properties: WeasyPrint (the PDF export) ignores the `font` shorthand in SVG styles.
STYLE = (
    ".mg-level{{font-weight:700;font-size:15px;font-family:sans-serif;fill:{ink}}}"
    ".mg-axislabel{{font-size:12px;font-family:sans-serif;fill:{muted}}}"
    ".mg-axistitle{{font-weight:700;font-size:13px;font-family:sans-serif;fill:{ink};letter-spacing:.04em}}"
    ".mg-objective{{font-style:italic;font-size:10.5px;font-family:sans-serif;fill:{muted};paint-order:stroke;"
    "stroke:#fff;stroke-opacity:.85;stroke-width:3px;stroke-linejoin:round}}"
    ".mg-votecount{{font-weight:700;font-size:12px;font-family:sans-serif;fill:#fff}}"
    ".mg-markerlabel{{font-weight:700;font-size:12px;font-family:sans-serif}}"
    ".mg-earlierlabel{{font-size:10px;font-family:sans-serif;fill:{muted}}}"
    ".mg-legendtext{{font-size:12px;font-family:sans-serif;fill:{ink}}}"
)


def maturity_grid_svg(*, votes: Iterable[tuple[int, int]] = (), current=None, target=None, history: Iterable = (),
                      caption: str = "", id_prefix: str = "maturity") -> SafeString:
    """The 4×4 maturity grid: channels (x, I–IV) by engagement (y, I–IV), with the objective of each level, the
    participants' votes as counted dots, the agreed position, the target with an arrow from now to there, and
    earlier agreed positions drawn faintly (history: (date, channel, engagement), oldest first)."""
    spread = vote_spread(votes)
    history = list(history)
    current, target = position(*current) if current else None, position(*target) if target else None
    title = caption or _("Digital maturity grid")
    description = _describe(spread, current, target)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="maturity-grid" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<style>{}</style><defs><marker id="{}-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker></defs>'
        '{}{}{}{}{}{}{}{}{}</svg>',
        WIDTH, HEIGHT, id_prefix, id_prefix, id_prefix, title, id_prefix, description,
        STYLE.format(ink=INK, muted=MUTED), id_prefix, CURRENT,
        _cells(), _axes(), _history(history, current), _votes(spread), _arrow(current, target, id_prefix),
        _objectives(), _marker(target, "target"), _marker(current, "current"), _legend(bool(history)),
    )


def _describe(spread: Spread, current, target) -> str:
    parts = []
    if current:
        parts.append(_("Agreed position: channels %(channel)s, engagement %(engagement)s.") % {
            "channel": ROMAN[current[0]], "engagement": ROMAN[current[1]]})
    if target:
        parts.append(_("Target: channels %(channel)s, engagement %(engagement)s.") % {
            "channel": ROMAN[target[0]], "engagement": ROMAN[target[1]]})
    if spread.n:
        parts.append(ngettext("%(n)s vote: channels %(channel)s, engagement %(engagement)s.",
                              "%(n)s votes spread over channels %(channel)s and engagement %(engagement)s.",
                              spread.n) % {
            "n": spread.n, "channel": spread.channel_range, "engagement": spread.engagement_range})
    else:
        parts.append(_("No votes yet."))
    return " ".join(parts)


def axis_levels() -> list[dict]:
    """Each level with both axes' descriptions and its objective, for the legend beside the grid."""
    return [{"level": level, "roman": ROMAN[level], "channel": CHANNEL_AXIS[level],
             "channel_short": CHANNEL_SHORT[level], "engagement": ENGAGEMENT_AXIS[level],
             "engagement_short": ENGAGEMENT_SHORT[level], "objective": OBJECTIVES[level]} for level in LEVELS]
