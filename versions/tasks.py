"""Celery task of versions: run a duplication job. The task takes only the job's id; duplicate.py does the work.

Like plan exports (roadmaps/tasks.py): with a broker the worker runs it; without one (settings.PLAN_EXPORTS_IN_THREAD)
it runs in a background thread started after the request's commit, so the page can follow its progress
(versions/jobs.py).
"""

from celery import shared_task
from django.conf import settings

from versions.duplicate import DUPLICATION, duplication_run


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.CELERY_TASK_TIME_LIMIT)
def duplication_task(job_id: int) -> None:
    duplication_run(job_id)


def duplication_enqueue(job_id: int) -> None:
    """Start the job outside the request; call it once the row is committed (transaction.on_commit)."""
    DUPLICATION.enqueue(duplication_task, duplication_run, job_id)
