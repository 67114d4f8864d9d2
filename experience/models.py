"""What the customer lives along a journey, drawn as lanes under the journey map's stages.

- A Lane is a row of the map: a text lane (customer actions, thoughts, feelings, went well, fell short, backstage,
  systems and data, or a title of its own) holds one LaneCard per stage; the emotion lane draws the EmotionScores;
  the metrics lane is computed from the feedback and the evaluations; the insights lane shows the PainPoints and
  Opportunities.
- Emotion scores use one scale, −2 (very negative) … +2 (very positive), per stage and/or per touchpoint.
- A pain point and an opportunity belong to a stage and optionally to touchpoints; a pain point cites the
  verbatims (feedback responses) that support it; an opportunity answers pain points, and roadmap items answer
  opportunities (RoadmapItem.opportunities), so the chain verbatim → pain → opportunity → roadmap item is kept.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints
from planning.models import EvidenceLevel, Journey, Stage, Touchpoint
from tenancy.models.plans import Plan

EMOTION_MIN, EMOTION_MAX = -2, 2


class LaneKind(models.TextChoices):
    ACTIONS = "actions", _("Customer actions")
    THOUGHTS = "thoughts", _("Thoughts")
    FEELINGS = "feelings", _("Feelings")
    WENT_WELL = "went_well", _("Went well")
    FELL_SHORT = "fell_short", _("Fell short")
    BACKSTAGE = "backstage", _("Backstage and support processes")
    SYSTEMS = "systems", _("Systems and data")
    CUSTOM = "custom", _("A lane of its own")
    EMOTION = "emotion", _("Emotion curve")
    METRICS = "metrics", _("Customer metrics")
    INSIGHTS = "insights", _("Pain points and opportunities")


TEXT_KINDS = frozenset({LaneKind.ACTIONS, LaneKind.THOUGHTS, LaneKind.FEELINGS, LaneKind.WENT_WELL,
                        LaneKind.FELL_SHORT, LaneKind.BACKSTAGE, LaneKind.SYSTEMS, LaneKind.CUSTOM})
# Below the channel lanes, behind the "line of visibility": what the customer does not see.
BACKSTAGE_KINDS = frozenset({LaneKind.BACKSTAGE, LaneKind.SYSTEMS})


class Emotion(models.IntegerChoices):
    VERY_NEGATIVE = -2, _("Very negative")
    NEGATIVE = -1, _("Negative")
    NEUTRAL = 0, _("Neutral")
    POSITIVE = 1, _("Positive")
    VERY_POSITIVE = 2, _("Very positive")


class Severity(models.IntegerChoices):
    MINOR = 1, _("Minor")
    MODERATE = 2, _("Moderate")
    SERIOUS = 3, _("Serious")
    SEVERE = 4, _("Severe")
    CRITICAL = 5, _("Critical")


class ExpectedValue(models.IntegerChoices):
    VERY_LOW = 1, _("Very low")
    LOW = 2, _("Low")
    MEDIUM = 3, _("Medium")
    HIGH = 4, _("High")
    VERY_HIGH = 5, _("Very high")


class Lane(ExternalIdModel, VersionedModel):
    """A row of a journey's map under its stages; hidden lanes stay in the data but are not drawn."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="lanes")
    kind = models.CharField(_("kind"), max_length=12, choices=LaneKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True,
                             help_text=_("Leave empty to use the kind's name."))
    position = models.PositiveIntegerField(_("position"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["journey_id", "position", "id"]
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LaneKind.values), name="lane_kind_valid"),
        ] + external_id_constraints("plan", "lane")

    def __str__(self):
        return self.title or str(LaneKind(self.kind).label)

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


class LaneCard(ExternalIdModel, VersionedModel):
    """The text of a text lane at one stage."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cards")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="lane_cards", verbose_name=_("stage"))
    text = models.TextField(_("text"), max_length=2000)

    class Meta:
        ordering = ["lane_id", "stage__position", "id"]
        verbose_name = _("lane card")
        verbose_name_plural = _("lane cards")
        constraints = [
            models.UniqueConstraint(fields=["lane", "stage"], name="lane_card_one_per_stage"),
        ] + external_id_constraints("plan", "lane_card")

    def __str__(self):
        return self.text[:60]


class EmotionScore(VersionedModel):
    """How the customer feels at a stage (touchpoint empty) or at one of its touchpoints, −2 … +2."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="emotion_scores")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="emotion_scores",
                              verbose_name=_("stage"))
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="emotion_scores", verbose_name=_("touchpoint"))
    score = models.SmallIntegerField(_("emotion"), choices=Emotion.choices,
                                     validators=[MinValueValidator(EMOTION_MIN), MaxValueValidator(EMOTION_MAX)])
    note = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["journey_id", "stage__position", "touchpoint_id", "id"]
        verbose_name = _("emotion score")
        verbose_name_plural = _("emotion scores")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=EMOTION_MIN, score__lte=EMOTION_MAX),
                                   name="emotion_score_scale"),
            models.UniqueConstraint(fields=["stage"], condition=Q(touchpoint__isnull=True),
                                    name="emotion_one_per_stage"),
            models.UniqueConstraint(fields=["touchpoint"], name="emotion_one_per_touchpoint"),
        ]

    def __str__(self):
        return f"{self.stage} · {self.touchpoint or ''} {self.score:+d}".replace("  ", " ")


class PainPoint(ExternalIdModel, VersionedModel):
    """Something that goes wrong for the customer at a stage, with how bad it is and what supports it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="pain_points")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="pain_points", verbose_name=_("stage"))
    touchpoints = models.ManyToManyField(Touchpoint, blank=True, related_name="pain_points",
                                         verbose_name=_("touchpoints"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MODERATE)
    evidence = models.CharField(_("evidence"), max_length=10, choices=EvidenceLevel.choices,
                                default=EvidenceLevel.ASSUMED)
    verbatims = models.ManyToManyField("assessments.FeedbackResponse", blank=True, related_name="pain_points",
                                       verbose_name=_("supporting verbatims"))

    class Meta:
        ordering = ["journey_id", "stage__position", "-severity", "id"]
        verbose_name = _("pain point")
        verbose_name_plural = _("pain points")
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=5), name="pain_point_severity_scale"),
        ] + external_id_constraints("plan", "pain_point")

    def __str__(self):
        return self.title


class Opportunity(ExternalIdModel, VersionedModel):
    """What could be done better at a stage, the pain points it answers and the value expected from it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="opportunities")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="opportunities",
                              verbose_name=_("stage"))
    touchpoints = models.ManyToManyField(Touchpoint, blank=True, related_name="opportunities",
                                         verbose_name=_("touchpoints"))
    pain_points = models.ManyToManyField(PainPoint, blank=True, related_name="opportunities",
                                         verbose_name=_("pain points it answers"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    expected_value = models.PositiveSmallIntegerField(_("expected value"), choices=ExpectedValue.choices,
                                                      default=ExpectedValue.MEDIUM)
    evidence = models.CharField(_("evidence"), max_length=10, choices=EvidenceLevel.choices,
                                default=EvidenceLevel.ASSUMED)

    class Meta:
        ordering = ["journey_id", "stage__position", "-expected_value", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(condition=Q(expected_value__gte=1, expected_value__lte=5),
                                   name="opportunity_value_scale"),
        ] + external_id_constraints("plan", "opportunity")

    def __str__(self):
        return self.title
