from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.external_ids import ExternalIdSerializerMixin
from tenancy.access import memberships_of
from tenancy.models import Activity, AdminLogEntry, Membership, Organisation, Plan, Team

User = get_user_model()

COMMON = ("id", "version", "created_at", "updated_at")
EXTERNAL = ("external_source", "external_id")  # sync.api.upsert: unique per plan, or per organisation


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "name", "email")


class OrganisationSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, allow_null=True, help_text="Your role in this organisation.")
    # Read-only and possibly empty (a name with no letters or digits): not the slug pattern a SlugField documents.
    slug = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = (*COMMON, "name", "slug", "role")
        read_only_fields = ("slug",)


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = (*COMMON, "organisation", "user", "role")
        read_only_fields = ("organisation",)


class TeamSerializer(ExternalIdSerializerMixin, serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.none(), source="member_list",
                                                 required=False)

    class Meta:
        model = Team
        fields = (*COMMON, *EXTERNAL, "organisation", "name", "department", "members")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only people who share an organisation with the caller can be named (no probing of other tenants).
            org_ids = memberships_of(request.user).values("organisation_id")
            users = User.objects.filter(memberships__organisation_id__in=org_ids).distinct()
            self.fields["members"].child_relation.queryset = users
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)


class PlanSerializer(ExternalIdSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = (*COMMON, *EXTERNAL, "organisation", "name", "description", "period_start", "period_end", "status",
                  "created_by")
        read_only_fields = ("created_by",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            org_ids = memberships_of(request.user).values("organisation_id")
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)

    def validate(self, attrs):
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": "The period must end on or after its start."})
        moved = "organisation" in attrs and attrs["organisation"] != getattr(self.instance, "organisation", None)
        if self.instance is not None and moved:
            raise serializers.ValidationError({"organisation": "A plan cannot move to another organisation."})
        return attrs


class ActorSerializer(serializers.ModelSerializer):
    """Who made a change."""

    class Meta:
        model = get_user_model()
        fields = ("id", "username")


class ActivitySerializer(serializers.ModelSerializer):
    """One recorded write of a plan's object."""

    actor = ActorSerializer(read_only=True, allow_null=True)
    changes = serializers.JSONField(
        read_only=True, help_text=_('Field -> [before, after]. For a refused write: [value now, value attempted].'))
    target_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = ("id", "actor", "verb", "target_type", "target_id", "target_repr", "version", "changes",
                  "created_at")
        read_only_fields = fields


class AdminLogEntrySerializer(serializers.ModelSerializer):
    """One entry of the organisation's admin log (read only: entries are never changed)."""

    before = serializers.JSONField(read_only=True, allow_null=True,
                                   help_text=_("The values before; null for a creation."))
    after = serializers.JSONField(read_only=True, allow_null=True, help_text=_("The values after; null for a removal."))
    actor = serializers.CharField(source="actor_name", read_only=True, help_text=_("Username; empty for the system."))

    class Meta:
        model = AdminLogEntry
        fields = ("id", "created_at", "actor", "action", "target_type", "target_id", "target_repr", "before", "after",
                  "address", "user_agent", "channel", "api_token_id", "api_token_name")
        read_only_fields = fields
