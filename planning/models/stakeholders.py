"""The people taking part in a plan's workshops."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints
from tenancy.models import Plan, Team


class Stakeholder(ExternalIdModel, VersionedModel):
    """A person taking part in the plan's workshops, with their title, team and objective."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="stakeholders",
                             verbose_name=_("team"))
    objective = models.TextField(_("objective"), blank=True)

    class Meta:
        ordering = ["plan_id", "name", "id"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = external_id_constraints("plan", "stakeholder")

    def __str__(self):
        return self.name
