"""Celery tasks of roadmaps: build a plan export. The task takes only the Export id; jobs.py does the work."""

from celery import shared_task
from django.conf import settings

from roadmaps.exports.jobs import export_run


@shared_task(
    acks_late=True,  # a worker that dies mid-render leaves the message to be delivered again…
    reject_on_worker_lost=True,  # …and a killed child process sends it back at once; jobs.py counts the attempts
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,  # raises SoftTimeLimitExceeded: marked failed, readable
    time_limit=settings.CELERY_TASK_TIME_LIMIT,  # the child is killed; the redelivery is counted as an attempt
)
def plan_export_task(export_id: int) -> None:
    export_run(export_id)
