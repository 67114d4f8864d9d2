"""The voice of the customer where people already look (issue 15 item 6), small against large:

- the negative themes per stage of the map's metrics lane (assessments.voice via experience.selectors.stage_voice)
  on the small journey and on the 500-touchpoint map journey: the same number of queries, and its time beside the
  lane's existing read of the feedback per stage;
- the gap ranking's share of negative verbatims per touchpoint (assessments.voice.negative_share_by_touchpoint) on
  the small and the large plan: one query each, its time beside the ranking's existing read of the figures per
  touchpoint (the rollups).

Three verbatims per touchpoint, a theme and a sentiment on every verbatim are written inside a transaction that
is rolled back: the data set is left as it was. Target: queries constant from the small to the large; the time is
reported beside its baseline.
"""

from datetime import date

from django.db import transaction
from django.db.models import Case, CharField, Value, When

from assessments import rollups, voice
from assessments.models import AssignedBy, FeedbackResponse, Theme, VerbatimTheme
from assessments.selectors import feedback_statistics_by_stage, feedback_statistics_by_touchpoint
from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from experience.selectors import stage_voice
from planning.models import Journey, Touchpoint
from tenancy.models import Plan

TARGET = "queries constant from small to large"
DAY = date(2026, 6, 1)


class _RolledBack(Exception):
    pass


def _voice_on(plan, themes: list[Theme]) -> int:
    """Three verbatims on every touchpoint of the plan, then a sentiment and a theme on every verbatim (by id, so the
    same each run)."""
    touchpoints = list(Touchpoint.objects.filter(plan=plan).values_list("pk", flat=True))
    FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan=plan, touchpoint_id=pk, kind="nps", score=(pk + n) % 11, responded_on=DAY,
                         verbatim=f"Bench verbatim {n}") for pk in touchpoints for n in range(3)], batch_size=2000)
    rollups.rebuild(plan.pk)
    responses = FeedbackResponse.objects.filter(plan=plan).exclude(verbatim="")
    ids = list(responses.values_list("pk", flat=True))
    responses.update(sentiment=Case(*(When(pk__in=ids[i::3], then=Value(label))
                                      for i, label in enumerate(("negative", "neutral", "positive"))),
                                    output_field=CharField()))
    VerbatimTheme.objects.bulk_create([VerbatimTheme(response_id=pk, theme=themes[pk % len(themes)],
                                                     assigned_by=AssignedBy.HAND) for pk in ids],
                                      batch_size=2000, ignore_conflicts=True)
    return len(ids)


def run(ctx) -> list[Row]:
    data = ctx.data
    small_journey, large_journey = (Journey.objects.get(pk=data["small_journey"]),
                                    Journey.objects.get(pk=data["map_journey"]))
    small_plan, large_plan = Plan.objects.get(pk=small_journey.plan_id), Plan.objects.get(pk=large_journey.plan_id)
    runs = ctx.runs if ctx.ci else max(3, ctx.runs // 3)
    result = {}
    try:
        with transaction.atomic():
            macro = Theme.objects.create(organisation_id=small_plan.organisation_id, name="Bench service")
            themes = [Theme.objects.create(organisation_id=small_plan.organisation_id, parent=macro,
                                           name=f"Bench theme {n}") for n in range(12)]
            verbatims = _voice_on(small_plan, themes) + _voice_on(large_plan, themes)
            timed = interleaved({
                "voice": lambda: stage_voice(large_journey),
                "stages": lambda: feedback_statistics_by_stage(journey=large_journey),
                "share": lambda: voice.negative_share_by_touchpoint(plan=large_plan),
                "figures": lambda: feedback_statistics_by_touchpoint(plan=large_plan),
            }, runs=runs)
            result = {"timed": timed, "verbatims": verbatims,
                      "map_small": query_count(lambda: stage_voice(small_journey))[0],
                      "map_large": query_count(lambda: stage_voice(large_journey))[0],
                      "share_small": query_count(lambda: voice.negative_share_by_touchpoint(plan=small_plan))[0],
                      "share_large": query_count(lambda: voice.negative_share_by_touchpoint(plan=large_plan))[0],
                      "stages": len(list(large_journey.stages.all()))}
            raise _RolledBack
    except _RolledBack:
        pass
    timed = result["timed"]
    map_factor = ratio(timed["voice"].p50, timed["stages"].p50)
    share_factor = ratio(timed["share"].p50, timed["figures"].p50)
    return [
        Row(case=f"Negative themes per stage on the map, {data['spec']['map_touchpoints']} touchpoints",
            figure=f"{ms(timed['voice'].p50)} · p95 {ms(timed['voice'].p95)} · {result['map_large']} queries",
            baseline=f"the lane's feedback per stage: {ms(timed['stages'].p50)}; small journey: "
                     f"{result['map_small']} queries",
            ratio=map_factor, target=TARGET, met=result["map_large"] == result["map_small"],
            details={"p50": timed["voice"].p50, "baseline_p50": timed["stages"].p50,
                     "queries": result["map_large"], "baseline_queries": result["map_small"],
                     "verbatims": result["verbatims"]}),
        Row(case="Gap ranking: negative share of verbatims per touchpoint, large plan",
            figure=f"{ms(timed['share'].p50)} · p95 {ms(timed['share'].p95)} · {result['share_large']} query",
            baseline=f"the ranking's figures per touchpoint (rollups): {ms(timed['figures'].p50)}; small plan: "
                     f"{result['share_small']} query",
            ratio=share_factor, target=TARGET, met=result["share_large"] == result["share_small"] == 1,
            details={"p50": timed["share"].p50, "baseline_p50": timed["figures"].p50,
                     "queries": result["share_large"], "baseline_queries": result["share_small"]}),
    ]
