"""Feedback statistics as responses grow: the figures of the feedback page (overall, the last 90 days against the
90 before, per journey, per touchpoint, per stage of a journey) for a plan of 500 touchpoints with 20,000 responses
and the same plan with 1,000,000, measured alternately in one run (issue 16: at most 1.5× the small one); and the
whole feedback page, as a person gets it, at both sizes (at most 3×, pages_growth's bar).

The figures read the rollups (assessments.rollups), so their cost follows the number of cells, not of responses.
The raw scan of the same responses (selectors with raw=True) is timed too, a few runs, to show what it replaced.
Responses are generated in the database (INSERT … SELECT over generate_series, or a recursive CTE on SQLite), then
the rollups are rebuilt from them; the two plans stay in the bench database between runs.

    BENCH_STATISTICS_SIZES=20000,200000 .venv/bin/python -m bench.run --only statistics_growth
"""

import os
import random
from dataclasses import replace

from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from assessments import rollups, selectors
from assessments.models import FeedbackResponse, FeedbackTotal
from assessments.views._feedback_helpers import periods
from bench import dataset
from bench.cases import ratio
from bench.cases.pages_growth import measure_page, page_getter
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from planning.models import Channel, Journey
from tenancy.models import Organisation, Plan, Team

TARGET = 1.5
TOUCHPOINTS = 500
JOURNEYS = 5
DEFAULT_SIZES = (20_000, 1_000_000)
CI_SIZES = (2_000, 20_000)
PLAN_NAME = "Growth statistics {size}"

SEQUENCE = {
    "postgresql": "seq AS (SELECT g FROM generate_series(CAST(1 AS bigint), %s) AS g)",
    "sqlite": "RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < %s)",
}
DAY = {  # the day of response g: one of the 365 days up to today
    "postgresql": "CAST(%s AS date) - CAST((seq.g * 104729) %% 365 AS integer)",
    "sqlite": "date(%s, '-' || ((seq.g * 104729) %% 365) || ' days')",
}
INSERT = """WITH {sequence}, tps AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS i FROM planning_touchpoint
                                   WHERE plan_id = %s)
INSERT INTO assessments_feedbackresponse (created_at, updated_at, version, plan_id, touchpoint_id, kind, score,
                                          responded_on, source, verbatim, sentiment, sentiment_score,
                                          sentiment_corrected)
SELECT %s, %s, 1, %s, tps.id,
       CASE seq.g %% 4 WHEN 0 THEN 'ces' WHEN 1 THEN 'csat' ELSE 'nps' END,
       CASE seq.g %% 4 WHEN 0 THEN 1 + (seq.g * 17) %% 7 WHEN 1 THEN 1 + (seq.g * 13) %% 5 ELSE (seq.g * 31) %% 11 END,
       {day}, 'Survey', CASE WHEN seq.g %% 10 < 3 THEN 'Great advice in store.' ELSE '' END, '', NULL, %s
FROM seq JOIN tps ON tps.i = (seq.g * 7919) %% %s"""


def sizes(ctx) -> tuple[int, int]:
    text = os.environ.get("BENCH_STATISTICS_SIZES")
    if text:
        small, large = (int(part) for part in text.split(","))
        return small, large
    return CI_SIZES if ctx.ci else DEFAULT_SIZES


