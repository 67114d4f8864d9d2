"""Presentation mode: a plan as a deck of slides for a meeting (title, personas, each journey stage by stage with
its emotion curve, the maturity grid, the roadmap).

Pure: `deck` turns a gathered plan (roadmaps.exports.gather, a fixed number of queries whatever the plan's size)
into a list of slide dicts, which templates/sharing/present.html draws; no query happens here. What a deck holds is
decided by its `Scope`: a member sees the whole plan; a share link presents only what its pages show (a journey
link: that journey and its persona; a roadmap link: the roadmap; a plan link: no maturity grid, which the shared
pages do not show). Member names never appear on a slide.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.charts import maturity_grid_svg, position
from experience.models import EMOTION_MAX, EMOTION_MIN
from roadmaps.exports.charts import roman
from roadmaps.exports.gather import PlanExportData

STAGE_TOUCHPOINTS = 12  # a slide is read from the back of the room: more touchpoints are counted, not listed
ROADMAP_PER_SLIDE = 8
STAGE_INSIGHTS = 4


@dataclass(frozen=True)
class Scope:
    """Which sections a deck holds; `journey_id` limits the journeys (and personas) to one journey."""

    personas: bool = True
    journeys: bool = True
    maturity: bool = True
    roadmap: bool = True
    journey_id: int | None = None


PLAN = Scope()


def deck(data: PlanExportData, scope: Scope = PLAN) -> list[dict]:
    """The slides, numbered from 1, each {"kind", "title", "number", "total", ...}."""
    journeys = [j for j in data.journeys if scope.journey_id is None or j["id"] == scope.journey_id]
    slides = [_title(data, scope, journeys)]
    if scope.personas:
        shown = {j["persona"] for j in journeys} if scope.journey_id else None
        slides += [_persona(p) for p in data.personas if shown is None or p["ref"] in shown]
    if scope.journeys:
        for journey in journeys:
            slides += _journey(journey)
    if scope.maturity and data.maturity:
        slides.append(_maturity(data.maturity))
    if scope.roadmap and data.roadmap:
        slides += _roadmap(data.roadmap)
    for number, slide in enumerate(slides, start=1):
        slide["number"], slide["total"] = number, len(slides)
    return slides


def _title(data: PlanExportData, scope: Scope, journeys: list[dict]) -> dict:
    plan = data.plan
    if scope.journey_id is not None and journeys:
        title, subtitle = journeys[0]["name"], plan["name"]
    else:
        title, subtitle = plan["name"], ""
    facts = []
    if scope.personas and scope.journey_id is None:
        facts.append((len(data.personas), _("personas")))
    if scope.journeys:
        if scope.journey_id is None:
            facts.append((len(journeys), _("journeys")))
        facts.append((sum(len(j["touchpoints"]) for j in journeys), _("touchpoints")))
    if scope.roadmap:
        facts.append((len(data.roadmap), _("roadmap projects")))
    period = ""
    if plan["period_start"]:
        end = date_format(plan["period_end"]) if plan["period_end"] else "…"
        period = f"{date_format(plan['period_start'])} – {end}"
    return {"kind": "title", "title": title, "subtitle": subtitle, "organisation": data.organisation["name"],
            "period": period, "status": plan["status_label"],
            "description": plan["description"] if scope.journey_id is None else journeys[0]["description"]
            if journeys else "", "facts": facts}


def _persona(persona: dict) -> dict:
    return {"kind": "persona", "title": persona["name"], "persona": persona}


def _journey(journey: dict) -> list[dict]:
    """An overview of the journey (its stages and whole curve), then one slide per stage."""
    stages = journey["stages"]
    experience = journey.get("experience") or {}
    curve = experience.get("curve")
    by_stage: dict[str, list] = {s["ref"]: [] for s in stages}
    for touchpoint in journey["touchpoints"]:
        by_stage.setdefault(touchpoint["stage"], []).append(touchpoint)
    lanes = [lane for lane in experience.get("lanes", []) if not lane["hidden"]]
    overview = {
        "kind": "journey", "title": journey["name"], "journey": journey, "persona_name": journey["persona_name"],
        "stages": [{"name": s["name"], "count": len(by_stage[s["ref"]])} for s in stages],
        "chart": _chart(journey, curve, current=None), "lowest": _lowest(curve),
    }
    slides = [overview]
    for index, stage in enumerate(stages):
        touchpoints = by_stage[stage["ref"]]
        slides.append({
            "kind": "stage", "title": stage["name"], "journey_name": journey["name"], "position": index + 1,
            "stage_count": len(stages), "channels": _by_channel(touchpoints[:STAGE_TOUCHPOINTS]),
            "touchpoint_count": len(touchpoints), "more": max(0, len(touchpoints) - STAGE_TOUCHPOINTS),
            "chart": _chart(journey, curve, current=index),
            "lanes": [{"label": lane["label"], "text": lane["texts"][index]} for lane in lanes
                      if index < len(lane["texts"]) and lane["texts"][index]],
            "pain_points": [p for p in experience.get("pain_points", []) if p["stage"] == stage["ref"]][
                :STAGE_INSIGHTS],
            "opportunities": [o for o in experience.get("opportunities", []) if o["stage"] == stage["ref"]][
                :STAGE_INSIGHTS],
        })
    return slides


def _by_channel(touchpoints: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for touchpoint in touchpoints:  # gathered in map order: online channels first, then by position
        group = groups.setdefault(touchpoint["channel"], {"name": touchpoint["channel"],
                                                          "kind": touchpoint["channel_kind"], "touchpoints": []})
        group["touchpoints"].append(touchpoint["name"])
    return list(groups.values())


def _chart(journey: dict, curve: dict | None, *, current: int | None) -> dict | None:
    """The journey's emotion curve (experience/charts.py), the `current` stage's point marked."""
    if not curve:
        return None
    points = [{"x": p.x, "y": p.y, "score": p.score, "label": p.label, "lowest": p.lowest,
               "current": p.stage_index == current} for p in curve["points"]]
    return {"svg": curve["svg"], "points": points, "compared": curve.get("compared", ""),
            "stages": [{"name": s["name"], "current": i == current} for i, s in enumerate(journey["stages"])],
            "scale": f"{EMOTION_MIN:+d} … {EMOTION_MAX:+d}"}


def _lowest(curve: dict | None):
    if not curve or not curve["points"]:
        return None
    return min(curve["points"], key=lambda p: (p.score, p.stage_index))


def _maturity(assessments: list[dict]) -> dict:
    latest = assessments[-1]
    grid = maturity_grid_svg(
        votes=[(v["channel_level"], v["engagement_level"]) for v in latest["votes"]],
        current=position(latest["channel_level"], latest["engagement_level"]),
        target=position(latest["target_channel_level"], latest["target_engagement_level"]),
        history=[(a["assessed_on"], a["channel_level"], a["engagement_level"]) for a in assessments[:-1]
                 if position(a["channel_level"], a["engagement_level"])],
        caption=_("Digital maturity on %(date)s") % {"date": date_format(latest["assessed_on"])},
        id_prefix="present-maturity",
    )
    return {"kind": "maturity", "title": _("Digital maturity"), "grid": grid, "assessed_on": latest["assessed_on"],
            "channel": roman(latest["channel_level"]), "engagement": roman(latest["engagement_level"]),
            "target_channel": roman(latest["target_channel_level"]),
            "target_engagement": roman(latest["target_engagement_level"]), "votes": len(latest["votes"])}


def _roadmap(rows: list[dict]) -> list[dict]:
    pages = [rows[start:start + ROADMAP_PER_SLIDE] for start in range(0, len(rows), ROADMAP_PER_SLIDE)]
    return [{"kind": "roadmap", "title": _("Roadmap"), "page": index, "pages": len(pages),
             "items": [{key: row[key] for key in ("rank", "title", "category_label", "horizon_label", "status_label",
                                                   "teams", "quarter")} for row in page]}
            for index, page in enumerate(pages, start=1)]
