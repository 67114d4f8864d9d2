"""Celery task of social listening: a re-run of the theme rules over a plan (listening/rules.py does the work; the
task takes only the run's id)."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from listening.rules import rule_run_execute, rule_run_fail


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.CELERY_TASK_TIME_LIMIT)
def rule_run_task(run_id: int) -> None:
    rule_run_execute(run_id)


def rule_run_enqueue(run_id: int) -> None:
    """Send the run to the workers once its row is committed (transaction.on_commit); without a broker it fails
    with the reason, shown on the page, and BrokerUnavailable answers 503."""
    try:
        task_send(rule_run_task, run_id, task_id=f"rule-run-{run_id}")
    except BrokerUnavailable:
        rule_run_fail(run_id, _("The task queue was unavailable, so the run could not start. Ask for it again."))
        raise
