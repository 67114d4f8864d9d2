"""Social listening: what people say about the brand online (mentions), the plan's list of competitors, and the
themes and tags mentions carry (the organisation's taxonomy and keyword rules, as on verbatims: assessments)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import AssignedBy, Sentiment
from core.models import ExternalIdModel, VersionedModel, external_id_constraints


class Competitor(VersionedModel):
    """A competitor the plan follows in the conversations (share of voice)."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="competitor_unique_name",
                                    violation_error_message=_("This plan already follows a competitor of that name.")),
        ]

    def __str__(self):
        return self.name


class Mention(ExternalIdModel, VersionedModel):
    """One post, review or comment found by a listening tool: when, where, who (and how many follow them), what."""

    # No index of its own on `plan`: every index below starts with it.
    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.ForeignKey("planning.Channel", on_delete=models.PROTECT, related_name="mentions",
                                verbose_name=_("channel"))
    mentioned_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=120, blank=True,
                              help_text=_("The site or network it was found on: Twitter, a forum, Trustpilot…"))
    author = models.CharField(_("author"), max_length=200, blank=True)
    author_reach = models.PositiveIntegerField(_("author reach"), default=0,
                                               help_text=_("Followers or audience of the author."))
    text = models.TextField(_("text"))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Computed offline from the text (assessments.sentiment) like a verbatim's; a person's correction sets
    # `sentiment` and `sentiment_corrected` and wins. The listening tool's own label is kept apart.
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    sentiment_corrected = models.BooleanField(_("sentiment corrected by hand"), default=False)
    imported_sentiment = models.CharField(_("sentiment given by the listening tool"), max_length=8,
                                          choices=Sentiment.choices, blank=True)
    competitor = models.ForeignKey(Competitor, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="mentions", verbose_name=_("competitor"))
    touchpoint = models.ForeignKey("planning.Touchpoint", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="mentions", verbose_name=_("touchpoint"))
    persona = models.ForeignKey("planning.Persona", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="mentions", verbose_name=_("persona"))

    class Meta:
        ordering = ["-mentioned_on", "-id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            *external_id_constraints("plan", "mention"),
            models.CheckConstraint(condition=Q(sentiment_score__gte=-1, sentiment_score__lte=1)
                                   | Q(sentiment_score=None), name="mention_sentiment_score_in_range"),
        ]
        indexes = [
            # Every indicator reads one plan over a period (and the API's newest-first order, read backwards).
            models.Index(fields=["plan", "mentioned_on", "id"], name="mention_plan_date"),
            # The channel filter of the indicator pages.
            models.Index(fields=["plan", "channel", "mentioned_on"], name="mention_plan_channel_date"),
            models.Index(fields=["plan", "updated_at"], name="mention_plan_updated"),
        ]

    def __str__(self):
        return self.text[:60]


class MentionTheme(models.Model):
    """A theme on a mention; a rule's assignment keeps the rule and the words that matched."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="themes", db_index=False)
    theme = models.ForeignKey("assessments.Theme", on_delete=models.CASCADE, related_name="+")
    assigned_by = models.CharField(max_length=4, choices=AssignedBy.choices)
    rule = models.ForeignKey("assessments.ThemeRule", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    matched = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "theme"], name="mention_theme_once"),
            models.CheckConstraint(condition=Q(assigned_by="hand") | Q(matched__gt=""),
                                   name="mention_theme_rule_says_what_matched"),
        ]

    def __str__(self):
        return str(self.theme_id)


class MentionTag(models.Model):
    """A tag on a mention (the organisation's free tags, as on verbatims)."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="tags", db_index=False)
    tag = models.ForeignKey("assessments.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "tag"], name="mention_tag_once")]

    def __str__(self):
        return str(self.tag_id)


class RuleRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RuleRun(models.Model):
    """One re-run of the organisation's theme rules over a plan's mentions and verbatims (a Celery job): who asked,
    when, and how many of each changed themes."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("asked by"))
    status = models.CharField(_("status"), max_length=8, choices=RuleRunStatus.choices,
                              default=RuleRunStatus.QUEUED)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    mentions_seen = models.PositiveIntegerField(default=0)
    mentions_changed = models.PositiveIntegerField(default=0)
    verbatims_seen = models.PositiveIntegerField(default=0)
    verbatims_changed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("theme rules run")
        verbose_name_plural = _("theme rules runs")
        indexes = [models.Index(fields=["plan", "-created_at"], name="rule_run_plan_latest")]
        constraints = [models.CheckConstraint(condition=Q(status__in=RuleRunStatus.values),
                                              name="rule_run_status_valid")]

    def __str__(self):
        return f"{self.plan_id} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else str(self.plan_id)

    @property
    def is_over(self) -> bool:
        return self.status in (RuleRunStatus.DONE, RuleRunStatus.FAILED)
