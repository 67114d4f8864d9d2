"""Roadmap API: items (with their score and rank), a plan's scoring method, and the custom criteria.

- /api/v1/roadmap-items/                 CRUD; filters plan, horizon, status, category, team, touchpoint,
                                         updated_since; each item carries `score` {value, formula, terms, missing}
                                         and `rank`. POST /api/v1/roadmap-items/{id}/move/ is the board's drag.
- /api/v1/plans/{id}/scoring/            GET the plan's method, formula and criteria; PUT/PATCH {"method": …}.
- /api/v1/scoring-criteria/              CRUD of the custom criteria (name, weight, direction).

Same rules as the rest of the API: another organisation's rows are absent (404), a read-only plan answers 403
on write, and writes are optimistic (`If-Match` → 412 with the current object when stale).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import GivenFiltersBackend, StableOrderingFilter
from core.api.versioning import VersionedViewSetMixin
from planning import selectors as planning_selectors
from planning.api.journeys import ETAG, IF_MATCH, JourneyMappingViewSet, documented
from roadmaps import selectors, services
from roadmaps.api.item_serializers import (
    RoadmapItemSerializer,
    RoadmapMoveSerializer,
    ScoringCriterionSerializer,
    ScoringSettingsSerializer,
)
from roadmaps.models import Category, Horizon, ItemStatus, RoadmapItem, ScoringCriterion
from tenancy import selectors as tenancy_selectors
from tenancy.access import Access, plan_for, plans_for
from tenancy.api.filters import PlanChildFilterSet


def _user(request):
    return getattr(request, "user", None) or AnonymousUser()  # no request: schema generation, nothing visible


def _teams(request):
    return tenancy_selectors.team_list(user=_user(request)).prefetch_related(None)


def _touchpoints(request):
    return planning_selectors.touchpoint_list(user=_user(request)).select_related(None)


class RoadmapItemFilter(PlanChildFilterSet):
    horizon = filters.ChoiceFilter(choices=Horizon.choices, help_text=_("Only items of this column of the board."))
    status = filters.ChoiceFilter(choices=ItemStatus.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    team = filters.ModelChoiceFilter(queryset=_teams, field_name="teams", help_text=_("Only items this team is in."))
    touchpoint = filters.ModelChoiceFilter(queryset=_touchpoints, field_name="touchpoints",
                                           help_text=_("Only items that serve this touchpoint."))

    class Meta:
        model = RoadmapItem
        fields = ("plan", "horizon", "status", "category", "team", "touchpoint", "updated_since")


class CriterionFilter(PlanChildFilterSet):
    class Meta:
        model = ScoringCriterion
        fields = ("plan", "updated_since")


@documented(RoadmapItemSerializer, "roadmap item", "roadmap items", {
    "plan": 1, "title": "CRM with one customer id across store and web", "category": "crm", "owner": 3,
    "teams": [2, 4], "touchpoints": [12, 18], "objectives": [1], "audit_gaps": [5], "dependencies": [],
    "horizon": "now", "quarter": "2027-Q1", "start_date": "2027-01-11", "end_date": "2027-06-30",
    "status": "planned", "value": 9, "effort": 7})
class RoadmapItemViewSet(JourneyMappingViewSet):
    """The transformation projects of a plan. Each answer carries the item's `score` under the plan's method (its
    formula and each term's part) and its `rank` in the plan. Default order: by id; use `rank` to sort by priority."""

    queryset = RoadmapItem.objects.none()  # for the schema; requests use get_queryset
    serializer_class = RoadmapItemSerializer
    filterset_class = RoadmapItemFilter
    filter_backends = [GivenFiltersBackend, StableOrderingFilter]
    ordering_fields = ("title", "horizon", "board_position", "start_date", "end_date", "manual_rank", "created_at",
                       "updated_at")
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)

    def get_queryset(self):
        # The answer names the owner and the links by id: the serializer reads the links' ids for the whole page
        # (roadmap_item_links), so neither the owner nor the linked objects are loaded.
        return selectors.roadmap_item_list(user=self.request.user).select_related(None).prefetch_related(None)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.roadmap_item_create(plan=data.pop("plan"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.roadmap_item_update(item=serializer.instance, actor=self.request.user,
                                     version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.roadmap_item_delete(item=instance, actor=self.request.user, version=self.expected_version())

    @extend_schema(
        summary="Move a roadmap item on the now/next/later board",
        description="Put the item in a column (`horizon`), just before the item `before` of that column, or last. "
                    "Send If-Match with the item's ETag: a stale one answers 412 with the item as it is now.",
        parameters=[IF_MATCH], request=RoadmapMoveSerializer,
        responses={200: RoadmapItemSerializer, 400: OpenApiResponse(description="`before` is not in that column."),
                   412: OpenApiResponse(description="Stale If-Match; `current` is the item as it is now.")},
        examples=[OpenApiExample("To the top of Next", value={"horizon": "next", "before": 14}, request_only=True)],
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request, pk=None):
        item = self.get_object()
        body = RoadmapMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        before = None
        if body.validated_data.get("before") is not None:
            before = RoadmapItem.objects.filter(plan_id=item.plan_id, pk=body.validated_data["before"]).first()
            if before is None:
                raise serializers.ValidationError({"before": _("No such item in this plan.")})
        moved = services.roadmap_item_move(item=item, actor=request.user, horizon=body.validated_data["horizon"],
                                           before=before, version=self.expected_version())
        return Response(self.get_serializer(moved).data, headers={"ETag": f'"{moved.version}"'})


@documented(ScoringCriterionSerializer, "scoring criterion", "scoring criteria",
            {"plan": 1, "name": "Customer value", "weight": "2.00", "direction": "higher"})
class ScoringCriterionViewSet(JourneyMappingViewSet):
    """A plan's custom criteria, used when its method is `custom`: each item is rated 1–5 on each (in the item's
    `criteria_scores`), and a criterion counts weight × rating, or weight × (6 − rating) when lower is better."""

    queryset = ScoringCriterion.objects.none()
    serializer_class = ScoringCriterionSerializer
    filterset_class = CriterionFilter
    ordering_fields = ("position", "name", "weight", "created_at", "updated_at")

    def get_queryset(self):
        return ScoringCriterion.objects.filter(plan_id__in=plans_for(self.request.user).values("pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("position", None)  # a new criterion goes last; move it with a PATCH of `position`
        serializer.instance = services.criterion_create(plan=data.pop("plan"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.criterion_update(criterion=serializer.instance, actor=self.request.user,
                                  version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.criterion_delete(criterion=instance, actor=self.request.user, version=self.expected_version())


SCORING_EXAMPLE = OpenApiExample("Value / effort", response_only=True, value={
    "plan": 1, "version": 2, "updated_at": "2027-03-01T10:00:00+01:00", "method": "value_effort",
    "method_label": "Value / effort", "formula": "score = value ÷ effort", "criteria": []})


class PlanScoringView(VersionedViewSetMixin, generics.GenericAPIView):
    """A plan's scoring method (every plan has one: value/effort until changed), its formula and its criteria."""

    serializer_class = ScoringSettingsSerializer
    filter_backends: list = []
    pagination_class = None

    def get_object(self):
        access = Access.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Access.EDIT
        return self.loaded(services.scoring_settings_for(plan_for(self.request.user, self.kwargs["pk"], access)))

    @extend_schema(summary="Get a plan's scoring method, formula and criteria", parameters=[ETAG],
                   examples=[SCORING_EXAMPLE])
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Choose a plan's scoring method", parameters=[IF_MATCH, ETAG],
                   request=inline_serializer("ScoringMethodRequest", {"method": serializers.ChoiceField(
                       choices=ScoringSettingsSerializer.Meta.model._meta.get_field("method").choices)}),
                   responses={200: ScoringSettingsSerializer, 412: OpenApiResponse(
                       description="Stale If-Match; `current` is the settings as they are now.")},
                   examples=[OpenApiExample("Use RICE", value={"method": "rice"}, request_only=True)])
    def put(self, request, pk):
        return self._write(request, partial=False)

    @extend_schema(summary="Choose a plan's scoring method", parameters=[IF_MATCH, ETAG],
                   request=inline_serializer("PatchedScoringMethodRequest", {"method": serializers.ChoiceField(
                       choices=ScoringSettingsSerializer.Meta.model._meta.get_field("method").choices,
                       required=False)}),
                   responses={200: ScoringSettingsSerializer, 412: OpenApiResponse(
                       description="Stale If-Match; `current` is the settings as they are now.")})
    def patch(self, request, pk):
        return self._write(request, partial=True)

    def _write(self, request, *, partial: bool):
        settings = self.get_object()
        serializer = self.get_serializer(settings, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        method = serializer.validated_data.get("method", settings.method)
        settings = services.scoring_method_set(plan=settings.plan, actor=request.user, method=method,
                                               version=self.expected_version())
        return Response(self.get_serializer(settings).data)
