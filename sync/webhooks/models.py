"""Webhook subscriptions of an organisation and the log of what was sent to them."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class WebhookSubscription(TimeStampedModel):
    """A URL of an organisation that receives a signed POST for each event of the types it chose."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE,
                                     related_name="webhook_subscriptions", verbose_name=_("organisation"))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ["organisation_id", "-created_at", "-id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.url


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
