"""The stakeholders of a plan: the people in the workshops, with their title, team and objective."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from planning import selectors, services
from planning.forms_catalogue import StakeholderForm
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


@login_required
def stakeholders(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    return render(request, "planning/catalogue/stakeholders.html", {
        "plan": plan, "organisation": plan.organisation,
        "can_edit": plan_access(request.user, plan) >= Access.EDIT,
        "stakeholders": selectors.stakeholder_list(user=request.user, plan=plan),
    })


class StakeholderPages(PlanObjectPages):
    name, pk_url_kwarg, list_url = "stakeholder", "stakeholder_pk", "stakeholders"
    form_class, template_name = StakeholderForm, "planning/catalogue/stakeholder_form.html"
    writes = services.stakeholder_create, services.stakeholder_update, services.stakeholder_delete
    texts = {
        "created": _("Stakeholder “%s” added."), "saved": _("Stakeholder “%s” saved."),
        "deleted": _("Stakeholder “%s” removed."),
        "conflict": _("Someone else saved this stakeholder while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this stakeholder meanwhile. Check it is still the one to remove, then confirm "
                     "again."),
    }
    confirm = {"kind": _("stakeholder"), "section": _("Stakeholders"),
               "consequence": _("They are removed from the plan's workshop list. This cannot be undone.")}

    def queryset(self):
        return selectors.stakeholder_list(user=self.request.user, plan=self.plan)

    def form_kwargs(self) -> dict:
        return {"organisation": self.plan.organisation}


stakeholder_create, stakeholder_edit, stakeholder_delete = StakeholderPages.views()


urlpatterns = [
    path("plans/<int:pk>/stakeholders/", stakeholders, name="stakeholders"),
    path("plans/<int:pk>/stakeholders/new/", stakeholder_create, name="stakeholder_create"),
    path("plans/<int:pk>/stakeholders/<int:stakeholder_pk>/", stakeholder_edit, name="stakeholder_edit"),
    path("plans/<int:pk>/stakeholders/<int:stakeholder_pk>/delete/", stakeholder_delete, name="stakeholder_delete"),
]
