"""The personas of a plan: cards, create / edit (stale-safe) / delete, and copy from another plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.editing import flash_errors
from planning import persona_panels, selectors, services
from planning.forms_catalogue import PersonaCopyForm, PersonaForm
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


def _copy_candidates(user, plan):
    """Personas of the organisation's other plans that the user can see."""
    return selectors.persona_list(user=user).filter(plan__organisation_id=plan.organisation_id).exclude(
        plan=plan).select_related("plan").order_by("plan__name", "name", "id")


@login_required
def personas(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    can_edit = plan_access(request.user, plan) >= Access.EDIT
    copy_form = None
    if can_edit:
        copy_form = PersonaCopyForm(personas=_copy_candidates(request.user, plan))
    found = list(selectors.persona_list(user=request.user, plan=plan))
    panels = persona_panels.panels_for(plan, found)
    for persona in found:
        persona.panels = panels.get(persona.pk, [])
    return render(request, "planning/catalogue/personas.html", {
        "plan": plan, "organisation": plan.organisation, "can_edit": can_edit, "copy_form": copy_form,
        "personas": found,
    })


class PersonaPages(PlanObjectPages):
    name, pk_url_kwarg, list_url = "persona", "persona_pk", "personas"
    form_class, template_name = PersonaForm, "planning/catalogue/persona_form.html"
    writes = services.persona_create, services.persona_update, services.persona_delete
    texts = {
        "created": _("Persona “%s” created."), "saved": _("Persona “%s” saved."),
        "deleted": _("Persona “%s” deleted."),
        "conflict": _("Someone else saved this persona while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this persona meanwhile. Check it is still the one to delete, then confirm "
                     "again."),
    }
    confirm = {"kind": _("persona"), "section": _("Personas"),
               "consequence": _("Journeys of this persona stay, without a persona. This cannot be undone.")}

    def queryset(self):
        return selectors.persona_list(user=self.request.user, plan=self.plan)

    def form_kwargs(self) -> dict:
        return {"organisation": self.plan.organisation}

    def their_values(self, form, current) -> list:
        theirs = super().their_values(form, current)
        if form.new_photo:
            form.add_error("photo", _("Your photo was not saved: choose it again."))
        return theirs


persona_create, persona_edit, persona_delete = PersonaPages.views()


@login_required
@require_POST
def persona_copy(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = PersonaCopyForm(request.POST, personas=_copy_candidates(request.user, plan))
    if not form.is_valid():
        if form.has_error("persona", "invalid_choice"):
            raise Http404(_("No such persona in the other plans of this organisation."))
        messages.error(request, _("Choose a persona to copy."))
        return redirect("personas", plan.pk)
    source = form.cleaned_data["persona"]
    try:
        copy = services.persona_copy(persona=source, plan=plan, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Persona “%(name)s” copied from “%(plan)s”.")
                         % {"name": copy.name, "plan": source.plan.name})
    return redirect("personas", plan.pk)


urlpatterns = [
    path("plans/<int:pk>/personas/", personas, name="personas"),
    path("plans/<int:pk>/personas/new/", persona_create, name="persona_create"),
    path("plans/<int:pk>/personas/copy/", persona_copy, name="persona_copy"),
    path("plans/<int:pk>/personas/<int:persona_pk>/", persona_edit, name="persona_edit"),
    path("plans/<int:pk>/personas/<int:persona_pk>/delete/", persona_delete, name="persona_delete"),
]