def growth_plan(organisation_id: int, size: int, log=print) -> Plan:
    """The plan of 500 touchpoints with `size` responses and their rollups, built once and kept."""
    plan = Plan.objects.filter(organisation_id=organisation_id, name=PLAN_NAME.format(size=size)).first()
    if plan is not None:
        counted = FeedbackTotal.objects.filter(plan=plan).aggregate(n=Sum("n"))["n"] or 0
        if counted == size:
            return plan
        FeedbackResponse.objects.filter(plan=plan)._raw_delete(connection.alias)  # not a million objects loaded
        plan.delete()
    log(f"  building a plan of {TOUCHPOINTS} touchpoints and {size:,} responses…")
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=organisation_id)
        plan = Plan.objects.create(organisation=organisation, name=PLAN_NAME.format(size=size), status="active")
        rng = random.Random(size)
        journeys, stages = dataset._journeys(plan, replace(dataset.Spec(), journeys=JOURNEYS), rng, [])
        channels = list(Channel.objects.filter(organisation=organisation).order_by("position", "id"))
        teams = list(Team.objects.filter(organisation=organisation))
        dataset._touchpoints(plan, TOUCHPOINTS, rng, journeys, stages, channels, teams)
        vendor = connection.vendor
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(INSERT.format(sequence=SEQUENCE[vendor], day=DAY[vendor]),
                           [size, plan.pk, now, now, plan.pk, timezone.localdate(), False, TOUCHPOINTS])
        rollups.rebuild(plan.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("assessments_feedbackresponse", "assessments_feedbackday", "assessments_feedbackplanday",
                          "assessments_feedbacktotal"):
                cursor.execute(f"ANALYZE {table}")
    return plan


def page_figures(plan_id: int, *, raw: bool = False) -> int:
    """What the plan's feedback page computes, plus the journey map's figures per stage."""
    plan = Plan(pk=plan_id)
    responses = FeedbackResponse.objects.filter(plan_id=plan_id)
    overall = selectors.feedback_statistics(responses, raw=raw)
    selectors.feedback_comparison(responses, **periods(90), raw=raw)
    selectors.feedback_statistics_by_journey(plan=plan, raw=raw)
    selectors.feedback_statistics_by_touchpoint(plan=plan, raw=raw)
    journey = Journey(pk=Journey.objects.filter(plan_id=plan_id).order_by("pk").values_list("pk", flat=True)[0],
                      plan_id=plan_id)
    selectors.feedback_statistics_by_stage(journey=journey, raw=raw)
    return sum(estimate.n for estimate in overall.values())


def run(ctx) -> list[Row]:
    small_size, large_size = sizes(ctx)
    organisation_id = ctx.org["id"]
    small = growth_plan(organisation_id, small_size, ctx.log).pk
    large = growth_plan(organisation_id, large_size, ctx.log).pk
    assert page_figures(small) == small_size and page_figures(large) == large_size
    timings = interleaved({"small": lambda: page_figures(small), "large": lambda: page_figures(large)},
                          runs=ctx.runs)
    raw = interleaved({"small": lambda: page_figures(small, raw=True), "large": lambda: page_figures(large, raw=True)},
                      runs=max(1, min(ctx.slow_runs, 3)), warmup=0)
    small_queries, _ = query_count(lambda: page_figures(small))
    large_queries, _ = query_count(lambda: page_figures(large))
    measured = ratio(timings["large"].p50, timings["small"].p50)
    row = Row(
        case=f"Feedback statistics of a plan at {large_size:,} vs {small_size:,} responses ({TOUCHPOINTS} touchpoints: "
             "overall, 90-day comparison, per journey, per touchpoint, per stage)",
        figure=f"{large_size:,}: {ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {large_queries} queries "
               f"(raw scan: {ms(raw['large'].p50)})",
        baseline=f"{small_size:,}: {ms(timings['small'].p50)} · {small_queries} queries "
                 f"(raw scan: {ms(raw['small'].p50)})",
        ratio=measured, target=f"≤ {TARGET}× · same queries",
        met=measured is not None and measured <= TARGET and small_queries == large_queries,
        details={"p50": timings["large"].p50, "p95": timings["large"].p95, "baseline_p50": timings["small"].p50,
                 "raw_p50": raw["large"].p50, "raw_baseline_p50": raw["small"].p50, "queries": large_queries,
                 "baseline_queries": small_queries, "sizes": [small_size, large_size]},
    )
    if row.met is False:
        ctx.explain_miss(row.case, lambda: page_figures(large))
    title = f"Feedback page: plan of {large_size:,} vs {small_size:,} responses ({TOUCHPOINTS} touchpoints)"
    page = measure_page(ctx, page_getter(organisation_id), title,
                        reverse("plan_feedback", args=[small]), reverse("plan_feedback", args=[large]),
                        (small_size, large_size))
    return [row, page]
