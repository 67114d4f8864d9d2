"""Raw customer feedback attached to a touchpoint: NPS, CES and CSAT responses with optional verbatims."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel


class FeedbackKind(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    CES = "ces", _("CES (1–7)")
    CSAT = "csat", _("CSAT (1–5)")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")
    POSITIVE = "positive", _("positive")


SCALES = {FeedbackKind.NPS: (0, 10), FeedbackKind.CES: (1, 7), FeedbackKind.CSAT: (1, 5)}
# (unhappy at or below, happy at or above) per kind: NPS detractors 0–6 and promoters 9–10; CSAT 1–2 and 4–5; CES is
# read the other way (low effort is good): 1–2 happy, 6–7 unhappy.
DISAGREEMENT = {FeedbackKind.NPS: (6, 9), FeedbackKind.CSAT: (2, 4), FeedbackKind.CES: (2, 6)}


class FeedbackResponse(VersionedModel):
    """One customer's answer: a score on the kind's scale, when, from which source, and what they said."""

    # No index of their own: the indexes below start with them (a 100,000-row import maintained two more b-trees).
    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.CASCADE, related_name="feedback",
                                   db_index=False)
    kind = models.CharField(_("kind"), max_length=4, choices=FeedbackKind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    responded_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=120, blank=True)
    verbatim = models.TextField(_("verbatim"), blank=True)
    # Computed offline from the verbatim (assessments/sentiment/); a person's correction sets `sentiment` and
    # `sentiment_corrected`, and a later computation then only refreshes the score.
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    sentiment_corrected = models.BooleanField(_("sentiment corrected by hand"), default=False)

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
            models.CheckConstraint(condition=Q(sentiment_score__gte=-1, sentiment_score__lte=1)
                                   | Q(sentiment_score=None), name="feedback_sentiment_score_in_range"),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "kind", "responded_on"], name="feedback_touchpoint_kind_date"),
            models.Index(fields=["plan", "kind", "responded_on"], name="feedback_plan_kind_date"),
            models.Index(fields=["plan", "updated_at"], name="feedback_plan_updated"),
            # The API's default order (newest first) for one plan, read backwards: no sort of every response.
            models.Index(fields=["plan", "responded_on", "id"], name="feedback_plan_responded"),
            models.Index(fields=["plan", "sentiment"], name="feedback_plan_sentiment"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}"

    @property
    def sentiment_disagrees(self) -> bool:
        """The text's sentiment says the opposite of the score (assessments.selectors.sentiment_disagrees)."""
        low, high = DISAGREEMENT[self.kind]
        happy = self.score >= high if self.kind != FeedbackKind.CES else self.score <= low
        unhappy = self.score <= low if self.kind != FeedbackKind.CES else self.score >= high
        return (happy and self.sentiment == Sentiment.NEGATIVE) or (unhappy and self.sentiment == Sentiment.POSITIVE)
