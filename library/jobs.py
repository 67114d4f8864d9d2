"""A plan made from a template, as a job (the life of versions/duplicate.py's copies): queued → running →
succeeded with the plan, or failed with a reason.

The document (a saved template's, or a built-in one written in the requester's language) is imported as a new plan
by the plan import of the exports (roadmaps.exports.json_import.import_rows), the same import a copy of a plan
runs, in one transaction: a failure leaves nothing behind. Progress goes to the cache as the import reports it;
every object made is recorded in the history as created (versions.duplicate.record_created), so the changes feed
and webhooks show it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from library import builtins, documents
from library.models import TemplateUse
from roadmaps.exports.json_import import import_rows
from versions.duplicate import STEPS, record_created
from versions.models import DuplicationStatus

logger = logging.getLogger(__name__)
STALL_GRACE = timedelta(seconds=60)


def _key(job_id: int) -> str:
    return f"library:template-use:{job_id}:progress"


def _report(job_id: int, step: str) -> None:
    try:
        cache.set(_key(job_id), step, timeout=settings.CELERY_TASK_TIME_LIMIT + 60)
    except Exception:  # the cache is down: the job goes on, the page shows the last step it knows
        logger.warning("Could not record the progress of template use %s", job_id, exc_info=True)


def live_progress(job: TemplateUse) -> tuple[int, str]:
    """(percent, what is happening) as far as anyone can tell now."""
    if job.status == DuplicationStatus.SUCCEEDED:
        return 100, ""
    if job.status != DuplicationStatus.RUNNING:
        return job.progress, ""
    try:
        step = cache.get(_key(job.pk)) or job.step
    except Exception:
        step = job.step
    progress, label = STEPS.get(step, (job.progress, ""))
    return max(progress, job.progress), str(label)


def template_use_fail(job_id: int, message: str) -> None:
    TemplateUse.objects.filter(pk=job_id).exclude(status=DuplicationStatus.SUCCEEDED).update(
        status=DuplicationStatus.FAILED, error=message[:2000], finished_at=timezone.now(), updated_at=timezone.now())


def _stalled(job: TemplateUse) -> bool:
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALL_GRACE
    return job.started_at is None or job.started_at < timezone.now() - limit


def fail_if_stalled(job: TemplateUse) -> TemplateUse:
    """A run older than the hard time limit is dead, a job queued past JOBS_GIVE_UP_SECONDS never started: say so."""
    if job.status == DuplicationStatus.RUNNING and _stalled(job):
        template_use_fail(job.pk, _("The plan stopped being made before the end (the worker was probably "
                                    "restarted). Ask for it again."))
        job.refresh_from_db()
    elif (job.status == DuplicationStatus.QUEUED
          and job.created_at < timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_SECONDS)):
        template_use_fail(job.pk, _("The plan was never made (no worker took it in time). Ask for it again."))
        job.refresh_from_db()
    return job


def _start(job_id: int) -> TemplateUse | None:
    with transaction.atomic():
        job = (TemplateUse.objects.select_for_update(of=("self",)).select_related("organisation", "requested_by")
               .filter(pk=job_id).first())
        if job is None or job.is_finished or (job.status == DuplicationStatus.RUNNING and not _stalled(job)):
            return None
        now = timezone.now()
        TemplateUse.objects.filter(pk=job.pk).update(status=DuplicationStatus.RUNNING, started_at=now,
                                                     progress=STEPS["started"][0], step="started", error="",
                                                     updated_at=now)
        job.status = DuplicationStatus.RUNNING
    _report(job.pk, "started")
    return job


def document_for(job: TemplateUse) -> dict:
    if job.builtin:
        template = builtins.TEMPLATES.get(job.builtin)
        if template is None:
            raise ValidationError(_("There is no built-in template “%s”.") % job.builtin)
        return documents.builtin_document(template, organisation=job.organisation)
    template = job.template
    if template is None or template.organisation_id != job.organisation_id:
        raise ValidationError(_("The template no longer exists."))
    return documents.load(template.document)


def _make(job: TemplateUse) -> tuple:
    document = document_for(job)
    _report(job.pk, "gathered")
    plan, warnings = import_rows(document, organisation=job.organisation, actor=job.requested_by, name=job.name,
                                 on_step=lambda step: _report(job.pk, step))
    _report(job.pk, "history")
    record_created(job.requested_by, plan, {"plan": plan})
    return plan, warnings


def template_use_run(job_id: int) -> None:
    """Everything the task does: claim, make the plan, record; a failure becomes a message on the row."""
    job = _start(job_id)
    if job is None:
        return
    language = getattr(job.requested_by, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            with transaction.atomic():
                plan, warnings = _make(job)
                TemplateUse.objects.filter(pk=job.pk).update(
                    status=DuplicationStatus.SUCCEEDED, progress=100, step="", result_plan=plan,
                    warnings=[str(w) for w in warnings][:50], finished_at=timezone.now(), updated_at=timezone.now())
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            template_use_fail(job.pk, _("The plan could not be made: %(reason)s") % {"reason": " ".join(messages)})
        except Exception as error:
            logger.exception("Template use %s failed", job.pk)
            template_use_fail(job.pk, _("The plan could not be made (%(error)s).")
                              % {"error": f"{type(error).__name__}: {str(error)[:300]}"})
