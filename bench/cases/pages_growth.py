"""Growth of the whole-plan pages (issue 16, part 2): the heatmap, the evaluations overview, the roadmap board,
timeline and value/effort matrix, a journey map and a page of the roadmap-items API, each at a plan of 500
touchpoints (300 roadmap items) and at a plan of 5,000 (3,000 items), timed alternately in one run. The bar: the
large page at most 3× the small one, with the same number of queries.

The plans are pdf_growth's (the data set's main plan scaled: journeys of 25 touchpoints, four team evaluations a
touchpoint, 40 responses a touchpoint, 0.6 roadmap items a touchpoint), built once and kept in the bench database.

    BENCH_PAGES_GROWTH=500,5000 .venv/bin/python -m bench.run --only pages_growth   # the default sizes
"""

import os

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bench import dataset
from bench.cases import ratio
from bench.cases.pdf_growth import growth_plan
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from planning.models import Journey
from tenancy.models import Membership, Plan, Role

TARGET = 3.0
DEFAULT_SIZES = (500, 5000)
CI_SIZES = (20, 200)


def sizes(ctx) -> tuple[int, int]:
    text = os.environ.get("BENCH_PAGES_GROWTH")
    if text:
        small, large = (int(part) for part in text.split(","))
        return small, large
    return CI_SIZES if ctx.ci else DEFAULT_SIZES


def _urls(plan_id: int) -> dict[str, str]:
    journey = Journey.objects.filter(plan_id=plan_id).order_by("name", "id").first()
    return {
        "Heatmap page": reverse("plan_heatmap", args=[plan_id]),
        "Evaluations overview": reverse("plan_evaluations", args=[plan_id]),
        "Roadmap board": reverse("roadmap_board", args=[plan_id]),
        "Roadmap timeline": reverse("roadmap_timeline", args=[plan_id]),
        "Value/effort matrix": reverse("roadmap_matrix", args=[plan_id]),
        "Journey map (first journey)": reverse("journey_map", args=[journey.pk]),
        "Roadmap items API, first page": reverse("roadmap-item-list") + f"?plan={plan_id}",
    }


def _manager(organisation_id: int):
    """An admin of the growth plans' organisation: sees every plan of it and may edit (the board's drag handles)."""
    user, _new = get_user_model().objects.get_or_create(username=f"{dataset.USER_PREFIX}pages-growth",
                                                       defaults={"email": "pages-growth@bench.invalid"})
    Membership.objects.update_or_create(organisation_id=organisation_id, user=user, defaults={"role": Role.ADMIN})
    return user


def run(ctx) -> list[Row]:
    small_size, large_size = sizes(ctx)
    small, large = growth_plan(small_size, log=ctx.log), growth_plan(large_size, log=ctx.log)
    get = page_getter(Plan.objects.get(pk=small).organisation_id)
    small_urls, large_urls = _urls(small), _urls(large)
    rows = []
    for case in small_urls:
        rows.append(measure_page(ctx, get, f"{case}: plan of {large_size:,} vs {small_size:,} touchpoints",
                                 small_urls[case], large_urls[case], (small_size, large_size)))
    return rows


def page_getter(organisation_id: int):
    """GET a page as an admin of the organisation (a 200 or an AssertionError)."""
    client = Client()
    client.force_login(_manager(organisation_id))

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def measure_page(ctx, get, title: str, small_url: str, large_url: str, plan_sizes: tuple) -> Row:
    """The same page at two sizes, timed alternately: the large one at most TARGET× the small one, same queries."""
    runs = ctx.runs if ctx.ci else max(5, ctx.runs // 3)
    sizes_in_bytes = {"small": len(get(small_url).content), "large": len(get(large_url).content)}
    timings = interleaved({"small": lambda: get(small_url), "large": lambda: get(large_url)}, runs=runs)
    small_queries, _ = query_count(lambda: get(small_url))
    large_queries, _ = query_count(lambda: get(large_url))
    measured = ratio(timings["large"].p50, timings["small"].p50)
    met = measured is not None and measured <= TARGET and small_queries == large_queries
    row = Row(
        case=title,
        figure=f"{ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {large_queries} queries · "
               f"{sizes_in_bytes['large'] / 1024:.0f} KiB",
        baseline=f"{ms(timings['small'].p50)} · {small_queries} queries · {sizes_in_bytes['small'] / 1024:.0f} KiB",
        # The smoke run's plans are tiny (fixed costs dominate): it checks the case works, not the bar.
        ratio=measured, target="—" if ctx.ci else f"≤ {TARGET:g}× · same queries", met=None if ctx.ci else met,
        details={"p50": timings["large"].p50, "p95": timings["large"].p95, "baseline_p50": timings["small"].p50,
                 "queries": large_queries, "baseline_queries": small_queries, "bytes": sizes_in_bytes,
                 "sizes": list(plan_sizes)},
    )
    if not met and not ctx.ci:
        ctx.explain_miss(title, lambda: get(large_url))
    return row
