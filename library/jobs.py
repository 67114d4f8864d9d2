"""A plan made from a template, as a job (the life of versions/duplicate.py's copies): queued → running →
succeeded with the plan, or failed with a reason.

The document (a saved template's, or a built-in one written in the requester's language) is imported as a new plan
by the plan import of the exports (roadmaps.exports.json_import.import_rows), the same import a copy of a plan
runs, in one transaction: a failure leaves nothing behind (versions/jobs.py runs the job's life). Every object
made is recorded in the history as created (versions.duplicate.record_created), so the changes feed
and webhooks show it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library import builtins, documents
from library.models import TemplateUse
from roadmaps.exports.json_import import import_rows
from versions.duplicate import record_created
from versions.jobs import Lifecycle, Messages

TEMPLATE_USE = Lifecycle(
    TemplateUse, "template-use", "library:template-use", ("organisation", "requested_by"),
    Messages(stalled=gettext_lazy("The plan stopped being made before the end (the worker was probably restarted). "
                                  "Ask for it again."),
             never_started=gettext_lazy("The plan was never made (no worker took it in time). Ask for it again."),
             refused=gettext_lazy("The plan could not be made: %(reason)s"),
             crashed=gettext_lazy("The plan could not be made (%(error)s)."),
             unavailable=gettext_lazy("The task queue was unavailable, so the plan could not be made. Ask again.")))
live_progress = TEMPLATE_USE.live_progress
template_use_fail = TEMPLATE_USE.fail
fail_if_stalled = TEMPLATE_USE.fail_if_stalled


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


def _make(job: TemplateUse) -> tuple[dict, list]:
    document = document_for(job)
    TEMPLATE_USE.report(job.pk, "gathered")
    plan, warnings = import_rows(document, organisation=job.organisation, actor=job.requested_by, name=job.name,
                                 on_step=lambda step: TEMPLATE_USE.report(job.pk, step))
    TEMPLATE_USE.report(job.pk, "history")
    record_created(job.requested_by, plan, {"plan": plan})
    return {"result_plan": plan}, warnings


def template_use_run(job_id: int) -> None:
    """Everything the task does: claim, make the plan, record; a failure becomes a message on the row."""
    TEMPLATE_USE.run(job_id, _make)
