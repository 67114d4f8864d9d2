"""Handing a Celery task to the broker without hanging or crashing a request when the broker is down.

`task_send(task, *args)` publishes with a short, bounded retry (settings.CELERY_TASK_PUBLISH_RETRY_POLICY and the
broker's connection timeout); if the broker cannot take it, it raises BrokerUnavailable, which the API answers as
503 with Retry-After (core.api.errors) and the pages as a 503 page (core.middleware). The caller decides what
becomes of its job row: failed with a reason, or left for the periodic sweep to send again.
"""

import logging

from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
BROKER_ERRORS = (OperationalError, RedisError, OSError)


class BrokerUnavailable(Exception):
    """The task queue (Redis) did not take the task; nothing was sent."""

    message = _("The task queue is unavailable right now, so this could not be started. Try again in a minute.")
    retry_after = RETRY_AFTER_SECONDS


def task_send(task, *args) -> None:
    """`task.delay(*args)`, but a broker that cannot take it raises BrokerUnavailable (eager runs are untouched)."""
    if task.app.conf.task_always_eager:
        task.delay(*args)
        return
    try:
        task.apply_async(args=args)
    except BROKER_ERRORS as error:
        logger.warning("The broker refused task %s%r: %s", task.name, args, error)
        raise BrokerUnavailable(str(error)) from error
