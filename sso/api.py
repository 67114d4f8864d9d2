"""`/api/v1/sso-configurations/`: an organisation's single sign-on (OpenID Connect), for its owners and admins.

A member who is not an owner or admin gets 403 for their organisation's configuration; another organisation's
answers 404. The client secret is write-only: answers show `client_secret_hint` ("••••" and its last four
characters) and never the secret. One configuration per organisation: a second POST for it answers 400.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.api.filters import UpdatedSinceFilterSet
from sso import selectors, services
from sso.models import JIT_ROLE_CHOICES, JIT_ROLES, SsoConfiguration
from tenancy import selectors as tenancy_selectors
from tenancy.models import Organisation

ROLE_CHOICES = JIT_ROLE_CHOICES


class GroupMappingSerializer(serializers.Serializer):
    group = serializers.CharField(max_length=200, help_text=_("A value of the groups claim."))
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False, allow_blank=True, default="",
                                   help_text=_("The role the group gives (the highest mapped role wins)."))
    team = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text=_("The id of a team of the organisation the group's people join."))


class DomainsField(serializers.ListField):
    def get_attribute(self, instance):
        return sorted(domain.domain for domain in instance.domains.all())


class GroupMappingsField(serializers.ListField):
    def get_attribute(self, instance):
        return [{"group": m.group, "role": m.role, "team": m.team_id} for m in instance.group_mappings.all()]


class SsoConfigurationSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    client_secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=191,
                                          style={"input_type": "password"}, help_text=_(
        "Write-only. Required when creating; leave it out (or blank) to keep the stored one."))
    client_secret_hint = serializers.SerializerMethodField(help_text=_(
        'What may be shown of the stored secret: "••••" and, for a long secret, its last four characters.'))
    domains = DomainsField(child=serializers.CharField(max_length=253), allow_empty=False, help_text=_(
        "The e-mail domains the organisation owns (each in one organisation only)."))
    group_mappings = GroupMappingsField(child=GroupMappingSerializer(), required=False)
    default_role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False, default=JIT_ROLES[-1].value)
    redirect_uri = serializers.SerializerMethodField(help_text=_(
        "The redirect URI to register with the identity provider."))

    class Meta:
        model = SsoConfiguration
        fields = ("id", "organisation", "issuer", "client_id", "client_secret", "client_secret_hint", "domains",
                  "default_role", "groups_claim", "group_mappings", "extra_scopes", "sso_required", "redirect_uri",
                  "created_at", "updated_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = tenancy_selectors.organisation_list(user=request.user)

    def get_client_secret_hint(self, obj) -> str:
        return services.mask_secret(obj.social_app.secret)

    def get_redirect_uri(self, obj) -> str:
        path = reverse("openid_connect_callback", kwargs={"provider_id": obj.provider_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate(self, attrs):
        if self.instance is not None and "organisation" in attrs:
            if attrs.pop("organisation") != self.instance.organisation:
                raise serializers.ValidationError(
                    {"organisation": _("A configuration cannot move to another organisation.")})
        elif self.instance is None and SsoConfiguration.objects.filter(organisation=attrs["organisation"]).exists():
            raise serializers.ValidationError(
                {"organisation": _("This organisation already has single sign-on: change it instead.")})
        return attrs


class SsoConfigurationFilter(UpdatedSinceFilterSet):
    organisation = filters.NumberFilter(field_name="organisation_id", help_text=_("Only this organisation's."))

    class Meta:
        model = SsoConfiguration
        fields = ("organisation", "updated_since")


EXAMPLE = {"organisation": 1, "issuer": "https://login.microsoftonline.com/<tenant-id>/v2.0",
           "client_id": "6f1c…", "client_secret": "…", "domains": ["example.com"], "default_role": "viewer",
           "groups_claim": "groups", "group_mappings": [{"group": "journey-admins", "role": "admin"}],
           "sso_required": False}


@extend_schema_view(
    list=extend_schema(summary="List the SSO configurations of the organisations you own or administer"),
    retrieve=extend_schema(summary="Get an organisation's SSO configuration"),
    create=extend_schema(summary="Set up single sign-on for an organisation",
                         examples=[OpenApiExample("Entra ID", request_only=True, value=EXAMPLE)]),
    update=extend_schema(summary="Replace an SSO configuration"),
    partial_update=extend_schema(summary="Change an SSO configuration (domains, mappings, SSO required…)"),
    destroy=extend_schema(summary="Switch single sign-on off (accounts stay)"),
)
class SsoConfigurationViewSet(viewsets.ModelViewSet):
    """Single sign-on (OpenID Connect) per organisation; see the README's "Single sign-on" section."""

    queryset = SsoConfiguration.objects.none()  # for the schema; requests use get_queryset
    serializer_class = SsoConfigurationSerializer
    filterset_class = SsoConfigurationFilter
    ordering_fields = ("created_at", "updated_at")

    def get_queryset(self):
        return selectors.configuration_list(user=self.request.user).order_by("organisation_id", "id")

    def get_object(self):
        configuration = selectors.configuration_for(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, configuration)
        return configuration

    def _values(self, data: dict, current: SsoConfiguration | None) -> dict:
        values = services.configuration_values(current) if current else {}
        values = {key: value for key, value in values.items() if key not in ("client_secret", "group_mappings")}
        if current is not None:
            values["group_mappings"] = [{"group": m.group, "role": m.role, "team": m.team_id}
                                        for m in current.group_mappings.all()]
        values.update(data)
        return values

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        serializer.instance = services.configuration_save(organisation=organisation, actor=self.request.user,
                                                          **self._values(data, None))

    def perform_update(self, serializer):
        current = serializer.instance
        data = self._values(dict(serializer.validated_data), current)
        serializer.instance = services.configuration_save(organisation=current.organisation,
                                                          actor=self.request.user, **data)

    def perform_destroy(self, instance):
        services.configuration_delete(configuration=instance, actor=self.request.user)
