"""The heatmap of agreed maturity for the exported plan (stages × channels, one per journey), as table data.

The other charts of the PDF come from their own apps, so the pages and the PDF draw the same pictures: the maturity
grid from assessments/charts.py, the value/effort matrix and the timeline from roadmaps/charts.py. The heatmap page
draws from model objects through a template; this one gives the same picture (same colour ramp and rounding, from
assessments/views/_heatmap.py) from gathered plain data, for the PDF's template to draw as a table.
"""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.views._heatmap import EMPTY, PALETTE, UNEVALUATED, level_of, short_level_name

ROMAN = ["I", "II", "III", "IV"]


def roman(level: int | None) -> str:
    return ROMAN[level - 1] if level in (1, 2, 3, 4) else "—"


# Heatmap ---------------------------------------------------------------------------------------------------------


def heatmap_table(journey: dict) -> dict:
    """Stages across, the channels the journey uses down; each cell the mean agreed maturity of its touchpoints,
    written in the cell and coloured on the heatmap page's ramp (so colour is never the only cue). Drawn as an HTML
    table (roadmaps/pdf/_heatmap.html), not SVG: WeasyPrint puts each centred SVG text in a form XObject of its own,
    and those made three quarters of a large plan's PDF objects (issue 16)."""
    rows = [{"channel": lane["channel"], "online": lane["kind"] == "online",
             "cells": [_heat_cell(cell) for cell in lane["cells"]]} for lane in journey["lanes"]]
    legend = [(PALETTE[level][0], short_level_name(level)) for level in range(1, 5)]
    legend += [(UNEVALUATED[0], _("not evaluated")), (EMPTY[0], _("no touchpoint"))]
    return {"name": journey["name"], "stages": [stage["name"] for stage in journey["stages"]], "rows": rows,
            "legend": legend}


def _heat_cell(touchpoints: list[dict]) -> dict:
    known = [t["agreed"].get("maturity") for t in touchpoints if t["agreed"].get("maturity") is not None]
    if not touchpoints:
        (fill, ink), value, note = EMPTY, "—", ""
    elif not known:
        (fill, ink), value, note = UNEVALUATED, "?", _("not evaluated")
    else:
        mean = sum(known) / len(known)
        (fill, ink), value = PALETTE[level_of(mean)], floatformat(mean, -1)
        note = ngettext("%(n)d touchpoint", "%(n)d touchpoints", len(touchpoints)) % {"n": len(touchpoints)}
    return {"fill": fill, "ink": ink, "value": value, "note": note, "empty": not touchpoints}
