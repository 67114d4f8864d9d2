"""The digital-maturity self-assessment on two axes (channels, engagement), dated so progress shows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel


class Level(models.IntegerChoices):
    I = 1, "I"  # noqa: E741
    II = 2, "II"
    III = 3, "III"
    IV = 4, "IV"


CHANNEL_AXIS = {
    1: _("Single channel (e.g. email only)"),
    2: _("Multi-channel (e.g. mobile + email)"),
    3: _("Cross-channel"),
    4: _("Omnichannel: personalised message on the right channel per customer preference"),
}
ENGAGEMENT_AXIS = {
    1: _("Segmented: same message to many, basic audience segments"),
    2: _("Lifecycle: same messages to many on each channel"),
    3: _("Real-time: personalised messages in real time"),
    4: _("Connected: real-time, personalised and channel-adapted"),
}
OBJECTIVES = {
    1: _("Send the message quickly and accurately"),
    2: _("Tailor messages to the channel"),
    3: _("Build personalised, automated journeys at scale"),
    4: _("One coordinated experience run jointly by sales, service, marketing and IT"),
}


def _level_check(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 4})


class MaturityAssessment(VersionedModel):
    """One dated workshop: the agreed position on both axes and the target."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="maturity_assessments")
    assessed_on = models.DateField(_("date"))
    channel_level = models.PositiveSmallIntegerField(_("agreed channel level"), choices=Level.choices, null=True,
                                                     blank=True)
    engagement_level = models.PositiveSmallIntegerField(_("agreed engagement level"), choices=Level.choices,
                                                        null=True, blank=True)
    target_channel_level = models.PositiveSmallIntegerField(_("target channel level"), choices=Level.choices,
                                                            null=True, blank=True)
    target_engagement_level = models.PositiveSmallIntegerField(_("target engagement level"), choices=Level.choices,
                                                               null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["plan_id", "-assessed_on", "-id"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [
            models.CheckConstraint(condition=_level_check(f), name=f"maturity_{f}_1_4")
            for f in ("channel_level", "engagement_level", "target_channel_level", "target_engagement_level")
        ]

    def __str__(self):
        return f"{self.assessed_on}"


class MaturityVote(VersionedModel):
    """Where one participant places the organisation on both axes."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(MaturityAssessment, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_level = models.PositiveSmallIntegerField(_("channel level"), choices=Level.choices)
    engagement_level = models.PositiveSmallIntegerField(_("engagement level"), choices=Level.choices)

    class Meta:
        ordering = ["assessment_id", "id"]
        verbose_name = _("maturity vote")
        verbose_name_plural = _("maturity votes")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "participant"], name="maturity_vote_once"),
            models.CheckConstraint(condition=Q(channel_level__gte=1, channel_level__lte=4), name="vote_channel_1_4"),
            models.CheckConstraint(condition=Q(engagement_level__gte=1, engagement_level__lte=4),
                                   name="vote_engagement_1_4"),
        ]

    def __str__(self):
        return f"{self.participant}: {self.channel_level}/{self.engagement_level}"
