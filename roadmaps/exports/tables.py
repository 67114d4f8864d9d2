"""The plan as flat tables (one per kind of row), shared by the CSV zip and the XLSX workbook.

Rows reference each other by the export's short references (J1, ST3, TP12…), never by database ids. Values keep
their Python type (numbers, dates, text) so each writer can format them; each writer defuses spreadsheet formulas.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from roadmaps.exports.gather import PlanExportData


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[list]


def plain(value):
    """A cell value: numbers and dates as they are, lists joined, mappings as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float | date | datetime | str):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def _table(name: str, rows: list[dict], columns: list[str]) -> Table:
    return Table(name, columns, [[plain(row.get(column)) for column in columns] for row in rows])


def plan_tables(data: PlanExportData) -> list[Table]:
    plan = dict(data.plan, organisation=data.organisation["name"], generated_at=data.generated_at)
    tables = [
        _table("plan", [plan], ["name", "organisation", "description", "period_start", "period_end", "status",
                                "generated_at"]),
        _table("stakeholders", data.stakeholders, ["ref", "name", "title", "team", "objective"]),
        _table("personas", data.personas, ["ref", "name", "description", "goals", "frustrations", "quote",
                                           "segment_size", "revenue_share", "evidence", "preferred_channels"]),
        _table("journeys", data.journeys, ["ref", "name", "persona", "persona_name", "description"]),
        _table("stages", [s for j in data.journeys for s in j["stages"]], ["ref", "journey", "name", "position"]),
        _table("channels", data.channels, ["name", "kind"]),
        _touchpoints(data),
        _table("evaluations", data.evaluations, [
            "ref", "touchpoint", "touchpoint_name", "team", "maturity", "potential_customer", "potential_brand",
            "information_pushed", "feedback_mode", "notes", "evaluated_by"]),
        _table("data_items", data.data_items, ["evaluation", "touchpoint", "team", "data", "source", "storage",
                                               "completeness", "accessibility"]),
        _table("feedback", data.feedback, ["touchpoint", "touchpoint_name", "kind", "score", "responded_on",
                                           "source", "verbatim"]),
        _maturity(data),
        _table("audits", [dict(a, answers=a["answers_raw"]) for a in data.audits],
               ["ref", "kind", "step", "title", "answers", "touchpoints"]),
        _roadmap(data),
    ]
    return tables


def _touchpoints(data: PlanExportData) -> Table:
    rows = []
    for t in data.touchpoints:
        feedback = t["feedback"] or {}
        rows.append(dict(
            t, agreed_maturity=t["agreed"].get("maturity"), agreed_potential_customer=t["agreed"].get(
                "potential_customer"), agreed_potential_brand=t["agreed"].get("potential_brand"),
            nps=getattr(feedback.get("nps"), "value", None), nps_n=getattr(feedback.get("nps"), "n", None),
            ces=getattr(feedback.get("ces"), "value", None), csat=getattr(feedback.get("csat"), "value", None)))
    return _table("touchpoints", rows, [
        "ref", "journey", "stage", "stage_name", "channel", "name", "customer_action", "company_response", "team",
        "evidence", "agreed_maturity", "agreed_potential_customer", "agreed_potential_brand", "gap",
        "disagreement", "evaluation_count", "nps", "nps_n", "ces", "csat"])


def _maturity(data: PlanExportData) -> Table:
    rows = [dict(a, votes=[f"{v['participant']}: {v['channel_level']}/{v['engagement_level']}" for v in a["votes"]])
            for a in data.maturity]
    return _table("maturity", rows, ["assessed_on", "channel_level", "engagement_level", "target_channel_level",
                                     "target_engagement_level", "notes", "votes"])


def _roadmap(data: PlanExportData) -> Table:
    rows = [dict(item, score_value=item["score"]["value"], score_formula=item["score"]["formula"],
                 score_terms=[f"{t['label']} {t['effect'] or t['value']}" for t in item["score"]["terms"]
                              if t["value"] is not None],
                 score_missing=item["score"]["missing"])
            for item in data.roadmap]
    return _table("roadmap_items", rows, [
        "rank", "ref", "title", "category", "description", "owner", "teams", "touchpoints", "objectives",
        "audit_gaps", "dependencies", "horizon", "quarter", "start_date", "end_date", "status", "value", "effort",
        "reach", "impact", "confidence", "business_value", "time_criticality", "risk_reduction", "job_size",
        "criteria_scores", "manual_rank", "manual_rank_reason", "score_value", "score_formula", "score_terms",
        "score_missing"])
