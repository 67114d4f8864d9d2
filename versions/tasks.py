"""Celery task of versions: run a duplication job. The task takes only the job's id; duplicate.py does the work.

Like plan exports (roadmaps/tasks.py): with a broker the worker runs it; without one (settings.PLAN_EXPORTS_IN_THREAD)
it runs in a background thread started after the request's commit, so the page can follow its progress.
"""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from versions.duplicate import duplication_fail, duplication_run

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.CELERY_TASK_TIME_LIMIT)
def duplication_task(job_id: int) -> None:
    duplication_run(job_id)


def runs_in_process() -> bool:
    return bool(duplication_task.app.conf.task_always_eager and getattr(settings, "PLAN_EXPORTS_IN_THREAD", False))


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        duplication_run(job_id)
    except Exception:
        logger.exception("Duplication %s could not run in the background thread", job_id)
    finally:
        connections.close_all()


def duplication_enqueue(job_id: int) -> None:
    """Start the job outside the request; call it once the row is committed (transaction.on_commit)."""
    if runs_in_process():
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"duplication-{job_id}", daemon=True).start()
        return
    try:
        task_send(duplication_task, job_id, task_id=f"duplication-{job_id}")
    except BrokerUnavailable:
        duplication_fail(job_id, _("The task queue was unavailable, so the copy could not start. Ask for it again."))
        raise
