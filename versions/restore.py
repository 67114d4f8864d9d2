"""Putting one object back as a version holds it, through the object's own service (history, feed, version check).

Each restorer finds the object's row in the version's data by its database id. An object that still exists is
updated (refused as stale if it changed since `expected_version`); one deleted since is created again (with a new
id) when what it hangs on still exists. Whatever is missing is said plainly, as a ValidationError.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments import services as assessments
from assessments.models import TouchpointEvaluation
from planning import services as planning
from planning.models import Channel, Stage, Touchpoint
from roadmaps import services as roadmaps
from roadmaps.models import RoadmapItem, ScoringCriterion
from tenancy.models import Team

EVALUATION_FIELDS = ("maturity", "potential_customer", "potential_brand", "information_pushed", "feedback_mode",
                     "notes")
ROADMAP_FIELDS = ("title", "category", "description", "horizon", "quarter", "status", "board_position", "value",
                  "effort", "reach", "impact", "confidence", "business_value", "time_criticality", "risk_reduction",
                  "job_size", "manual_rank", "manual_rank_reason", "start_date", "end_date")


def _row(rows, pk: int, what: str) -> dict:
    row = next((r for r in rows if r["id"] == pk), None)
    if row is None:
        raise ValidationError(_("This version holds no such %(what)s.") % {"what": what})
    return row


def _team(plan, name: str):
    if not name:
        return None
    team = Team.objects.filter(organisation_id=plan.organisation_id, name=name).first()
    if team is None:
        raise ValidationError(_("The team “%(name)s” no longer exists.") % {"name": name})
    return team


def touchpoint_restore(*, data, plan, actor, pk: int, expected_version=None) -> Touchpoint:
    row = _row(data.touchpoints, pk, _("touchpoint"))
    stage_id = next(s["id"] for j in data.journeys for s in j["stages"] if s["ref"] == row["stage"])
    stage = Stage.objects.filter(pk=stage_id, plan=plan).select_related("journey__plan").first()
    if stage is None:
        raise ValidationError(_("The stage “%(stage)s” it was in no longer exists: create it again first.")
                              % {"stage": row["stage_name"]})
    channel = Channel.objects.filter(organisation_id=plan.organisation_id, name=row["channel"]).first()
    if channel is None:
        raise ValidationError(_("The channel “%(name)s” no longer exists.") % {"name": row["channel"]})
    fields = {"name": row["name"], "customer_action": row["customer_action"],
              "company_response": row["company_response"], "evidence": row["evidence"],
              "team": _team(plan, row["team"]), "position": row["position"]}
    current = Touchpoint.objects.filter(pk=pk, plan=plan).select_related("journey__plan").first()
    if current is None:
        return planning.touchpoint_create(stage=stage, channel=channel, actor=actor, **fields)
    return planning.touchpoint_update(touchpoint=current, actor=actor, version=expected_version, stage=stage,
                                      channel=channel, **fields)


def evaluation_restore(*, data, plan, actor, pk: int, expected_version=None) -> TouchpointEvaluation:
    row = _row(data.evaluations, pk, _("evaluation"))
    fields = {name: row[name] for name in EVALUATION_FIELDS}
    current = TouchpointEvaluation.objects.filter(pk=pk, plan=plan).select_related("plan").first()
    if current is not None:
        return assessments.evaluation_update(evaluation=current, actor=actor, version=expected_version, **fields)
    touchpoint_id = next(t["id"] for t in data.touchpoints if t["ref"] == row["touchpoint"])
    touchpoint = Touchpoint.objects.filter(pk=touchpoint_id, plan=plan).select_related("plan").first()
    if touchpoint is None:
        raise ValidationError(_("The touchpoint “%(name)s” it evaluated no longer exists: restore it first.")
                              % {"name": row["touchpoint_name"]})
    team = _team(plan, row["team"])
    return assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=actor, **fields)


def roadmap_item_restore(*, data, plan, actor, pk: int, expected_version=None) -> RoadmapItem:
    row = _row(data.roadmap, pk, _("roadmap item"))
    fields = {name: row[name] for name in ROADMAP_FIELDS}
    criteria = {c["ref"]: str(c["id"]) for c in data.scoring.get("criteria", [])}
    existing = {str(pk) for pk in ScoringCriterion.objects.filter(plan=plan).values_list("pk", flat=True)}
    fields["criteria_scores"] = {criteria[ref]: value for ref, value in (row.get("criteria_scores") or {}).items()
                                 if criteria.get(ref) in existing}
    current = RoadmapItem.objects.filter(pk=pk, plan=plan).select_related("plan").first()
    if current is not None:
        return roadmaps.roadmap_item_update(item=current, actor=actor, version=expected_version, **fields)
    title = fields.pop("title")
    return roadmaps.roadmap_item_create(plan=plan, actor=actor, title=title, **fields)


RESTORERS = {"touchpoint": touchpoint_restore, "evaluation": evaluation_restore, "roadmap-item": roadmap_item_restore}
