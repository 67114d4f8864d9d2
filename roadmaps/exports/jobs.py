"""An Export row's life: queued → running (attempts + 1) → succeeded with its file, or failed with a readable error.

The Celery task (roadmaps/tasks.py) only calls `export_run(export_id)`. Running it again is harmless: a finished
export is left alone, and the file has one fixed name per export, written under a row lock, so there is never a
second file. A run the worker never finished (killed, out of memory, hard time limit) is redelivered by the broker
(acks_late + reject_on_worker_lost) and counted; after MAX_ATTEMPTS the export is marked failed instead of running
again. A run writes a heartbeat while it renders (heartbeat.py): a message delivered while the row's run is still
alive (a redelivery, a second send) raises RunStillAlive and the task looks again later, so two runs never render
the same export side by side; a run silent for EXPORT_HEARTBEAT_TIMEOUT_SECONDS is dead, and
`export_fail_if_stalled` (the sweep, or a read) marks it failed with the reason, as it does a run older than the
hard time limit.

Every move to succeeded or failed sends the organisation's webhooks an "export.finished" event (the export as
`GET /api/v1/exports/{id}/` shows it), once that move is committed.
"""

import inspect
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from roadmaps.exports.gather import gather
from roadmaps.exports.heartbeat import beating, silent_since
from roadmaps.models import Export, ExportStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALL_GRACE = timedelta(seconds=60)
RENDERERS = {
    "pdf": "roadmaps.exports.pdf.render",
    "csv": "roadmaps.exports.csv_zip.render",
    "xlsx": "roadmaps.exports.xlsx.render",
    "json": "roadmaps.exports.json_io.render",
}
EXTENSIONS = {"pdf": "pdf", "csv": "zip", "xlsx": "xlsx", "json": "json"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass
class RenderJob:
    """What a renderer may use besides the data (those that take a `job` argument: the PDF): the export's options,
    a progress callback (0 to 1), a directory for its files, and the memory budget it must stay under."""

    options: dict = field(default_factory=dict)
    progress: Callable[[float], None] = lambda fraction: None
    workdir: Path | None = None
    memory_budget_mib: float | None = None


class ExportTooLarge(Exception):
    """A renderer gave up on purpose (over its memory budget): the message is for the person who asked."""


def renderer_for(format: str):
    """The render function of a format; settings.PLAN_EXPORT_RENDERERS may replace one (dotted paths)."""
    paths = {**RENDERERS, **getattr(settings, "PLAN_EXPORT_RENDERERS", {})}
    return import_string(paths[format])


def storage_name(export: Export) -> str:
    """The one file name an export ever has."""
    return f"exports/plan-{export.plan_id}/export-{export.pk}.{EXTENSIONS[export.format]}"


def download_name(export: Export) -> str:
    day = timezone.localtime(export.finished_at or export.created_at).strftime("%Y-%m-%d")
    return f"{slugify(export.plan.name)[:60] or 'plan'}-{day}.{EXTENSIONS[export.format]}"


def _save(export: Export, **fields) -> None:
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=[*fields, "updated_at"])


class RunStillAlive(Exception):
    """Another run of this export still beats: this delivery must not build it alongside (the task looks again
    later, when that run has finished or gone silent)."""


def export_start(export_id: int) -> Export | None:
    """Claim the export for this run, or return None when there is nothing (more) to do; RunStillAlive when another
    run is building it now."""
    with transaction.atomic():
        export = (Export.objects.select_for_update(of=("self",)).select_related("plan", "requested_by")
                  .filter(pk=export_id).first())
        if export is None or export.is_finished:
            return None
        if export.status == ExportStatus.RUNNING and not _is_silent(export):
            logger.info("Export %s is already being built by a live run; this delivery leaves it alone", export_id)
            raise RunStillAlive(export_id)
        if export.attempts >= MAX_ATTEMPTS:
            _save(export, status=ExportStatus.FAILED, finished_at=timezone.now(), error=_(
                "The export stopped %(n)d times before finishing (the worker was stopped, or ran out of time or "
                "memory). Try again later, or ask for a lighter format.") % {"n": export.attempts})
            export_announce(export.pk)
            return None
        now = timezone.now()
        _save(export, status=ExportStatus.RUNNING, attempts=export.attempts + 1, started_at=now, heartbeat_at=now,
              progress=10, error="")
    return export


def export_progress(export: Export, progress: int) -> None:
    Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(progress=progress,
                                                                           updated_at=timezone.now())


def export_finish(export: Export, content: bytes | Path) -> None:
    """Store the file (bytes, or the path of a file a renderer wrote) under its fixed name and mark the export
    succeeded, unless another run already did."""
    name = storage_name(export)
    with transaction.atomic():
        current = Export.objects.select_for_update().filter(pk=export.pk).first()
        if current is None or current.status == ExportStatus.SUCCEEDED:
            return
        if default_storage.exists(name):  # left by a run that died before committing: replace, never add
            default_storage.delete(name)
        if isinstance(content, Path):
            with content.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
        else:
            saved = default_storage.save(name, ContentFile(content))
        _save(current, status=ExportStatus.SUCCEEDED, progress=100, file=saved, error="",
              finished_at=timezone.now())
        export.status, export.file, export.progress = current.status, current.file, 100
        export_announce(export.pk)


