"""The KPI resources for the one API router (config/api_router.py): (prefix, viewset, basename)."""

from kpis.api.views import KpiLinkViewSet, KpiViewSet, MeasurementViewSet

ROUTES: list = [
    ("kpis", KpiViewSet, "kpi"),
    ("kpi-measurements", MeasurementViewSet, "kpi-measurement"),
    ("kpi-links", KpiLinkViewSet, "kpi-link"),
]
