"""The PDF's sections, in document order. Each producer turns the gathered plan into Sections small enough to lay out
on their own whatever the plan's size: a table is cut into runs of rows (ROWS), the journey maps into groups of at
most ROWS["journey_cards"] touchpoint cards (a crowded lane into rows of at most CARDS_PER_CELL cards a cell), the
heatmaps into groups of ROWS["heatmaps"].

Adding a section ("Voice of the customer", KPIs…) is a producer, a template and one line in BODY (or APPENDIX):

    def voice(data: PlanExportData) -> Iterator[Section]:
        yield Section("voice", _("Voice of the customer"), "roadmaps/pdf/_voice.html", lambda: {"quotes": ...},
                      toc=[TocEntry(1, _("Voice of the customer"), "voice")])  # the template has id="voice"

or, for a table, `yield from chunked("voice", _("Voice of the customer"), "roadmaps/pdf/_voice.html", rows, 200)`
(the template draws `rows`, and its heading when `first`). A section's context is only built when it is laid out
(`build`), so one section's rows are in memory at a time beside the gathered data.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from math import ceil

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.charts import maturity_grid_svg, position
from assessments.models import CHANNEL_AXIS, ENGAGEMENT_AXIS, OBJECTIVES
from assessments.priority import feedback_boost, priority
from roadmaps import charts as roadmap_charts
from roadmaps.exports import charts
from roadmaps.exports.gather import PlanExportData
from roadmaps.exports.pdf.layout import css_string

# Rows a section holds at most, each kind sized to lay out in about 10–25 pages (tests make them smaller).
ROWS = {"stakeholders": 200, "personas": 30, "journeys": 300, "journey_cards": 120, "heatmaps": 8, "audits": 100,
        "evaluations": 150, "data_items": 400, "feedback": 250, "roadmap": 100}
CARDS_PER_CELL = 8  # a lane row holds at most this many cards a cell (a row never outgrows a page)
WIDE_JOURNEY_STAGES = 4  # more stages than this: the journey map gets a landscape page
TOP_GAPS = 10
ROADMAP_TOP = 25  # the roadmap section shows the highest ranked items; every item is in the appendix
LEVEL_KEYS = ("channel_level", "engagement_level", "target_channel_level", "target_engagement_level")


@dataclass
class TocEntry:
    """A line of the contents and of the outline: the element with id `anchor` in its section's HTML."""

    level: int
    title: str
    anchor: str
    page: int | None = None  # its page number, once the document is laid out


@dataclass
class Section:
    """A piece of the document laid out on its own. `title` heads its pages; `label` names it in progress and errors;
    `weight` (rows, cards) shares out the progress bar."""

    key: str
    title: str
    template: str
    build: Callable[[], dict]
    weight: int = 1
    toc: list[TocEntry] = field(default_factory=list)
    label: str = ""
    stamped: bool = True  # gets "Page n of N" (not the cover)


def base_context(data: PlanExportData) -> dict:
    """What every section's template may use."""
    day = timezone.localtime(data.generated_at)
    return {"data": data, "plan": data.plan, "organisation": data.organisation, "generated_on": day.date(),
            "css": {"generated": css_string(_("Generated on %(date)s") % {"date": day.strftime("%Y-%m-%d")})}}


def chunked(key: str, title: str, template: str, rows: list, size: int, *, toc: list[TocEntry] | None = None,
            extra: Callable[[list, bool], dict] | None = None) -> Iterator[Section]:
    """A table's rows cut into sections of `size` rows; the first carries the heading (`first`) and the TOC entry.
    A table without rows is still one section (its "nothing yet" line). `extra(rows, first)` adds to a context."""
    chunks = [rows[start:start + size] for start in range(0, len(rows), size)] or [[]]
    for index, chunk in enumerate(chunks):
        yield Section(f"{key}-{index + 1}", title, template,
                      lambda chunk=chunk, first=index == 0: {"rows": chunk, "first": first,
                                                             **(extra(chunk, first) if extra else {})},
                      weight=max(1, len(chunk)), toc=(toc or []) if index == 0 else [],
                      label=title if len(chunks) == 1 else f"{title} ({index + 1}/{len(chunks)})")


