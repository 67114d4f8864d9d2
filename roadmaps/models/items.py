"""Roadmap items of a plan, how the plan scores them, and the links that justify them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints


class Category(models.TextChoices):
    DMP = "dmp", _("DMP (online data and media)")
    CRM = "crm", _("CRM (offline data, journey automation)")
    INTERNAL_APP = "internal_app", _("Internal app (clienteling, in-store services)")
    CUSTOMER_APP = "customer_app", _("Customer app (notifications, mobile services)")
    OFFER_LOYALTY = "offer_loyalty", _("Offer and loyalty consistency")
    API = "api", _("API (real-time data flow)")
    DATA_LAKE = "data_lake", _("Data lake (own algorithms)")
    REVIEWS = "reviews", _("Customer reviews")
    OTHER = "other", _("Other")


class Horizon(models.TextChoices):
    NOW = "now", _("Now")
    NEXT = "next", _("Next")
    LATER = "later", _("Later")


class ItemStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


def _one_to(high):
    return [MinValueValidator(1), MaxValueValidator(high)]


class RoadmapItem(ExternalIdModel, VersionedModel):
    """A transformation project: what it is, who runs it, what it serves, when, and its scoring inputs."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="roadmap_items")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("owner"))
    teams = models.ManyToManyField("tenancy.Team", blank=True, related_name="roadmap_items",
                                   verbose_name=_("teams involved"))
    touchpoints = models.ManyToManyField("planning.Touchpoint", blank=True, related_name="roadmap_items",
                                         verbose_name=_("touchpoints served"))
    objectives = models.ManyToManyField("planning.Stakeholder", blank=True, related_name="roadmap_items",
                                        verbose_name=_("stakeholder objectives"))
    audit_gaps = models.ManyToManyField("assessments.AuditItem", blank=True, related_name="roadmap_items",
                                        verbose_name=_("audit gaps"))
    opportunities = models.ManyToManyField("experience.Opportunity", blank=True, related_name="roadmap_items",
                                           verbose_name=_("opportunities answered"))
    dependencies = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                          verbose_name=_("depends on"))
    horizon = models.CharField(_("horizon"), max_length=5, choices=Horizon.choices, default=Horizon.LATER)
    quarter = models.CharField(_("quarter"), max_length=7, blank=True, help_text=_("For example 2027-Q2."))
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.IDEA)
    board_position = models.FloatField(_("order in its column"), default=0)
    # Scoring inputs: each method reads its own (see roadmaps/scoring.py).
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True, validators=_one_to(10))
    effort = models.PositiveSmallIntegerField(_("effort"), null=True, blank=True, validators=_one_to(10))
    reach = models.PositiveIntegerField(_("reach (customers per quarter)"), null=True, blank=True)
    impact = models.DecimalField(_("impact"), max_digits=3, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0.25), MaxValueValidator(3)])
    confidence = models.PositiveSmallIntegerField(_("confidence (%)"), null=True, blank=True,
                                                  validators=[MinValueValidator(0), MaxValueValidator(100)])
    business_value = models.PositiveSmallIntegerField(_("business value"), null=True, blank=True,
                                                      validators=_one_to(21))
    time_criticality = models.PositiveSmallIntegerField(_("time criticality"), null=True, blank=True,
                                                        validators=_one_to(21))
    risk_reduction = models.PositiveSmallIntegerField(_("risk reduction / opportunity"), null=True, blank=True,
                                                      validators=_one_to(21))
    job_size = models.PositiveSmallIntegerField(_("job size"), null=True, blank=True, validators=_one_to(21))
    criteria_scores = models.JSONField(_("scores per custom criterion"), default=dict, blank=True)
    manual_rank = models.PositiveIntegerField(_("manual rank"), null=True, blank=True)
    manual_rank_reason = models.TextField(_("why the manual rank"), blank=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        constraints = [
            *external_id_constraints("plan", "roadmap_item"),
            models.CheckConstraint(
                condition=Q(manual_rank__isnull=True) | ~Q(manual_rank_reason=""),
                name="roadmap_manual_rank_needs_reason",
                violation_error_message=_("A manual rank needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="roadmap_dates_ordered",
                violation_error_message=_("The end must be on or after the start."),
            ),
        ]
        indexes = [models.Index(fields=["plan", "updated_at"], name="roadmap_plan_updated")]

    def __str__(self):
        return self.title


class ScoringMethod(models.TextChoices):
    VALUE_EFFORT = "value_effort", _("Value / effort")
    RICE = "rice", _("RICE (reach × impact × confidence / effort)")
    WSJF = "wsjf", _("WSJF (cost of delay / job size)")
    CUSTOM = "custom", _("Weighted custom criteria")


class ScoringSettings(VersionedModel):
    """How a plan ranks its roadmap: one method for all items, so scores compare."""

    plan = models.OneToOneField("tenancy.Plan", on_delete=models.CASCADE, related_name="scoring")
    method = models.CharField(_("scoring method"), max_length=12, choices=ScoringMethod.choices,
                              default=ScoringMethod.VALUE_EFFORT)

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")

    def __str__(self):
        return self.get_method_display()


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


class ScoringCriterion(VersionedModel):
    """A custom criterion: items are rated 1–5 on it; its weight and direction set its contribution."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="scoring_criteria")
    name = models.CharField(_("name"), max_length=80)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices,
                                 default=Direction.HIGHER_IS_BETTER)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position", "id"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="criterion_unique_name")]

    def __str__(self):
        return self.name
