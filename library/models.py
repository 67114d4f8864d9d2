"""What an organisation keeps to start from: plan templates saved from a plan, and the jobs that make a plan from a
template (a saved one or a built-in one, library/builtins.py).

A saved template is a document, not live rows: the plan's structure as its JSON export writes it (personas, journeys
with stages, lanes and touchpoints, channels, scoring settings, KPIs, audit questions), without anything people
measured or said (feedback, evaluations, maturity, answers, measurements, the roadmap), zlib-compressed like a
version's snapshot (library/documents.py). Making a plan from it runs the plan import of the exports as a job.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from versions.models import Job


class PlanTemplate(TimeStampedModel):
    """A plan saved as a template by an owner, an admin or the plan's manager; any member who may create plans in
    the organisation starts a plan from it."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="plan_templates",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source_plan = models.ForeignKey("tenancy.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("saved from the plan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("saved by"))
    document = models.BinaryField(_("document"), editable=False)
    size_bytes = models.PositiveIntegerField(_("stored size (bytes)"), default=0, editable=False)
    persona_count = models.PositiveIntegerField(_("personas"), default=0, editable=False)
    journey_count = models.PositiveIntegerField(_("journeys"), default=0, editable=False)
    touchpoint_count = models.PositiveIntegerField(_("touchpoints"), default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="plan_template_unique_name")]

    def __str__(self):
        return self.name


class TemplateUse(Job):
    """One plan made from a template, as a job: queued → running → succeeded with the plan, or failed with a
    reason. `builtin` names a built-in template; otherwise `template` is the saved one."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="template_uses",
                                     verbose_name=_("organisation"))
    template = models.ForeignKey(PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="uses",
                                 verbose_name=_("template"))
    builtin = models.CharField(_("built-in template"), max_length=40, blank=True)
    name = models.CharField(_("name of the new plan"), max_length=200)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan made from a template")
        verbose_name_plural = _("plans made from templates")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="template_use_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.name} · {self.status}"


class LibraryKind(models.TextChoices):
    PERSONA = "persona", _("Persona")
    JOURNEY = "journey", _("Journey")


class LibraryItem(TimeStampedModel):
    """A persona or a journey published to the organisation's library by an owner, an admin or the manager of its
    plan; the editors of any plan of the organisation add a copy of it to their plan. `document` holds it as the
    plan import reads it (a journey: its stages, touchpoints, lanes and its persona; never evaluations, feedback,
    emotions, pain points or opportunities), so the library keeps it even when the plan changes or goes."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="library_items",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=10, choices=LibraryKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    document = models.JSONField(_("document"), default=dict, editable=False)
    source_plan = models.ForeignKey("tenancy.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("published from the plan"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "name"],
                                               name="library_item_unique_name")]

    def __str__(self):
        return self.name
