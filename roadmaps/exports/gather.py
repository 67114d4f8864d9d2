"""Everything a plan export needs, loaded in a fixed number of queries (about 25, whatever the plan's size).

The result is plain data (dicts inside a dataclass): the renderers never touch a model. One exception to "all
loaded up front": the feedback responses (`FeedbackRows`, tens of thousands of rows) are read from the database in
chunks when a renderer iterates them, so that the JSON export streams them instead of holding them. Rows are
put in a stable order and given short references ("TP3", "J1"…) from that order, so two exports of the same
content are identical even when the database ids differ (an imported plan exports like its source).
"""

import base64
import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Value, When
from django.utils import timezone

from assessments.models import (
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    InformationPushed,
    MaturityAssessment,
    MaturityVote,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from assessments.selectors import feedback_statistics, feedback_statistics_by_touchpoint, summarise
from planning.models import Journey, Persona, Stage, Stakeholder, Touchpoint
from roadmaps.exports.gather_experience import gather_experience, journey_lanes
from roadmaps.exports.gather_voice import gather_voice
from roadmaps.models import RoadmapItem, ScoringMethod
from roadmaps.scoring import FORMULAS
from roadmaps.selectors import scored_roadmap
from tenancy.models import Plan

PHOTO_MAX_BYTES = 2 * 1024 * 1024  # larger photos are left out of the PDF rather than bloating it
INFORMATION = dict(InformationPushed.choices)
PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


@dataclass
class PlanExportData:
    """A whole plan as plain data: what every renderer (PDF, CSV, XLSX, JSON) reads."""

    plan: dict
    organisation: dict
    generated_at: datetime
    channels: list[dict] = field(default_factory=list)
    stakeholders: list[dict] = field(default_factory=list)
    personas: list[dict] = field(default_factory=list)
    journeys: list[dict] = field(default_factory=list)
    touchpoints: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    data_items: list[dict] = field(default_factory=list)
    agreements: list[dict] = field(default_factory=list)
    feedback: Iterable[dict] = field(default_factory=list)  # FeedbackRows: a cursor, not a list
    feedback_rows_loaded: bool = True
    feedback_statistics: dict = field(default_factory=dict)
    verbatims: list[dict] = field(default_factory=list)
    maturity: list[dict] = field(default_factory=list)
    audits: list[dict] = field(default_factory=list)
    scoring: dict = field(default_factory=dict)
    roadmap: list[dict] = field(default_factory=list)
    lanes: list[dict] = field(default_factory=list)  # every journey's experience lanes (also in journey["experience"])
    voice: dict = field(default_factory=dict)  # themes, sentiment per channel, listening (gather_voice; the PDF)


def gather(plan: Plan, *, feedback_rows: bool = True, photos: bool = False, verbatims: int = 12) -> PlanExportData:
    """Load the plan for an export. `feedback_rows=False` (the PDF) loads statistics and a few verbatims instead
    of every response; `photos=True` embeds persona photos as data: URLs (the PDF fetches nothing else)."""
    plan = Plan.objects.select_related("organisation").get(pk=plan.pk)
    data = PlanExportData(
        plan=_plan_dict(plan), organisation={"id": plan.organisation_id, "name": plan.organisation.name},
        generated_at=timezone.now(),
    )
    data.stakeholders = _stakeholders(plan)
    personas, preferred = _personas(plan, photos)
    data.personas = list(personas.values())
    journeys, stages = _journeys(plan, personas)
    touchpoints = _touchpoints(plan, journeys, stages)
    data.journeys, data.touchpoints = list(journeys.values()), list(touchpoints.values())
    data.channels = _channels_used(data.touchpoints, preferred)
    _assessments(plan, data, touchpoints)
    _feedback(plan, data, touchpoints, feedback_rows, verbatims)
    if not feedback_rows:  # the PDF: the JSON, CSV and XLSX carry every row instead
        data.voice = gather_voice(plan)
    experience = gather_experience(plan, journeys, stages, touchpoints)
    data.lanes = experience["lanes"]
    for journey in data.journeys:
        journey["lanes"] = _lanes(journey)
    data.maturity = _maturity(plan)
    audits = _audits(plan, touchpoints)
    data.audits = list(audits.values())
    data.scoring, data.roadmap = _roadmap(plan, touchpoints, audits, {s["id"]: s for s in data.stakeholders},
                                          experience["opportunity_refs"])
    answered: dict[str, list] = {}
    for row in data.roadmap:
        for ref in row["opportunities"]:
            answered.setdefault(ref, []).append(row["title"])
    for journey in data.journeys:
        for opportunity in journey["experience"]["opportunities"]:
            opportunity["roadmap"] = answered.get(opportunity["ref"], [])
    return data


def gather_structure(plan: Plan, *, journey_ids=None) -> PlanExportData:
    """Only the plan's personas, its journeys (all, or those of `journey_ids`) with their stages, touchpoints and
    lanes, and the channels they use: what the library publishes of a plan (library/documents.py). Publishing one
    journey of a 5,000-touchpoint plan gathered the whole plan (6.5 s); this reads that journey's rows only."""
    plan = Plan.objects.select_related("organisation").get(pk=plan.pk)
    data = PlanExportData(plan=_plan_dict(plan), organisation={"id": plan.organisation_id,
                                                               "name": plan.organisation.name},
                          generated_at=timezone.now())
    personas, preferred = _personas(plan, photos=False)
    data.personas = list(personas.values())
    journeys, stages = _journeys(plan, personas, journey_ids)
    touchpoints = _touchpoints(plan, journeys, stages, journey_ids)
    data.journeys, data.touchpoints = list(journeys.values()), list(touchpoints.values())
    data.channels = _channels_used(data.touchpoints, preferred)
    for journey in data.journeys:
        based_on = journey.pop("based_on_id", None)
        journey["based_on"] = journeys[based_on]["ref"] if based_on in journeys else ""
        journey["experience"] = {"lanes": [], "emotions": [], "pain_points": [], "opportunities": []}
    data.lanes = journey_lanes(plan, journeys, stages, journey_ids)
    return data


def _plan_dict(plan) -> dict:
    return {"id": plan.pk, "name": plan.name, "description": plan.description, "period_start": plan.period_start,
            "period_end": plan.period_end, "status": plan.status, "status_label": plan.get_status_display()}


def _labels(model, name: str) -> dict:
    """A choice field's labels as text, {value: label}: get_FOO_display() rebuilds the choices mapping and
    translates on every call, a third of gather's time on a big plan. Built per gather, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _refs(rows: list[dict], prefix: str) -> dict:
    """Number rows in their (already stable) order: {id: row}, each row gaining its "ref"."""
    for index, row in enumerate(rows, start=1):
        row["ref"] = f"{prefix}{index}"
    return {row["id"]: row for row in rows}


def _team(team) -> str:
    return team.name if team is not None else ""


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _stakeholders(plan) -> list[dict]:
    rows = [{"id": s.pk, "name": s.name, "title": s.title, "team": _team(s.team), "objective": s.objective}
            for s in Stakeholder.objects.filter(plan=plan).select_related("team").order_by("name", "id")]
    _refs(rows, "S")
    return rows


def _photo_data_url(photo) -> str:
    """The photo as a data: URL, or "" if it is missing, too large or not an image type we embed."""
    mime = mimetypes.guess_type(photo.name)[0]
    if mime not in PHOTO_TYPES:
        return ""
    try:
        if photo.size > PHOTO_MAX_BYTES:
            return ""
        with photo.open("rb") as handle:
            content = handle.read(PHOTO_MAX_BYTES + 1)
    except OSError:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _personas(plan, photos: bool) -> tuple[dict, dict]:
    rows, channels = [], {}
    for p in Persona.objects.filter(plan=plan).prefetch_related("preferred_channels").order_by("name", "id"):
        for c in p.preferred_channels.all():
            channels[c.name] = {"name": c.name, "kind": c.kind, "position": c.position}
        rows.append({
            "id": p.pk, "name": p.name, "initials": p.initials, "description": p.description, "goals": p.goals,
            "frustrations": p.frustrations, "quote": p.quote, "segment_size": p.segment_size,
            "revenue_share": p.revenue_share, "evidence": p.evidence, "evidence_label": p.get_evidence_display(),
            "preferred_channels": sorted(c.name for c in p.preferred_channels.all()),
            "photo": _photo_data_url(p.photo) if photos and p.photo else "",
        })
    return _refs(rows, "P"), channels


def _journeys(plan, personas: dict, journey_ids=None) -> tuple[dict, dict]:
    rows = [{"id": j.pk, "name": j.name, "description": j.description, "state": j.state, "based_on_id": j.based_on_id,
             "persona": personas[j.persona_id]["ref"] if j.persona_id in personas else "",
             "persona_name": personas[j.persona_id]["name"] if j.persona_id in personas else "",
             "stages": [], "touchpoints": []}
            for j in _only(Journey.objects.filter(plan=plan), "pk", journey_ids).order_by("name", "id")]
    journeys = _refs(rows, "J")
    stage_rows = []
    for stage in _only(Stage.objects.filter(plan=plan), "journey_id", journey_ids).order_by("position", "id"):
        journey = journeys.get(stage.journey_id)
        if journey is not None:
            row = {"id": stage.pk, "journey": journey["ref"], "name": stage.name, "position": stage.position}
            journey["stages"].append(row)
    for journey in journeys.values():  # stage refs follow the journey order, then the stage order
        stage_rows.extend(journey["stages"])
    return journeys, _refs(stage_rows, "ST")


def _only(queryset, field: str, ids):
    """The queryset, or its rows whose `field` is among `ids` when ids are given."""
    return queryset if ids is None else queryset.filter(**{f"{field}__in": list(ids)})


def _touchpoints(plan, journeys: dict, stages: dict, journey_ids=None) -> dict:
    queryset = _only(Touchpoint.objects.filter(plan=plan), "journey_id", journey_ids).select_related("channel", "team")
    journey_order = {pk: index for index, pk in enumerate(journeys)}
    stage_order = {pk: index for index, pk in enumerate(stages)}
    ordered = sorted(queryset, key=lambda t: (journey_order.get(t.journey_id, 0), stage_order.get(t.stage_id, 0),
                                              t.channel.kind != "online", t.channel.position, t.channel.name,
                                              t.position, t.pk))
    evidence = _labels(Touchpoint, "evidence")
    rows = []
    for t in ordered:
        row = {
            "id": t.pk, "journey": journeys[t.journey_id]["ref"], "journey_name": journeys[t.journey_id]["name"],
            "stage": stages[t.stage_id]["ref"], "stage_name": stages[t.stage_id]["name"],
            "channel": t.channel.name, "channel_kind": t.channel.kind, "channel_position": t.channel.position,
            "name": t.name, "customer_action": t.customer_action, "company_response": t.company_response,
            "team": _team(t.team), "position": t.position, "evidence": t.evidence,
            "evidence_label": evidence.get(t.evidence, t.evidence), "agreed": {}, "gap": None, "disagreement": False,
            "evaluation_count": 0, "feedback": None,
        }
        rows.append(row)
        journeys[t.journey_id]["touchpoints"].append(row)
    return _refs(rows, "TP")


def _channels_used(touchpoints: list[dict], preferred: dict) -> list[dict]:
    """The organisation's channels this plan uses (touchpoints and persona preferences), by name."""
    channels = dict(preferred)
    for t in touchpoints:
        channels[t["channel"]] = {"name": t["channel"], "kind": t["channel_kind"], "position": t["channel_position"]}
    return sorted(channels.values(), key=lambda c: c["name"].lower())


def _assessments(plan, data: PlanExportData, touchpoints: dict) -> None:
    evaluations = list(TouchpointEvaluation.objects.filter(plan=plan).select_related("team", "evaluated_by"))
    evaluations = [e for e in evaluations if e.touchpoint_id in touchpoints]
    order = {pk: index for index, pk in enumerate(touchpoints)}
    evaluations.sort(key=lambda e: (order[e.touchpoint_id], e.team.name, e.pk))
    agreements = {a.touchpoint_id: a for a in
                  TouchpointAgreement.objects.filter(plan=plan).select_related("agreed_by")}
    by_touchpoint: dict[int, list] = {}
    modes, information = _labels(TouchpointEvaluation, "feedback_mode"), {k: str(v) for k, v in INFORMATION.items()}
    rows = []
    for e in evaluations:
        by_touchpoint.setdefault(e.touchpoint_id, []).append(e)
        rows.append({"id": e.pk, "touchpoint": touchpoints[e.touchpoint_id]["ref"],
                     "touchpoint_name": touchpoints[e.touchpoint_id]["name"], "team": e.team.name,
                     "maturity": e.maturity, "potential_customer": e.potential_customer,
                     "potential_brand": e.potential_brand, "information_pushed": list(e.information_pushed or []),
                     "feedback_mode": e.feedback_mode,
                     "feedback_mode_label": modes.get(e.feedback_mode, e.feedback_mode),
                     "information_labels": [information.get(v, str(v)) for v in e.information_pushed or []],
                     "notes": e.notes, "evaluated_by": _username(e.evaluated_by)})
    data.evaluations = list(_refs(rows, "E").values())
    _data_items(plan, data)
    for pk, touchpoint in touchpoints.items():
        summary = summarise(by_touchpoint.get(pk, []), agreements.get(pk))
        touchpoint.update(agreed=summary["agreed"], gap=summary["gap"], disagreement=summary["disagreement"],
                          evaluation_count=len(summary["evaluations"]))
    data.agreements = [
        {"touchpoint": touchpoints[pk]["ref"], "touchpoint_name": touchpoints[pk]["name"], "maturity": a.maturity,
         "potential_customer": a.potential_customer, "potential_brand": a.potential_brand, "reason": a.reason,
         "agreed_by": _username(a.agreed_by)}
        for pk, a in sorted(agreements.items(), key=lambda pair: order.get(pair[0], 0)) if pk in touchpoints
    ]


def _data_items(plan, data: PlanExportData) -> None:
    evaluations = {e["id"]: e for e in data.evaluations}
    order = {pk: index for index, pk in enumerate(evaluations)}
    items = [i for i in DataCaptureItem.objects.filter(plan=plan) if i.evaluation_id in evaluations]
    items.sort(key=lambda i: (order[i.evaluation_id], i.position, i.pk))
    storage, completeness, accessibility = (_labels(DataCaptureItem, name) for name in
                                            ("storage", "completeness", "accessibility"))
    data.data_items = [
        {"evaluation": evaluations[i.evaluation_id]["ref"], "touchpoint": evaluations[i.evaluation_id]["touchpoint"],
         "touchpoint_name": evaluations[i.evaluation_id]["touchpoint_name"],
         "team": evaluations[i.evaluation_id]["team"], "data": i.data, "source": i.source, "storage": i.storage,
         "completeness": i.completeness, "accessibility": i.accessibility, "position": i.position,
         "storage_label": storage.get(i.storage, i.storage),
         "completeness_label": completeness.get(i.completeness, i.completeness),
         "accessibility_label": accessibility.get(i.accessibility, i.accessibility)}
        for i in items
    ]


def _feedback(plan, data: PlanExportData, touchpoints: dict, rows: bool, verbatims: int) -> None:
    queryset = FeedbackResponse.objects.filter(plan=plan)
    data.feedback_statistics = feedback_statistics(queryset)
    for pk, statistics in feedback_statistics_by_touchpoint(plan=plan).items():
        if pk in touchpoints:
            touchpoints[pk]["feedback"] = statistics
    data.feedback_rows_loaded = rows
    if rows:
        data.feedback = FeedbackRows(queryset, touchpoints)
    columns = ("id", "touchpoint_id", "kind", "score", "responded_on", "source", "verbatim")
    recent = queryset.exclude(verbatim="").order_by("-responded_on", "-id").values(*columns)[:verbatims]
    data.verbatims = [_feedback_row(r, touchpoints) for r in recent if r["touchpoint_id"] in touchpoints]


class FeedbackRows:
    """The plan's feedback responses in export order (touchpoint order, then date, then id), read from the database
    in chunks each time they are iterated, for the JSON export to write out chunk by chunk: 20,000 responses held as
    a list of dicts weighed 9 MiB. One query per iteration; the rest of the export data is lists."""

    CHUNK = 2000

    def __init__(self, queryset, touchpoints: dict):
        self.queryset, self.touchpoints = queryset, touchpoints

    def __iter__(self) -> Iterator[dict]:
        touchpoints = self.touchpoints
        if not touchpoints:
            return
        # The touchpoint order is computed in Python (it sorts channel names as Python does, not as the database's
        # collation would): hand it to the database as each touchpoint's position.
        position = Case(*(When(touchpoint_id=pk, then=Value(index)) for index, pk in enumerate(touchpoints)),
                        default=Value(len(touchpoints)))
        rows = (self.queryset.order_by(position, "responded_on", "id")
                .values_list("id", "touchpoint_id", "kind", "score", "responded_on", "source", "verbatim",
                             "sentiment", "sentiment_score", "sentiment_corrected"))
        for (pk, touchpoint_id, kind, score, responded_on, source, verbatim, sentiment, sentiment_score,
             corrected) in rows.iterator(chunk_size=self.CHUNK):
            touchpoint = touchpoints.get(touchpoint_id)
            if touchpoint is not None:
                yield {"id": pk, "touchpoint": touchpoint["ref"], "touchpoint_name": touchpoint["name"], "kind": kind,
                       "score": score, "responded_on": responded_on, "source": source, "verbatim": verbatim,
                       "sentiment": sentiment, "sentiment_score": sentiment_score, "sentiment_corrected": corrected}


def _feedback_row(row: dict, touchpoints: dict) -> dict:
    touchpoint = touchpoints[row["touchpoint_id"]]
    return {"touchpoint": touchpoint["ref"], "touchpoint_name": touchpoint["name"], "kind": row["kind"],
            "score": row["score"], "responded_on": row["responded_on"], "source": row["source"],
            "verbatim": row["verbatim"]}


def _lanes(journey: dict) -> list[dict]:
    """The journey map grid: one lane per channel the journey uses (online first), one cell per stage."""
    cells: dict[tuple[str, str], list] = {}
    channels = {}
    for t in journey["touchpoints"]:
        cells.setdefault((t["channel"], t["stage"]), []).append(t)
        channels[t["channel"]] = (t["channel_kind"] != "online", t["channel_position"], t["channel"].lower())
    lanes = []
    for name in sorted(channels, key=channels.get):
        lane_cells = [cells.get((name, s["ref"]), []) for s in journey["stages"]]
        lanes.append({"channel": name, "kind": "offline" if channels[name][0] else "online", "cells": lane_cells})
    return lanes


def _maturity(plan) -> list[dict]:
    assessments = list(MaturityAssessment.objects.filter(plan=plan).order_by("assessed_on", "id"))
    votes: dict[int, list] = {}
    for vote in (MaturityVote.objects.filter(assessment__plan=plan).select_related("participant")
                 .order_by("participant__username", "id")):
        votes.setdefault(vote.assessment_id, []).append(
            {"participant": _username(vote.participant), "channel_level": vote.channel_level,
             "engagement_level": vote.engagement_level})
    return [{"assessed_on": a.assessed_on, "channel_level": a.channel_level, "engagement_level": a.engagement_level,
             "target_channel_level": a.target_channel_level, "target_engagement_level": a.target_engagement_level,
             "notes": a.notes, "votes": votes.get(a.pk, [])} for a in assessments]


def _audits(plan, touchpoints: dict) -> dict:
    linked: dict[int, list] = {}
    through = AuditItem.touchpoints.through.objects.filter(audititem__plan=plan).order_by("id")
    for audit_id, touchpoint_id in through.values_list("audititem_id", "touchpoint_id"):
        if touchpoint_id in touchpoints:
            linked.setdefault(audit_id, []).append(touchpoints[touchpoint_id])
    rows = []
    for item in AuditItem.objects.filter(plan=plan).order_by("kind", "step", "title", "id"):
        linked_touchpoints = sorted(linked.get(item.pk, []), key=lambda t: int(t["ref"][2:]))
        rows.append({
            "id": item.pk, "kind": item.kind, "kind_label": item.get_kind_display(), "step": item.step,
            "step_label": item.get_step_display(), "title": item.title, "is_gap": item.is_gap,
            "answers": [{"code": code, "question": str(question), "answer": (item.answers or {}).get(code, "")}
                        for code, question in item.questions()],
            "answers_raw": dict(item.answers or {}),
            "touchpoints": [t["ref"] for t in linked_touchpoints],
            "touchpoint_names": [t["name"] for t in linked_touchpoints],
        })
    return _refs(rows, "A")


def _roadmap(plan, touchpoints: dict, audits: dict, stakeholders: dict,
             opportunities: dict) -> tuple[dict, list[dict]]:
    items = (RoadmapItem.objects.filter(plan=plan).select_related("owner").order_by("id")
             .prefetch_related("teams", "touchpoints", "objectives", "audit_gaps", "opportunities", "dependencies"))
    scored = scored_roadmap(plan=plan, items=items)
    criteria = [{"id": c.pk, "name": c.name, "weight": c.weight, "direction": c.direction,
                 "position": c.position} for c in scored["criteria"]]
    criterion_refs = {str(c["id"]): c["ref"] for c in _refs(criteria, "C").values()}
    refs = {item.pk: f"R{index}" for index, item in enumerate(sorted((i for i, _s in scored["ranked"]),
                                                                     key=lambda i: i.pk), start=1)}
    labels = {name: _labels(RoadmapItem, name) for name in ("category", "horizon", "status")}
    rows = [_roadmap_row(item, score, rank, refs, touchpoints, audits, stakeholders, criterion_refs, labels)
            for rank, (item, score) in enumerate(scored["ranked"], start=1)]
    for row, (item, _score) in zip(rows, scored["ranked"], strict=True):
        row["opportunities"] = sorted((opportunities[o.pk] for o in item.opportunities.all() if o.pk in opportunities),
                                      key=lambda ref: int(ref[1:]))
        row["opportunity_titles"] = sorted(o.title for o in item.opportunities.all())
    method = scored["method"]
    scoring = {"method": method, "method_label": str(ScoringMethod(method).label), "formula": str(FORMULAS[method]),
               "criteria": criteria}
    return scoring, rows


def _roadmap_row(item, score, rank, refs, touchpoints, audits, stakeholders, criterion_refs, labels) -> dict:
    linked_touchpoints = sorted((touchpoints[t.pk] for t in item.touchpoints.all() if t.pk in touchpoints),
                                key=lambda t: int(t["ref"][2:]))
    return {
        "id": item.pk, "ref": refs[item.pk], "rank": rank, "title": item.title, "category": item.category,
        "category_label": labels["category"].get(item.category, item.category), "description": item.description,
        "owner": _username(item.owner),
        "owner_name": (item.owner.get_full_name() or item.owner.get_username()) if item.owner else "",
        "teams": sorted(t.name for t in item.teams.all()),
        "touchpoints": [t["ref"] for t in linked_touchpoints],
        "touchpoint_names": [t["name"] for t in linked_touchpoints],
        "objectives": sorted(stakeholders[s.pk]["ref"] for s in item.objectives.all() if s.pk in stakeholders),
        "objective_names": sorted(s.name for s in item.objectives.all()),
        "audit_gaps": sorted(audits[a.pk]["ref"] for a in item.audit_gaps.all() if a.pk in audits),
        "dependencies": sorted(refs[d.pk] for d in item.dependencies.all() if d.pk in refs),
        "dependency_titles": sorted(d.title for d in item.dependencies.all()),
        "dependency_ids": sorted(d.pk for d in item.dependencies.all()),
        "horizon": item.horizon, "horizon_label": labels["horizon"].get(item.horizon, item.horizon),
        "quarter": item.quarter,
        "start_date": item.start_date, "end_date": item.end_date, "status": item.status,
        "status_label": labels["status"].get(item.status, item.status), "board_position": item.board_position,
        "value": item.value, "effort": item.effort, "reach": item.reach, "impact": item.impact,
        "confidence": item.confidence, "business_value": item.business_value,
        "time_criticality": item.time_criticality, "risk_reduction": item.risk_reduction, "job_size": item.job_size,
        "criteria_scores": {criterion_refs[k]: v for k, v in sorted((item.criteria_scores or {}).items())
                            if k in criterion_refs},
        "manual_rank": item.manual_rank, "manual_rank_reason": item.manual_rank_reason,
        "score": score.as_dict(),
    }

