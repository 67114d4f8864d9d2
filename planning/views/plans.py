import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from core.versioning import StaleVersion
from planning.forms import PlanForm, PlanShareForm
from tenancy import selectors, services
from tenancy.access import Access, organisation_for, plan_access, plan_for

PLAN_FIELDS = ("name", "description", "period_start", "period_end", "status")


@login_required
def plan_create(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    if membership.role == "viewer":
        raise PermissionDenied(_("Viewers cannot create plans. Ask an administrator for the editor role."))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PLAN_FIELDS}
        try:
            plan = services.plan_create(organisation=organisation, actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Plan “%s” created.") % plan.name)
            return redirect("plan_detail", plan.pk)
    return render(request, "planning/plan_form.html", {"organisation": organisation, "form": form})


@login_required
def plan_detail(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    access = plan_access(request.user, plan)
    return render(request, "planning/plan_detail.html", {
        "plan": plan, "organisation": plan.organisation, "access": access,
        "stakeholders": plan.stakeholders.select_related("team"),
        "can_edit": access >= Access.EDIT, "can_manage": access >= Access.MANAGE,
    })


@login_required
def plan_edit(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    # The form works on a copy: validating it must not change `plan`, whose values the history diff starts from.
    form = PlanForm(request.POST or None, instance=copy.copy(plan), initial={"version": plan.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PLAN_FIELDS}
        try:
            services.plan_update(plan=plan, actor=request.user, version=form.cleaned_data.get("version"), **data)
        except StaleVersion as stale:
            conflict = stale.current
            form.data = form.data.copy()
            form.data["version"] = conflict.version
            form.add_error(None, _("Someone else saved this plan while you were editing. Their values are shown "
                                   "beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plan_detail", plan.pk)
    theirs = [(form[name], getattr(conflict, name)) for name in PLAN_FIELDS] if conflict else None
    return render(request, "planning/plan_form.html", {
        "organisation": plan.organisation, "plan": plan, "form": form, "conflict": conflict, "theirs": theirs,
    })


@login_required
def plan_delete(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    if request.method == "POST":
        services.plan_delete(plan=plan, actor=request.user)
        messages.success(request, _("Plan “%s” deleted.") % plan.name)
        return redirect("organisation_detail", plan.organisation_id)
    return render(request, "planning/plan_confirm_delete.html", {"plan": plan, "organisation": plan.organisation})


@login_required
def plan_access_page(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    form = PlanShareForm(request.POST or None, organisation=plan.organisation)
    if request.method == "POST" and form.is_valid():
        kind, principal = form.principal_object()
        try:
            services.plan_grant(plan=plan, actor=request.user, access=Access(form.cleaned_data["access"]),
                                **{kind: principal})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Access to the plan updated for %s.") % principal)
            return redirect("plan_access", plan.pk)
    return render(request, "planning/plan_access.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "grants": selectors.plan_grants(plan=plan),
    })


@login_required
@require_POST
def plan_revoke_access(request, pk, kind, principal_pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    if kind not in ("user", "team"):
        raise Http404
    if kind == "team":
        principal = get_object_or_404(plan.organisation.teams, pk=principal_pk)
    else:
        principal = get_object_or_404(get_user_model(), pk=principal_pk, memberships__organisation=plan.organisation)
    services.plan_revoke(plan=plan, actor=request.user, **{kind: principal})
    messages.success(request, _("%s no longer has access to the plan.") % principal)
    return redirect("plan_access", plan.pk)
