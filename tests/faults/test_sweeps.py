"""The periodic sweeps run by Celery beat: nothing stays queued or running for ever (issue 18, "nothing stuck")."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from config import celery_app
from core.tasks import BrokerUnavailable
from roadmaps import tasks as export_tasks
from roadmaps.exports.jobs import export_fail_if_stalled
from roadmaps.models import Export, ExportStatus
from sync.webhooks import tasks as webhook_tasks
from sync.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tenancy import tasks as tenancy_tasks
from tenancy.models import Invitation
from tenancy.services import organisations as organisation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The (task name, id) pairs the sweeps hand to the broker."""
    calls = []
    for module in (export_tasks, webhook_tasks, tenancy_tasks):
        monkeypatch.setattr(module, "task_send", lambda task, job_id, **options: calls.append((task.name, job_id)))
    return calls


def _export(plan, people, *, status=ExportStatus.QUEUED, age=0, started_age=None):
    export = Export.objects.create(plan=plan, format="csv", requested_by=people["editor"], status=status)
    then = timezone.now() - timedelta(seconds=age)
    started = None if started_age is None else timezone.now() - timedelta(seconds=started_age)
    Export.objects.filter(pk=export.pk).update(created_at=then, updated_at=then, started_at=started)
    export.refresh_from_db()
    return export


def test_beat_runs_the_sweeps_every_minute():
    schedule = celery_app.conf.beat_schedule
    every = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    sweeps = {"roadmaps.tasks.exports_sweep_task", "sync.webhooks.tasks.webhook_deliveries_sweep_task",
              "tenancy.tasks.invitations_sweep_task"}
    assert set(every) == sweeps | {"tenancy.tasks.admin_log_purge_task", "kpis.tasks.kpis_compute_task"}
    celery_app.loader.import_default_modules()  # what a worker does when it starts: autodiscover every tasks.py
    assert set(every) <= set(celery_app.tasks)
    assert {every[name] for name in sweeps} == {60} and every["tenancy.tasks.admin_log_purge_task"] == 6 * 3600


def test_a_queued_export_whose_message_was_lost_is_sent_again_once_per_interval(plan, people, sent):
    fresh = _export(plan, people, age=10)
    lost = _export(plan, people, age=300)
    assert export_tasks.exports_sweep_task() == {"failed": 0, "resent": 1}
    assert sent == [("roadmaps.tasks.plan_export_task", lost.pk)]
    assert export_tasks.exports_sweep_task() == {"failed": 0, "resent": 0}  # not again before the next interval
    assert Export.objects.get(pk=fresh.pk).status == ExportStatus.QUEUED


def test_an_export_queued_past_the_deadline_or_running_past_the_time_limit_is_failed_with_a_reason(
        plan, people, sent):
    never_started = _export(plan, people, age=2 * 3600)
    dead_run = _export(plan, people, status=ExportStatus.RUNNING, age=3600, started_age=3600)
    alive_run = _export(plan, people, status=ExportStatus.RUNNING, age=30, started_age=30)
    assert export_tasks.exports_sweep_task()["failed"] == 2
    never_started.refresh_from_db(), dead_run.refresh_from_db(), alive_run.refresh_from_db()
    assert never_started.status == ExportStatus.FAILED and "never started" in never_started.error
    assert dead_run.status == ExportStatus.FAILED and "stopped without finishing" in dead_run.error
    assert alive_run.status == ExportStatus.RUNNING
    assert sent == []


def test_a_running_export_silent_past_the_heartbeat_timeout_is_failed_with_the_reason(plan, people, sent, settings):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 60
    silent = _export(plan, people, status=ExportStatus.RUNNING, age=200, started_age=200)
    beating = _export(plan, people, status=ExportStatus.RUNNING, age=200, started_age=200)
    now = timezone.now()
    Export.objects.filter(pk=silent.pk).update(heartbeat_at=now - timedelta(seconds=90))
    Export.objects.filter(pk=beating.pk).update(heartbeat_at=now - timedelta(seconds=5))
    assert export_tasks.exports_sweep_task() == {"failed": 1, "resent": 0}
    silent.refresh_from_db(), beating.refresh_from_db()
    assert silent.status == ExportStatus.FAILED
    assert "gave no sign of life for 60 seconds" in silent.error
    assert beating.status == ExportStatus.RUNNING  # long, but alive: left to finish


