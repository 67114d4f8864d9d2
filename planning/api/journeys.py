"""Journey-mapping API: channels, personas, stakeholders, journeys, stages and touchpoints.

Thin viewsets: the queryset comes from a selector (another organisation's rows are absent, so 404), writes go
through planning.services (which check edit access, same-plan rules and record the activity), and every write
is optimistic: `If-Match` carries the version it is based on and a stale one answers 412 with the current object.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import filters as core_filters
from core.api.external_ids import external_fields
from core.api.filters import GivenFiltersBackend
from core.api.openapi import conflict_serializer
from core.api.versioning import VersionedViewSetMixin
from core.versioning import StaleVersion
from planning import selectors, services
from planning.api import filters
from planning.api.journey_serializers import (
    ChannelSerializer,
    JourneySerializer,
    PersonaCopySerializer,
    PersonaPhotoSerializer,
    PersonaSerializer,
    StageSerializer,
    StakeholderSerializer,
    TouchpointSerializer,
)
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint
from tenancy.access import require_manager, require_plan_access

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description=_('The ETag you loaded the object with, for example "3" (or a list, "2", "3", or *). If someone '
                  "changed the object since, nothing is written and the answer is 412 with the object as it is "
                  'now; a weak ETag (W/"3") never matches. Without it the write is based on the version the '
                  "server reads."),
)
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
    description=_("The object's version, quoted; send it back in If-Match to write."),
)


def documented(serializer_class, singular: str, plural: str, create_example: dict):
    """OpenAPI text for a versioned resource: summaries, the If-Match header, the ETag and the 412 body."""
    stale = OpenApiResponse(
        conflict_serializer(serializer_class),
        description=_("Stale If-Match: someone else changed it; `current` is the object as it is now."),
    )
    versioned = {"parameters": [IF_MATCH, ETAG], "responses": {200: serializer_class, 412: stale}}
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}"),
        retrieve=extend_schema(summary=f"Get a {singular}", parameters=[ETAG]),
        create=extend_schema(summary=f"Create a {singular}", parameters=[ETAG],
                             examples=[OpenApiExample(f"New {singular}", value=create_example, request_only=True)]),
        update=extend_schema(summary=f"Replace a {singular}", **versioned),
        partial_update=extend_schema(summary=f"Change some fields of a {singular}", **versioned),
        destroy=extend_schema(summary=f"Delete a {singular}", parameters=[IF_MATCH],
                              responses={204: None, 412: stale}),
    )


class JourneyMappingViewSet(VersionedViewSetMixin, viewsets.ModelViewSet):
    """Shared behaviour: write access is checked on the object before its body (403, not a 400 first); POST
    honours Idempotency-Key."""

    filter_backends = [GivenFiltersBackend, core_filters.StableOrderingFilter]
    ordering_fields = ("name", "created_at", "updated_at")

    def get_object(self):
        instance = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS:
            self.check_write_access(instance)
        return instance

    def check_write_access(self, instance) -> None:
        require_plan_access(self.request.user, instance.plan)

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            # Show the current object exactly as a read would (annotations included).
            exc.current = self.get_queryset().filter(pk=exc.current.pk).first() or exc.current
        elif isinstance(exc, ObjectDoesNotExist):
            exc = Http404(str(exc))  # deleted by someone else while this request was being handled
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == status.HTTP_201_CREATED and isinstance(response.data, dict):
            response["ETag"] = f'"{response.data["version"]}"'
        return response


@documented(ChannelSerializer, "channel", "channels",
            {"organisation": 1, "name": "Pop-up store", "kind": "offline"})
class ChannelViewSet(JourneyMappingViewSet):
    """The organisation's channels (website, store, phone…). Members read them; owners and admins change them."""

    queryset = Channel.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ChannelSerializer
    filterset_class = filters.ChannelFilter
    ordering_fields = ("name", "kind", "position", "created_at", "updated_at")
    upsert_scope = ("organisation", None, "organisation_id")
    upsert_select_related = ("organisation",)

    def get_queryset(self):
        return selectors.channel_list(user=self.request.user)

    def check_write_access(self, instance) -> None:
        require_manager(self.request.user, instance.organisation)

    def perform_create(self, serializer):
        data = serializer.validated_data
        channel = services.channel_create(organisation=data["organisation"], actor=self.request.user,
                                          name=data["name"], kind=data["kind"], **external_fields(data))
        if "position" in data:
            channel = services.channel_update(channel=channel, actor=self.request.user, position=data["position"])
        serializer.instance = channel

    def perform_update(self, serializer):
        services.channel_update(channel=serializer.instance, actor=self.request.user,
                                version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.channel_delete(channel=instance, actor=self.request.user, version=self.expected_version())


@documented(PersonaSerializer, "persona", "personas",
            {"plan": 1, "name": "Active Alex", "description": "Runs three times a week.",
             "goals": "Find shoes that fit", "preferred_channels": [1, 2], "evidence": "reported"})
class PersonaViewSet(JourneyMappingViewSet):
    """Representative customers of a plan."""

    queryset = Persona.objects.none()
    serializer_class = PersonaSerializer
    filterset_class = filters.PersonaFilter
    ordering_fields = ("name", "segment_size", "revenue_share", "created_at", "updated_at")
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)

    def get_queryset(self):
        personas = selectors.persona_list(user=self.request.user)
        # A read answers the channels as ids, read for the whole page at once (core.api.fields.PageIdsField).
        return personas.prefetch_related(None) if self.request.method in permissions.SAFE_METHODS else personas

    def check_write_access(self, instance) -> None:
        if self.action != "copy":  # copying only reads this persona; the service checks the target plan
            super().check_write_access(instance)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.persona_create(plan=data.pop("plan"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.persona_update(persona=serializer.instance, actor=self.request.user,
                                version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.persona_delete(persona=instance, actor=self.request.user, version=self.expected_version())

    @extend_schema(summary="Copy a persona into another plan of the same organisation",
                   request=PersonaCopySerializer, responses={201: PersonaSerializer}, parameters=[ETAG])
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        source = self.get_object()
        target = PersonaCopySerializer(data=request.data, context=self.get_serializer_context())
        target.is_valid(raise_exception=True)
        persona = services.persona_copy(persona=source, plan=target.validated_data["plan"], actor=request.user)
        return Response(PersonaSerializer(persona, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["PUT"], summary="Upload a persona's photo", request={
        "multipart/form-data": PersonaPhotoSerializer}, responses={200: PersonaSerializer}, parameters=[IF_MATCH])
    @extend_schema(methods=["DELETE"], summary="Remove a persona's photo", request=None,
                   responses={200: PersonaSerializer}, parameters=[IF_MATCH])
    @action(detail=True, methods=["put", "delete"], parser_classes=[MultiPartParser])
    def photo(self, request, pk=None):
        """The API's one multipart operation: every other write takes JSON."""
        persona = self.get_object()
        changes = {"photo": ""}
        if request.method == "PUT":
            upload = PersonaPhotoSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            changes = upload.validated_data
        services.persona_update(persona=persona, actor=request.user, version=self.expected_version(), **changes)
        persona = self.get_queryset().get(pk=persona.pk)
        return Response(PersonaSerializer(persona, context=self.get_serializer_context()).data)


@documented(StakeholderSerializer, "stakeholder", "stakeholders",
            {"plan": 1, "name": "Dana Smith", "title": "VP of marketing", "team": 2,
             "objective": "Online ads drive e-commerce traffic and revenue."})
class StakeholderViewSet(JourneyMappingViewSet):
    """The people in the plan's workshops, with their title, team and objective."""

    queryset = Stakeholder.objects.none()
    serializer_class = StakeholderSerializer
    filterset_class = filters.StakeholderFilter
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)

    def get_queryset(self):
        return selectors.stakeholder_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.stakeholder_create(plan=data.pop("plan"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.stakeholder_update(stakeholder=serializer.instance, actor=self.request.user,
                                    version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.stakeholder_delete(stakeholder=instance, actor=self.request.user, version=self.expected_version())


@documented(JourneySerializer, "journey", "journeys",
            {"plan": 1, "persona": 3, "name": "First purchase", "template": "purchase"})
class JourneyViewSet(JourneyMappingViewSet):
    """One persona's journey in a plan; `template` gives it its first stages."""

    queryset = Journey.objects.none()
    serializer_class = JourneySerializer
    filterset_class = filters.JourneyFilter
    ordering_fields = ("name", "created_at", "updated_at", "touchpoint_count")
    ordering = ("plan_id", "name", "id")  # the counts group rows, which drops the model's default ordering
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)
    upsert_create_only = ("template",)

    def get_queryset(self):
        return selectors.journey_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        journey = services.journey_create(plan=data.pop("plan"), actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=journey.pk)  # with its stage and touchpoint counts

    def perform_update(self, serializer):
        services.journey_update(journey=serializer.instance, actor=self.request.user,
                                version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.journey_delete(journey=instance, actor=self.request.user, version=self.expected_version())


@documented(StageSerializer, "stage", "stages", {"journey": 4, "name": "Onboarding", "position": 2})
class StageViewSet(JourneyMappingViewSet):
    """The ordered steps of a journey (the columns of the map). Deleting a stage deletes its touchpoints."""

    queryset = Stage.objects.none()
    serializer_class = StageSerializer
    filterset_class = filters.StageFilter
    ordering_fields = ("position", "name", "created_at", "updated_at")
    upsert_scope = ("journey", Journey, "plan_id")
    upsert_select_related = ("plan", "journey__plan")

    def get_queryset(self):
        return selectors.stage_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.stage_create(journey=data["journey"], actor=self.request.user,
                                                    name=data["name"], position=data.get("position"),
                                                    **external_fields(data))

    def perform_update(self, serializer):
        serializer.instance = services.stage_update(stage=serializer.instance, actor=self.request.user,
                                                    version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.stage_delete(stage=instance, actor=self.request.user, version=self.expected_version())


@documented(TouchpointSerializer, "touchpoint", "touchpoints",
            {"stage": 12, "channel": 5, "name": "Click an online ad", "customer_action": "Clicks the ad",
             "company_response": "Lands on the matching product page", "team": 2, "evidence": "measured"})
class TouchpointViewSet(JourneyMappingViewSet):
    """Moments where the customer meets the company, in a stage through a channel.

    Plan and journey follow the stage. Moving a card is a PATCH of `stage`, `channel` and `position`.
    """

    queryset = Touchpoint.objects.none()
    serializer_class = TouchpointSerializer
    filterset_class = filters.TouchpointFilter
    ordering_fields = ("position", "name", "stage__position", "created_at", "updated_at")
    upsert_scope = ("stage", Stage, "plan_id")
    upsert_select_related = ("plan", "journey__plan")

    def get_queryset(self):
        touchpoints = selectors.touchpoint_list(user=self.request.user)
        # A read reports the stage, channel and team by id: no joined rows to build (writes check them).
        return touchpoints.select_related(None) if self.request.method in permissions.SAFE_METHODS else touchpoints

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.touchpoint_create(stage=data.pop("stage"), channel=data.pop("channel"),
                                                         actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.touchpoint_update(touchpoint=serializer.instance, actor=self.request.user,
                                   version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.touchpoint_delete(touchpoint=instance, actor=self.request.user, version=self.expected_version())
