"""Share links: a read-only view of a plan, one of its journeys or its roadmap, for people without an account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShareScope(models.TextChoices):
    PLAN = "plan", _("The whole plan")
    JOURNEY = "journey", _("One journey")
    ROADMAP = "roadmap", _("The roadmap")


class ShareLink(models.Model):
    """A secret link to part of a plan; only the SHA-256 of its token is stored, and its password hashed."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="share_links",
                                     verbose_name=_("organisation"))
    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="share_links",
                             verbose_name=_("plan"))
    scope = models.CharField(_("what it shows"), max_length=10, choices=ShareScope.choices)
    journey = models.ForeignKey("planning.Journey", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="share_links", verbose_name=_("journey"))
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    hide_member_names = models.BooleanField(_("hide member names"), default=False)
    allow_comments = models.BooleanField(_("visitors may comment"), default=False)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True, editable=False)
    open_count = models.PositiveIntegerField(_("times opened"), default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=ShareScope.values), name="share_link_scope_valid"),
            models.CheckConstraint(condition=Q(scope=ShareScope.JOURNEY, journey__isnull=False)
                                   | (~Q(scope=ShareScope.JOURNEY) & Q(journey__isnull=True)),
                                   name="share_link_journey_iff_journey_scope"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} ({self.prefix}…)"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
