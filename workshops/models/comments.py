"""Comments on a plan's touchpoints, personas, evaluations and roadmap items, and the notifications of mentions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from tenancy.models.plans import Plan


class CommentTarget(models.TextChoices):
    """What a comment is about; each kind names one model (COMMENT_TARGET_MODELS)."""

    TOUCHPOINT = "touchpoint", _("touchpoint")
    PERSONA = "persona", _("persona")
    EVALUATION = "evaluation", _("evaluation")
    ROADMAP_ITEM = "roadmap_item", _("roadmap item")


# The model label (Activity.target_type) of each kind.
COMMENT_TARGET_MODELS = {
    CommentTarget.TOUCHPOINT: "planning.touchpoint",
    CommentTarget.PERSONA: "planning.persona",
    CommentTarget.EVALUATION: "assessments.touchpointevaluation",
    CommentTarget.ROADMAP_ITEM: "roadmaps.roadmapitem",
}

BODY_MAX_LENGTH = 5000


class Moderation(models.TextChoices):
    """A member's comment is approved as written; a share link visitor's waits for an editor."""

    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Awaiting moderation")


class Comment(VersionedModel):
    """A remark on one object of a plan; @username mentions of plan members notify them. Resolvable."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    target_type = models.CharField(_("about a"), max_length=20, choices=CommentTarget.choices)
    target_id = models.BigIntegerField(_("object id"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="comment_mentions",
                                      verbose_name=_("mentions"), db_table="planning_comment_mentions")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("resolved by"))
    # A visitor of a share link (no account): the name they gave, the link, and the moderation of their comment.
    external_name = models.CharField(_("visitor's name"), max_length=80, blank=True)
    share_link = models.ForeignKey("sharing.ShareLink", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("share link"))
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.APPROVED)

    class Meta:
        db_table = "planning_comment"  # its table from when it lived in planning (workshops/migrations/0001)
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["plan", "target_type", "target_id"], name="comment_target")]
        constraints = [
            models.CheckConstraint(condition=Q(target_type__in=CommentTarget.values), name="comment_target_valid"),
            models.CheckConstraint(condition=Q(resolved_at__isnull=False) | Q(resolved_by__isnull=True),
                                   name="comment_resolver_needs_resolution"),
            models.CheckConstraint(condition=Q(moderation__in=Moderation.values), name="comment_moderation_valid"),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_external(self) -> bool:
        return bool(self.external_name)


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentioned in a comment")
    MODERATION = "moderation", _("A visitor's comment awaits moderation")


class Notification(models.Model):
    """Tells a user they were mentioned in a comment, or (an editor) that a visitor's comment awaits their approval;
    read when they open it or mark it read."""

    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices,
                            default=NotificationKind.MENTION)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        db_table = "planning_notification"  # its table from when it lived in planning (workshops/migrations/0001)
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="notification_once_per_comment")]

    def __str__(self):
        return f"{self.user} ← {self.comment_id}"
