"""The periodic sweep of exports (roadmaps.tasks.exports_sweep_task, run by Celery beat): nothing stays queued or
running for ever.

- queued, last sent (`sent_at`, else created) more than JOBS_RESEND_SECONDS ago, and its message no longer in the
  broker's queue (it was lost: the broker restarted, or the web process died between the commit and the send):
  sent again, and `sent_at` says when. A message still waiting behind others is left alone, so a busy queue never
  gets a second copy; a second message for a row already claimed would be harmless anyway (jobs.export_start);
- queued for longer than JOBS_GIVE_UP_SECONDS, running without a sign of life for EXPORT_HEARTBEAT_TIMEOUT_SECONDS
  (its worker was killed) or past its hard time limit (the export's own: it grows with the plan): failed, with the
  reason.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from roadmaps.exports.heartbeat import silent_since
from roadmaps.exports.jobs import export_fail_if_stalled, queued_deadline, running_deadline
from roadmaps.models import Export, ExportStatus


def exports_stalled_fail() -> int:
    """Fail the exports past their deadline (see the module docstring); how many. The query takes every run past the
    default time limit; an export with a longer limit of its own is left running until that one has passed."""
    stalled = Export.objects.alias(last_sign=Coalesce("heartbeat_at", "started_at")).filter(
        Q(status=ExportStatus.QUEUED, created_at__lt=queued_deadline())
        | Q(status=ExportStatus.RUNNING, started_at__lt=running_deadline())
        | Q(status=ExportStatus.RUNNING, last_sign__lt=silent_since())
        | Q(status=ExportStatus.RUNNING, last_sign__isnull=True))
    return sum(export_fail_if_stalled(export).status == ExportStatus.FAILED for export in stalled)


def exports_to_send_again(still_waiting: Callable[[list[int]], set[int]] = lambda ids: set()) -> list[int]:
    """The queued exports whose message was lost, marked as sent now; the caller sends them. `still_waiting(ids)`
    says which of the candidates' messages are still in the broker's queue: those are not sent again."""
    now = timezone.now()
    with transaction.atomic():
        candidates = list(Export.objects.select_for_update(skip_locked=True).alias(
            last_sent=Coalesce("sent_at", "created_at")).filter(
            status=ExportStatus.QUEUED, last_sent__lt=now - timedelta(seconds=settings.JOBS_RESEND_SECONDS),
        ).values_list("pk", flat=True))
        waiting = still_waiting(candidates) if candidates else set()
        ids = [pk for pk in candidates if pk not in waiting]
        Export.objects.filter(pk__in=ids).update(sent_at=now, updated_at=now)
    return ids
