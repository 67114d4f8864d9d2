"""Celery task of library: make a plan from a template. Like versions/tasks.py: with a broker the worker runs it;
without one (settings.PLAN_EXPORTS_IN_THREAD) a background thread does, after the request's commit."""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from library.jobs import template_use_fail, template_use_run

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.CELERY_TASK_TIME_LIMIT)
def template_use_task(job_id: int) -> None:
    template_use_run(job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        template_use_run(job_id)
    except Exception:
        logger.exception("Template use %s could not run in the background thread", job_id)
    finally:
        connections.close_all()


def template_use_enqueue(job_id: int) -> None:
    """Start the job outside the request; call it once the row is committed (transaction.on_commit)."""
    if template_use_task.app.conf.task_always_eager and getattr(settings, "PLAN_EXPORTS_IN_THREAD", False):
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"template-use-{job_id}", daemon=True).start()
        return
    try:
        task_send(template_use_task, job_id, task_id=f"template-use-{job_id}")
    except BrokerUnavailable:
        template_use_fail(job_id, _("The task queue was unavailable, so the plan could not be made. Ask again."))
        raise
