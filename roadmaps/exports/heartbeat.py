"""A running export's sign of life: while it renders, a thread of the run writes `Export.heartbeat_at` every
EXPORT_HEARTBEAT_SECONDS. A run whose worker was killed (SIGKILL, out of memory, a lost machine) stops beating, so
the sweep can fail it after EXPORT_HEARTBEAT_TIMEOUT_SECONDS rather than after the hard time limit, and a redelivered
message can tell a dead run (take it over) from a live one (leave it alone).
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from roadmaps.models import Export, ExportStatus


def beat(export_id: int) -> None:
    Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(heartbeat_at=timezone.now())


def silent_since():
    """A run whose last sign of life is older than this is dead."""
    return timezone.now() - timedelta(seconds=settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS)


def _beat_until(export_id: int, stop: threading.Event, interval: float) -> None:
    close_old_connections()
    try:
        while not stop.wait(interval):
            try:
                beat(export_id)
            except Exception:  # the database away for a moment: the next beat tries again
                close_old_connections()
    finally:
        connections.close_all()  # this thread's own connection


@contextmanager
def beating(export_id: int):
    """Keep the export's heartbeat fresh for as long as the block runs."""
    stop = threading.Event()
    thread = threading.Thread(target=_beat_until, args=(export_id, stop, settings.EXPORT_HEARTBEAT_SECONDS),
                              name=f"export-heartbeat-{export_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
