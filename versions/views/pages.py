"""The plan's Versions page (freeze, list, compare, duplicate), a version's page, the comparison and restoring.

Everyone who sees the plan sees its versions and comparisons; owners, admins and editors (edit access) freeze,
restore and copy. Another organisation's plan, version or job is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.versioning import StaleVersion
from planning.models import Journey
from tenancy.access import Access, plan_access, plan_for, plans_for
from versions import selectors, services, snapshot
from versions.compare import compare
from versions.duplicate import duplication_fail_if_stalled, live_progress
from versions.forms import NOW, CompareForm, FreezeForm, JourneyDuplicateForm, PlanDuplicateForm
from versions.models import DuplicationKind
from versions.presenting import diff_context, restorable_row

RECENT_JOBS = 10


def _journey_form(request, plan, data=None):
    return JourneyDuplicateForm(data, journeys=Journey.objects.filter(plan=plan).order_by("name", "id"),
                                plans=plans_for(request.user, Access.EDIT).filter(
                                    organisation_id=plan.organisation_id).order_by("name", "id"), plan=plan)


def job_context(job) -> dict:
    progress, step = live_progress(job)
    return {"job": job, "progress": progress, "step": step}


@login_required
def plan_versions(request, pk):
    plan = plan_for(request.user, pk)
    can_edit = plan_access(request.user, plan) >= Access.EDIT
    form = FreezeForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may view this plan but not change it."))
        if form.is_valid():
            version = services.version_freeze(plan=plan, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Version “%(name)s” frozen.") % {"name": version.name})
            return redirect("version_detail", plan.pk, version.pk)
    versions = list(selectors.version_list(user=request.user, plan=plan))
    jobs = [duplication_fail_if_stalled(j) for j in selectors.duplication_list(user=request.user, plan=plan)
            [:RECENT_JOBS]]
    return render(request, "versions/list.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "versions": versions, "can_edit": can_edit,
        "compare_form": CompareForm(versions=versions, initial={"a": versions[0].pk if versions else NOW}),
        "journey_form": _with_ids(_journey_form(request, plan), "copy-journey"),
        "plan_form": _with_ids(PlanDuplicateForm(), "copy-plan"),
        "jobs": [job_context(j) for j in jobs],
    })


def _with_ids(form, prefix: str):
    """The freeze form and both copy forms each have a "name" field: the copy forms' ids get their own prefix (the
    field names stay), so every label points at its own field."""
    form.auto_id = f"{prefix}-%s"
    return form


@login_required
def version_detail(request, pk, version_pk):
    plan = plan_for(request.user, pk)
    version = selectors.version_for(user=request.user, plan=plan, pk=version_pk)
    data = snapshot.load(version.snapshot)
    return render(request, "versions/detail.html", {
        "plan": plan, "organisation": plan.organisation, "version": version, "data": data,
        "evaluation_count": len(data.evaluations), "persona_count": len(data.personas),
    })


def _state(request, plan, key: str):
    """(label, gathered data, version or None) for a version's id or "now"."""
    if key == NOW:
        return _("Now"), snapshot.current(plan), None
    version = selectors.version_for(user=request.user, plan=plan, pk=key)
    return version.name, snapshot.load(version.snapshot), version


@login_required
@require_GET
def version_compare(request, pk):
    plan = plan_for(request.user, pk)
    a, b = request.GET.get("a", ""), request.GET.get("b", NOW)
    if not a:
        raise Http404(_("Choose a version to compare."))
    (a_label, a_data, a_version), (b_label, b_data, b_version) = _state(request, plan, a), _state(request, plan, b)
    diff = compare(a_data, b_data)
    # Restoring takes an object back to how the version holds it: offered when one side is now.
    source = (a_version, a_data) if b_version is None else ((b_version, b_data) if a_version is None else None)
    can_restore = source is not None and source[0] is not None and plan_access(request.user, plan) >= Access.EDIT
    versions = list(selectors.version_list(user=request.user, plan=plan))
    return render(request, "versions/compare.html", {
        "plan": plan, "organisation": plan.organisation, "a_label": a_label, "b_label": b_label,
        "a_version": a_version, "b_version": b_version, "diff": diff,
        **diff_context(diff, restore_from=source if can_restore else None, plan=plan),
        "compare_form": CompareForm(versions=versions, initial={"a": a, "b": b}),
    })


@login_required
def version_restore(request, pk, version_pk, kind, object_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    version = selectors.version_for(user=request.user, plan=plan, pk=version_pk)
    data = snapshot.load(version.snapshot)
    row = restorable_row(data, kind, object_pk, plan=plan)
    if request.method == "POST":
        expected = request.POST.get("expected_version")
        try:
            services.version_restore(version=version, actor=request.user, kind=kind, pk=object_pk,
                                     expected_version=int(expected) if expected and expected.isdigit() else None)
        except StaleVersion:
            messages.error(request, _("Not restored: someone changed it since this page was shown. Look at it "
                                      "again below, then restore if you still want to."))
            return redirect("version_restore", plan.pk, version.pk, kind, object_pk)
        except ValidationError as error:
            messages.error(request, _("Not restored: %(reason)s") % {"reason": " ".join(error.messages)})
            return redirect("version_restore", plan.pk, version.pk, kind, object_pk)
        messages.success(request, _("“%(name)s” is back as version “%(version)s” held it.")
                         % {"name": row["name"], "version": version.name})
        return redirect(reverse("version_compare", args=[plan.pk]) + f"?a={version.pk}&b={NOW}")
    return render(request, "versions/restore.html", {
        "plan": plan, "organisation": plan.organisation, "version": version, "row": row, "kind": kind,
    })


@login_required
@require_POST
def plan_duplicate(request, pk):
    plan = plan_for(request.user, pk)
    kind = request.POST.get("kind")
    if kind == DuplicationKind.JOURNEY:
        form = _journey_form(request, plan, request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a journey and a plan you may edit."))
            return redirect("plan_versions", plan.pk)
        extra = {"source_journey": form.cleaned_data["journey"], "target_plan": form.cleaned_data["target_plan"]}
    elif kind == DuplicationKind.PLAN:
        form, extra = PlanDuplicateForm(request.POST), {}
        form.is_valid()
    else:
        raise Http404(_("Nothing to copy."))
    try:
        job = services.duplication_request(actor=request.user, source_plan=plan, kind=kind,
                                           name=form.cleaned_data.get("name") or "", **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan_versions", plan.pk)
    messages.success(request, _("The copy has been asked for: its row below shows its progress."))
    return redirect(reverse("plan_versions", args=[plan.pk]) + f"#duplication-{job.pk}")


@login_required
@require_GET
def duplication_row(request, job_pk):
    """One row of the copies table; htmx swaps it in every second until the job has finished."""
    job = selectors.duplication_list(user=request.user).filter(pk=job_pk).first() if job_pk else None
    if job is None:
        raise Http404(_("No such copy."))
    return render(request, "versions/_job.html", job_context(duplication_fail_if_stalled(job)))


urlpatterns = [
    path("plans/<int:pk>/versions/", plan_versions, name="plan_versions"),
    path("plans/<int:pk>/versions/compare/", version_compare, name="version_compare"),
    path("plans/<int:pk>/versions/<int:version_pk>/", version_detail, name="version_detail"),
    path("plans/<int:pk>/versions/<int:version_pk>/restore/<slug:kind>/<int:object_pk>/", version_restore,
         name="version_restore"),
    path("plans/<int:pk>/duplicate/", plan_duplicate, name="plan_duplicate"),
    path("duplications/<int:job_pk>/row/", duplication_row, name="duplication_row"),
]
