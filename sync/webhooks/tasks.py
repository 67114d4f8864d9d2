"""Webhook deliveries as Celery tasks: one attempt per run, retried with exponential backoff.

Attempt n failing waits WEBHOOKS_RETRY_BASE_SECONDS * 2**(n-1) before attempt n+1 (60 s, 2, 4, 8, 16 min by
default), up to WEBHOOKS_MAX_ATTEMPTS (6). The delivery row counts the attempts, so a duplicated message cannot
send an attempt twice or go past the limit.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from sync.webhooks import delivery
from sync.webhooks.models import DeliveryStatus, WebhookDelivery


@shared_task(bind=True, max_retries=None, acks_late=True)
def webhook_deliver_task(self, delivery_id: int):
    wait = delivery.delivery_attempt(delivery_id=delivery_id)
    if wait is None:
        return None
    if self.request.is_eager:
        # No broker to wait in (tests, `make run` without Redis): Celery runs the returned retry at once, where
        # raising it would propagate (CELERY_TASK_EAGER_PROPAGATES).
        return self.retry(countdown=wait, throw=False)
    raise self.retry(countdown=wait)


@shared_task
def webhook_deliveries_sweep_task() -> dict:
    """Celery beat's periodic sweep (settings.CELERY_BEAT_SCHEDULE): a pending delivery whose attempt is overdue by
    JOBS_RESEND_SECONDS lost its message (the broker restarted, or it was never sent): send it again, at most once
    per JOBS_RESEND_SECONDS; one still pending after WEBHOOKS_GIVE_UP_SECONDS is failed with the reason."""
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.JOBS_RESEND_SECONDS)
    given_up = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=now - timedelta(seconds=settings.WEBHOOKS_GIVE_UP_SECONDS),
    ).update(status=DeliveryStatus.FAILED, next_attempt_at=None, updated_at=now, last_error=_(
        "Never delivered: no worker could make the attempts in time."))
    with transaction.atomic():
        lost = list(WebhookDelivery.objects.select_for_update(skip_locked=True).filter(
            Q(next_attempt_at__lt=overdue) | Q(next_attempt_at__isnull=True, updated_at__lt=overdue),
            status=DeliveryStatus.PENDING).values_list("pk", flat=True))
        # Due again in JOBS_RESEND_SECONDS: the next sweep leaves it alone until then.
        WebhookDelivery.objects.filter(pk__in=lost).update(next_attempt_at=now, updated_at=now)
    resent = 0
    for delivery_id in lost:
        try:
            task_send(webhook_deliver_task, delivery_id)
        except BrokerUnavailable:
            break
        resent += 1
    return {"failed": given_up, "resent": resent}
