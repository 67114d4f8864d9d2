"""Each team's evaluation of a touchpoint, the data captured there, and the value the workshop agreed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel


class Maturity(models.IntegerChoices):
    INITIAL = 1, _("1 · Initial: ad hoc, not measured, disconnected from other channels")
    MANAGED = 2, _("2 · Managed: defined and partly measured, data stays in its silo")
    INTEGRATED = 3, _("3 · Integrated: connected to customer data and the other channels")
    OPTIMISED = 4, _("4 · Optimised: personalised in real time, measured and continuously improved")


class InformationPushed(models.TextChoices):
    NOTIFICATION = "notification", _("Notification")
    TRANSACTIONAL_EMAIL = "transactional_email", _("Transactional email")
    REVIEWS = "reviews", _("Reviews")
    OTHER = "other", _("Other")


class FeedbackMode(models.TextChoices):
    PUSHED = "pushed", _("Pushed to us (the customer speaks up)")
    PULLED = "pulled", _("Pulled by us (we ask)")
    NONE = "none", _("None")


def _scale(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


class TouchpointEvaluation(VersionedModel):
    """One team's view of one touchpoint: maturity (1–4) and potential for the customer and the brand (1–5)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.CASCADE, related_name="evaluations")
    team = models.ForeignKey("tenancy.Team", on_delete=models.CASCADE, related_name="evaluations",
                             verbose_name=_("team"))
    maturity = models.PositiveSmallIntegerField(_("maturity"), choices=Maturity.choices)
    potential_customer = models.PositiveSmallIntegerField(_("potential for the customer"), validators=_scale(1, 5))
    potential_brand = models.PositiveSmallIntegerField(_("potential for the brand"), validators=_scale(1, 5))
    information_pushed = models.JSONField(_("information pushed to the customer"), default=list, blank=True)
    feedback_mode = models.CharField(_("feedback mode"), max_length=10, choices=FeedbackMode.choices,
                                     default=FeedbackMode.NONE)
    notes = models.TextField(_("notes"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["touchpoint_id", "team__name", "id"]
        verbose_name = _("touchpoint evaluation")
        verbose_name_plural = _("touchpoint evaluations")
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "team"], name="evaluation_one_per_team"),
            models.CheckConstraint(condition=Q(maturity__gte=1, maturity__lte=4), name="evaluation_maturity_1_4"),
            models.CheckConstraint(condition=Q(potential_customer__gte=1, potential_customer__lte=5),
                                   name="evaluation_potential_customer_1_5"),
            models.CheckConstraint(condition=Q(potential_brand__gte=1, potential_brand__lte=5),
                                   name="evaluation_potential_brand_1_5"),
        ]
        indexes = [models.Index(fields=["plan", "updated_at"], name="evaluation_plan_updated")]

    def __str__(self):
        return f"{self.touchpoint} · {self.team}"

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.information_pushed or []) - set(InformationPushed.values)
        if unknown:
            raise ValidationError({"information_pushed": _("Unknown kinds of information: %s") % ", ".join(unknown)})


class Storage(models.TextChoices):
    CRM = "crm", _("CRM")
    DMP = "dmp", _("DMP")
    ECOMMERCE = "ecommerce", _("E-commerce platform")
    DATA_LAKE = "data_lake", _("Data lake")
    SPREADSHEET = "spreadsheet", _("Spreadsheet")
    OTHER = "other", _("Other")
    NONE = "none", _("Nowhere (not stored)")


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    PARTIAL = "partial", _("Partial")
    POOR = "poor", _("Poor")
    UNKNOWN = "unknown", _("Unknown")


class DataCaptureItem(VersionedModel):
    """A piece of data captured at a touchpoint, as a team sees it: where it comes from and where it lives."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(TouchpointEvaluation, on_delete=models.CASCADE, related_name="data_items")
    data = models.CharField(_("what data"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    storage = models.CharField(_("stored in"), max_length=12, choices=Storage.choices, default=Storage.NONE)
    completeness = models.CharField(_("completeness"), max_length=8, choices=Rating.choices, default=Rating.UNKNOWN)
    accessibility = models.CharField(_("ease of access and use"), max_length=8, choices=Rating.choices,
                                     default=Rating.UNKNOWN)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["evaluation_id", "position", "id"]
        verbose_name = _("data captured")
        verbose_name_plural = _("data captured")

    def __str__(self):
        return self.data


class TouchpointAgreement(VersionedModel):
    """The value the workshop agreed for a touchpoint, overriding the median of the teams (with a reason)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    touchpoint = models.OneToOneField("planning.Touchpoint", on_delete=models.CASCADE, related_name="agreement")
    maturity = models.PositiveSmallIntegerField(_("agreed maturity"), choices=Maturity.choices, null=True,
                                                blank=True)
    potential_customer = models.PositiveSmallIntegerField(_("agreed potential for the customer"), null=True,
                                                          blank=True, validators=_scale(1, 5))
    potential_brand = models.PositiveSmallIntegerField(_("agreed potential for the brand"), null=True, blank=True,
                                                       validators=_scale(1, 5))
    reason = models.TextField(_("reason"))
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("agreed value")
        verbose_name_plural = _("agreed values")
        constraints = [
            models.CheckConstraint(condition=Q(maturity__isnull=True) | Q(maturity__gte=1, maturity__lte=4),
                                   name="agreement_maturity_1_4"),
        ]

    def __str__(self):
        return f"{self.touchpoint}: {self.maturity}"