def cover(data: PlanExportData) -> Iterator[Section]:
    yield Section("cover", data.plan["name"], "roadmaps/pdf/_cover.html", dict, label=_("Cover"), stamped=False)


def stakeholders(data: PlanExportData) -> Iterator[Section]:
    title = _("Stakeholders and objectives")
    yield from chunked("stakeholders", title, "roadmaps/pdf/_stakeholders.html", data.stakeholders,
                       ROWS["stakeholders"], toc=[TocEntry(1, title, "stakeholders")])


def personas(data: PlanExportData) -> Iterator[Section]:
    title = _("Personas")
    yield from chunked("personas", title, "roadmaps/pdf/_personas.html", data.personas, ROWS["personas"],
                       toc=[TocEntry(1, title, "personas")])


def journeys(data: PlanExportData) -> Iterator[Section]:
    """The list of journeys, then every journey's map, a few journeys (or part of a big one) to a section."""
    title = _("Customer journeys")
    yield from chunked("journeys", title, "roadmaps/pdf/_journeys.html", data.journeys, ROWS["journeys"],
                       toc=[TocEntry(1, title, "journeys")])
    groups: list[list[dict]] = [[]]
    for journey in data.journeys:
        for part in journey_parts(journey):
            if groups[-1] and sum(p["cards"] for p in groups[-1]) + part["cards"] > ROWS["journey_cards"]:
                groups.append([])
            groups[-1].append(part)
    groups = [group for group in groups if group]
    for index, group in enumerate(groups, start=1):
        yield Section(f"journey-maps-{index}", title, "roadmaps/pdf/_journey_map.html",
                      lambda group=group: {"parts": group}, weight=max(1, sum(p["cards"] for p in group)),
                      toc=[TocEntry(2, p["journey"]["name"], f"journey-{p['journey']['ref']}") for p in group
                           if p["first"]],
                      label=_("Journey maps (%(n)d/%(total)d)") % {"n": index, "total": len(groups)})


def journey_parts(journey: dict) -> list[dict]:
    """A journey's map as parts of at most ROWS["journey_cards"] cards, each a run of lane rows; a lane with more
    than CARDS_PER_CELL cards in a cell continues on further rows. The first part has the heading, the last the
    experience lanes."""
    wide = dict(journey, wide=len(journey["stages"]) > WIDE_JOURNEY_STAGES)
    rows = []
    for lane in journey["lanes"]:
        pieces = max(1, ceil(max((len(cell) for cell in lane["cells"]), default=0) / CARDS_PER_CELL))
        for piece in range(pieces):
            cells = [cell[piece * CARDS_PER_CELL:(piece + 1) * CARDS_PER_CELL] for cell in lane["cells"]]
            rows.append({"channel": lane["channel"], "kind": lane["kind"], "cells": cells, "continued": piece > 0,
                         "cards": sum(len(cell) for cell in cells)})
    parts: list[dict] = [{"journey": wide, "rows": [], "cards": 0}]
    for row in rows:
        if parts[-1]["rows"] and parts[-1]["cards"] + row["cards"] > ROWS["journey_cards"]:
            parts.append({"journey": wide, "rows": [], "cards": 0})
        parts[-1]["rows"].append(row)
        parts[-1]["cards"] += row["cards"]
    for index, part in enumerate(parts):
        part.update(first=index == 0, last=index == len(parts) - 1)
    return parts


def evaluations(data: PlanExportData) -> Iterator[Section]:
    """What to work on first (the largest gaps), then each journey's heatmap, a few to a section."""
    title = _("Touchpoint evaluations")

    def extra(chunk: list[dict], first: bool) -> dict:
        if not first:
            return {"heatmaps": _heatmaps(chunk)}
        evaluated = [t for t in data.touchpoints if t["gap"] is not None]
        return {"heatmaps": _heatmaps(chunk), "evaluated_count": len(evaluated),
                "top_gaps": top_gaps(evaluated, data.voice.get("negative_share", {}))}

    yield from chunked("evaluations", title, "roadmaps/pdf/_evaluations.html", data.journeys, ROWS["heatmaps"],
                       toc=[TocEntry(1, title, "evaluations")], extra=extra)


