from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.tasks import BrokerUnavailable, task_send
from tenancy.admin_log import admin_log_purge
from tenancy.mail import invitation_send
from tenancy.models import Invitation


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is not None:
        invitation_send(invitation=invitation)


@shared_task
def invitations_sweep_task() -> int:
    """Celery beat's periodic sweep: a pending invitation still unsent JOBS_RESEND_SECONDS after its last try (the
    task queue was down, or its message was lost) is sent again, at most once per JOBS_RESEND_SECONDS; how many."""
    now = timezone.now()
    with transaction.atomic():
        unsent = list(Invitation.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True, accepted_at__isnull=True, expires_at__gt=now,
            updated_at__lt=now - timedelta(seconds=settings.JOBS_RESEND_SECONDS)).values_list("pk", flat=True))
        Invitation.objects.filter(pk__in=unsent).update(updated_at=now)  # not again before the next interval
    sent = 0
    for invitation_id in unsent:
        try:
            task_send(invitation_send_task, invitation_id)
        except BrokerUnavailable:
            break
        sent += 1
    return sent


@shared_task
def admin_log_purge_task() -> int:
    """Celery beat: forget the admin log entries past the retention (ADMIN_LOG_RETENTION_DAYS)."""
    return admin_log_purge()
