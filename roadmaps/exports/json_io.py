"""The whole plan as versioned JSON, and its import back as a new plan.

Format {"format": "journey-planner/plan", "version": 1, ...}: rows reference each other by the export's short
references (J1, ST2, TP12, C1…), never by database ids, and users by username. Exporting an imported plan gives
the same document (apart from `exported_at` and the plan's name), because references follow the rows' order.
`write` streams it section by section and chunk by chunk (json_stream.py), so memory stays flat however many
feedback responses the plan holds; the bytes are those json.dumps(document, ensure_ascii=False, indent=1) gives.

Importing (`plan_import`) creates a NEW plan in the target organisation (the actor must be allowed to create plans
there): channels are matched by name or created, teams and people matched by name / username or left empty.
Rows that cannot exist without a missing team or person (a team's evaluation, a participant's vote) are skipped and
reported in the warnings. Everything happens in one transaction: a bad file leaves nothing behind.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.safe_json import UnsafeJSON, loads_checked
from roadmaps.exports import json_voice
from roadmaps.exports.gather import PlanExportData
from roadmaps.exports.json_import import import_rows
from roadmaps.exports.json_stream import write_object
from roadmaps.exports.sections import json_sections

FORMAT = "journey-planner/plan"
VERSION = 1


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def _date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def plan_document(data: PlanExportData) -> dict:
    """The export document (plain JSON types only), whole in memory: for tests and tools; `write` streams it."""
    return {key: list(value) if isinstance(value, Iterator) else value for key, value in _sections(data)}


def _sections(data: PlanExportData) -> Iterator[tuple[str, object]]:
    """The document's keys in order; the lists of rows as generators, so `write` can stream them."""
    yield "format", FORMAT
    yield "version", VERSION
    yield "exported_at", data.generated_at.isoformat()
    yield "plan", {"name": data.plan["name"], "description": data.plan["description"],
                   "period_start": _date(data.plan["period_start"]), "period_end": _date(data.plan["period_end"]),
                   "status": data.plan["status"]}
    yield "channels", channel_rows(data)
    yield "stakeholders", ({k: s[k] for k in ("ref", "name", "title", "team", "objective")} for s in data.stakeholders)
    yield "personas", persona_rows(data)
    yield "journeys", journey_rows(data)
    yield "touchpoints", touchpoint_rows(data)
    yield "evaluations", _evaluations(data)
    yield "agreements", ({k: a[k] for k in ("touchpoint", "maturity", "potential_customer", "potential_brand",
                                            "reason", "agreed_by")} for a in data.agreements)
    # The organisation's theme taxonomy (json_voice: themes belong to the organisation, merged on import).
    themes, refs, tags = json_voice.taxonomy(data.organisation["id"])
    yield "themes", themes
    yield "tags", tags
    # data.feedback may be a cursor over the database (gather.FeedbackRows): read once, chunk by chunk.
    yield "feedback", json_voice.feedback_rows(data.feedback, refs)
    yield "competitors", json_voice.competitor_rows(data.plan["id"])
    yield "mentions", json_voice.mention_rows(data.plan["id"], data, refs)
    yield "lanes", lane_rows(data)
    yield "emotions", ({"journey": j["ref"], **{k: e[k] for k in ("stage", "touchpoint", "score", "note")}}
                       for j in data.journeys for e in j["experience"]["emotions"])
    yield "pain_points", ({k: p[k] for k in ("ref", "journey", "stage", "touchpoints", "title", "description",
                                             "severity", "evidence", "verbatims")}
                          for j in data.journeys for p in j["experience"]["pain_points"])
    yield "opportunities", ({k: o[k] for k in ("ref", "journey", "stage", "touchpoints", "pain_points", "title",
                                               "description", "expected_value", "evidence")}
                            for j in data.journeys for o in j["experience"]["opportunities"])
    yield "maturity_assessments", (dict({k: a[k] for k in ("channel_level", "engagement_level",
                                                           "target_channel_level", "target_engagement_level",
                                                           "notes", "votes")},
                                        assessed_on=_date(a["assessed_on"])) for a in data.maturity)
    yield "audit_items", ({"ref": a["ref"], "kind": a["kind"], "step": a["step"], "title": a["title"],
                           "answers": a["answers_raw"], "touchpoints": a["touchpoints"]} for a in data.audits)
    yield "scoring", {"method": data.scoring["method"],
                      "criteria": [{"ref": c["ref"], "name": c["name"], "weight": _decimal(c["weight"]),
                                    "direction": c["direction"], "position": c["position"]}
                                   for c in data.scoring["criteria"]]}
    roadmap = sorted(data.roadmap, key=lambda item: int(item["ref"][1:]))
    yield "roadmap_items", (_roadmap_item(item) for item in roadmap)
    for section in json_sections():  # the apps above roadmaps (roadmaps.exports.sections)
        yield section.key, section.export(data)


