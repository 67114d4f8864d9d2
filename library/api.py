"""`/api/v1/plan-templates/` (the organisation's saved templates: list, save a plan as one, detail, delete) and
`/api/v1/template-uses/` (a plan made from a template as a job: 202, then poll it).

- POST /api/v1/plan-templates/ {"plan": 3, "name": "Retail starter", "description": ""} → 201 (owners, admins and
  the plan's managers)
- POST /api/v1/template-uses/ {"template": 7, "name": "2028"} or {"builtin": "purchase", "organisation": 1} → 202
- GET /api/v1/library-items/: the personas and journeys published to the organisation's library (read only)
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.filters import UtcIsoDateTimeFilter
from core.site import absolute_url
from library import builtins, selectors, services
from library.jobs import fail_if_stalled, live_progress
from library.models import LibraryItem, PlanTemplate, TemplateUse
from tenancy import selectors as tenancy_selectors
from tenancy.access import memberships_of
from tenancy.models import Organisation, Plan


def _user(request):
    return getattr(request, "user", None) or AnonymousUser()


class PlanTemplateSerializer(serializers.ModelSerializer):
    """A saved template: what it holds (counts), who saved it from which plan; never its stored document."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(source="source_plan", queryset=Plan.objects.none(), help_text=(
        gettext_lazy("The plan saved as the template (its structure, without feedback or evaluations).")))
    url = serializers.SerializerMethodField()

    class Meta:
        model = PlanTemplate
        fields = ("id", "organisation", "name", "description", "plan", "created_by", "created_at", "updated_at",
                  "size_bytes", "persona_count", "journey_count", "touchpoint_count", "url")
        read_only_fields = ("id", "organisation", "created_by", "created_at", "updated_at", "size_bytes",
                            "persona_count", "journey_count", "touchpoint_count", "url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = tenancy_selectors.plan_list(user=_user(self.context.get("request")))

    def get_url(self, template) -> str:
        return absolute_url(reverse("plan-template-detail", args=[template.pk]))


class PlanTemplateFilter(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=gettext_lazy(
        "Only templates saved at or after this ISO 8601 date and time."))

    class Meta:
        model = PlanTemplate
        fields = ("organisation", "updated_since")


@extend_schema(tags=["plan-templates"])
class PlanTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The saved plan templates of your organisations. Owners, admins and a plan's managers save it as one; owners,
    admins and whoever saved it delete it. Start a plan from one with `/api/v1/template-uses/`."""

    queryset = PlanTemplate.objects.none()
    serializer_class = PlanTemplateSerializer
    filterset_class = PlanTemplateFilter
    ordering_fields = ("name", "created_at")

    def get_queryset(self):
        return selectors.template_list(user=self.request.user).order_by("name", "id")

    @extend_schema(summary="List plan templates")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a plan template")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="Save a plan as a template", examples=[OpenApiExample(
        "A plan as a template", request_only=True, value={"plan": 3, "name": "Retail starter", "description": ""})])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            template = services.template_save(plan=data["source_plan"], actor=request.user, name=data["name"],
                                              description=data.get("description", ""))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
        body = self.get_serializer(template).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    @extend_schema(summary="Delete a plan template")
    def destroy(self, request, *args, **kwargs):
        services.template_delete(template=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateUseSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    template = serializers.PrimaryKeyRelatedField(queryset=PlanTemplate.objects.none(), required=False,
                                                  allow_null=True, help_text=gettext_lazy(
                                                      "A saved template of your organisation; or give `builtin`."))
    builtin = serializers.ChoiceField(choices=sorted(builtins.TEMPLATES), required=False, allow_blank=True,
                                      help_text=gettext_lazy("A built-in template (with `organisation`)."))
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), required=False,
                                                      help_text=gettext_lazy(
                                                          "Where the plan is made (a built-in template needs it)."))
    progress = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = TemplateUse
        fields = ("id", "organisation", "template", "builtin", "name", "status", "progress", "step", "error",
                  "warnings", "result_plan", "requested_by", "created_at", "started_at", "finished_at", "url")
        read_only_fields = ("id", "status", "progress", "step", "error", "warnings", "result_plan", "requested_by",
                            "created_at", "started_at", "finished_at", "url")
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.context.get("request"))
        self.fields["template"].queryset = selectors.template_list(user=user)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=memberships_of(user).values("organisation_id")) if user.is_authenticated \
            else Organisation.objects.none()

    def validate(self, attrs):
        template, builtin = attrs.get("template"), attrs.get("builtin")
        if bool(template) == bool(builtin):
            raise serializers.ValidationError({"template": [_("Give either a saved template or a built-in one.")]})
        if builtin and not attrs.get("organisation"):
            raise serializers.ValidationError({"organisation": [_("Say in which organisation to make the plan.")]})
        if template is not None:
            attrs["organisation"] = template.organisation
        return attrs

    def get_progress(self, job) -> int:
        return live_progress(job)[0]

    def get_step(self, job) -> str:
        return live_progress(job)[1]

    def get_url(self, job) -> str:
        return absolute_url(reverse("template-use-detail", args=[job.pk]))


class TemplateUseFilter(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=gettext_lazy(
        "Only plans made (or being made) at or after this ISO 8601 date and time."))

    class Meta:
        model = TemplateUse
        fields = ("organisation", "status", "updated_since")


@extend_schema(tags=["template-uses"])
class TemplateUseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Plans made from a template by a worker: ask (202), then poll `url` until `status` is `succeeded` (see
    `result_plan`) or `failed`. Owners, admins and editors of the organisation may ask."""

    queryset = TemplateUse.objects.none()
    serializer_class = TemplateUseSerializer
    filterset_class = TemplateUseFilter
    ordering_fields = ("created_at", "finished_at")

    def get_queryset(self):
        return selectors.template_use_list(user=self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return fail_if_stalled(super().get_object())

    @extend_schema(summary="List plans made from templates")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a plan made from a template and its progress")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="Make a plan from a template", responses={202: TemplateUseSerializer}, examples=[
        OpenApiExample("From a saved template", request_only=True, value={"template": 7, "name": "2028"}),
        OpenApiExample("From a built-in template", request_only=True,
                       value={"builtin": "purchase", "organisation": 1, "name": "Purchase 2028"})],
        parameters=[OpenApiParameter("Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[202],
                                     description="The job's address: poll it.")])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            job = services.template_use_request(actor=request.user, organisation=data["organisation"],
                                                template=data.get("template"), builtin=data.get("builtin") or "",
                                                name=data.get("name", ""))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
        body = self.get_serializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class LibraryItemSerializer(serializers.ModelSerializer):
    """A persona or journey of the organisation's library (add a copy of it to a plan from the plan's pages)."""

    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(source="source_plan", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = LibraryItem
        fields = ("id", "organisation", "kind", "name", "description", "plan", "published_by", "created_at",
                  "updated_at", "document", "url")
        read_only_fields = fields

    def get_url(self, item) -> str:
        return absolute_url(reverse("library-item-detail", args=[item.pk]))


class LibraryItemFilter(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=gettext_lazy(
        "Only items published at or after this ISO 8601 date and time."))

    class Meta:
        model = LibraryItem
        fields = ("organisation", "kind", "updated_since")


@extend_schema(tags=["library-items"])
class LibraryItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The personas and journeys your organisations published to their library (read only here)."""

    queryset = LibraryItem.objects.none()
    serializer_class = LibraryItemSerializer
    filterset_class = LibraryItemFilter
    ordering_fields = ("name", "created_at")

    def get_queryset(self):
        return (LibraryItem.objects.filter(organisation_id__in=memberships_of(self.request.user)
                                           .values("organisation_id"))
                .select_related("published_by").order_by("kind", "name", "id"))

    @extend_schema(summary="List the organisation library")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get an item of the organisation library")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
