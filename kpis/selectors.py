"""Every read of KPIs, limited to the plans the user may see; the plan's KPI table in a constant number of queries."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from kpis import charts, sources
from kpis.models import Kpi, KpiLink, Measurement
from kpis.progress import standing
from tenancy.selectors import in_plans


def kpi_list(*, user, plan=None) -> QuerySet[Kpi]:
    return in_plans(Kpi.objects.all(), user, plan)


def measurement_list(*, user, plan=None) -> QuerySet[Measurement]:
    return in_plans(Measurement.objects.all(), user, plan)


def kpi_link_list(*, user, plan=None) -> QuerySet[KpiLink]:
    return in_plans(KpiLink.objects.all(), user, plan)


def series_by_kpi(kpi_ids) -> dict[int, list[tuple]]:
    """{kpi id: [(date, value), …] in date order} for many KPIs in one query."""
    series: dict[int, list[tuple]] = {pk: [] for pk in kpi_ids}
    rows = (Measurement.objects.filter(kpi_id__in=list(series)).order_by("kpi_id", "measured_on", "id")
            .values_list("kpi_id", "measured_on", "value"))
    for kpi_id, day, value in rows:
        series[kpi_id].append((day, value))
    return series


def source_label(kpi) -> str:
    if not kpi.computed:
        return ""
    source = sources.get(kpi.source)
    return str(source.label) if source else kpi.source


def kpi_row(kpi, series: list[tuple]) -> dict:
    """What the KPI list and the KPI page show of one KPI."""
    return {"kpi": kpi, "standing": standing(kpi, series), "count": len(series), "source": source_label(kpi),
            "sparkline": charts.sparkline(series, baseline=kpi.baseline_value, target=kpi.target_value,
                                          label=kpi.name)}


def kpi_table(*, user, plan) -> list[dict]:
    """The plan's KPIs with baseline → current → target, progress, trend and sparkline: two queries."""
    kpis = list(kpi_list(user=user, plan=plan).select_related("owner_team")
                .annotate(item_count=Count("links", distinct=True)))
    series = series_by_kpi([k.pk for k in kpis])
    return [kpi_row(kpi, series[kpi.pk]) for kpi in kpis]


def with_current(kpis: QuerySet[Kpi]) -> QuerySet[Kpi]:
    """Each KPI with its latest measurement's value and date (`current_value`, `current_date`): two subqueries."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-measured_on", "-id")
    return kpis.annotate(current_value=Subquery(latest.values("value")[:1]),
                         current_date=Subquery(latest.values("measured_on")[:1]))


def kpis_with_current() -> QuerySet[Kpi]:
    """For the changes feed: every KPI, with what the API shows of where it stands."""
    return with_current(Kpi.objects.all())