def channel_rows(data: PlanExportData) -> Iterator[dict]:
    return ({"name": c["name"], "kind": c["kind"]} for c in data.channels)


def persona_rows(data: PlanExportData) -> Iterator[dict]:
    return (dict({k: p[k] for k in ("ref", "name", "description", "goals", "frustrations", "quote", "segment_size",
                                    "evidence", "preferred_channels")},
                 revenue_share=_decimal(p["revenue_share"])) for p in data.personas)


def journey_rows(data: PlanExportData) -> Iterator[dict]:
    return ({"ref": j["ref"], "name": j["name"], "description": j["description"], "persona": j["persona"],
             "state": j["state"], "based_on": j["based_on"],
             "stages": [{k: s[k] for k in ("ref", "name", "position")} for s in j["stages"]]}
            for j in data.journeys)


def touchpoint_rows(data: PlanExportData) -> Iterator[dict]:
    return ({k: t[k] for k in ("ref", "journey", "stage", "channel", "name", "customer_action", "company_response",
                               "team", "position", "evidence")} for t in data.touchpoints)


def lane_rows(data: PlanExportData) -> Iterator[dict]:
    return ({k: lane[k] for k in ("ref", "journey", "kind", "title", "position", "hidden", "cards")}
            for lane in data.lanes)


def _evaluations(data: PlanExportData) -> Iterator[dict]:
    items: dict[str, list] = {}
    for item in data.data_items:
        items.setdefault(item["evaluation"], []).append(
            {k: item[k] for k in ("data", "source", "storage", "completeness", "accessibility", "position")})
    keys = ("ref", "touchpoint", "team", "maturity", "potential_customer", "potential_brand", "information_pushed",
            "feedback_mode", "notes", "evaluated_by")
    return (dict({k: e[k] for k in keys}, data_items=items.get(e["ref"], [])) for e in data.evaluations)


ITEM_KEYS = ("ref", "title", "category", "description", "owner", "teams", "touchpoints", "objectives", "audit_gaps",
             "opportunities", "dependencies", "horizon", "quarter", "status", "board_position", "value", "effort",
             "reach", "confidence", "business_value", "time_criticality", "risk_reduction", "job_size",
             "criteria_scores", "manual_rank", "manual_rank_reason")


def _roadmap_item(item: dict) -> dict:
    return dict({k: item[k] for k in ITEM_KEYS}, impact=_decimal(item["impact"]),
                start_date=_date(item["start_date"]), end_date=_date(item["end_date"]))


def write(data: PlanExportData, stream: BinaryIO) -> None:
    """Write the document to a binary stream section by section, a chunk of rows at a time: the same bytes as
    json.dumps(plan_document(data), ensure_ascii=False, indent=1), without the whole document in memory."""
    write_object(stream, _sections(data))


def render(data: PlanExportData) -> bytes:
    buffer = io.BytesIO()  # grows in place, and getvalue() hands its buffer over rather than copying it
    write(data, buffer)
    return buffer.getvalue()


# Import ----------------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    plan: object
    warnings: list[str] = field(default_factory=list)


def _check_header(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("This is not a plan exported by Journey Planner (format %(format)s expected).")
                              % {"format": FORMAT})
    if data.get("version") != VERSION:
        raise ValidationError(_("Unsupported version %(version)s of the plan format; this server reads version "
                                "%(expected)s.") % {"version": data.get("version"), "expected": VERSION})


def plan_import(data, *, organisation, actor, name: str | None = None) -> ImportResult:
    """Create a new plan in `organisation` from an exported document (a dict, or JSON bytes/text)."""
    if isinstance(data, bytes | str):
        try:
            data = loads_checked(data)
        except UnsafeJSON as error:
            raise ValidationError(str(error)) from None
        except ValueError as error:
            raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    _check_header(data)
    try:
        with transaction.atomic():
            plan, warnings = import_rows(data, organisation=organisation, actor=actor, name=name)
            return ImportResult(plan=plan, warnings=warnings)
    except IntegrityError as error:
        raise ValidationError(_("The file holds values the database refuses: %(error)s") % {"error": error}) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValidationError(_("The file is incomplete or malformed (%(error)s).")
                              % {"error": f"{type(error).__name__}: {error}"}) from None
