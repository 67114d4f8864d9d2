"""`/api/v1/plan-versions/` (list, freeze, detail, compare, restore) and `/api/v1/duplications/` (copy a journey or a
plan as a job: 202, then poll it).

- POST /api/v1/plan-versions/ {"plan": 3, "name": "After workshop 2", "note": ""} → 201 (owners, admins, editors)
- GET  /api/v1/plan-versions/{id}/compare/?with=now (or another version's id) → what changed, as the page shows it
- POST /api/v1/plan-versions/{id}/restore/ {"type": "touchpoint", "id": 12, "if_version": 4} → 200; 409 when the
  object changed since `if_version`, 400 when what it needs no longer exists
- POST /api/v1/duplications/ {"kind": "journey", "plan": 3, "journey": 8, "target_plan": 5, "name": "…"} → 202
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.filters import UtcIsoDateTimeFilter
from core.site import absolute_url
from core.versioning import StaleVersion
from planning.models import Journey
from tenancy import selectors as tenancy_selectors
from tenancy.api.filters import VisiblePlanFilter
from tenancy.models import Plan
from versions import selectors, services, snapshot
from versions.compare import compare
from versions.duplicate import duplication_fail_if_stalled, live_progress
from versions.models import DuplicationJob, DuplicationKind, PlanVersion
from versions.restore import RESTORERS


def _plans(request):
    return tenancy_selectors.plan_list(user=getattr(request, "user", None) or AnonymousUser())


class PlanVersionSerializer(serializers.ModelSerializer):
    """A frozen version: who, when, what it holds (never its snapshot; compare it or download it)."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = ("id", "plan", "name", "note", "created_by", "created_at", "size_bytes", "touchpoint_count",
                  "journey_count", "roadmap_item_count", "url")
        read_only_fields = ("id", "created_by", "created_at", "size_bytes", "touchpoint_count", "journey_count",
                            "roadmap_item_count", "url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["plan"].queryset = _plans(request)

    def get_url(self, version) -> str:
        return absolute_url(reverse("plan-version-detail", args=[version.pk]))


class PlanVersionFilter(filters.FilterSet):
    # A version never changes after it is frozen: updated_at is when it was frozen.
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=gettext_lazy(
        "Only versions frozen at or after this ISO 8601 date and time (a version never changes afterwards)."))
    plan = VisiblePlanFilter(queryset=_plans, help_text=gettext_lazy("Only versions of this plan."))

    class Meta:
        model = PlanVersion
        fields = ("plan", "updated_since")


class RestoreSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(RESTORERS), help_text=gettext_lazy("What to restore."))
    id = serializers.IntegerField(help_text=gettext_lazy("The object's id, as the version holds it."))
    if_version = serializers.IntegerField(required=False, min_value=0, help_text=gettext_lazy(
        "The object's version you saw: the restore is refused (409) if it changed since."))


COMPARE_RESPONSE = inline_serializer("PlanVersionComparison", {
    "from": serializers.CharField(), "to": serializers.CharField(), "total": serializers.IntegerField(),
    "counts": serializers.DictField(child=serializers.IntegerField()),
    "sections": serializers.DictField(child=serializers.ListField(child=serializers.DictField())),
    "curves": serializers.ListField(child=serializers.DictField()),
})


