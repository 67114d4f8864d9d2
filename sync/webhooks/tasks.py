"""Webhook deliveries as Celery tasks: one attempt per run, retried with exponential backoff.

Attempt n failing waits WEBHOOKS_RETRY_BASE_SECONDS * 2**(n-1) before attempt n+1 (60 s, 2, 4, 8, 16 min by
default), up to WEBHOOKS_MAX_ATTEMPTS (6). The delivery row counts the attempts, so a duplicated message cannot
send an attempt twice or go past the limit.
"""

from celery import shared_task

from sync.webhooks import delivery


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