def test_the_sweep_records_when_it_sent_an_export_and_waits_a_full_interval_before_the_next(plan, people, sent,
                                                                                          settings):
    settings.JOBS_RESEND_SECONDS = 120
    lost = _export(plan, people, age=300)
    recently_sent = _export(plan, people, age=300)
    Export.objects.filter(pk=recently_sent.pk).update(sent_at=timezone.now() - timedelta(seconds=30))
    assert export_tasks.exports_sweep_task() == {"failed": 0, "resent": 1}
    assert sent == [("roadmaps.tasks.plan_export_task", lost.pk)]
    lost.refresh_from_db()
    assert lost.sent_at is not None and (timezone.now() - lost.sent_at).total_seconds() < 5
    assert export_tasks.exports_sweep_task() == {"failed": 0, "resent": 0}
    Export.objects.filter(pk=lost.pk).update(sent_at=timezone.now() - timedelta(seconds=121))
    assert export_tasks.exports_sweep_task() == {"failed": 0, "resent": 1}


def test_reading_a_queued_export_past_the_deadline_says_it_failed(plan, people):
    export = export_fail_if_stalled(_export(plan, people, age=2 * 3600))
    assert export.status == ExportStatus.FAILED and "never started" in export.error


def test_the_sweep_runs_a_lost_export_to_the_end(plan, people, settings):
    settings.PLAN_EXPORTS_IN_THREAD = False
    export = _export(plan, people, age=300)
    export_tasks.exports_sweep_task()  # tasks run eagerly in the test settings: the export is built here
    export.refresh_from_db()
    assert export.status == ExportStatus.SUCCEEDED and export.file


@pytest.fixture
def subscription(org):
    return WebhookSubscription.objects.create(organisation=org, url="https://hooks.example.com/in",
                                              event_types=["plan.updated"], secret="s" * 40)


def _delivery(subscription, *, age=0, due_age=None, status=DeliveryStatus.PENDING):
    delivery = WebhookDelivery.objects.create(subscription=subscription, event_id=uuid.uuid4(),
                                              event_type="plan.updated", payload={}, status=status)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=now - timedelta(seconds=age), updated_at=now - timedelta(seconds=age),
        next_attempt_at=None if due_age is None else now - timedelta(seconds=due_age))
    return delivery


def test_a_pending_delivery_overdue_is_sent_again_and_one_pending_for_a_day_is_failed(subscription, sent):
    never_sent = _delivery(subscription, age=300)
    overdue_retry = _delivery(subscription, age=900, due_age=300)
    waiting_retry = _delivery(subscription, age=900, due_age=-600)  # its next attempt is in 10 minutes
    just_created = _delivery(subscription, age=5)
    hopeless = _delivery(subscription, age=2 * 86_400)
    done = _delivery(subscription, age=300, status=DeliveryStatus.SUCCEEDED)
    result = webhook_tasks.webhook_deliveries_sweep_task()
    assert result == {"failed": 1, "resent": 2}
    assert sorted(job_id for _name, job_id in sent) == sorted([never_sent.pk, overdue_retry.pk])
    hopeless.refresh_from_db()
    assert hopeless.status == DeliveryStatus.FAILED and "Never delivered" in hopeless.last_error
    for untouched in (waiting_retry, just_created, done):
        assert untouched.pk not in [job_id for _name, job_id in sent]
    assert webhook_tasks.webhook_deliveries_sweep_task() == {"failed": 0, "resent": 0}


def test_an_invitation_made_while_the_queue_is_down_is_kept_and_sent_by_the_sweep(
        org, people, sent, monkeypatch, django_capture_on_commit_callbacks):
    def queue_down(task, job_id):
        raise BrokerUnavailable("connection refused")

    monkeypatch.setattr(organisation_services, "task_send", queue_down)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organisation_services.invitation_create(organisation=org, actor=people["owner"],
                                                             email="new@example.com", role="editor")
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None  # no error for the person inviting
    assert tenancy_tasks.invitations_sweep_task() == 0  # too early: its own send may still be on its way

    Invitation.objects.filter(pk=invitation.pk).update(updated_at=timezone.now() - timedelta(seconds=300))
    assert tenancy_tasks.invitations_sweep_task() == 1
    assert sent == [("tenancy.tasks.invitation_send_task", invitation.pk)]
    assert tenancy_tasks.invitations_sweep_task() == 0
