"""Celery tasks of roadmaps: build a plan export. The task takes only the Export id; jobs.py does the work.

`plan_export_enqueue` is how a request starts an export. With a broker (REDIS_URL) the worker runs the task. Without
one, Celery runs tasks eagerly, that is inside the request: a PDF would hold the browser for many seconds and the
page would only ever see the finished row. So in that mode (settings.PLAN_EXPORTS_IN_THREAD, the default when there
is no broker) the export runs in a background thread of this process instead, started after the request's commit;
the exports page then shows it queued, running and done as it happens. A thread that dies with the process leaves a
"running" row, which `export_fail_if_stalled` reports as failed once the hard time limit has passed.
"""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from core.tasks import BrokerUnavailable, still_waiting, task_send
from roadmaps.exports.jobs import RunStillAlive, export_fail_unsent, export_run, time_limits
from roadmaps.exports.sweep import exports_stalled_fail, exports_to_send_again
from roadmaps.models import Export

logger = logging.getLogger(__name__)

BUSY_RETRIES = 3  # deliveries that find another run of the export alive look again this many times


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-render leaves the message to be delivered again…
    reject_on_worker_lost=True,  # …and a killed child process sends it back at once; jobs.py counts the attempts
    # The defaults; each export is sent with its own (they grow with the plan: _limits). The soft one raises
    # SoftTimeLimitExceeded (marked failed, readable); at the hard one the child is killed (the redelivery counts).
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=BUSY_RETRIES,
)
def plan_export_task(self, export_id: int) -> None:
    try:
        export_run(export_id)
    except RunStillAlive as busy:
        # Delivered while the row's run still beats (a killed child's message comes back at once, before its
        # heartbeat goes stale): look again once it would be stale; meanwhile the sweep may fail it, or it finishes.
        if self.request.is_eager or self.request.called_directly or self.request.retries >= BUSY_RETRIES:
            return
        raise self.retry(countdown=settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS + settings.EXPORT_HEARTBEAT_SECONDS) \
            from busy


def exports_run_in_process() -> bool:
    """True when no worker runs exports: they run in a thread of the web process (see the module docstring)."""
    return bool(plan_export_task.app.conf.task_always_eager and getattr(settings, "PLAN_EXPORTS_IN_THREAD", False))


def _run_in_thread(export_id: int) -> None:
    close_old_connections()
    try:
        export_run(export_id)  # marks the row failed on any error of the export itself
    except RunStillAlive:
        pass  # another run builds it
    except Exception:
        logger.exception("Export %s could not run in the background thread", export_id)
    finally:
        connections.close_all()  # this thread's own connections: nothing else would close them


def plan_export_enqueue(export_id: int) -> None:
    """Start the export outside the request: the worker's task, or a background thread when there is no worker.

    Call it once the export row is committed (`transaction.on_commit`), so the worker or thread finds the row.
    """
    if exports_run_in_process():
        threading.Thread(target=_run_in_thread, args=(export_id,), name=f"plan-export-{export_id}",
                         daemon=True).start()
        return
    try:
        task_send(plan_export_task, export_id, task_id=export_task_id(export_id), **_limits(export_id))
    except BrokerUnavailable:
        # Said at once rather than left queued: the request answers 503 and the person simply asks again.
        export_fail_unsent(export_id)
        raise
    Export.objects.filter(pk=export_id).update(sent_at=timezone.now())


def _limits(export_id: int) -> dict:
    """The export's own time limits (jobs.time_limits), for apply_async."""
    soft, hard = time_limits(Export.objects.filter(pk=export_id).only("time_limit").first())
    return {"soft_time_limit": soft, "time_limit": hard}


def export_task_id(export_id: int) -> str:
    """Every message of an export carries this id, so the sweep can see whether one still waits in the queue."""
    return f"plan-export-{export_id}"


def _still_waiting(export_ids: list[int]) -> set[int]:
    waiting = still_waiting(plan_export_task, {export_task_id(pk) for pk in export_ids})
    return {pk for pk in export_ids if export_task_id(pk) in waiting}


@shared_task
def exports_sweep_task() -> dict:
    """Celery beat's periodic sweep (settings.CELERY_BEAT_SCHEDULE): fail the exports past their deadline, send the
    lost ones again (roadmaps/exports/sweep.py)."""
    failed = exports_stalled_fail()
    resent = 0
    try:
        lost = exports_to_send_again(_still_waiting)
    except BrokerUnavailable:
        lost = []  # still down: the next sweep looks again
    for export_id in lost:
        try:
            task_send(plan_export_task, export_id, task_id=export_task_id(export_id), **_limits(export_id))
        except BrokerUnavailable:
            break  # still down: the next sweep tries again
        resent += 1
    if failed or resent:
        logger.info("Exports sweep: %d failed past their deadline, %d sent again", failed, resent)
    return {"failed": failed, "resent": resent}
