from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from tenancy.models import AdminLogEntry, Invitation, Membership, Organisation, Plan, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "department")
    list_filter = ("department",)
    search_fields = ("name", "organisation__name")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "expires_at", "accepted_at")
    search_fields = ("email", "organisation__name")
    readonly_fields = ("token",)


@admin.register(Plan)
class PlanAdmin(GuardedModelAdmin):
    list_display = ("name", "organisation", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "organisation__name")


@admin.register(AdminLogEntry)
class AdminLogEntryAdmin(admin.ModelAdmin):
    """Read only: the admin log is never edited, not even here (rows go only when the retention purges them)."""

    list_display = ("created_at", "organisation", "actor_name", "action", "target_repr", "channel", "address")
    list_filter = ("action", "channel")
    search_fields = ("actor_name", "target_repr", "organisation__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
