"""The personas of a plan: cards, create / edit (stale-safe) / delete, and copy from another plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors, flash_errors
from core.versioning import StaleVersion
from planning import selectors, services
from planning.forms_catalogue import ConfirmDeleteForm, PersonaCopyForm, PersonaForm
from tenancy.access import Access, plan_access, plan_for


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
    return render(request, "planning/catalogue/personas.html", {
        "plan": plan, "organisation": plan.organisation, "can_edit": can_edit, "copy_form": copy_form,
        "personas": selectors.persona_list(user=request.user, plan=plan),
    })


def _persona(request, pk, persona_pk, access=Access.EDIT):
    plan = plan_for(request.user, pk, access)
    return plan, get_object_or_404(selectors.persona_list(user=request.user, plan=plan), pk=persona_pk)


@login_required
def persona_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = PersonaForm(request.POST or None, request.FILES or None, organisation=plan.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            persona = services.persona_create(plan=plan, actor=request.user, **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Persona “%s” created.") % persona.name)
            return redirect("personas", plan.pk)
    return render(request, "planning/catalogue/persona_form.html", {
        "plan": plan, "organisation": plan.organisation, "form": form,
    })


@login_required
def persona_edit(request, pk, persona_pk):
    plan, persona = _persona(request, pk, persona_pk)
    form = PersonaForm(request.POST or None, request.FILES or None, organisation=plan.organisation,
                       initial=PersonaForm.initial_for(persona))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.persona_update(persona=persona, actor=request.user, version=form.cleaned_data.get("version"),
                                    **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this persona while you were editing. Their values "
                                            "are shown beside yours; keep what you want and save again."))
            if form.new_photo:
                form.add_error("photo", _("Your photo was not saved: choose it again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Persona “%s” saved.") % form.cleaned_data["name"])
            return redirect("personas", plan.pk)
    return render(request, "planning/catalogue/persona_form.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "persona": persona,
        "conflict": conflict, "theirs": theirs,
    })


@login_required
def persona_delete(request, pk, persona_pk):
    plan, persona = _persona(request, pk, persona_pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None,
                             initial={"version": persona.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.persona_delete(persona=persona, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            persona = stale.current
            form = ConfirmDeleteForm(initial={"version": persona.version})
            messages.warning(request, _("Someone changed this persona meanwhile. Check it is still the one to "
                                        "delete, then confirm again."))
        else:
            messages.success(request, _("Persona “%s” deleted.") % persona.name)
            return redirect("personas", plan.pk)
    return render(request, "planning/catalogue/confirm_delete.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "object": persona,
        "kind": _("persona"), "section": _("Personas"), "cancel_url": reverse("personas", args=[plan.pk]),
        "consequence": _("Journeys of this persona stay, without a persona. This cannot be undone."),
    })


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
