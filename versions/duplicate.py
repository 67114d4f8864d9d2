"""A duplication job's life: queued → running → succeeded with the plan or journey it made, or failed with a reason.

The copy reuses the plan's JSON export and import (roadmaps.exports): the source is gathered, written as the
export document, and imported as a new plan, or (for one journey) its rows are added to the target plan. Copied:
the structure (personas, stakeholders, journeys with stages, touchpoints, channels, lanes and cards, emotions, pain
points, opportunities, maturity assessments, audits, scoring settings, roadmap items with their links) and the
evaluations with their agreed values. Not copied: customer feedback responses (a copy is a new plan to work on,
not a second home for what customers said; pain points therefore cite no verbatim in the copy).

The copy happens in one transaction, so a failure leaves nothing behind. Its progress, which nobody outside that
transaction could see in the row, is written to the cache as it goes (`live_progress` reads it); the row says
running, then succeeded or failed. Every object made is recorded in the history as created, so the changes feed
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
from django.utils.translation import gettext_lazy

from assessments.models import (
    AuditItem,
    DataCaptureItem,
    MaturityAssessment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning.models import Journey, Persona, Stage, Stakeholder, Touchpoint
from roadmaps.exports.gather import gather
from roadmaps.exports.json_import import import_journeys_into, import_rows
from roadmaps.exports.json_io import plan_document
from roadmaps.models import RoadmapItem, ScoringCriterion
from tenancy.access import Access, require_plan_access
from tenancy.activity import activity_bulk_record
from tenancy.models import Activity, Verb
from versions.models import DuplicationJob, DuplicationKind, DuplicationStatus

logger = logging.getLogger(__name__)

STEPS = {  # progress (%) when a step is done, and what the page says meanwhile
    "started": (5, gettext_lazy("Starting…")),
    "gathered": (25, gettext_lazy("Reading the source…")),
    "personas": (35, gettext_lazy("Copying personas and journeys…")),
    "touchpoints": (55, gettext_lazy("Copying touchpoints…")),
    "evaluations": (70, gettext_lazy("Copying evaluations…")),
    "experience": (80, gettext_lazy("Copying the experience layer…")),
    "roadmap": (90, gettext_lazy("Copying the roadmap…")),
    "history": (97, gettext_lazy("Recording the history…")),
}
STALL_GRACE = timedelta(seconds=60)


def _key(job_id: int) -> str:
    return f"versions:duplication:{job_id}:progress"


def _report(job_id: int, step: str) -> None:
    try:
        cache.set(_key(job_id), step, timeout=settings.CELERY_TASK_TIME_LIMIT + 60)
    except Exception:  # the cache (Redis) is down: the copy goes on, the page shows the last step it knows
        logger.warning("Could not record the progress of duplication %s", job_id, exc_info=True)


def live_progress(job: DuplicationJob) -> tuple[int, str]:
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


def duplication_start(job_id: int) -> DuplicationJob | None:
    """Claim the job, or None when there is nothing (more) to do (finished, or a live run holds it)."""
    with transaction.atomic():
        job = (DuplicationJob.objects.select_for_update(of=("self",))
               .select_related("source_plan", "source_journey", "target_plan", "requested_by")
               .filter(pk=job_id).first())
        if job is None or job.is_finished:
            return None
        if job.status == DuplicationStatus.RUNNING and not _stalled(job):
            return None
        now = timezone.now()
        DuplicationJob.objects.filter(pk=job.pk).update(status=DuplicationStatus.RUNNING, started_at=now,
                                                        progress=STEPS["started"][0], step="started", error="",
                                                        updated_at=now)
        job.status = DuplicationStatus.RUNNING
    _report(job.pk, "started")
    return job


def _stalled(job: DuplicationJob) -> bool:
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STALL_GRACE
    return job.started_at is None or job.started_at < timezone.now() - limit


def duplication_fail_if_stalled(job: DuplicationJob) -> DuplicationJob:
    """A run older than the hard time limit is dead, a job queued past JOBS_GIVE_UP_SECONDS never started: say so."""
    if job.status == DuplicationStatus.RUNNING and _stalled(job):
        duplication_fail(job.pk, _("The copy stopped without finishing (the worker was probably restarted). "
                                   "Ask for it again."))
        job.refresh_from_db()
    elif (job.status == DuplicationStatus.QUEUED
          and job.created_at < timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_SECONDS)):
        duplication_fail(job.pk, _("The copy never started (no worker took it in time). Ask for it again."))
        job.refresh_from_db()
    return job


def duplication_fail(job_id: int, message: str) -> None:
    DuplicationJob.objects.filter(pk=job_id).exclude(status=DuplicationStatus.SUCCEEDED).update(
        status=DuplicationStatus.FAILED, error=message[:2000], finished_at=timezone.now(), updated_at=timezone.now())


def _document(data, journey_ref: str | None = None, name: str = "") -> dict:
    """The export document without feedback (and so without the verbatims pain points cite); for a journey, only
    that journey's rows, renamed."""
    document = plan_document(data)
    for pain in document["pain_points"]:
        pain["verbatims"] = []
    if journey_ref is None:
        return document
    keep = lambda rows: [r for r in rows if r["journey"] == journey_ref]  # noqa: E731
    touchpoints = keep(document["touchpoints"])
    refs = {t["ref"] for t in touchpoints}
    journeys = [dict(j, name=name or j["name"], based_on="") for j in document["journeys"] if j["ref"] == journey_ref]
    return {"channels": document["channels"], "personas": document["personas"], "journeys": journeys,
            "touchpoints": touchpoints, "evaluations": [e for e in document["evaluations"] if e["touchpoint"] in refs],
            "agreements": [a for a in document["agreements"] if a["touchpoint"] in refs],
            "lanes": keep(document["lanes"]), "emotions": keep(document["emotions"]),
            "pain_points": keep(document["pain_points"]), "opportunities": keep(document["opportunities"])}


