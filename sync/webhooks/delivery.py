"""One delivery attempt of a webhook: the signed request, the answer, the next wait (webhook_deliver_task runs it)."""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sync.webhooks import network, signing
from sync.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

USER_AGENT = "JourneyPlanner-Webhooks/1.0"


def retry_base_seconds() -> float:
    return float(getattr(settings, "WEBHOOKS_RETRY_BASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOKS_MAX_ATTEMPTS", 6))


# Subscriptions -------------------------------------------------------------------------------------------------


def signed_request(delivery: WebhookDelivery, subscription: WebhookSubscription) -> tuple[bytes, dict]:
    """The body and headers of one attempt: Standard Webhooks' three, then the deprecated X-JourneyPlanner-* ones.

    webhook-id is the event's id, the same at every attempt and redelivery (the receiver's deduplication key,
    signed); the timestamp, and so the signatures, are new at every attempt."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    msg_id = str(delivery.event_id)
    return body, {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signing.signature_header(subscription.signing_secrets(timezone.now()), msg_id,
                                                      timestamp, body),
        # Deprecated, removed in the next release (docs/webhooks.md).
        "X-JourneyPlanner-Event": delivery.event_type,
        "X-JourneyPlanner-Delivery": str(delivery.uuid),
        "X-JourneyPlanner-Timestamp": timestamp,
        "X-JourneyPlanner-Signature": signing.legacy_signature(subscription.legacy_secret_string, timestamp, body),
    }


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Make the next attempt of a pending delivery and log it; the seconds to wait before the next one, or None
    when it is over (delivered, given up, refused, or another worker got this attempt)."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    number = delivery.attempts + 1
    # Claim the attempt: a duplicate task (a redelivered message) finds it taken and stops.
    claimed = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING,
                                             attempts=delivery.attempts).update(attempts=number,
                                                                                updated_at=timezone.now())
    if not claimed:
        return None
    subscription = delivery.subscription
    if subscription.is_active:
        body, headers = signed_request(delivery, subscription)
        result = network.post(subscription.url, body, headers)
    else:
        result = network.PostResult(None, _("The subscription is switched off."), 0, refused=True)
    succeeded = result.status is not None and 200 <= result.status < 300
    over = succeeded or result.refused or number >= max_attempts()
    wait = None if over else retry_base_seconds() * 2 ** (number - 1)
    now = timezone.now()
    delivery.log = [*delivery.log, {"attempt": number, "at": now.isoformat(), "response_code": result.status,
                                    "error": result.error, "duration_ms": result.duration_ms}]
    delivery.attempts = number
    delivery.response_code = result.status
    delivery.last_error = result.error
    delivery.status = (DeliveryStatus.SUCCEEDED if succeeded else DeliveryStatus.FAILED if over
                       else DeliveryStatus.PENDING)
    delivery.next_attempt_at = None if wait is None else now + timedelta(seconds=wait)
    delivery.save(update_fields=["log", "attempts", "response_code", "last_error", "status", "next_attempt_at",
                                 "updated_at"])
    return wait