@extend_schema(tags=["plan-versions"])
class PlanVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Frozen versions of the plans you see; owners, admins and editors of a plan freeze it."""

    queryset = PlanVersion.objects.none()  # for the schema; requests use get_queryset
    serializer_class = PlanVersionSerializer
    filterset_class = PlanVersionFilter
    ordering_fields = ("created_at", "name")

    def get_queryset(self):
        return selectors.version_list(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(summary="List plan versions")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a plan version")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="Freeze a plan version", examples=[OpenApiExample(
        "After a workshop", request_only=True, value={"plan": 3, "name": "After workshop 2", "note": "Agreed"})])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = services.version_freeze(plan=data["plan"], actor=request.user, name=data["name"],
                                          note=data.get("note", ""))
        body = self.get_serializer(version).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    def _version(self):
        version = self.get_object()
        return selectors.version_for(user=self.request.user, plan=version.plan, pk=version.pk)

    @extend_schema(summary="Compare a version with now or another version", responses={200: COMPARE_RESPONSE},
                   parameters=[OpenApiParameter("with", OpenApiTypes.STR, description=gettext_lazy(
                       "`now` (the default) or the id of another version of the same plan."))])
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        version = self._version()
        other = request.query_params.get("with", "now")
        if other == "now":
            later, label = snapshot.current(version.plan), "now"
        else:
            try:
                later_version = selectors.version_for(user=request.user, plan=version.plan, pk=other)
            except Http404:
                raise ValidationError({"with": [_("Give `now` or the id of another version of this plan.")]}) \
                    from None
            later, label = snapshot.load(later_version.snapshot), str(later_version.pk)
        diff = compare(snapshot.load(version.snapshot), later)
        return Response({"from": str(version.pk), "to": label, **diff})

    @extend_schema(summary="Restore one object from a version", request=RestoreSerializer,
                   responses={200: inline_serializer("PlanVersionRestored", {
                       "type": serializers.CharField(), "id": serializers.IntegerField(),
                       "version": serializers.IntegerField()}),
                       400: OpenApiResponse(description="It would clash: what it needs no longer exists."),
                       409: OpenApiResponse(description="It changed since `if_version`.")})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        version = self._version()
        body = RestoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            restored = services.version_restore(version=version, actor=request.user, kind=body.validated_data["type"],
                                                pk=body.validated_data["id"],
                                                expected_version=body.validated_data.get("if_version"))
        except StaleVersion as stale:
            return Response({"detail": _("It changed since the version you gave; look at it again."),
                             "code": "conflict", "current_version": stale.current.version},
                            status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise ValidationError({"id": error.messages}) from None
        return Response({"type": body.validated_data["type"], "id": restored.pk, "version": restored.version})


class DuplicationSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(source="source_plan", queryset=Plan.objects.none())
    journey = serializers.PrimaryKeyRelatedField(source="source_journey", queryset=Journey.objects.none(),
                                                 required=False, allow_null=True)
    progress = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = DuplicationJob
        fields = ("id", "kind", "plan", "journey", "target_plan", "name", "status", "progress", "step", "error",
                  "warnings", "result_plan", "result_journey", "requested_by", "created_at", "started_at",
                  "finished_at", "url")
        read_only_fields = ("id", "status", "progress", "step", "error", "warnings", "result_plan", "result_journey",
                            "requested_by", "created_at", "started_at", "finished_at", "url")
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = _plans(self.context.get("request"))
        self.fields["plan"].queryset = plans
        self.fields["target_plan"].queryset = plans
        self.fields["journey"].queryset = Journey.objects.filter(plan__in=plans)

    def get_progress(self, job) -> int:
        return live_progress(job)[0]

    def get_step(self, job) -> str:
        return live_progress(job)[1]

    def get_url(self, job) -> str:
        return absolute_url(reverse("duplication-detail", args=[job.pk]))


class DuplicationFilter(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=gettext_lazy(
        "Only copies changed at or after this ISO 8601 date and time."))
    plan = VisiblePlanFilter(field_name="source_plan", queryset=_plans,
                             help_text=gettext_lazy("Only copies of this plan."))

    class Meta:
        model = DuplicationJob
        fields = ("plan", "kind", "status", "updated_since")


@extend_schema(tags=["duplications"])
class DuplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Copies of a journey (into its plan or another plan of the organisation you may edit) or of a whole plan,
    made by a worker: ask (202), then poll `url` until `status` is `succeeded` (see `result_plan`,
    `result_journey`) or `failed`. Feedback responses are not copied; structure and evaluations are."""

    queryset = DuplicationJob.objects.none()
    serializer_class = DuplicationSerializer
    filterset_class = DuplicationFilter
    ordering_fields = ("created_at", "finished_at")

    def get_queryset(self):
        return selectors.duplication_list(user=self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return duplication_fail_if_stalled(super().get_object())

    @extend_schema(summary="List copies")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a copy and its progress")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="Copy a journey or a plan", responses={202: DuplicationSerializer}, examples=[
        OpenApiExample("A journey into another plan", request_only=True,
                       value={"kind": "journey", "plan": 3, "journey": 8, "target_plan": 5, "name": "Welcome"}),
        OpenApiExample("A whole plan", request_only=True, value={"kind": "plan", "plan": 3, "name": "2028"})],
        parameters=[OpenApiParameter("Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[202],
                                     description="The copy's address: poll it.")])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            job = services.duplication_request(
                actor=request.user, source_plan=data["source_plan"], kind=data["kind"], name=data.get("name", ""),
                source_journey=data.get("source_journey") if data["kind"] == DuplicationKind.JOURNEY else None,
                target_plan=data.get("target_plan"))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
        body = self.get_serializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
