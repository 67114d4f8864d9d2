"""Reads of versions: a user sees the versions and duplication jobs of the plans they see; others are absent (404)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tenancy.access import plans_for
from versions.models import DuplicationJob, PlanVersion

LIST_FIELDS = ("snapshot",)  # never loaded by a list: the snapshot is read when a version is compared or rendered


def version_list(*, user, plan=None) -> QuerySet[PlanVersion]:
    versions = PlanVersion.objects.filter(plan__in=plans_for(user)).select_related("created_by").defer(*LIST_FIELDS)
    return versions.filter(plan=plan) if plan is not None else versions


def versions_without_snapshots() -> QuerySet[PlanVersion]:
    """Every version, its snapshot left unread (the changes feed shows a version's metadata only)."""
    return PlanVersion.objects.defer(*LIST_FIELDS)


def version_for(*, user, plan, pk) -> PlanVersion:
    """A version of `plan` with its snapshot, or 404."""
    version = (PlanVersion.objects.filter(plan__in=plans_for(user), plan=plan, pk=pk).select_related("created_by")
               .first() if str(pk).isdigit() else None)
    if version is None:
        raise Http404(_("No such version."))
    return version


def duplication_list(*, user, plan=None) -> QuerySet[DuplicationJob]:
    jobs = (DuplicationJob.objects.filter(source_plan__in=plans_for(user))
            .select_related("source_plan", "source_journey", "target_plan", "result_plan", "result_journey",
                            "requested_by"))
    return jobs.filter(source_plan=plan) if plan is not None else jobs
