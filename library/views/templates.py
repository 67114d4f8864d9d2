"""The "New plan" page (a blank plan, a built-in template or one of the organisation's saved templates), "Save this
plan as a template", deleting a template, and the progress row of a plan being made.

Members who may create plans (owners, admins, editors) see the page and start plans from it; viewers and
commenters are refused (403); another organisation is 404. Owners, admins and the plan's managers save a plan as a
template.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.editing import apply_errors
from library import builtins, selectors, services
from library.forms import SaveTemplateForm, UseTemplateForm
from library.jobs import fail_if_stalled, live_progress
from tenancy.access import Access, organisation_for, plan_for
from tenancy.models import MANAGING_ROLES

RECENT_JOBS = 10


def job_context(job) -> dict:
    progress, step = live_progress(job)
    return {"job": job, "progress": progress, "step": step}


@login_required
def plan_start(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    services.require_plan_creator(request.user, organisation.pk)
    if request.method == "POST":
        form = UseTemplateForm(request.POST)
        form.is_valid()
        key = request.POST.get("template", "")
        template = (selectors.template_for(user=request.user, organisation=organisation, pk=key)
                    if key.isdigit() else None)
        try:
            job = services.template_use_request(actor=request.user, organisation=organisation, template=template,
                                                builtin="" if template else key,
                                                name=form.cleaned_data.get("name") or "")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plan_start", organisation.pk)
        messages.success(request, _("The plan “%s” is being made: its row below shows its progress.") % job.name)
        return redirect(reverse("plan_start", args=[organisation.pk]) + f"#template-use-{job.pk}")
    templates = list(selectors.template_list(user=request.user, organisation=organisation))
    jobs = [fail_if_stalled(j) for j in selectors.template_use_list(user=request.user, organisation=organisation)
            .filter(requested_by=request.user)[:RECENT_JOBS]]
    can_delete = membership.role in MANAGING_ROLES
    return render(request, "library/plan_start.html", {
        "organisation": organisation, "builtins": [
            {"key": t.key, "name": _(t.name), "description": _(t.description),
             "stages": [_(s) for s in t.journeys[0].stages], "touchpoints": sum(len(j.touchpoints) for j in t.journeys)}
            for t in builtins.TEMPLATES.values()],
        "templates": [{"template": t, "can_delete": can_delete or t.created_by_id == request.user.pk}
                      for t in templates],
        "form": UseTemplateForm(), "jobs": [job_context(j) for j in jobs],
    })


@login_required
def plan_save_template(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    form = SaveTemplateForm(request.POST or None, initial={"name": plan.name, "description": plan.description})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_save(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%s” is saved as a template: new plans of the organisation can start from "
                                        "it.") % template.name)
            return redirect(reverse("plan_start", args=[plan.organisation_id]) + f"#template-{template.pk}")
    return render(request, "library/save_template.html", {"plan": plan, "organisation": plan.organisation,
                                                          "form": form})


@login_required
@require_POST
def template_delete(request, pk, template_pk):
    organisation, _membership = organisation_for(request.user, pk)
    template = selectors.template_for(user=request.user, organisation=organisation, pk=template_pk)
    services.template_delete(template=template, actor=request.user)
    messages.success(request, _("Template “%s” deleted.") % template.name)
    return redirect("plan_start", organisation.pk)


@login_required
@require_GET
def template_use_row(request, job_pk):
    """One row of the plans being made; htmx swaps it in every second until the job has finished."""
    job = selectors.template_use_list(user=request.user).filter(pk=job_pk).first()
    if job is None:
        raise Http404(_("No such plan being made."))
    return render(request, "library/_job.html", job_context(fail_if_stalled(job)))


urlpatterns = [
    path("organisations/<int:pk>/plans/start/", plan_start, name="plan_start"),
    path("organisations/<int:pk>/templates/<int:template_pk>/delete/", template_delete, name="template_delete"),
    path("plans/<int:pk>/save-as-template/", plan_save_template, name="plan_save_template"),
    path("template-uses/<int:job_pk>/row/", template_use_row, name="template_use_row"),
]
