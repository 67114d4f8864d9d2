"""Raw customer feedback attached to a touchpoint: NPS, CES and CSAT responses with optional verbatims."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel


class FeedbackKind(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    CES = "ces", _("CES (1–7)")
    CSAT = "csat", _("CSAT (1–5)")


SCALES = {FeedbackKind.NPS: (0, 10), FeedbackKind.CES: (1, 7), FeedbackKind.CSAT: (1, 5)}


class FeedbackResponse(VersionedModel):
    """One customer's answer: a score on the kind's scale, when, from which source, and what they said."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=4, choices=FeedbackKind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    responded_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=120, blank=True)
    verbatim = models.TextField(_("verbatim"), blank=True)

    class Meta:
        ordering = ["-responded_on", "-id"]
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="nps", score__gte=0, score__lte=10) | Q(kind="ces", score__gte=1, score__lte=7)
                           | Q(kind="csat", score__gte=1, score__lte=5)),
                name="feedback_score_on_its_scale",
                violation_error_message=_("The score is outside the scale of its kind."),
            ),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "kind", "responded_on"], name="feedback_touchpoint_kind_date"),
            models.Index(fields=["plan", "kind", "responded_on"], name="feedback_plan_kind_date"),
            models.Index(fields=["plan", "updated_at"], name="feedback_plan_updated"),
            # The API's default order (newest first) for one plan, read backwards: no sort of every response.
            models.Index(fields=["plan", "responded_on", "id"], name="feedback_plan_responded"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}"
