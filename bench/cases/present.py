"""Presentation mode (/plans/<pk>/present/): the whole main plan as slides (500 touchpoints by default, 5,000 with
`--scale 10`), timed beside the small plan (a tenth of the size). The query count must be the same at both sizes:
the deck is drawn from one gather() of the plan, a fixed number of queries."""

from django.urls import reverse

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row

TARGET = "queries constant"


def run(ctx) -> list[Row]:
    data, org = ctx.data, ctx.org
    case = f"Presentation of a plan of {data['spec']['touchpoints']} touchpoints"
    large_url, small_url = (reverse("plan_present", args=[org["plan"]]),
                            reverse("plan_present", args=[org["small_plan"]]))
    client = ctx.client()

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    size = len(get(large_url).content)
    slides = get(large_url).content.count(b"data-slide ")
    timings = interleaved({"large": lambda: get(large_url), "small": lambda: get(small_url)},
                          runs=ctx.slow_runs if ctx.ci else max(3, ctx.slow_runs))
    large_queries, _ = query_count(lambda: get(large_url))
    small_queries, _ = query_count(lambda: get(small_url))
    met = large_queries == small_queries
    if not met:
        ctx.explain_miss(case, lambda: get(large_url))
    return [Row(
        case=case,
        figure=f"{ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {large_queries} queries · "
               f"{slides} slides · {size / 1024:.0f} KiB",
        baseline=f"plan a tenth of the size: {ms(timings['small'].p50)} · {small_queries} queries",
        ratio=ratio(timings["large"].p50, timings["small"].p50), target=TARGET, met=met,
        details={"p50": timings["large"].p50, "p95": timings["large"].p95, "baseline_p50": timings["small"].p50,
                 "queries": large_queries, "baseline_queries": small_queries, "bytes": size, "slides": slides},
    )]
