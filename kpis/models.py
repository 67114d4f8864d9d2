"""The indicators a plan is measured by, their measurements over time, and the roadmap items expected to move them.

- A Kpi has a unit, a direction (higher or lower is better), a baseline (value and date) and a target (value and
  date), an owner team, and a source: typed by hand ("manual") or computed from the plan's data (kpis.sources: NPS,
  CES, CSAT of the feedback responses, optionally of one touchpoint, channel or persona; higher apps may register
  more, e.g. listening's mentions).
- A Measurement is one value at a date. Computed KPIs get one computed measurement per month, dated the first day of
  the month; a month that holds a measurement typed by hand is never recomputed over it.
- A KpiLink says that a roadmap item is expected to move a KPI, and by how much (in the KPI's unit, signed).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints

MANUAL = "manual"
DIGITS = dict(max_digits=16, decimal_places=4)


class Unit(models.TextChoices):
    PERCENT = "percent", _("Percentage (%)")
    COUNT = "count", _("Count")
    CURRENCY = "currency", _("Currency (€)")
    SCORE = "score", _("Score")
    DAYS = "days", _("Days")
    RATIO = "ratio", _("Ratio")


UNIT_SUFFIX = {Unit.PERCENT: "%", Unit.CURRENCY: "€", Unit.DAYS: "d"}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Kpi(ExternalIdModel, VersionedModel):
    """An indicator the plan is measured by: its unit, direction, baseline, target, owner and source."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **DIGITS)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), null=True, blank=True, **DIGITS)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner_team = models.ForeignKey("tenancy.Team", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="kpis", verbose_name=_("owner team"))
    # "manual" or the key of a computed source (kpis.sources): not a choice list, so higher apps can add sources.
    source = models.CharField(_("source"), max_length=40, default=MANUAL)
    touchpoint = models.ForeignKey("planning.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("only this touchpoint"))
    channel = models.ForeignKey("planning.Channel", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("only this channel"))
    persona = models.ForeignKey("planning.Persona", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("only this persona"))

    class Meta:
        ordering = ["plan_id", "name", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="kpi_unique_name_per_plan",
                                    violation_error_message=_("This plan already has a KPI of this name.")),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="kpi_unit_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="kpi_direction_valid"),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_date__isnull=True)
                | Q(baseline_value__isnull=False, baseline_date__isnull=False),
                name="kpi_baseline_value_and_date",
                violation_error_message=_("A baseline needs both a value and a date."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True, target_date__isnull=True)
                | Q(target_value__isnull=False, target_date__isnull=False),
                name="kpi_target_value_and_date",
                violation_error_message=_("A target needs both a value and a date."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_date__isnull=True) | Q(target_date__isnull=True)
                | Q(target_date__gt=F("baseline_date")),
                name="kpi_target_after_baseline",
                violation_error_message=_("The target date must be after the baseline date."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(target_value__isnull=True)
                | Q(direction="higher", target_value__gt=F("baseline_value"))
                | Q(direction="lower", target_value__lt=F("baseline_value")),
                name="kpi_target_in_its_direction",
                violation_error_message=_("The target must be better than the baseline: above it when higher is "
                                          "better, below it when lower is better."),
            ),
            *external_id_constraints("plan", "kpi"),
        ]
        indexes = [models.Index(fields=["plan", "updated_at"], name="kpi_plan_updated")]

    def __str__(self):
        return self.name

    @property
    def computed(self) -> bool:
        return self.source != MANUAL

    @property
    def suffix(self) -> str:
        return UNIT_SUFFIX.get(self.unit, "")


class Measurement(ExternalIdModel, VersionedModel):
    """A KPI's value at a date: typed by a person, or computed from the data for a month (dated its first day)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("KPI"))
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **DIGITS)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    computed = models.BooleanField(_("computed"), default=False,
                                   help_text=_("Computed from the data for the month; a value typed by hand is kept."))
    sample_size = models.PositiveIntegerField(_("responses"), null=True, blank=True)

    class Meta:
        ordering = ["kpi_id", "measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "measured_on"], name="measurement_one_per_kpi_and_date",
                                    violation_error_message=_("This KPI already has a measurement at this date.")),
            *external_id_constraints("plan", "measurement"),
        ]
        indexes = [models.Index(fields=["plan", "updated_at"], name="measurement_plan_updated")]

    def __str__(self):
        return f"{self.kpi_id} {self.measured_on}: {self.value}"


class KpiLink(VersionedModel):
    """A roadmap item is expected to move a KPI by `expected_change` (in the KPI's unit; negative lowers it)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="links", verbose_name=_("KPI"))
    item = models.ForeignKey("roadmaps.RoadmapItem", on_delete=models.CASCADE, related_name="kpi_links",
                             verbose_name=_("roadmap item"))
    expected_change = models.DecimalField(_("expected change"), null=True, blank=True, **DIGITS,
                                          help_text=_("In the KPI's unit; negative to lower it."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kpi_id", "item_id", "id"]
        verbose_name = _("KPI expected to move")
        verbose_name_plural = _("KPIs expected to move")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "item"], name="kpi_link_unique",
                                    violation_error_message=_("This item is already linked to this KPI.")),
        ]
        indexes = [models.Index(fields=["plan", "updated_at"], name="kpi_link_plan_updated")]

    def __str__(self):
        return f"{self.item_id} → {self.kpi_id}"
