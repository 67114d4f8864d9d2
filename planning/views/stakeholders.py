"""The stakeholders of a plan: the people in the workshops, with their title, team and objective."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.editing import apply_errors
from core.versioning import StaleVersion
from planning import selectors, services
from planning.forms_catalogue import ConfirmDeleteForm, StakeholderForm
from tenancy.access import Access, plan_access, plan_for


@login_required
def stakeholders(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    return render(request, "planning/catalogue/stakeholders.html", {
        "plan": plan, "organisation": plan.organisation,
        "can_edit": plan_access(request.user, plan) >= Access.EDIT,
        "stakeholders": selectors.stakeholder_list(user=request.user, plan=plan),
    })


def _stakeholder(request, pk, stakeholder_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    return plan, get_object_or_404(selectors.stakeholder_list(user=request.user, plan=plan), pk=stakeholder_pk)


def _form_page(request, plan, form, **extra):
    return render(request, "planning/catalogue/stakeholder_form.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, **extra,
    })


@login_required
def stakeholder_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = StakeholderForm(request.POST or None, organisation=plan.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.stakeholder_create(plan=plan, actor=request.user, **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Stakeholder “%s” added.") % stakeholder.name)
            return redirect("stakeholders", plan.pk)
    return _form_page(request, plan, form)


@login_required
def stakeholder_edit(request, pk, stakeholder_pk):
    plan, stakeholder = _stakeholder(request, pk, stakeholder_pk)
    form = StakeholderForm(request.POST or None, organisation=plan.organisation,
                           initial=StakeholderForm.initial_for(stakeholder))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_update(stakeholder=stakeholder, actor=request.user,
                                        version=form.cleaned_data.get("version"), **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this stakeholder while you were editing. Their "
                                            "values are shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Stakeholder “%s” saved.") % form.cleaned_data["name"])
            return redirect("stakeholders", plan.pk)
    return _form_page(request, plan, form, stakeholder=stakeholder, conflict=conflict, theirs=theirs)


@login_required
def stakeholder_delete(request, pk, stakeholder_pk):
    plan, stakeholder = _stakeholder(request, pk, stakeholder_pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None,
                             initial={"version": stakeholder.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_delete(stakeholder=stakeholder, actor=request.user,
                                        version=form.cleaned_data["version"])
        except StaleVersion as stale:
            stakeholder = stale.current
            form = ConfirmDeleteForm(initial={"version": stakeholder.version})
            messages.warning(request, _("Someone changed this stakeholder meanwhile. Check it is still the one to "
                                        "remove, then confirm again."))
        else:
            messages.success(request, _("Stakeholder “%s” removed.") % stakeholder.name)
            return redirect("stakeholders", plan.pk)
    return render(request, "planning/catalogue/confirm_delete.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "object": stakeholder,
        "kind": _("stakeholder"), "section": _("Stakeholders"), "cancel_url": reverse("stakeholders", args=[plan.pk]),
        "consequence": _("They are removed from the plan's workshop list. This cannot be undone."),
    })


urlpatterns = [
    path("plans/<int:pk>/stakeholders/", stakeholders, name="stakeholders"),
    path("plans/<int:pk>/stakeholders/new/", stakeholder_create, name="stakeholder_create"),
    path("plans/<int:pk>/stakeholders/<int:stakeholder_pk>/", stakeholder_edit, name="stakeholder_edit"),
    path("plans/<int:pk>/stakeholders/<int:stakeholder_pk>/delete/", stakeholder_delete, name="stakeholder_delete"),
]
