"""Every write of versions: freeze a version, restore one object from it, ask for a duplication.

A version is read-only once frozen. Restoring writes through the object's own service (history, changes feed,
optimistic locking): it is refused, with the reason, when the object changed since the page showed it or when what
it needs no longer exists (its stage, its team, its touchpoint).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenancy.access import Access, membership_for, plan_access, require_plan_access
from tenancy.activity import activity_record
from tenancy.models import Role, Verb
from versions import restore, snapshot
from versions.models import DuplicationJob, DuplicationKind, PlanVersion
from versions.tasks import duplication_enqueue


@transaction.atomic
def version_freeze(*, plan, actor, name: str, note: str = "") -> PlanVersion:
    """Freeze the plan as it is now: one row holding its compressed snapshot; recorded in the history and feed."""
    require_plan_access(actor, plan, Access.EDIT)
    blob, data = snapshot.freeze(plan)
    version = PlanVersion(organisation_id=plan.organisation_id, plan=plan, name=name.strip(), note=note.strip(),
                          created_by=actor if actor is not None and actor.is_authenticated else None,
                          snapshot=blob, snapshot_format=snapshot.FORMAT, size_bytes=len(blob),
                          touchpoint_count=len(data.touchpoints), journey_count=len(data.journeys),
                          roadmap_item_count=len(data.roadmap))
    version.full_clean(exclude=["snapshot"])
    version.save()
    activity_record(actor=actor, instance=version, verb=Verb.CREATED,
                    changes={"name": [None, version.name], **({"note": [None, version.note]} if version.note else {})})
    return version


def version_restore(*, version: PlanVersion, actor, kind: str, pk: int, expected_version: int | None = None):
    """Put one object (a touchpoint, an evaluation, a roadmap item) back as the version holds it. Returns the
    object written. ValidationError when it would clash; StaleVersion when it changed since `expected_version`."""
    require_plan_access(actor, version.plan, Access.EDIT)
    if kind not in restore.RESTORERS:
        raise ValidationError({"type": _("Only a touchpoint, an evaluation or a roadmap item can be restored.")})
    data = snapshot.load(version.snapshot)
    with transaction.atomic():
        return restore.RESTORERS[kind](data=data, plan=version.plan, actor=actor, pk=pk,
                                       expected_version=expected_version)


@transaction.atomic
def duplication_request(*, actor, source_plan, kind: str, name: str, source_journey=None,
                        target_plan=None) -> DuplicationJob:
    """Check the request and queue the job (the worker copies; enqueued once this transaction commits)."""
    if plan_access(actor, source_plan) < Access.VIEW:
        raise PermissionDenied(_("You cannot see this plan."))
    if kind == DuplicationKind.PLAN:
        membership = membership_for(actor, source_plan.organisation_id)
        if membership is None or membership.role == Role.VIEWER:
            raise PermissionDenied(_("Viewers cannot create plans."))
        source_journey = target_plan = None
    else:
        if source_journey is None or source_journey.plan_id != source_plan.pk:
            raise ValidationError({"journey": _("Choose a journey of this plan.")})
        target_plan = target_plan or source_plan
        if target_plan.organisation_id != source_plan.organisation_id:
            raise ValidationError({"target_plan": _("A journey can only be copied within its organisation.")})
        if plan_access(actor, target_plan) < Access.EDIT:
            raise PermissionDenied(_("You may not change the plan the journey would be copied into."))
    name = name.strip() or (source_journey.name if source_journey else source_plan.name)
    job = DuplicationJob(organisation_id=source_plan.organisation_id, kind=kind, source_plan=source_plan,
                         source_journey=source_journey, target_plan=target_plan, name=name[:200], requested_by=actor)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: duplication_enqueue(job.pk))
    return job
