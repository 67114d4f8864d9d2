
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.external_ids import external_fields
from core.api.filters import UpdatedSinceFilterSet
from core.api.versioning import VersionedViewSetMixin
from tenancy import selectors, services
from tenancy.access import (
    Access,
    organisation_for,
    plan_for,
    require_manager,
    require_plan_access,
    token_organisation_id,
)
from tenancy.api.serializers import (
    ActivitySerializer,
    AdminLogEntrySerializer,
    MembershipSerializer,
    OrganisationSerializer,
    PlanSerializer,
    TeamSerializer,
)
from tenancy.forms import AdminLogFilterForm
from tenancy.models import AdminAction, Membership, Organisation, Plan, Team

ADMIN_LOG_PARAMETERS = [
    OpenApiParameter("action", str, enum=AdminAction.values, description="Only this action."),
    OpenApiParameter("actor", int, description="Only what this person (a user id) did."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day on (included)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Up to this day (included)."),
]


class OrganisationFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Organisation
        fields = ("updated_since",)


class OrganisationViewSet(VersionedViewSetMixin, viewsets.ModelViewSet):
    """Organisations you belong to. Anyone signed in may create one and becomes its owner."""

    queryset = Organisation.objects.none()  # for the schema; requests use get_queryset
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ("name", "created_at", "updated_at")

    def get_queryset(self):
        role = Membership.objects.filter(organisation=OuterRef("pk"), user=self.request.user).values("role")[:1]
        return selectors.organisation_list(user=self.request.user).annotate(role=Subquery(role))

    def perform_create(self, serializer):
        if token_organisation_id(self.request.user) is not None:
            raise PermissionDenied(_("An API token works within its organisation; sign in to create another one."))
        serializer.instance = services.organisation_create(user=self.request.user, **serializer.validated_data)
        serializer.instance.role = "owner"

    def perform_update(self, serializer):
        data = {"name": serializer.instance.name, **serializer.validated_data}  # a PATCH may leave the name out
        services.organisation_update(organisation=serializer.instance, actor=self.request.user,
                                     version=self.expected_version(), **data)

    def perform_destroy(self, instance):
        self.check_delete_version(instance)
        services.organisation_delete(organisation=instance, actor=self.request.user)

    @extend_schema(summary="The organisation's admin log", parameters=ADMIN_LOG_PARAMETERS,
                   responses=AdminLogEntrySerializer(many=True),
                   description="Owners and admins only (others: 403). Who changed members, roles, teams, plan "
                               "sharing, invitations, API tokens and webhooks, requested exports or deleted plans; "
                               "when, from where, before and after. Newest first.")
    @action(detail=True, methods=["get"], url_path="admin-log", filter_backends=[],
            serializer_class=AdminLogEntrySerializer)
    def admin_log(self, request, pk=None):
        organisation = self.get_object()
        require_manager(request.user, organisation)
        form = AdminLogFilterForm(request.query_params, organisation=organisation)
        if not form.is_valid():
            raise ValidationError(form.errors)
        entries = selectors.admin_log_list(user=request.user, organisation=organisation, filters=form.cleaned_data)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MembershipFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Membership
        fields = ("organisation", "role", "user", "updated_since")


class TeamFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Team
        fields = ("organisation", "department", "updated_since")


class PlanFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Plan
        fields = ("organisation", "status", "updated_since")


class MembershipViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Members of your organisations. Owners and admins change roles and remove members; people join by invitation."""

    queryset = Membership.objects.none()  # for the schema; requests use get_queryset
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ("role", "created_at")

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user)

    def perform_update(self, serializer):
        self.check_delete_version(serializer.instance)
        role = serializer.validated_data.get("role", serializer.instance.role)
        services.membership_change_role(membership=serializer.instance, actor=self.request.user, role=role)

    def perform_destroy(self, instance):
        self.check_delete_version(instance)
        services.membership_remove(membership=instance, actor=self.request.user)


class TeamViewSet(VersionedViewSetMixin, viewsets.ModelViewSet):
    """Departments of an organisation; a team is what gets access to a plan."""

    queryset = Team.objects.none()  # for the schema; requests use get_queryset
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ("name", "created_at", "updated_at")
    upsert_scope = ("organisation", None, "organisation_id")

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    def check_write_access(self, instance) -> None:
        require_manager(self.request.user, instance.organisation)

    def perform_create(self, serializer):
        data = serializer.validated_data
        organisation, _ = organisation_for(self.request.user, data["organisation"].pk)
        serializer.instance = services.team_create(
            organisation=organisation, actor=self.request.user, name=data["name"],
            department=data.get("department", "other"), members=data.get("member_list", []),
            **external_fields(data),
        )

    def perform_update(self, serializer):
        team, data = serializer.instance, serializer.validated_data
        services.team_update(
            team=team, actor=self.request.user, name=data.get("name", team.name),
            department=data.get("department", team.department), members=data.get("member_list"),
            version=self.expected_version(), **external_fields(data),
        )
        team.group.__dict__.pop("prefetched_members", None)

    def perform_destroy(self, instance):
        self.check_delete_version(instance)
        services.team_delete(team=instance, actor=self.request.user)


class PlanViewSet(VersionedViewSetMixin, viewsets.ModelViewSet):
    """Planning workspaces. Owners and admins see every plan of their organisation; others what was shared."""

    queryset = Plan.objects.none()  # for the schema; requests use get_queryset
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ("name", "created_at", "updated_at", "period_start")
    upsert_scope = ("organisation", None, "organisation_id")

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def check_write_access(self, instance) -> None:
        require_plan_access(self.request.user, instance, Access.EDIT)

    def get_object(self):
        return self.loaded(plan_for(self.request.user, self.kwargs["pk"]))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "organisation"}
        services.plan_update(plan=serializer.instance, actor=self.request.user, version=self.expected_version(), **data)

    def destroy(self, request, *args, **kwargs):
        plan = plan_for(request.user, kwargs["pk"], Access.MANAGE)
        self.check_delete_version(plan)
        services.plan_delete(plan=plan, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="A plan's activity history, newest first",
        description="Every create, update, delete and refused (stale) write of the plan and its objects, with "
                    "field-level `changes`: {field: [before, after]}; for a refused write, [value now, attempted].",
        responses=ActivitySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=ActivitySerializer)
    def activity(self, request, pk=None):
        plan = plan_for(request.user, pk)
        page = self.paginate_queryset(selectors.activity_list(user=request.user, plan=plan))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
