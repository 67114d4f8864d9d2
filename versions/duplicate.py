"""A duplication job's life: queued → running → succeeded with the plan or journey it made, or failed with a reason.

The copy reuses the plan's JSON export and import (roadmaps.exports): the source is gathered, written as the
export document, and imported as a new plan, or (for one journey) its rows are added to the target plan. Copied:
the structure (personas, stakeholders, journeys with stages, touchpoints, channels, lanes and cards, emotions, pain
points, opportunities, maturity assessments, audits, scoring settings, roadmap items with their links) and the
evaluations with their agreed values. Not copied: customer feedback responses (a copy is a new plan to work on,
not a second home for what customers said; pain points therefore cite no verbatim in the copy).

The copy happens in one transaction, so a failure leaves nothing behind; its life (progress, failures, stalls) is
versions/jobs.py's. Every object made is recorded in the history as created, so the changes feed and webhooks show
it.
"""

from django.core.exceptions import ValidationError
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
from versions.jobs import Lifecycle, Messages
from versions.models import DuplicationJob, DuplicationKind

DUPLICATION = Lifecycle(
    DuplicationJob, "duplication", "versions:duplication",
    ("source_plan", "source_journey", "target_plan", "requested_by"),
    Messages(stalled=gettext_lazy("The copy stopped without finishing (the worker was probably restarted). Ask for "
                                  "it again."),
             never_started=gettext_lazy("The copy never started (no worker took it in time). Ask for it again."),
             refused=gettext_lazy("The copy could not be made: %(reason)s"),
             crashed=gettext_lazy("The copy could not be made (%(error)s)."),
             unavailable=gettext_lazy("The task queue was unavailable, so the copy could not start. Ask for it "
                                      "again.")))
live_progress = DUPLICATION.live_progress
duplication_fail = DUPLICATION.fail
duplication_fail_if_stalled = DUPLICATION.fail_if_stalled
_report = DUPLICATION.report


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
    DUPLICATION.run(job_id, _copy)


def _copy(job: DuplicationJob) -> tuple[dict, list]:
    copy = _copy_plan if job.kind == DuplicationKind.PLAN else _copy_journey
    plan, journey, warnings = copy(job)
    return {"result_plan": plan, "result_journey": journey}, warnings
