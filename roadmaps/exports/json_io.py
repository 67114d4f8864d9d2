"""The whole plan as versioned JSON, and its import back as a new plan.

Format {"format": "journey-planner/plan", "version": 1, ...}: rows reference each other by the export's short
references (J1, ST2, TP12, C1…), never by database ids, and users by username. Exporting an imported plan gives
the same document (apart from `exported_at` and the plan's name), because references follow the rows' order.

Importing (`plan_import`) creates a NEW plan in the target organisation (the actor must be allowed to create plans
there): channels are matched by name or created, teams and people matched by name / username or left empty.
Rows that cannot exist without a missing team or person (a team's evaluation, a participant's vote) are skipped and
reported in the warnings. Everything happens in one transaction: a bad file leaves nothing behind.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .gather import PlanExportData
from .json_import import import_rows

FORMAT = "journey-planner/plan"
VERSION = 1


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def _date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def plan_document(data: PlanExportData) -> dict:
    """The export document (plain JSON types only)."""
    roadmap = sorted(data.roadmap, key=lambda item: int(item["ref"][1:]))
    return {
        "format": FORMAT, "version": VERSION, "exported_at": data.generated_at.isoformat(),
        "plan": {"name": data.plan["name"], "description": data.plan["description"],
                 "period_start": _date(data.plan["period_start"]), "period_end": _date(data.plan["period_end"]),
                 "status": data.plan["status"]},
        "channels": [{"name": c["name"], "kind": c["kind"]} for c in data.channels],
        "stakeholders": [{k: s[k] for k in ("ref", "name", "title", "team", "objective")} for s in data.stakeholders],
        "personas": [dict({k: p[k] for k in ("ref", "name", "description", "goals", "frustrations", "quote",
                                             "segment_size", "evidence", "preferred_channels")},
                          revenue_share=_decimal(p["revenue_share"])) for p in data.personas],
        "journeys": [{"ref": j["ref"], "name": j["name"], "description": j["description"], "persona": j["persona"],
                      "stages": [{k: s[k] for k in ("ref", "name", "position")} for s in j["stages"]]}
                     for j in data.journeys],
        "touchpoints": [{k: t[k] for k in ("ref", "journey", "stage", "channel", "name", "customer_action",
                                           "company_response", "team", "position", "evidence")}
                        for t in data.touchpoints],
        "evaluations": _evaluations(data),
        "agreements": [{k: a[k] for k in ("touchpoint", "maturity", "potential_customer", "potential_brand", "reason",
                                          "agreed_by")} for a in data.agreements],
        "feedback": [dict({k: f[k] for k in ("touchpoint", "kind", "score", "source", "verbatim")},
                          responded_on=_date(f["responded_on"])) for f in data.feedback],
        "maturity_assessments": [dict({k: a[k] for k in ("channel_level", "engagement_level", "target_channel_level",
                                                         "target_engagement_level", "notes", "votes")},
                                      assessed_on=_date(a["assessed_on"])) for a in data.maturity],
        "audit_items": [{"ref": a["ref"], "kind": a["kind"], "step": a["step"], "title": a["title"],
                         "answers": a["answers_raw"], "touchpoints": a["touchpoints"]} for a in data.audits],
        "scoring": {"method": data.scoring["method"],
                    "criteria": [{"ref": c["ref"], "name": c["name"], "weight": _decimal(c["weight"]),
                                  "direction": c["direction"], "position": c["position"]}
                                 for c in data.scoring["criteria"]]},
        "roadmap_items": [_roadmap_item(item) for item in roadmap],
    }


def _evaluations(data: PlanExportData) -> list[dict]:
    items: dict[str, list] = {}
    for item in data.data_items:
        items.setdefault(item["evaluation"], []).append(
            {k: item[k] for k in ("data", "source", "storage", "completeness", "accessibility", "position")})
    keys = ("ref", "touchpoint", "team", "maturity", "potential_customer", "potential_brand", "information_pushed",
            "feedback_mode", "notes", "evaluated_by")
    return [dict({k: e[k] for k in keys}, data_items=items.get(e["ref"], [])) for e in data.evaluations]


ITEM_KEYS = ("ref", "title", "category", "description", "owner", "teams", "touchpoints", "objectives", "audit_gaps",
             "dependencies", "horizon", "quarter", "status", "board_position", "value", "effort", "reach",
             "confidence", "business_value", "time_criticality", "risk_reduction", "job_size", "criteria_scores",
             "manual_rank", "manual_rank_reason")


def _roadmap_item(item: dict) -> dict:
    return dict({k: item[k] for k in ITEM_KEYS}, impact=_decimal(item["impact"]),
                start_date=_date(item["start_date"]), end_date=_date(item["end_date"]))


def render(data: PlanExportData) -> bytes:
    return json.dumps(plan_document(data), ensure_ascii=False, indent=1).encode("utf-8")


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
            data = json.loads(data)
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
