"""HTML pages a workshop waits for, rendered for a signed-in member through the test client: the journey map of
500 touchpoints, the plan heatmap and the roadmap board. Each is timed beside the same page at a small size (a
journey of a few dozen touchpoints, a plan a tenth of the size): the query count must be the same at both sizes."""

from django.urls import NoReverseMatch, reverse

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row, unavailable

TARGET = "queries constant"


def run(ctx) -> list[Row]:
    data, org = ctx.data, ctx.org
    pages = [
        (f"Journey map page, {data['spec']['map_touchpoints']} touchpoints", "journey_map",
         data["map_journey"], data["small_journey"], "journey of the main plan"),
        (f"Heatmap page, plan of {data['spec']['touchpoints']} touchpoints", "plan_heatmap", org["plan"],
         org["small_plan"], "plan a tenth of the size"),
        (f"Roadmap board, {data['spec']['roadmap_items']} items", "roadmap_board", org["plan"], org["small_plan"],
         "plan a tenth of the size"),
    ]
    client = ctx.client()
    rows = []
    for case, url_name, large, small, small_label in pages:
        try:
            large_url, small_url = reverse(url_name, args=[large]), reverse(url_name, args=[small])
        except NoReverseMatch:
            rows.append(unavailable(case, "page not there yet", TARGET))
            continue
        rows.append(_measure(ctx, client, case, large_url, small_url, small_label))
    return rows


def _measure(ctx, client, case, large_url, small_url, small_label) -> Row:
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    size = len(get(large_url).content)
    timings = interleaved({"large": lambda: get(large_url), "small": lambda: get(small_url)},
                          runs=ctx.runs if ctx.ci else max(3, ctx.runs // 3))
    large_queries, _ = query_count(lambda: get(large_url))
    small_queries, _ = query_count(lambda: get(small_url))
    met = large_queries == small_queries
    if not met:
        ctx.explain_miss(case, lambda: get(large_url))
    return Row(
        case=case,
        figure=f"{ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {large_queries} queries · "
               f"{size / 1024:.0f} KiB",
        baseline=f"{small_label}: {ms(timings['small'].p50)} · {small_queries} queries",
        ratio=ratio(timings["large"].p50, timings["small"].p50), target=TARGET, met=met,
        details={"p50": timings["large"].p50, "p95": timings["large"].p95, "baseline_p50": timings["small"].p50,
                 "queries": large_queries, "baseline_queries": small_queries, "bytes": size},
    )
