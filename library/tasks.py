"""Celery task of library: make a plan from a template (versions/jobs.py says how a job is started and run)."""

from celery import shared_task
from django.conf import settings

from library.jobs import TEMPLATE_USE, template_use_run


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.CELERY_TASK_TIME_LIMIT)
def template_use_task(job_id: int) -> None:
    template_use_run(job_id)


def template_use_enqueue(job_id: int) -> None:
    """Start the job outside the request; call it once the row is committed (transaction.on_commit)."""
    TEMPLATE_USE.enqueue(template_use_task, template_use_run, job_id)
