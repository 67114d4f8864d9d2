"""Sending plan events to the plan's group on the channel layer, after the write commits.

Never fails a write: the rows are committed before anything is sent, and a channel layer (or cache) that is down
is logged and skipped; a client that missed events gets them from the Activity table when it reconnects. When
nobody has been connected to the plan for a while (presence.anyone_listening, one cache read per write), nothing
is prepared or sent at all.
"""

import asyncio
import logging
import os
import threading
from collections import defaultdict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from workshops.live import presence
from workshops.live.events import change_event, complete_refs
from workshops.selectors import workshop_public_state

logger = logging.getLogger(__name__)

SKIPPED_VERBS = {"refused"}  # a refused write changed nothing
MAX_EVENTS = 500  # per message; beyond, the pages reload (like consumers.REPLAY_LIMIT)
# Seconds a writer's request waits for the channel layer at most (after its commit): a Redis that is down or slow
# must not hold the request. The send goes on in the background and is logged if it fails.
SEND_TIMEOUT = 1
BACKGROUND_TIMEOUT = 10


def plan_group(plan_id: int) -> str:
    return f"plan-{plan_id}"


_sender = {"loop": None, "pid": None}
_sender_lock = threading.Lock()


def _sender_loop() -> asyncio.AbstractEventLoop:
    """One event loop thread per process for sending to Redis, so a write reuses the layer's connections instead
    of opening a loop and a connection each time (async_to_sync from a WSGI worker or a Celery task would)."""
    with _sender_lock:
        if _sender["loop"] is None or _sender["pid"] != os.getpid():  # none yet, or inherited through a fork
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="live-broadcast", daemon=True).start()
            _sender.update(loop=loop, pid=os.getpid())
        return _sender["loop"]


async def _bounded(sending):
    """A send that gives up after BACKGROUND_TIMEOUT seconds, so sends to a Redis that is down never pile up."""
    return await asyncio.wait_for(sending, BACKGROUND_TIMEOUT)


def _group_send(plan_id: int, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    if type(layer).__module__.startswith("channels_redis"):
        sending = asyncio.run_coroutine_threadsafe(_bounded(layer.group_send(plan_group(plan_id), message)),
                                                   _sender_loop())
        sending.result(timeout=SEND_TIMEOUT)
    else:  # the in-memory layer's queues belong to the server's own loop: send from there
        async_to_sync(layer.group_send)(plan_group(plan_id), message)


def _send(plan_id: int, message: dict) -> None:
    try:
        if message["type"] == "plan.changes":
            complete_refs(message["events"])
        _group_send(plan_id, message)
    except Exception:  # the write is committed; a reconnecting client replays what it missed
        logger.warning("Live events for plan %s were not sent", plan_id, exc_info=True)


def broadcast_activities(activities) -> None:
    """Queue the events of freshly recorded rows, one message per plan, for when the transaction commits.

    Nothing is kept when nobody listens to the plan (an import of 100,000 rows holds no events in memory); a batch
    larger than MAX_EVENTS becomes one "reload" message, as a replay that long would.
    """
    by_plan = defaultdict(list)
    for activity in activities:
        if activity.plan_id is not None and activity.verb not in SKIPPED_VERBS:
            by_plan[activity.plan_id].append(activity)
    for plan_id, rows in by_plan.items():
        if not presence.anyone_listening(plan_id):
            continue
        if len(rows) > MAX_EVENTS:
            message = {"type": "plan.reload", "reason": "too_many_changes"}
        else:
            message = {"type": "plan.changes", "events": [change_event(row) for row in rows]}
        transaction.on_commit(lambda plan_id=plan_id, message=message: _send(plan_id, message), robust=True)


def broadcast_activity(activity) -> None:
    broadcast_activities([activity])


def send_workshop_state(plan_id: int) -> None:
    """After the transaction commits, tell everyone on the plan the workshop's public state (voting, timer)."""

    def send():
        try:
            if not presence.anyone_listening(plan_id):
                return

            _group_send(plan_id, {"type": "plan.workshop", "state": workshop_public_state(plan_id=plan_id)})
        except Exception:
            logger.warning("Workshop state of plan %s was not sent", plan_id, exc_info=True)

    transaction.on_commit(send, robust=True)
