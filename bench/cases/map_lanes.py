"""The journey map with the experience lanes (issue 14): the 500-touchpoint journey with six lanes (three text
lanes with a card per stage, the emotion curve with stage and touchpoint scores, the metrics lane, pain points and
opportunities) against the same journey without lanes, measured in the same run. The lanes are added inside a
transaction that is rolled back, so the data set is left as it was.

Target: at most 1.5× the map without lanes, and the same number of queries as the small journey with six lanes."""

import random

from django.db import transaction

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from experience import services
from planning.models import Journey

TARGET = "≤ 1.5× the map without lanes; queries constant"
TEXT_KINDS = ("actions", "thoughts", "feelings")


class _RolledBack(Exception):
    pass


def add_lanes(journey: Journey, rng: random.Random) -> None:
    """Six lanes on `journey`: what a workshop draws on a big map."""
    stages = list(journey.stages.order_by("position", "id"))
    touchpoints = list(journey.touchpoints.all())
    for kind in TEXT_KINDS:
        lane = services.lane_create(journey=journey, actor=None, kind=kind)
        for stage in stages:
            services.lane_card_create(lane=lane, stage=stage, actor=None, text=f"{kind} at {stage.name}")
    services.lane_create(journey=journey, actor=None, kind="emotion")
    services.lane_create(journey=journey, actor=None, kind="metrics")
    services.lane_create(journey=journey, actor=None, kind="insights")
    for stage in stages:
        services.emotion_set(journey=journey, stage=stage, actor=None, score=rng.randint(-2, 2))
    for touchpoint in rng.sample(touchpoints, min(len(touchpoints), 100)):
        services.emotion_set(journey=journey, stage=touchpoint.stage, touchpoint=touchpoint, actor=None,
                             score=rng.randint(-2, 2))
    for index in range(min(20, len(touchpoints))):
        stage = stages[index % len(stages)]
        pain = services.pain_point_create(journey=journey, stage=stage, actor=None, title=f"Pain {index}",
                                          touchpoints=rng.sample(touchpoints, 2))
        services.opportunity_create(journey=journey, stage=stage, actor=None, title=f"Opportunity {index}",
                                    pain_points=[pain], touchpoints=rng.sample(touchpoints, 2))


def run(ctx) -> list[Row]:
    data = ctx.data
    client = ctx.client()
    large = Journey.objects.get(pk=data["map_journey"])
    small = Journey.objects.get(pk=data["small_journey"])
    large_url, small_url = f"/journeys/{large.pk}/", f"/journeys/{small.pk}/"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    runs = ctx.runs if ctx.ci else max(3, ctx.runs // 3)
    result = {}
    try:
        with transaction.atomic():
            large.lanes.all().delete()  # "today's map": the journey without lanes
            without = interleaved({"without": lambda: get(large_url)}, runs=runs)["without"]
            rng = random.Random(14)
            add_lanes(large, rng)
            add_lanes(small, rng)
            with_lanes = interleaved({"with": lambda: get(large_url)}, runs=runs)["with"]
            result = {"with": with_lanes, "without": without, "size": len(get(large_url).content),
                      "queries": query_count(lambda: get(large_url))[0],
                      "small_queries": query_count(lambda: get(small_url))[0]}
            raise _RolledBack
    except _RolledBack:
        pass
    factor = ratio(result["with"].p50, result["without"].p50)
    met = result["queries"] == result["small_queries"] and factor is not None and factor <= 1.5
    return [Row(
        case=f"Journey map with 6 lanes, {data['spec']['map_touchpoints']} touchpoints",
        figure=f"{ms(result['with'].p50)} · p95 {ms(result['with'].p95)} · {result['queries']} queries · "
               f"{result['size'] / 1024:.0f} KiB",
        baseline=f"same map without lanes: {ms(result['without'].p50)}; small journey with 6 lanes: "
                 f"{result['small_queries']} queries",
        ratio=factor, target=TARGET, met=met,
        details={"p50": result["with"].p50, "p95": result["with"].p95, "baseline_p50": result["without"].p50,
                 "queries": result["queries"], "baseline_queries": result["small_queries"]},
    )]
