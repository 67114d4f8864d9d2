"""Feedback statistics of a plan (assessments.selectors) against a hand-written GROUP BY over the same responses
feeding the same interval formulas: what the ORM's conditional aggregates cost."""

from django.db import connection

from assessments import selectors
from assessments.models import SCALES, FeedbackResponse
from assessments.statistics import mean_with_interval, nps_with_interval
from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from tenancy.models import Plan

# One pass, grouped by kind (and touchpoint): counts, sums and sums of squares, promoters and detractors.
SELECT = ("SELECT {group} kind, COUNT(*), SUM(score), SUM(score * score), "
          "SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END) "
          "FROM assessments_feedbackresponse WHERE plan_id = %s GROUP BY {group} kind")


def _estimates(by_kind: dict) -> dict:
    nps = by_kind.get("nps", (0, 0, 0, 0, 0))
    result = {"nps": nps_with_interval(nps[3], nps[0] - nps[3] - nps[4], nps[4])}
    for kind in ("ces", "csat"):
        n, total, squares = by_kind.get(kind, (0, 0, 0, 0, 0))[:3]
        result[kind] = mean_with_interval(n, total or 0, squares or 0, SCALES[kind])
    return result


def raw_plan(plan_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(SELECT.format(group=""), [plan_id])
        return _estimates({row[0]: row[1:] for row in cursor.fetchall()})


def raw_by_touchpoint(plan_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(SELECT.format(group="touchpoint_id,"), [plan_id])
        grouped: dict[int, dict] = {}
        for touchpoint_id, kind, *values in cursor.fetchall():
            grouped.setdefault(touchpoint_id, {})[kind] = values
    return {touchpoint_id: _estimates(by_kind) for touchpoint_id, by_kind in grouped.items()}


def run(ctx) -> list[Row]:
    plan_id = ctx.org["plan"]
    responses = FeedbackResponse.objects.filter(plan_id=plan_id)
    n = responses.count()

    def plan_selector():
        return selectors.feedback_statistics(FeedbackResponse.objects.filter(plan_id=plan_id))

    def by_touchpoint_selector():

        return selectors.feedback_statistics_by_touchpoint(plan=Plan(pk=plan_id))

    assert plan_selector()["nps"].n == raw_plan(plan_id)["nps"].n
    rows = []
    for case, selector, raw in (
        (f"Feedback statistics of a plan ({n:,} responses)", plan_selector, lambda: raw_plan(plan_id)),
        ("Feedback statistics per touchpoint of a plan", by_touchpoint_selector, lambda: raw_by_touchpoint(plan_id)),
    ):
        timings = interleaved({"selector": selector, "raw": raw}, runs=ctx.runs)
        queries, _ = query_count(selector)
        rows.append(Row(
            case=case,
            figure=f"selector: {ms(timings['selector'].p50)} · p95 {ms(timings['selector'].p95)} · {queries} "
                   f"{'query' if queries == 1 else 'queries'}",
            baseline=f"raw GROUP BY: {ms(timings['raw'].p50)}",
            ratio=ratio(timings["selector"].p50, timings["raw"].p50),
            details={"p50": timings["selector"].p50, "p95": timings["selector"].p95,
                     "baseline_p50": timings["raw"].p50, "queries": queries},
        ))
    return rows