def top_gaps(evaluated: list[dict], negative: dict) -> list[dict]:
    """The evaluated touchpoints ranked as on the heatmap page: the gap raised by poor feedback (assessments.priority),
    each with its boost and the reason in words. `negative`: {touchpoint id as text: its negative verbatims}."""
    rows = []
    for t in evaluated:
        boost = feedback_boost(t.get("feedback") or None, negative.get(str(t["id"])))
        rows.append(dict(t, boost=boost, priority=priority(t["gap"], boost)))
    return sorted(rows, key=lambda t: (-t["priority"], t["ref"]))[:TOP_GAPS]


def _heatmaps(journeys: list[dict]) -> list[dict]:
    return [charts.heatmap_table(j) for j in journeys]


def feedback(data: PlanExportData) -> Iterator[Section]:
    title = _("Customer feedback")
    yield Section("feedback", title, "roadmaps/pdf/_feedback.html",
                  lambda: {"touchpoints_with_feedback": any(_has_feedback(t) for t in data.touchpoints)},
                  toc=[TocEntry(1, title, "feedback")], label=title)


def voice(data: PlanExportData) -> Iterator[Section]:
    """The themes customers raise (by volume and by negative share, with examples), sentiment per channel, and the
    listening volume: only when the plan has themed verbatims, sentiment or mentions."""
    if data.voice.get("any"):
        title = _("Voice of the customer")
        yield Section("voice", title, "roadmaps/pdf/_voice.html", lambda: {"voice": data.voice},
                      toc=[TocEntry(1, title, "voice")], label=title)


def register_body(producer: Callable[[PlanExportData], Iterator[Section]]) -> None:
    """For apps above roadmaps (the KPIs): a producer of sections added at the end of the body, from ready()."""
    if producer not in BODY:
        BODY.append(producer)


def _has_feedback(touchpoint: dict) -> bool:
    return bool(touchpoint["feedback"]) and any(e.n for e in touchpoint["feedback"].values())


def maturity(data: PlanExportData) -> Iterator[Section]:
    title = _("Digital maturity")

    def build():
        return {
            "latest_maturity": data.maturity[-1] if data.maturity else None,
            "maturity_grid": _maturity_grid(data.maturity) if data.maturity else "",
            "maturity_history": [dict(a, **{f"{key}_roman": charts.roman(a[key]) for key in LEVEL_KEYS})
                                 for a in data.maturity],
            "maturity_levels": [{"roman": charts.ROMAN[level - 1], "channel": CHANNEL_AXIS[level],
                                 "engagement": ENGAGEMENT_AXIS[level], "objective": OBJECTIVES[level]}
                                for level in range(1, 5)],
        }

    yield Section("maturity", title, "roadmaps/pdf/_maturity.html", build, toc=[TocEntry(1, title, "maturity")],
                  label=title)


def _maturity_grid(assessments: list[dict]):
    """The grid of the latest assessment, earlier agreed positions drawn faintly (assessments/charts.py)."""
    latest = assessments[-1]
    return maturity_grid_svg(
        votes=[(v["channel_level"], v["engagement_level"]) for v in latest["votes"]],
        current=position(latest["channel_level"], latest["engagement_level"]),
        target=position(latest["target_channel_level"], latest["target_engagement_level"]),
        history=[(a["assessed_on"], a["channel_level"], a["engagement_level"]) for a in assessments[:-1]
                 if position(a["channel_level"], a["engagement_level"])],
        caption=_("Digital maturity on %(date)s") % {"date": date_format(latest["assessed_on"])},
        id_prefix="pdf-maturity",
    )


def audits(data: PlanExportData) -> Iterator[Section]:
    title = _("Data and content audits")
    yield from chunked("audits", title, "roadmaps/pdf/_audits.html", data.audits, ROWS["audits"],
                       toc=[TocEntry(1, title, "audits")],
                       extra=lambda chunk, _first: {"audit_groups": audit_groups(chunk)})


