"""Workshop tools: dot voting sessions on touchpoints or roadmap items, and the facilitator's timer."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from planning.models.journeys import Journey
from tenancy.models.plans import Plan

MAX_VOTES_PER_PARTICIPANT = 20
MAX_TIMER_SECONDS = 4 * 3600


class VoteTarget(models.TextChoices):
    TOUCHPOINT = "touchpoint", _("Touchpoints")
    ROADMAP_ITEM = "roadmap_item", _("Roadmap items")


class VotingSession(VersionedModel):
    """A round of dot voting: each participant places up to N dots, hidden from everyone until the facilitator
    reveals them (which ends the voting); closing ends the session. One session at a time per plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="voting_sessions")
    target_kind = models.CharField(_("vote on"), max_length=20, choices=VoteTarget.choices,
                                   default=VoteTarget.TOUCHPOINT)
    journey = models.ForeignKey(Journey, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("journey"),
                                help_text=_("For touchpoints: only this journey's cards (blank: every journey)."))
    question = models.CharField(_("question"), max_length=200, blank=True,
                                help_text=_("For example “Which touchpoints should we fix first?”"))
    votes_per_participant = models.PositiveSmallIntegerField(
        _("votes per participant"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VOTES_PER_PARTICIPANT)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("facilitator"))
    revealed_at = models.DateTimeField(_("revealed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        db_table = "planning_votingsession"  # its table from when it lived in planning (workshops/migrations/0001)
        ordering = ["-created_at", "-id"]
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(closed_at__isnull=True),
                                    name="voting_one_active_session_per_plan",
                                    violation_error_message=_("A voting session is already running on this plan.")),
            models.CheckConstraint(condition=Q(votes_per_participant__gte=1)
                                   & Q(votes_per_participant__lte=MAX_VOTES_PER_PARTICIPANT),
                                   name="voting_votes_per_participant_range"),
            models.CheckConstraint(condition=Q(target_kind__in=VoteTarget.values), name="voting_target_kind_valid"),
            models.CheckConstraint(condition=Q(journey__isnull=True) | Q(target_kind=VoteTarget.TOUCHPOINT),
                                   name="voting_journey_only_for_touchpoints"),
        ]

    def __str__(self):
        return self.question or str(self.get_target_kind_display())

    @property
    def status(self) -> str:
        if self.closed_at:
            return "closed"
        return "revealed" if self.revealed_at else "open"

    @property
    def accepts_votes(self) -> bool:
        return self.closed_at is None and self.revealed_at is None


class Vote(models.Model):
    """One dot: a participant's vote for one target of a session (at most one per target)."""

    session = models.ForeignKey(VotingSession, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target_id = models.BigIntegerField(_("voted for"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "planning_vote"  # its table from when it lived in planning (workshops/migrations/0001)
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["session", "participant", "target_id"],
                                               name="vote_once_per_target")]

    def __str__(self):
        return f"{self.participant_id} → {self.target_id}"


class WorkshopTimer(models.Model):
    """The facilitator's countdown, shown to everyone on the plan: running until `ends_at`, else paused with
    `remaining_seconds` left. Clients count down from `ends_at` themselves."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="workshop_timer")
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"), default=600, validators=[MinValueValidator(10), MaxValueValidator(MAX_TIMER_SECONDS)])
    remaining_seconds = models.PositiveIntegerField(_("remaining (seconds)"), default=600)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        db_table = "planning_workshoptimer"  # its table from when it lived in planning (workshops/migrations/0001)
        verbose_name = _("workshop timer")
        verbose_name_plural = _("workshop timers")
        constraints = [models.CheckConstraint(condition=Q(duration_seconds__gte=10)
                                              & Q(duration_seconds__lte=MAX_TIMER_SECONDS),
                                              name="timer_duration_range")]

    def __str__(self):
        return f"{self.plan_id}: {self.duration_seconds}s"
