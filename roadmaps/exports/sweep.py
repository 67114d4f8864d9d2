"""The periodic sweep of exports (roadmaps.tasks.exports_sweep_task, run by Celery beat): nothing stays queued or
running for ever.

- queued for longer than JOBS_RESEND_SECONDS (its message was lost: the broker restarted, or the web process died
  between the commit and the send): sent again, at most once per JOBS_RESEND_SECONDS (the row's updated_at says
  when); a second message for a row already claimed is harmless (jobs.export_start);
- queued for longer than JOBS_GIVE_UP_SECONDS, or running past the hard time limit: failed, with the reason.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from roadmaps.exports.jobs import export_fail_if_stalled, queued_deadline, running_deadline
from roadmaps.models import Export, ExportStatus


def exports_stalled_fail() -> int:
    """Fail the exports past their deadline (see the module docstring); how many."""
    stalled = Export.objects.filter(Q(status=ExportStatus.QUEUED, created_at__lt=queued_deadline())
                                    | Q(status=ExportStatus.RUNNING, started_at__lt=running_deadline()))
    exports = list(stalled)
    for export in exports:
        export_fail_if_stalled(export)
    return len(exports)


def exports_to_send_again() -> list[int]:
    """The queued exports whose message was lost, marked as sent now; the caller sends them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(Export.objects.select_for_update(skip_locked=True).filter(
            status=ExportStatus.QUEUED, updated_at__lt=now - timedelta(seconds=settings.JOBS_RESEND_SECONDS),
        ).values_list("pk", flat=True))
        Export.objects.filter(pk__in=ids).update(updated_at=now)
    return ids
