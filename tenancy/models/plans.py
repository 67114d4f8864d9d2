"""Plans (the unit of access and export) and their guardian permission tables."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import ExternalIdModel, VersionedModel, external_id_constraints
from tenancy.models.organisations import Organisation


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class Plan(ExternalIdModel, VersionedModel):
    """A planning workspace: the unit teams co-edit and export. Children inherit access from it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "planning_plan"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["-updated_at", "id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        permissions = [("comment_plan", "Can comment on plan, vote and mention"),
                       ("manage_plan", "Can manage plan access and delete it")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_ordered",
                violation_error_message=_("The period must end on or after its start."),
            ),
        ] + external_id_constraints("organisation", "plan")

    def __str__(self):
        return self.name


class PlanUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table: a user's view/change/manage permission on one plan."""

    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "planning_planuserobjectpermission"


class PlanGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign-key table: a team's (auth group's) permission on one plan."""

    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "planning_plangroupobjectpermission"