def _copy_plan(job: DuplicationJob) -> tuple:
    data = gather(job.source_plan, feedback_rows=False)
    _report(job.pk, "gathered")
    plan, warnings = import_rows(_document(data), organisation=job.source_plan.organisation, actor=job.requested_by,
                                 name=job.name, on_step=lambda step: _report(job.pk, step))
    _report(job.pk, "history")
    record_created(job.requested_by, plan, {"plan": plan})
    return plan, None, warnings


def _personas_for(data, journey: dict, source_plan, target_plan) -> dict:
    """The target plan's persona for the journey's persona reference: itself within a plan, one of the same name
    across plans; left out (so the import creates it) when the target has none of that name."""
    persona = next((p for p in data.personas if p["ref"] == journey["persona"]), None)
    if persona is None:
        return {}
    plan = target_plan if target_plan.pk != source_plan.pk else source_plan
    lookup = {"pk": persona["id"]} if target_plan.pk == source_plan.pk else {"name": persona["name"]}
    found = Persona.objects.filter(plan=plan, **lookup).order_by("pk").first()
    return {persona["ref"]: found} if found is not None else {}


def _copy_journey(job: DuplicationJob) -> tuple:
    target = job.target_plan
    if target is None:  # deleted since the copy was asked for (the request always names one)
        raise ValidationError(_("The plan to copy the journey into no longer exists."))
    require_plan_access(job.requested_by, target, Access.EDIT)
    data = gather(job.source_plan, feedback_rows=False)
    journey = next((j for j in data.journeys if j["id"] == job.source_journey_id), None)
    if journey is None:
        raise ValidationError(_("The journey to copy no longer exists."))
    _report(job.pk, "gathered")
    document = _document(data, journey["ref"], job.name)
    personas = _personas_for(data, journey, job.source_plan, target)
    document["personas"] = [p for p in document["personas"] if p["ref"] == journey["persona"]]
    refs, warnings = import_journeys_into(document, plan=target, personas=personas)
    _report(job.pk, "experience")
    made = refs["J"][journey["ref"]]
    _report(job.pk, "history")
    created_personas = [p for ref, p in refs.get("P", {}).items() if ref not in personas]
    record_created(job.requested_by, target, {"journey": made, "personas": created_personas})
    return target, made, warnings


def record_created(actor, plan, made: dict) -> None:
    """One "created" history row per object the copy made (the plan itself was recorded when it was created). Also
    used by library/ when it makes a plan from a template."""
    journey = made.get("journey")
    scope = {"journey": journey} if journey is not None else {"plan": plan}
    querysets = [Stage.objects.filter(**scope), Touchpoint.objects.filter(**scope),
                 TouchpointEvaluation.objects.filter(**{f"touchpoint__{k}": v for k, v in scope.items()}),
                 TouchpointAgreement.objects.filter(**{f"touchpoint__{k}": v for k, v in scope.items()}),
                 DataCaptureItem.objects.filter(**{f"evaluation__touchpoint__{k}": v for k, v in scope.items()}),
                 Lane.objects.filter(**scope), LaneCard.objects.filter(**scope), EmotionScore.objects.filter(**scope),
                 PainPoint.objects.filter(**scope), Opportunity.objects.filter(**scope)]
    objects = [journey] if journey is not None else []
    objects += list(made.get("personas", []))
    if journey is None:
        querysets = [Persona.objects.filter(plan=plan), Stakeholder.objects.filter(plan=plan),
                     Journey.objects.filter(plan=plan), *querysets, MaturityAssessment.objects.filter(plan=plan),
                     AuditItem.objects.filter(plan=plan), ScoringCriterion.objects.filter(plan=plan),
                     RoadmapItem.objects.filter(plan=plan)]
    for queryset in querysets:
        objects.extend(queryset.order_by("pk"))
    actor = actor if actor is not None and actor.is_authenticated else None
    activity_bulk_record([
        Activity(organisation_id=plan.organisation_id, plan_id=plan.pk, actor=actor, verb=Verb.CREATED,
                 target_type=obj._meta.label_lower, target_id=obj.pk, version=getattr(obj, "version", None),
                 target_repr=str(getattr(obj, "name", "") or getattr(obj, "title", "")
                                 or f"{obj._meta.verbose_name} {obj.pk}")[:200], changes={})
        for obj in objects])


def duplication_run(job_id: int) -> None:
    """Everything the task does: claim, copy, record; a failure becomes a message on the row, never a crash."""
    job = duplication_start(job_id)
    if job is None:
        return
    language = getattr(job.requested_by, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            with transaction.atomic():
                copy = _copy_plan if job.kind == DuplicationKind.PLAN else _copy_journey
                plan, journey, warnings = copy(job)
                DuplicationJob.objects.filter(pk=job.pk).update(
                    status=DuplicationStatus.SUCCEEDED, progress=100, step="", result_plan=plan,
                    result_journey=journey, warnings=[str(w) for w in warnings][:50], finished_at=timezone.now(),
                    updated_at=timezone.now())
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            duplication_fail(job.pk, _("The copy could not be made: %(reason)s") % {"reason": " ".join(messages)})
        except Exception as error:
            logger.exception("Duplication %s failed", job.pk)
            duplication_fail(job.pk, _("The copy could not be made (%(error)s).")
                             % {"error": f"{type(error).__name__}: {str(error)[:300]}"})
