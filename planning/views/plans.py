import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import EditPages, apply_errors, their_fields
from planning.forms import PlanForm, PlanShareForm
from planning.selectors import plan_next_step
from tenancy import selectors, services
from tenancy.access import Access, organisation_for, plan_access, plan_for
from tenancy.models import READ_ONLY_ROLES

PLAN_FIELDS = ("name", "description", "period_start", "period_end", "status")


@login_required
def plan_detail(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    access = plan_access(request.user, plan)
    return render(request, "planning/plan_detail.html", {
        "plan": plan, "organisation": plan.organisation, "access": access,
        "stakeholders": plan.stakeholders.select_related("team"),
        "can_edit": access >= Access.EDIT, "can_manage": access >= Access.MANAGE,
        "next_step": plan_next_step(user=request.user, plan=plan) if access >= Access.EDIT else None,
    })


class PlanEditPages(EditPages):
    """Create a plan (editors and above of the organisation) and edit it (the plan's editors)."""

    name, form_class, template_name = "plan", PlanForm, "planning/plan_form.html"
    writes = services.plan_create, services.plan_update
    texts = {
        "created": gettext_lazy("Plan “%s” created."), "saved": gettext_lazy("Plan saved."),
        "conflict": gettext_lazy("Someone else saved this plan while you were editing. Their values are shown "
                                 "beside yours; keep what you want and save again."),
    }

    def load(self, pk):
        if self.action == "edit":
            plan = plan_for(self.request.user, pk, Access.EDIT)
            self.organisation = plan.organisation
            return plan
        self.organisation, membership = organisation_for(self.request.user, pk)
        if membership.role in READ_ONLY_ROLES:
            raise PermissionDenied(_("Viewers cannot create plans. Ask an administrator for the editor role."))
        return None

    def form_kwargs(self) -> dict:
        # The form works on a copy: validating it must not change the plan, whose values the history diff starts from.
        return {"instance": copy.copy(self.object)} if self.object else {}

    def initial(self, plan) -> dict:
        return {"version": plan.version}

    def changes(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in PLAN_FIELDS}

    def create_kwargs(self) -> dict:
        return {"organisation": self.organisation}

    def their_values(self, form, current) -> list:
        return their_fields(form, current, PLAN_FIELDS, self.texts["conflict"])

    def success_url(self, plan) -> str:
        return reverse("plan_detail", args=[plan.pk])

    def context(self, **extra) -> dict:
        return {"organisation": self.organisation, **extra}


plan_create = PlanEditPages.as_view(action="create")
plan_edit = PlanEditPages.as_view(action="edit")


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
