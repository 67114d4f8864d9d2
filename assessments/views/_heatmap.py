"""Where to put effort: the stages × channels heatmap geometry and the touchpoints ranked by gap and feedback.

Pure functions over what the selectors gathered (no queries), so a PDF export can draw the same SVG.
"""

import textwrap

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Maturity, Storage
from assessments.priority import feedback_boost, priority

LABEL_W, CELL_W, CELL_H, HEAD_H, LEGEND_H = 176, 136, 58, 50, 64
# A sequential blue ramp: one hue, so the order survives greyscale printing and colour blindness; the mean is
# also written in every cell, so colour is never the only carrier.
PALETTE = {1: ("#deebf7", "#1d2433"), 2: ("#9ecae1", "#1d2433"), 3: ("#4292c6", "#ffffff"),
           4: ("#08519c", "#ffffff")}
EMPTY = ("#ffffff", "#5f6b7d")
UNEVALUATED = ("#f1f3f7", "#5f6b7d")


def _lines(text: str, width: int, count: int = 2) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > count:
        lines = lines[:count]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def level_of(mean: float) -> int:
    """The level whose colour a mean takes: rounded half up (2.5 is coloured as 3), within 1–4."""
    return max(1, min(4, int(mean + 0.5)))


def short_level_name(level: int) -> str:
    return str(Maturity(level).label).split(":", 1)[0].strip()


def _cell(stage, channel, touchpoints, summaries, x, y) -> dict:
    agreed = [summaries[t.pk]["agreed"]["maturity"] for t in touchpoints if t.pk in summaries]
    agreed = [value for value in agreed if value is not None]
    cell = {"x": x, "y": y, "w": CELL_W, "h": CELL_H, "cx": x + CELL_W / 2, "count": len(touchpoints),
            "evaluated": len(agreed), "href": None}
    names = ", ".join(t.name for t in touchpoints)
    if not touchpoints:
        fill, ink = EMPTY
        cell |= {"value": "—", "note": "", "title": _("%(stage)s · %(channel)s: no touchpoint") % {
            "stage": stage.name, "channel": channel.name}}
    elif not agreed:
        fill, ink = UNEVALUATED
        cell |= {"value": "?", "note": _("not evaluated"), "hatched": True,
                 "title": f"{stage.name} · {channel.name}: {names}"}
    else:
        mean = sum(agreed) / len(agreed)
        fill, ink = PALETTE[level_of(mean)]
        if len(touchpoints) == 1:
            note = _lines(touchpoints[0].name, 20, 1)[0]  # one touchpoint: its name says more than a count
        elif len(agreed) == len(touchpoints):
            note = ngettext("%d touchpoint", "%d touchpoints", len(touchpoints)) % len(touchpoints)
        else:
            note = _("%(evaluated)d of %(count)d evaluated") % {"evaluated": len(agreed), "count": len(touchpoints)}
        cell |= {"value": floatformat(mean, -1), "note": note, "mean": mean,
                 "title": _("%(stage)s · %(channel)s: %(names)s. Mean agreed maturity %(mean)s.") % {
                     "stage": stage.name, "channel": channel.name, "names": names, "mean": floatformat(mean, -1)}}
    if len(touchpoints) == 1:
        cell["href"] = touchpoints[0].pk
    return cell | {"fill": fill, "ink": ink}


