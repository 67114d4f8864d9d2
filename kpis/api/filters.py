"""Filters of the KPI API: by plan, KPI, roadmap item and source (plus `updated_since`)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from kpis import selectors
from kpis.models import Kpi, KpiLink, Measurement
from roadmaps import selectors as roadmap_selectors
from tenancy.api.filters import PlanChildFilterSet, request_user


def _kpis(request):
    return selectors.kpi_list(user=request_user(request))


class KpiFilter(PlanChildFilterSet):
    source = filters.CharFilter(help_text=_("Only KPIs of this source (“manual”, “nps”, “ces”, “csat”…)."))

    class Meta:
        model = Kpi
        fields = ("plan", "source", "updated_since")


class MeasurementFilter(PlanChildFilterSet):
    kpi = filters.ModelChoiceFilter(queryset=_kpis, help_text=_("Only measurements of this KPI."))
    computed = filters.BooleanFilter(help_text=_("true: only computed ones; false: only typed ones."))

    class Meta:
        model = Measurement
        fields = ("plan", "kpi", "computed", "updated_since")


class KpiLinkFilter(PlanChildFilterSet):
    kpi = filters.ModelChoiceFilter(queryset=_kpis, help_text=_("Only links of this KPI."))
    item = filters.ModelChoiceFilter(
        queryset=lambda request: roadmap_selectors.roadmap_item_list(user=request_user(request))
        .select_related(None).prefetch_related(None), help_text=_("Only links of this roadmap item."))

    class Meta:
        model = KpiLink
        fields = ("plan", "kpi", "item", "updated_since")
