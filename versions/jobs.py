"""The life of a job row that makes a plan or a journey in the background (a copy, versions/duplicate.py; a plan from
a template, library/jobs.py): queued → running → succeeded with what it made, or failed with a reason.

The work happens in one transaction, so a failure leaves nothing behind. Its progress, which nobody outside that
transaction could see in the row, goes to the cache as it goes (`live_progress` reads it); the row says running,
then succeeded or failed. A run older than the hard time limit, or a job no worker took in time, is reported as
failed when it is next read (`fail_if_stalled`). With a broker the Celery worker runs the task; without one
(settings.PLAN_EXPORTS_IN_THREAD, `make run`) a background thread does, after the request's commit (`enqueue`).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.tasks import BrokerUnavailable, task_send
from versions.models import DuplicationStatus

logger = logging.getLogger(__name__)

STEPS = {  # progress (%) when a step is done, and what the page says meanwhile
    "started": (5, _("Starting…")),
    "gathered": (25, _("Reading the source…")),
    "personas": (35, _("Copying personas and journeys…")),
    "touchpoints": (55, _("Copying touchpoints…")),
    "evaluations": (70, _("Copying evaluations…")),
    "experience": (80, _("Copying the experience layer…")),
    "roadmap": (90, _("Copying the roadmap…")),
    "history": (97, _("Recording the history…")),
}
STALL_GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class Messages:
    """What the person who asked reads when the job fails, in their language."""

    stalled: Promise  # the run stopped (the worker was restarted)
    never_started: Promise  # no worker took it in time
    refused: Promise  # a readable refusal: "%(reason)s"
    crashed: Promise  # anything else: "%(error)s"
    unavailable: Promise  # the task queue did not take it


@dataclass(frozen=True)
class Lifecycle:
    """One kind of job: its model (a versions.models.Job), its names, the relations a run reads, its messages."""

    model: type
    name: str  # task ids and thread names: "<name>-<id>"
    cache_prefix: str
    related: tuple[str, ...]
    messages: Messages

    def _key(self, job_id: int) -> str:
        return f"{self.cache_prefix}:{job_id}:progress"

    def report(self, job_id: int, step: str) -> None:
        try:
            cache.set(self._key(job_id), step, timeout=settings.CELERY_TASK_TIME_LIMIT + 60)
        except Exception:  # the cache (Redis) is down: the job goes on, the page shows the last step it knows
            logger.warning("Could not record the progress of %s %s", self.name, job_id, exc_info=True)

    def live_progress(self, job) -> tuple[int, str]:
        """(percent, what is happening) as far as anyone can tell now."""
        if job.status == DuplicationStatus.SUCCEEDED:
            return 100, ""
        if job.status != DuplicationStatus.RUNNING:
            return job.progress, ""
        try:
            step = cache.get(self._key(job.pk)) or job.step
        except Exception:
            step = job.step
        progress, label = STEPS.get(step, (job.progress, ""))
        return max(progress, job.progress), str(label)

    def fail(self, job_id: int, message: str) -> None:
        now = timezone.now()
        self.model.objects.filter(pk=job_id).exclude(status=DuplicationStatus.SUCCEEDED).update(
            status=DuplicationStatus.FAILED, error=str(message)[:2000], finished_at=now, updated_at=now)

    @staticmethod
    def _stalled(job) -> bool:
        limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALL_GRACE
        return job.started_at is None or job.started_at < timezone.now() - limit

    def fail_if_stalled(self, job):
        """A run older than the hard time limit is dead, a job queued past JOBS_GIVE_UP_SECONDS never started: say
        so."""
        if job.status == DuplicationStatus.RUNNING and self._stalled(job):
            self.fail(job.pk, self.messages.stalled)
            job.refresh_from_db()
        elif (job.status == DuplicationStatus.QUEUED
              and job.created_at < timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_SECONDS)):
            self.fail(job.pk, self.messages.never_started)
            job.refresh_from_db()
        return job

    def start(self, job_id: int):
        """Claim the job, or None when there is nothing (more) to do (finished, or a live run holds it)."""
        with transaction.atomic():
            job = (self.model.objects.select_for_update(of=("self",)).select_related(*self.related)
                   .filter(pk=job_id).first())
            if job is None or job.is_finished or (job.status == DuplicationStatus.RUNNING and not self._stalled(job)):
                return None
            now = timezone.now()
            self.model.objects.filter(pk=job.pk).update(status=DuplicationStatus.RUNNING, started_at=now,
                                                        progress=STEPS["started"][0], step="started", error="",
                                                        updated_at=now)
            job.status = DuplicationStatus.RUNNING
        self.report(job.pk, "started")
        return job

    def run(self, job_id: int, work: Callable) -> None:
        """Everything the task does: claim, `work(job)` in one transaction (it returns the fields of what it made
        and its warnings), record success; a failure becomes a message on the row, never a crash."""
        job = self.start(job_id)
        if job is None:
            return
        language = getattr(job.requested_by, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                with transaction.atomic():
                    made, warnings = work(job)
                    self.model.objects.filter(pk=job.pk).update(
                        status=DuplicationStatus.SUCCEEDED, progress=100, step="",
                        warnings=[str(w) for w in warnings][:50], finished_at=timezone.now(),
                        updated_at=timezone.now(), **made)
            except (ValidationError, PermissionDenied) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.fail(job.pk, self.messages.refused % {"reason": " ".join(reasons)})
            except Exception as error:
                logger.exception("%s %s failed", self.name, job.pk)
                self.fail(job.pk, self.messages.crashed % {"error": f"{type(error).__name__}: {str(error)[:300]}"})

    def enqueue(self, task, run: Callable[[int], None], job_id: int) -> None:
        """Start the job outside the request; call it once the row is committed (transaction.on_commit)."""
        if task.app.conf.task_always_eager and getattr(settings, "PLAN_EXPORTS_IN_THREAD", False):
            threading.Thread(target=_in_thread, args=(run, job_id, self.name), name=f"{self.name}-{job_id}",
                             daemon=True).start()
            return
        try:
            task_send(task, job_id, task_id=f"{self.name}-{job_id}")
        except BrokerUnavailable:
            self.fail(job_id, self.messages.unavailable)
            raise


def _in_thread(run: Callable[[int], None], job_id: int, name: str) -> None:
    close_old_connections()
    try:
        run(job_id)
    except Exception:
        logger.exception("%s %s could not run in the background thread", name, job_id)
    finally:
        connections.close_all()