def audit_groups(audits: list[dict]) -> list[dict]:
    """Audits grouped by kind then step, in the domain's order (have, need, wish)."""
    groups: dict[str, dict] = {}
    for item in audits:
        group = groups.setdefault(item["kind"], {"label": item["kind_label"], "steps": {}})
        group["steps"].setdefault(item["step"], {"label": item["step_label"], "items": []})["items"].append(item)
    order = {"have": 0, "need": 1, "wish": 2}
    return [{"label": g["label"], "steps": sorted(g["steps"].items(), key=lambda s: order.get(s[0], 9))}
            for _kind, g in sorted(groups.items())]


def roadmap(data: PlanExportData) -> Iterator[Section]:
    """The highest ranked items with the value/effort matrix, the timeline and the now/next/later board."""
    title = _("Prioritised roadmap")

    def build():
        top = data.roadmap[:ROADMAP_TOP]
        timeline, not_on_timeline = roadmap_charts.timeline_rows(top)
        return {
            "top_items": top,
            "roadmap_matrix": roadmap_charts.matrix_svg(top) if top else "",
            "roadmap_timeline": roadmap_charts.timeline_svg(timeline) if timeline else "",
            "not_on_timeline": not_on_timeline,
            "roadmap_columns": [(label, [i for i in top if i["horizon"] == value])
                                for value, label in (("now", _("Now")), ("next", _("Next")), ("later", _("Later")))],
            "unplaced": [i for i in top if not (i["value"] and i["effort"])],
        }

    yield Section("roadmap", title, "roadmaps/pdf/_roadmap.html", build, weight=min(len(data.roadmap), ROADMAP_TOP),
                  toc=[TocEntry(1, title, "roadmap")], label=title)


# The appendix: every row behind the summaries. The page budget may leave it out (document.py says when).

def appendix_evaluations(data: PlanExportData) -> Iterator[Section]:
    rows = evaluation_rows(data)
    if rows:
        title = _("Every evaluated touchpoint")
        yield from chunked("appendix-evaluations", title, "roadmaps/pdf/_appendix_evaluations.html", rows,
                           ROWS["evaluations"], toc=[TocEntry(2, title, "appendix-evaluations")])


def evaluation_rows(data: PlanExportData) -> list[dict]:
    """Each evaluated touchpoint with its teams' evaluations and the workshop's agreement, in map order."""
    found: dict[str, list] = {}
    for evaluation in data.evaluations:
        found.setdefault(evaluation["touchpoint"], []).append(evaluation)
    agreements = {a["touchpoint"]: a for a in data.agreements}
    return [{"touchpoint": t, "evaluations": found.get(t["ref"], []), "agreement": agreements.get(t["ref"])}
            for t in data.touchpoints if t["ref"] in found or t["ref"] in agreements]


def appendix_data_items(data: PlanExportData) -> Iterator[Section]:
    if data.data_items:
        title = _("Data captured at the touchpoints")
        yield from chunked("appendix-data-items", title, "roadmaps/pdf/_appendix_data_items.html", data.data_items,
                           ROWS["data_items"], toc=[TocEntry(2, title, "appendix-data-items")])


def appendix_feedback(data: PlanExportData) -> Iterator[Section]:
    rows = [t for t in data.touchpoints if _has_feedback(t)]
    if rows:
        title = _("Customer feedback by touchpoint")
        yield from chunked("appendix-feedback", title, "roadmaps/pdf/_appendix_feedback.html", rows,
                           ROWS["feedback"], toc=[TocEntry(2, title, "appendix-feedback")])


def appendix_roadmap(data: PlanExportData) -> Iterator[Section]:
    if len(data.roadmap) > ROADMAP_TOP:
        title = _("Every roadmap item, by rank")
        yield from chunked("appendix-roadmap", title, "roadmaps/pdf/_appendix_roadmap.html", data.roadmap,
                           ROWS["roadmap"], toc=[TocEntry(2, title, "appendix-roadmap")])


# The document: the cover and the contents come first (document.py), then BODY, then the appendix.
BODY: list[Callable[[PlanExportData], Iterator[Section]]] = [
    stakeholders, personas, journeys, evaluations, feedback, voice, maturity, audits, roadmap,
]
APPENDIX: list[Callable[[PlanExportData], Iterator[Section]]] = [
    appendix_evaluations, appendix_data_items, appendix_feedback, appendix_roadmap,
]
