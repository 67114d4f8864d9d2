"""Webhook deliveries as Celery tasks: one attempt per run, retried with exponential backoff.

Attempt n failing waits WEBHOOKS_RETRY_BASE_SECONDS * 2**(n-1) before attempt n+1 (60 s, 2, 4, 8, 16 min by
default), up to WEBHOOKS_MAX_ATTEMPTS (6). The delivery row counts the attempts, so a duplicated message cannot
send an attempt twice or go past the limit.

With a broker the wait is the retry message's countdown. Without one (tasks run eagerly: tests, `make run` without
REDIS_URL) a retry would run at once, so the wait is only written to the row's next_attempt_at, and the periodic
sweep makes the attempt once it is due; in a web process without Celery beat, a daemon timer runs that sweep when
the attempt is due (settings.WEBHOOKS_SWEEP_IN_THREAD).
"""

import logging
import threading
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from sync.webhooks import delivery
from sync.webhooks.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True)
def webhook_deliver_task(self, delivery_id: int):
    wait = delivery.delivery_attempt(delivery_id=delivery_id)
    if wait is None:
        return None
    if self.request.is_eager:
        # No broker to wait in: Celery would run a retry at once, ignoring its countdown. The row's
        # next_attempt_at is the schedule; the sweep makes the attempt when it is due.
        _sweep_later(wait)
        return wait
    raise self.retry(countdown=wait)


def _sweep_later(seconds: float) -> None:
    if not getattr(settings, "WEBHOOKS_SWEEP_IN_THREAD", False):
        return
    timer = threading.Timer(seconds + 0.5, _sweep_in_thread)
    timer.daemon = True  # lost with the process: the row stays pending, due, for the next sweep
    timer.start()


def _sweep_in_thread() -> None:
    close_old_connections()
    try:
        webhook_deliveries_sweep_task()
    except Exception:
        logger.exception("The webhook deliveries sweep failed in its timer thread")
    finally:
        connections.close_all()  # this thread's own connections: nothing else would close them


def _sweep_lag() -> int:
    """How late a due attempt may be before the sweep makes it: with a broker its retry message waits there, so
    only one lost for JOBS_RESEND_SECONDS; without one the sweep is the schedule, so at once."""
    return 0 if webhook_deliver_task.app.conf.task_always_eager else settings.JOBS_RESEND_SECONDS


@shared_task
def webhook_deliveries_sweep_task() -> dict:
    """Celery beat's periodic sweep (settings.CELERY_BEAT_SCHEDULE): a pending delivery whose attempt is overdue by
    JOBS_RESEND_SECONDS lost its message (the broker restarted, or it was never sent): send it again, at most once
    per JOBS_RESEND_SECONDS; one still pending after WEBHOOKS_GIVE_UP_SECONDS is failed with the reason. Without a
    broker a retry is due as soon as its next_attempt_at has passed (module docstring)."""
    now = timezone.now()
    lag = _sweep_lag()
    overdue = now - timedelta(seconds=settings.JOBS_RESEND_SECONDS)
    given_up = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=now - timedelta(seconds=settings.WEBHOOKS_GIVE_UP_SECONDS),
    ).update(status=DeliveryStatus.FAILED, next_attempt_at=None, updated_at=now, last_error=_(
        "Never delivered: no worker could make the attempts in time."))
    with transaction.atomic():
        lost = list(WebhookDelivery.objects.select_for_update(skip_locked=True).filter(
            Q(next_attempt_at__lte=now - timedelta(seconds=lag))
            | Q(next_attempt_at__isnull=True, updated_at__lt=overdue),
            status=DeliveryStatus.PENDING).values_list("pk", flat=True))
        # Due again in JOBS_RESEND_SECONDS if this send is lost too: the next sweeps leave it alone until then (an
        # attempt made meanwhile writes its own next_attempt_at).
        WebhookDelivery.objects.filter(pk__in=lost).update(
            next_attempt_at=now + timedelta(seconds=settings.JOBS_RESEND_SECONDS - lag), updated_at=now)
    resent = 0
    for delivery_id in lost:
        try:
            task_send(webhook_deliver_task, delivery_id)
        except BrokerUnavailable:
            break
        resent += 1
    return {"failed": given_up, "resent": resent}
