"""The heatmap of agreed maturity for the exported plan (stages × channels, one per journey), as SVG.

The other charts of the PDF come from their own apps, so the pages and the PDF draw the same pictures: the maturity
grid from assessments/charts.py, the value/effort matrix and the timeline from roadmaps/charts.py. The heatmap page
draws from model objects through a template; this one draws the same picture (same colour ramp and rounding, from
assessments/views/_heatmap.py) from gathered plain data. Text goes through format_html (escaped); fragments are
joined as SafeStrings, so nothing is ever marked safe by hand.
"""

import textwrap
from functools import reduce
from operator import add

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.views._heatmap import EMPTY, PALETTE, UNEVALUATED, level_of, short_level_name

GRID, INK, MUTED = "#d5dbe6", "#1d2433", "#5f6b7d"
ONLINE, OFFLINE = "#6d83f2", "#e0a458"
ROMAN = ["I", "II", "III", "IV"]


def _join(parts) -> SafeString:
    return reduce(add, parts, SafeString(""))


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(width: float, height: float, label: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'font-family="Liberation Sans, DejaVu Sans, sans-serif" font-size="11">{}</svg>',
        width, height, label, body,
    )


def _text(x, y, text, *, size=11, anchor="start", weight="normal", fill=INK) -> SafeString:
    return format_html('<text x="{}" y="{}" font-size="{}" text-anchor="{}" font-weight="{}" fill="{}">{}</text>',
                       round(x, 1), round(y, 1), size, anchor, weight, fill, text)


def _rect(x, y, w, h, fill, stroke=GRID) -> SafeString:
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="{}"/>',
                       round(x, 1), round(y, 1), round(w, 1), round(h, 1), fill, stroke)


def roman(level: int | None) -> str:
    return ROMAN[level - 1] if level in (1, 2, 3, 4) else "—"


# Heatmap ---------------------------------------------------------------------------------------------------------

LABEL_W, CELL_W, HEAD_H, CELL_H, LEGEND_H = 150, 104, 40, 44, 40


def _lines(text: str, width: int, count: int = 2) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > count:
        lines = lines[:count]
        lines[-1] = _clip(lines[-1], width)
    return lines


def _multiline(x, y, lines, **style) -> SafeString:
    return _join(_text(x, y + index * 13, line, **style) for index, line in enumerate(lines))


def heatmap_svg(journey: dict) -> SafeString:
    """Stages across, the channels the journey uses down; each cell the mean agreed maturity of its touchpoints,
    written in the cell and coloured on the heatmap page's ramp (so colour is never the only cue)."""
    stages, lanes = journey["stages"], journey["lanes"]
    width = max(LABEL_W + CELL_W * max(1, len(stages)), 640)
    grid_bottom = HEAD_H + CELL_H * len(lanes)
    parts = []
    for index, stage in enumerate(stages):
        lines = _lines(stage["name"], 15)
        parts.append(_multiline(LABEL_W + index * CELL_W + CELL_W / 2, HEAD_H - 10 - 13 * (len(lines) - 1), lines,
                                anchor="middle", weight="bold", size=11))
    for row, lane in enumerate(lanes):
        y = HEAD_H + row * CELL_H
        parts.append(_rect(0, y + 4, 4, CELL_H - 8, ONLINE if lane["kind"] == "online" else OFFLINE, "none"))
        parts.append(_multiline(10, y + 18, _lines(lane["channel"], 22), size=11, weight="bold"))
        for col, cell in enumerate(lane["cells"]):
            parts.append(_heat_cell(LABEL_W + col * CELL_W, y, cell))
    parts.append(_heat_legend(grid_bottom + 14))
    return _svg(width, grid_bottom + LEGEND_H, _("Heatmap of agreed maturity: %(journey)s")
                % {"journey": journey["name"]}, _join(parts))


def _heat_cell(x, y, touchpoints: list[dict]) -> SafeString:
    known = [t["agreed"].get("maturity") for t in touchpoints if t["agreed"].get("maturity") is not None]
    if not touchpoints:
        (fill, ink), value, note = EMPTY, "—", ""
    elif not known:
        (fill, ink), value, note = UNEVALUATED, "?", _("not evaluated")
    else:
        mean = sum(known) / len(known)
        (fill, ink), value = PALETTE[level_of(mean)], floatformat(mean, -1)
        note = ngettext("%(n)d touchpoint", "%(n)d touchpoints", len(touchpoints)) % {"n": len(touchpoints)}
    parts = [_rect(x + 2, y + 2, CELL_W - 4, CELL_H - 4, fill, GRID if not touchpoints else "#ffffff"),
             _text(x + CELL_W / 2, y + (20 if note else 27), value, anchor="middle", weight="bold",
                   size=15 if touchpoints else 12, fill=ink)]
    if note:
        parts.append(_text(x + CELL_W / 2, y + 34, note, anchor="middle", size=9, fill=ink))
    return _join(parts)


def _heat_legend(y) -> SafeString:
    parts = [_text(4, y + 11, _("Agreed maturity"), size=10, weight="bold")]
    items = [(PALETTE[level][0], short_level_name(level)) for level in range(1, 5)]
    items += [(UNEVALUATED[0], _("not evaluated")), (EMPTY[0], _("no touchpoint"))]
    for index, (fill, label) in enumerate(items):
        x = 110 + index * 88
        parts += [_rect(x, y, 13, 13, fill), _text(x + 17, y + 11, label, size=9)]
    return _join(parts)
