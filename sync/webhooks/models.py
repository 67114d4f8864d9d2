"""Webhook subscriptions of an organisation and the log of what was sent to them."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class WebhookSubscription(TimeStampedModel):
    """A URL of an organisation that receives a signed POST for each event of the types it chose."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE,
                                     related_name="webhook_subscriptions", verbose_name=_("organisation"))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    # Standard Webhooks: "whsec_" + base64 of the key bytes (signing.py).
    secret = models.CharField(_("signing secret"), max_length=120, editable=False)
    # Rotation: the secret before the last rotation keeps signing too (a second signature) until it expires.
    previous_secret = models.CharField(_("previous signing secret"), max_length=120, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(_("previous secret expires"), null=True, blank=True,
                                                      editable=False)
    # Deprecated header: the secret string given before Standard Webhooks, whose UTF-8 bytes are now the key of
    # `secret` (migration 0003); empty for secrets made since, which sign that header with `secret` itself.
    legacy_secret = models.CharField(_("secret of the deprecated signature"), max_length=80, blank=True,
                                     editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ["organisation_id", "-created_at", "-id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.url

    def signing_secrets(self, now) -> list[str]:
        """The secrets that sign a delivery made at `now`: the current one, then the previous one in its grace."""
        expires = self.previous_secret_expires_at
        keep_previous = bool(self.previous_secret) and expires is not None and now < expires
        return [self.secret, self.previous_secret] if keep_previous else [self.secret]

    @property
    def previous_secret_until(self):
        """When the previous secret stops signing, if it still does (for the page)."""
        return self.previous_secret_expires_at if len(self.signing_secrets(timezone.now())) > 1 else None

    @property
    def legacy_secret_string(self) -> str:
        """The key of the deprecated X-JourneyPlanner-Signature: the secret string as the subscriber received it."""
        return self.legacy_secret or self.secret


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class WebhookDelivery(TimeStampedModel):
    """One event sent to one subscription; `log` keeps every attempt (time, response code, error, duration)."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("subscription"))
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event_id = models.UUIDField(_("event id"), db_index=True)
    event_type = models.CharField(_("event"), max_length=80)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    log = models.JSONField(_("attempts log"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_recent")]
        constraints = [models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values),
                                              name="webhook_delivery_status_valid")]

    def __str__(self):
        return f"{self.event_type} → {self.subscription_id} ({self.status})"
