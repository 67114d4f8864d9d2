"""KPI API: KPIs, their measurements, and the roadmap items expected to move them.

Like every resource: visible objects only (another organisation's are 404), writes through the services (edit
access, same-plan rules, history), If-Match/ETag with 412 on a stale write, external ids and bulk upserts for KPIs and
measurements (added by the router), and every change in the changes feed and webhooks.
POST /api/v1/kpis/{id}/compute/ computes a KPI's monthly measurements from the data (months with a typed value kept).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.external_ids import external_fields
from kpis import selectors, services
from kpis.api import filters
from kpis.api.serializers import ComputeResultSerializer, KpiLinkSerializer, KpiSerializer, MeasurementSerializer
from kpis.models import Kpi, KpiLink, Measurement
from planning.api.journeys import JourneyMappingViewSet, documented

ORDERING = ("created_at", "updated_at")


@documented(KpiSerializer, "KPI", "KPIs", {
    "plan": 1, "name": "Churn", "unit": "percent", "direction": "lower", "baseline_value": "10",
    "baseline_date": "2026-01-01", "target_value": "6", "target_date": "2027-06-30", "owner_team": 2})
class KpiViewSet(JourneyMappingViewSet):
    """The indicators of plans, each with its latest measurement and its progress toward the target."""

    queryset = Kpi.objects.none()
    serializer_class = KpiSerializer
    filterset_class = filters.KpiFilter
    ordering_fields = ("name", *ORDERING)
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)

    def get_queryset(self):
        return selectors.with_current(selectors.kpi_list(user=self.request.user).select_related("plan"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        created = services.kpi_create(plan=data.pop("plan"), actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        services.kpi_update(kpi=serializer.instance, actor=self.request.user, version=self.expected_version(),
                            **serializer.validated_data)

    def perform_destroy(self, instance):
        services.kpi_delete(kpi=instance, actor=self.request.user, version=self.expected_version())

    @extend_schema(summary="Compute a KPI's monthly measurements from the data", request=None,
                   description="For a KPI whose source is computed (nps, ces, csat…): one measurement per month with "
                               "data, dated the month's first day. A month holding a measurement typed by hand is "
                               "left as it is and listed in `kept`. A typed KPI answers 400.",
                   responses={200: ComputeResultSerializer, 400: OpenApiResponse(description="A typed KPI.")})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def compute(self, request, pk=None):
        kpi = self.get_object()
        result = services.kpi_compute(kpi=kpi, actor=request.user)
        return Response(ComputeResultSerializer(result).data)


@documented(MeasurementSerializer, "measurement", "measurements",
            {"kpi": 3, "measured_on": "2026-09-30", "value": "8.4", "note": "From the CRM's quarterly report"})
class MeasurementViewSet(JourneyMappingViewSet):
    """The values of KPIs over time, typed or computed (monthly)."""

    queryset = Measurement.objects.none()
    serializer_class = MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    ordering_fields = ("measured_on", *ORDERING)
    upsert_scope = ("kpi", Kpi, "plan_id")
    upsert_select_related = ("plan", "kpi__plan")

    def get_queryset(self):
        return selectors.measurement_list(user=self.request.user).select_related("kpi__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.measurement_create(
            kpi=data.pop("kpi"), actor=self.request.user, measured_on=data["measured_on"], value=data["value"],
            note=data.get("note", ""), **external_fields(data))

    def perform_update(self, serializer):
        services.measurement_update(measurement=serializer.instance, actor=self.request.user,
                                    version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.measurement_delete(measurement=instance, actor=self.request.user, version=self.expected_version())


@documented(KpiLinkSerializer, "KPI link", "KPI links", {"kpi": 3, "item": 12, "expected_change": "-2",
                                                           "note": "Members leave less"})
class KpiLinkViewSet(JourneyMappingViewSet):
    """Which roadmap items are expected to move which KPIs, and by how much."""

    queryset = KpiLink.objects.none()
    serializer_class = KpiLinkSerializer
    filterset_class = filters.KpiLinkFilter
    ordering_fields = ORDERING

    def get_queryset(self):
        return selectors.kpi_link_list(user=self.request.user).select_related("kpi__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.kpi_link_create(kpi=data.pop("kpi"), item=data.pop("item"),
                                                       actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.kpi_link_update(link=serializer.instance, actor=self.request.user, version=self.expected_version(),
                                 **serializer.validated_data)

    def perform_destroy(self, instance):
        services.kpi_link_delete(link=instance, actor=self.request.user, version=self.expected_version())
