"""Handing a Celery task to the broker without hanging or crashing a request when the broker is down.

`task_send(task, *args)` publishes with a short, bounded retry (settings.CELERY_TASK_PUBLISH_RETRY_POLICY and the
broker's connection timeout); if the broker cannot take it, it raises BrokerUnavailable, which the API answers as
503 with Retry-After (core.api.errors) and the pages as a 503 page (core.middleware). The caller decides what
becomes of its job row: failed with a reason, or left for the periodic sweep to send again.
"""

import json
import logging

from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
WAITING_SCAN = 10_000
BROKER_ERRORS = (OperationalError, RedisError, OSError)


class BrokerUnavailable(Exception):
    """The task queue (Redis) did not take the task; nothing was sent."""

    message = _("The task queue is unavailable right now, so this could not be started. Try again in a minute.")
    retry_after = RETRY_AFTER_SECONDS


def task_send(task, *args, task_id: str | None = None, **options) -> None:
    """`task.delay(*args)`, but a broker that cannot take it raises BrokerUnavailable (eager runs are untouched).

    A job that may be sent again (a sweep) passes a `task_id` of its own, so `still_waiting` can find its message.
    Other `options` go to apply_async (time limits of this run: soft_time_limit, time_limit).
    """
    if task.app.conf.task_always_eager:
        task.delay(*args)
        return
    try:
        task.apply_async(args=args, task_id=task_id, **options)
    except BROKER_ERRORS as error:
        logger.warning("The broker refused task %s%r: %s", task.name, args, error)
        raise BrokerUnavailable(str(error)) from error


def still_waiting(task, task_ids: set[str]) -> set[str]:
    """Those of `task_ids` whose message still waits in the task's queue, or is held by a worker that has not
    acknowledged it yet: sending them again would run the job twice. Redis brokers only (a list per queue and the
    `unacked` hash); other transports answer the empty set. Reads at most WAITING_SCAN messages of the queue.
    """
    if not task_ids or task.app.conf.task_always_eager:
        return set()
    queue = getattr(task, "queue", None) or task.app.conf.task_default_queue
    try:
        with task.app.connection_for_read() as connection:
            client = getattr(connection.default_channel, "client", None)
            if client is None:
                return set()
            raw = [*client.lrange(queue, 0, WAITING_SCAN - 1), *client.hvals("unacked")[:WAITING_SCAN]]
    except BROKER_ERRORS as error:
        raise BrokerUnavailable(str(error)) from error
    found = set()
    for message in raw:
        try:
            decoded = json.loads(message)
        except ValueError:
            continue
        body = decoded[0] if isinstance(decoded, list) and decoded else decoded  # unacked: [message, exchange, key]
        task_id = body.get("headers", {}).get("id") if isinstance(body, dict) else None
        if task_id in task_ids:
            found.add(task_id)
    return found