def export_fail(export: Export, message: str) -> None:
    """Mark the export failed with a readable message (a succeeded export stays so); announce it the first time."""
    with transaction.atomic():
        current = Export.objects.select_for_update().filter(pk=export.pk).values_list("status", flat=True).first()
        if current is None or current == ExportStatus.SUCCEEDED:
            return
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=message[:2000],
                                                   finished_at=timezone.now(), updated_at=timezone.now())
        if current != ExportStatus.FAILED:
            export_announce(export.pk)


def export_fail_unsent(export_id: int) -> None:
    """The task queue did not take the export: it will never start, so it is failed with the reason."""
    export = Export.objects.filter(pk=export_id).first()
    if export is not None:
        export_fail(export, _("The task queue was unavailable, so the export could not start. Ask for it again."))


_finished_hooks: list[Callable[[Export], None]] = []


def on_export_finished(hook: Callable[[Export], None]) -> Callable:
    """Call `hook(export)` when an export succeeds, fails or gives up, inside the transaction that says so (the
    webhooks register here to send "export.finished" once it commits)."""
    if hook not in _finished_hooks:
        _finished_hooks.append(hook)
    return hook


def export_announce(export_id: int) -> None:
    """Tell the registered hooks (webhooks: the "export.finished" event) that the export has finished."""
    export = Export.objects.select_related("plan", "requested_by").get(pk=export_id)
    for hook in _finished_hooks:
        hook(export)


def running_deadline(export: Export | None = None):
    """A run started before this is dead: the hard time limit (the export's own, else the default) would have
    stopped it."""
    return timezone.now() - timedelta(seconds=time_limits(export)[1]) - STALL_GRACE


def time_limits(export: Export | None = None) -> tuple[int, int]:
    """(soft, hard) time limits of an export's task in seconds: those fixed when it was asked for (they grow with
    the plan, services.export_time_limit), else the settings' defaults."""
    hard = max(settings.CELERY_TASK_TIME_LIMIT, getattr(export, "time_limit", None) or 0)
    return hard - (settings.CELERY_TASK_TIME_LIMIT - settings.CELERY_TASK_SOFT_TIME_LIMIT), hard


def queued_deadline():
    """An export queued before this never started: the sweep sent it again meanwhile, and nobody took it."""
    return timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_SECONDS)


def _is_silent(export: Export) -> bool:
    """A running export whose last sign of life (its heartbeat, else its start) is older than the timeout."""
    last = export.heartbeat_at or export.started_at
    return last is None or last < silent_since()


STALLED_RUNNING = _lazy("The export stopped without finishing (the worker was probably restarted). Ask for it again.")
SILENT_RUNNING = _lazy("The export stopped without finishing: the worker building it gave no sign of life for "
                       "%(seconds)d seconds (it was stopped, or ran out of memory). Ask for it again.")
STALLED_QUEUED = _lazy("The export never started (no worker took it in time). Ask for it again.")


def export_fail_if_stalled(export: Export) -> Export:
    """A run silent for EXPORT_HEARTBEAT_TIMEOUT_SECONDS or older than the hard time limit is dead, a queued export
    older than JOBS_GIVE_UP_SECONDS never started: say so instead of spinning."""
    if export.status == ExportStatus.RUNNING and export.started_at and export.started_at < running_deadline(export):
        export_fail(export, str(STALLED_RUNNING))
        export.refresh_from_db()
    elif export.status == ExportStatus.RUNNING and _is_silent(export):
        export_fail(export, str(SILENT_RUNNING) % {"seconds": settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS})
        export.refresh_from_db()
    elif export.status == ExportStatus.QUEUED and export.created_at < queued_deadline():
        export_fail(export, str(STALLED_QUEUED))
        export.refresh_from_db()
    return export


def readable(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:300]}" if text else type(error).__name__


def export_build(export: Export, workdir: Path) -> bytes | Path:
    """Gather (to 40 %), render (to 90 %, as the renderer reports), and return the file's content or path."""
    render = renderer_for(export.format)
    data = gather(export.plan, feedback_rows=export.format != "pdf", photos=export.format == "pdf")
    export_progress(export, 40)
    if "job" in inspect.signature(render).parameters:
        shown = [40]

        def progress(fraction: float) -> None:
            percent = 40 + int(50 * fraction)
            if percent > shown[0]:  # one UPDATE per percent at most
                shown[0] = percent
                export_progress(export, percent)

        content = render(data, job=RenderJob(options={"appendix": export.pdf_appendix}, progress=progress,
                                             workdir=workdir, memory_budget_mib=settings.EXPORT_MEMORY_BUDGET_MIB))
    else:
        content = render(data)
    export_progress(export, 90)
    return content


def export_run(export_id: int) -> None:
    """Everything the task does: claim, build, store; a failure becomes a message on the row, never a crash (only
    RunStillAlive, from the claim, reaches the caller)."""
    export = export_start(export_id)
    if export is None:
        return
    language = getattr(export.requested_by, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            with tempfile.TemporaryDirectory(prefix=f"export-{export.pk}-") as workdir:
                with beating(export.pk):
                    content = export_build(export, Path(workdir))
                export_finish(export, content)
        except SoftTimeLimitExceeded:
            logger.warning("Export %s hit the soft time limit", export.pk)
            export_fail(export, _("The export took longer than %(seconds)d seconds and was stopped. Try a lighter "
                                  "format, or ask an administrator to raise the limit.")
                        % {"seconds": time_limits(export)[0]})
        except ExportTooLarge as error:
            logger.warning("Export %s gave up: %s", export.pk, error)
            export_fail(export, str(error))
        except Exception as error:
            logger.exception("Export %s failed", export.pk)
            export_fail(export, _("The export could not be built (%(error)s).") % {"error": readable(error)})
