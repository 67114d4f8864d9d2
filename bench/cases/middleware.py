"""A request that does nothing, through every middleware, URL resolving and the session of a signed-in member,
against the same view called directly with a RequestFactory request: what the stack costs per request."""

from django.test import RequestFactory

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from bench.urls import plain_view


def run(ctx) -> list[Row]:
    client = ctx.client()
    factory = RequestFactory()

    def full():
        response = client.get("/__bench__/noop/")
        assert response.status_code == 200, response.status_code

    def plain():
        plain_view(factory.get("/__bench__/noop/"))

    timings = interleaved({"full": full, "plain": plain}, runs=ctx.runs, repeat=20)
    queries, _ = query_count(full)
    return [Row(
        case="No-op request through the full middleware stack (signed in)",
        figure=f"{ms(timings['full'].p50)} · p95 {ms(timings['full'].p95)} · {queries} queries",
        baseline=f"plain view, no middleware: {ms(timings['plain'].p50)}",
        ratio=ratio(timings["full"].p50, timings["plain"].p50),
        details={"p50": timings["full"].p50, "p95": timings["full"].p95, "baseline_p50": timings["plain"].p50,
                 "queries": queries},
    )]
