"""A plan version's snapshot: the plan's gathered export data (roadmaps.exports.gather, the data every export
renders from) as compressed JSON, and back.

Stored once when the version is frozen and never re-rendered from the live rows: the comparison, the JSON document
and the PDF of a version read it. What is left out, to keep it small: feedback responses (their statistics per
touchpoint stay), persona photos, and what `load` rebuilds from the rest (each journey's touchpoint list, its
channel grid and its emotion curve, which are the same rows seen another way). Dates, decimals and feedback
estimates are tagged so they come back as they were; labels stay in the language of whoever froze the version.
"""

import json
import zlib
from dataclasses import asdict, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal

import orjson
from django.utils.dateparse import parse_date, parse_datetime

from assessments.statistics import Estimate
from experience import charts
from roadmaps.exports.gather import PlanExportData, gather

FORMAT = 1
LEVEL = 6  # zlib: a 500-touchpoint plan takes about 60 KB; level 9 saves little and costs twice the time
DERIVED = ("touchpoints", "lanes")  # per journey: rebuilt by `load`


def _default(value):
    if isinstance(value, Estimate):  # feedback statistics: the PDF reads them as objects
        return {"$est": asdict(value)}
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, set | tuple):
        return list(value)
    return str(value)  # lazy translations


def _hook(obj: dict):
    if len(obj) == 1:
        (key, value), = obj.items()
        if key == "$dt":
            return parse_datetime(value)
        if key == "$d":
            return parse_date(value)
        if key == "$dec":
            return Decimal(value)
        if key == "$est":
            return Estimate(**value)
    return obj


def _journey_for_storage(journey: dict) -> dict:
    stored = {k: v for k, v in journey.items() if k not in DERIVED and k != "experience"}
    stored["experience"] = {k: v for k, v in journey["experience"].items() if k not in ("curve", "lanes")}
    return stored


def current(plan) -> PlanExportData:
    """The plan as it is now, gathered as a snapshot holds it (a constant number of queries)."""
    return gather(plan, feedback_rows=False, photos=False, verbatims=12)


def freeze(plan) -> tuple[bytes, PlanExportData]:
    """The plan gathered now, and its compressed snapshot."""
    data = current(plan)
    return dump(data), data


def dump(data: PlanExportData) -> bytes:
    document = {f.name: getattr(data, f.name) for f in fields(PlanExportData)}
    document["feedback"] = []
    document["feedback_rows_loaded"] = False
    document["journeys"] = [_journey_for_storage(j) for j in data.journeys]
    text = orjson.dumps(document, default=_default,
                        option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
    return zlib.compress(text, LEVEL)


def load(blob: bytes) -> PlanExportData:
    """The gathered data as it was frozen, with the per-journey views rebuilt (no query)."""
    document = json.loads(zlib.decompress(bytes(blob)), object_hook=_hook)
    data = PlanExportData(**{f.name: document[f.name] for f in fields(PlanExportData) if f.name in document})
    by_journey: dict[str, list] = {}
    for touchpoint in data.touchpoints:
        by_journey.setdefault(touchpoint["journey"], []).append(touchpoint)
    lanes: dict[str, list] = {}
    for lane in data.lanes:
        lanes.setdefault(lane["journey"], []).append(lane)
    for journey in data.journeys:
        journey["touchpoints"] = by_journey.get(journey["ref"], [])
        journey["lanes"] = channel_grid(journey)
        journey["experience"]["lanes"] = lanes.get(journey["ref"], [])
    for journey in data.journeys:
        journey["experience"]["curve"] = emotion_curve(journey, data.journeys)
    return data


def channel_grid(journey: dict) -> list[dict]:
    """The journey map grid: one lane per channel the journey uses (online first), one cell per stage (as
    gather.py builds it)."""
    cells: dict[tuple[str, str], list] = {}
    channels = {}
    for t in journey["touchpoints"]:
        cells.setdefault((t["channel"], t["stage"]), []).append(t)
        channels[t["channel"]] = (t["channel_kind"] != "online", t["channel_position"], t["channel"].lower())
    return [{"channel": name, "kind": "offline" if channels[name][0] else "online",
             "cells": [cells.get((name, s["ref"]), []) for s in journey["stages"]]}
            for name in sorted(channels, key=channels.get)]


def stage_values(journey: dict) -> list:
    """The journey's emotion per stage (its own score, else the mean of its touchpoints'), None where there is none."""
    emotions = journey["experience"]["emotions"]
    own = {e["stage_id"]: e["score"] for e in emotions if e["touchpoint"] is None}
    per_stage: dict = {}
    for e in emotions:
        if e["touchpoint"] is not None:
            per_stage.setdefault(e["stage_id"], []).append(e["score"])
    return charts.stage_values([s["id"] for s in journey["stages"]], own, per_stage)


def emotion_curve(journey: dict, journeys: list[dict]) -> dict | None:
    """The curve the PDF draws for a journey, and the one it is compared with (as-is ↔ to-be), as gather draws it."""
    values = stage_values(journey)
    if all(value is None for value in values):
        return None
    mine = charts.curve(values)
    for point in mine.points:
        point.label = journey["stages"][point.stage_index]["name"]
    curves = [mine]
    compared = next((j for j in journeys if j["ref"] == journey["based_on"]), None) or next(
        (j for j in journeys if j.get("based_on") == journey["ref"]), None)
    if compared is not None:
        theirs = (stage_values(compared) + [None] * len(values))[:len(values)]
        curves.append(charts.curve(theirs, dashed=True, mark_lowest=False))
    return {"svg": charts.svg(curves, title=journey["name"]), "points": mine.points,
            "compared": compared["name"] if compared and len(curves) > 1 else ""}
