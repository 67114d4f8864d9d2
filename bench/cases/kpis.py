"""The plan's KPI list (issue 15, item 5): baseline → current → target, progress and a sparkline per KPI, with 20
and with 200 KPIs of 24 monthly measurements each (CI: 2 and 20), measured in the same run. The KPIs are added
inside a transaction that is rolled back, so the data set is left as it was.

Target: the same number of queries at both sizes, and at most 10× the time for 10× the KPIs (linear, not worse)."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from kpis.models import Kpi, Measurement
from tenancy.models import Plan

TARGET = "queries constant; ≤ 10× the time for 10× the KPIs"
MONTHS = 24


class _RolledBack(Exception):
    pass


def add_kpis(plan: Plan, count: int, prefix: str) -> None:
    """`count` KPIs, half lower-is-better, each with a baseline, a target and MONTHS monthly measurements."""
    kpis = Kpi.objects.bulk_create([
        Kpi(plan=plan, name=f"{prefix} {index}", unit="percent", direction="higher" if index % 2 else "lower",
            baseline_value=Decimal(50), baseline_date=date(2025, 1, 1),
            target_value=Decimal(60 if index % 2 else 40), target_date=date(2027, 1, 1))
        for index in range(count)])
    Measurement.objects.bulk_create([
        Measurement(plan=plan, kpi=kpi, measured_on=date(2025 + month // 12, month % 12 + 1, 1),
                    value=Decimal(50 + (month % 7) - 3))
        for kpi in kpis for month in range(MONTHS)], batch_size=5000)


def run(ctx) -> list[Row]:
    client = ctx.client()
    small_plan, large_plan = Plan.objects.get(pk=ctx.org["small_plan"]), Plan.objects.get(pk=ctx.org["plan"])
    small_count, large_count = (2, 20) if ctx.ci else (20, 200)
    small_url, large_url = f"/plans/{small_plan.pk}/kpis/", f"/plans/{large_plan.pk}/kpis/"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    runs = ctx.runs if ctx.ci else max(3, ctx.runs // 3)
    result = {}
    try:
        with transaction.atomic():
            Kpi.objects.filter(plan__in=[small_plan, large_plan]).delete()
            add_kpis(small_plan, small_count, "Small")
            add_kpis(large_plan, large_count, "Large")
            timings = interleaved({"small": lambda: get(small_url), "large": lambda: get(large_url)}, runs=runs)
            result = {**timings, "size": len(get(large_url).content), "queries": query_count(lambda: get(large_url))[0],
                      "small_queries": query_count(lambda: get(small_url))[0]}
            raise _RolledBack
    except _RolledBack:
        pass
    factor = ratio(result["large"].p50, result["small"].p50)
    met = result["queries"] == result["small_queries"] and factor is not None and factor <= 10
    if not met:
        ctx.log("kpis: target missed")
    return [Row(
        case=f"KPI list page, {large_count} KPIs × {MONTHS} measurements",
        figure=f"{ms(result['large'].p50)} · p95 {ms(result['large'].p95)} · {result['queries']} queries · "
               f"{result['size'] / 1024:.0f} KiB",
        baseline=f"{small_count} KPIs × {MONTHS}: {ms(result['small'].p50)}, {result['small_queries']} queries",
        ratio=factor, target=TARGET, met=met,
        details={"p50": result["large"].p50, "p95": result["large"].p95, "baseline_p50": result["small"].p50,
                 "queries": result["queries"], "baseline_queries": result["small_queries"]},
    )]
