"""Making a plan from a saved template (library.jobs.template_use_run, what the worker runs) at the data set's small
plan and at its main plan. Baseline: copying the same plan as a job (versions.duplicate.duplication_run), the
mechanism the template reuses; a template copies less (no evaluations, roadmap, experience findings), so the target
is that it costs no more than the copy. Each run is rolled back, so the data set stays as it was."""

from django.db import transaction

from bench.measure import interleaved, ms
from bench.report import Row
from library import documents
from library.jobs import template_use_run
from library.models import PlanTemplate, TemplateUse
from tenancy.models import Plan
from versions.duplicate import duplication_run
from versions.models import DuplicationJob

TARGET_RATIO = 1.0  # a plan from a template ≤ the copy of the same plan


class _Rollback(Exception):
    pass


def _rolled_back(function) -> None:
    try:
        with transaction.atomic():
            function()
            raise _Rollback
    except _Rollback:
        pass


def _from_template(template, member):
    def run():
        job = TemplateUse.objects.create(organisation_id=template.organisation_id, template=template, name="Bench",
                                         requested_by=member)
        template_use_run(job.pk)
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
    return lambda: _rolled_back(run)


def _copy(plan, member):
    def run():
        job = DuplicationJob.objects.create(organisation_id=plan.organisation_id, kind="plan", source_plan=plan,
                                            name="Bench", requested_by=member)
        duplication_run(job.pk)
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
    return lambda: _rolled_back(run)


def _template(plan) -> PlanTemplate:
    """The plan saved as a template as template_save stores it (without its access check: no one signs in here)."""
    document = documents.plan_template_document(plan)
    blob = documents.dump(document)
    return PlanTemplate.objects.create(organisation_id=plan.organisation_id, name=f"Bench template {plan.pk}",
                                       source_plan=plan, document=blob, size_bytes=len(blob),
                                       **documents.counts(document))


def run(ctx) -> list[Row]:
    rows = []
    member = ctx.member()  # whoever asks: the plan is made in their name
    for size, key in (("small", "small_plan"), ("large", "plan")):
        plan = Plan.objects.select_related("organisation").get(pk=ctx.org[key] or ctx.org["plan"])
        template = _template(plan)
        try:
            timings = interleaved({"template": _from_template(template, member), "copy": _copy(plan, member)},
                                  runs=ctx.slow_runs)
        finally:
            template.delete()
        ratio = timings["template"].p50 / timings["copy"].p50
        rows.append(Row(
            case=f"Plan from a template ({size}: {template.touchpoint_count:,} touchpoints)",
            figure=f"{ms(timings['template'].p50)} · p95 {ms(timings['template'].p95)} · template "
                   f"{template.size_bytes / 1024:.0f} KiB",
            baseline=f"copy of the same plan as a job: {ms(timings['copy'].p50)}", ratio=ratio,
            target=f"≤ {TARGET_RATIO:g}×", met=ratio <= TARGET_RATIO,
            details={"p50": timings["template"].p50, "touchpoints": template.touchpoint_count}))
    return rows
