"""Pre-aggregated feedback statistics (assessments.rollups keeps them): what the NPS, CES and CSAT figures need,
summed per touchpoint × kind × day, per plan × kind × day and per touchpoint × kind over all time.

Every column is a whole number, so the figures computed from them are exactly those computed from the responses:
NPS from promoters/passives/detractors, CES and CSAT from n, total and total_of_squares. `verbatims` counts the
responses with a text. A cell exists only while it counts at least one response.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.feedback import FeedbackKind


class FeedbackCell(models.Model):
    """Abstract base: the counts and sums of the responses of one cell (signed: an upsert's proposed row carries
    a negative change, and PostgreSQL checks a CHECK constraint on it before it finds the conflict)."""

    kind = models.CharField(_("kind"), max_length=4, choices=FeedbackKind.choices)
    n = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)
    total_of_squares = models.BigIntegerField(default=0)
    promoters = models.IntegerField(default=0)
    passives = models.IntegerField(default=0)
    detractors = models.IntegerField(default=0)
    verbatims = models.IntegerField(default=0)

    class Meta:
        abstract = True


class FeedbackDay(FeedbackCell):
    """The responses of one touchpoint, one kind, one day (journey and stage are read through the touchpoint)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["touchpoint", "kind", "day"], name="feedback_day_cell")]
        indexes = [models.Index(fields=["plan", "day"], name="feedback_day_plan_day")]

    def __str__(self):
        return f"{self.touchpoint_id} {self.kind} {self.day}: {self.n}"


class FeedbackPlanDay(FeedbackCell):
    """The responses of one plan, one kind, one day: a period of a whole plan reads days, not touchpoints."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "day"], name="feedback_plan_day_cell")]

    def __str__(self):
        return f"plan {self.plan_id} {self.kind} {self.day}: {self.n}"


class FeedbackTotal(FeedbackCell):
    """Every response of one touchpoint and kind, all dates: the figures without a period read these."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["touchpoint", "kind"], name="feedback_total_cell")]
        indexes = [models.Index(fields=["plan", "kind"], name="feedback_total_plan")]

    def __str__(self):
        return f"{self.touchpoint_id} {self.kind}: {self.n}"