def heatmap_layout(grid: dict, summaries: dict) -> dict:
    """Rows are the channels that have touchpoints in the journey (others are listed, not drawn), columns the
    stages; each cell takes the mean agreed maturity of its touchpoints."""
    stages = grid["stages"]
    lanes = [lane for lane in grid["lanes"] if lane["count"]]
    columns = [{"x": LABEL_W + index * CELL_W, "cx": LABEL_W + index * CELL_W + CELL_W / 2,
                "lines": _lines(stage.name, 18), "name": stage.name} for index, stage in enumerate(stages)]
    rows = []
    for index, lane in enumerate(lanes):
        y = HEAD_H + index * CELL_H
        channel = lane["channel"]
        rows.append({
            "y": y, "cy": y + CELL_H / 2, "name": channel.name, "lines": _lines(channel.name, 22),
            "kind": channel.kind, "kind_label": channel.get_kind_display(),
            "cells": [_cell(cell["stage"], channel, cell["touchpoints"], summaries, LABEL_W + i * CELL_W, y)
                      for i, cell in enumerate(lane["cells"])],
        })
    width = LABEL_W + max(len(stages), 1) * CELL_W
    grid_bottom = HEAD_H + len(rows) * CELL_H
    legend = [{"x": LABEL_W + i * 118, "fill": PALETTE[level][0], "label": short_level_name(level)}
              for i, level in enumerate(range(1, 5))]
    legend += [{"x": LABEL_W + 4 * 118, "fill": UNEVALUATED[0], "label": _("not evaluated"), "hatched": True},
               {"x": LABEL_W + 5 * 118, "fill": EMPTY[0], "label": _("no touchpoint")}]
    return {
        "width": max(width, LABEL_W + 6 * 118 + 10), "height": grid_bottom + LEGEND_H, "grid_width": width,
        "grid_bottom": grid_bottom, "legend_y": grid_bottom + 22, "columns": columns, "rows": rows,
        "legend": legend, "label_w": LABEL_W, "head_h": HEAD_H,
        "left_out": [lane["channel"].name for lane in grid["lanes"] if not lane["count"]],
    }


def ranked(touchpoints, summaries: dict, feedback: dict, negative: dict | None = None) -> list[dict]:
    """Touchpoints by priority: the gap (potential − maturity) raised by poor feedback (assessments.priority), largest
    first; those without a gap (not evaluated) last, the worst feedback first among them. Each row holds its rank,
    touchpoint (anything with a pk and a name), summary, agreed values, gap, potential, feedback and boost; what is
    only shown on the page (data places, bar, level) is added by `dress` to the rows shown."""
    negative = negative or {}
    rows = []
    for touchpoint in touchpoints:
        summary = summaries[touchpoint.pk]
        boost = feedback_boost(feedback.get(touchpoint.pk), negative.get(touchpoint.pk))
        rows.append({"tp": touchpoint, "summary": summary, "agreed": summary["agreed"], "gap": summary["gap"],
                     "feedback": feedback.get(touchpoint.pk), "potential": _mean_potential(summary["agreed"]),
                     "boost": boost, "priority": priority(summary["gap"], boost),
                     "negative": negative.get(touchpoint.pk)})
    rows.sort(key=lambda r: (r["priority"] is None, -(r["priority"] or 0), -r["boost"].points,
                             r["agreed"]["maturity"] or 0, r["tp"].name))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def dress(rows: list[dict], storages: dict, touchpoints: dict | None = None) -> list[dict]:
    """The rows shown, with their data places, gap bar and level; `touchpoints` ({id: touchpoint with its journey,
    stage and channel}) replaces the row's light touchpoint when given."""
    for row in rows:
        if touchpoints is not None:
            row["tp"] = touchpoints[row["tp"].pk]
        row["storages"] = storages.get(row["tp"].pk, [])
        row["bar"] = _gap_bar(row["gap"])
        row["level"] = level_of(row["agreed"]["maturity"]) if row["agreed"]["maturity"] is not None else None
    return rows


def _mean_potential(agreed):
    if agreed["potential_customer"] is None or agreed["potential_brand"] is None:
        return None
    return (agreed["potential_customer"] + agreed["potential_brand"]) / 2


def _gap_bar(gap) -> dict | None:
    """A small bar from the middle of an 80-wide box: right for a positive gap, left for a negative one."""
    if gap is None:
        return None
    length = round(abs(gap) * 38 / 100, 1)
    return {"x": 40 if gap >= 0 else 40 - length, "w": max(length, 1), "positive": gap >= 0}


def storage_summary(rows) -> dict[int, list[str]]:
    """{touchpoint id: ["CRM (2)", ...]} from (touchpoint id, storage, count) rows."""
    labels = dict(Storage.choices)
    result: dict[int, list[str]] = {}
    for touchpoint_id, storage, count in rows:
        result.setdefault(touchpoint_id, []).append(f"{labels.get(storage, storage)} ({count})")
    return result
