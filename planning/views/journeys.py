"""Journeys of a plan, the journey map page and its stage management. Touchpoints are in touchpoints.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import their_fields
from core.versioning import StaleVersion
from planning import selectors, services
from planning.forms_journeys import (
    JourneyCreateForm,
    JourneyEditForm,
    StageForm,
    StageMoveForm,
    StageTemplateForm,
    VersionForm,
)
from planning.views import touchpoints
from planning.views._map import grid_context, grid_response, journey_for, stage_for
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages

JOURNEY_FIELDS = ("name", "persona", "description", "state")


def _remember_organisation(request, plan) -> None:
    """The organisation the menu shows; written only when it changes (a session write is a query)."""
    if request.session.get("current_organisation_id") != plan.organisation_id:
        request.session["current_organisation_id"] = plan.organisation_id


@login_required
def journey_list(request, pk):
    plan = plan_for(request.user, pk)
    _remember_organisation(request, plan)
    return render(request, "planning/journeys/list.html", {
        "plan": plan, "organisation": plan.organisation,
        "journeys": selectors.journey_list(user=request.user, plan=plan).order_by("name", "id"),
        "can_edit": plan_access(request.user, plan) >= Access.EDIT,
    })


class JourneyPages(PlanObjectPages):
    """Create a journey in a plan (/plans/<pk>/journeys/new/), edit and delete it (/journeys/<pk>/...)."""

    name, template_name = "journey", "planning/journeys/form.html"
    delete_form_class, delete_template_name = VersionForm, "planning/journeys/confirm_delete.html"
    writes = services.journey_create, services.journey_update, services.journey_delete
    texts = {
        "created": gettext_lazy("Journey “%s” created."), "saved": gettext_lazy("Journey saved."),
        "deleted": gettext_lazy("Journey “%s” deleted."),
        "conflict": gettext_lazy("Someone else saved this journey while you were editing. Their values are shown "
                                 "beside yours; keep what you want and save again."),
        "changed": gettext_lazy("Someone changed this journey meanwhile, so it was not deleted. Check it and delete "
                                "it again if you still want to."),
    }

    def load(self, pk):
        if self.action == "create":
            return super().load(pk)
        journey = journey_for(self.request.user, pk, Access.EDIT)
        self.plan = journey.plan
        return journey

    def get_form(self, **kwargs):
        personas = selectors.persona_list(user=self.request.user, plan=self.plan)
        if self.object is not None:
            return JourneyEditForm(self.request.POST or None, personas=personas, **kwargs)
        templates = selectors.stage_template_list(organisation=self.plan.organisation)
        return JourneyCreateForm(self.request.POST or None, personas=personas, templates=templates)

    def initial(self, journey) -> dict:
        return {name: getattr(journey, name) for name in JOURNEY_FIELDS} | {"version": journey.version}

    def changes(self, form) -> dict:
        changes = {name: form.cleaned_data[name] for name in JOURNEY_FIELDS}
        return changes if self.object else {**changes, "template": form.cleaned_data["stages_from"]}

    def their_values(self, form, current) -> list:
        return their_fields(form, current, JOURNEY_FIELDS, self.texts["conflict"])

    def success_url(self, journey) -> str:
        if self.action == "delete":
            return reverse("journey_list", args=[self.plan.pk])
        return reverse("journey_map", args=[journey.pk])

    def delete_context(self, journey) -> dict:
        return {"journey": journey, "question": _("Delete the journey “%(journey)s”, its stages and its %(count)d "
                                                  "touchpoints?") % {"journey": journey.name,
                                                                     "count": journey.touchpoints.count()}}

    def delete_refused(self, current):
        messages.warning(self.request, self.texts["changed"])
        return redirect("journey_map", current.pk)


journey_create, journey_edit, journey_delete = JourneyPages.views()


@login_required
def journey_map(request, pk):
    journey = journey_for(request.user, pk)
    plan = journey.plan
    _remember_organisation(request, plan)
    printing = request.GET.get("print") == "1"
    can_edit = plan_access(request.user, plan) >= Access.EDIT and not printing
    context = grid_context(journey, can_edit=can_edit, printing=printing)
    context |= {"plan": plan, "organisation": plan.organisation, "persona": journey.persona,
                "may_edit": can_edit, "template_form": StageTemplateForm(initial={"name": journey.name}),
                "script_messages": _script_messages()}
    return render(request, "planning/journeys/map.html", context)


def _script_messages() -> dict:
    """The texts journey-map.js shows, translated here so the script needs no catalogue."""
    return {
        "moved": _("Touchpoint moved."),
        "moved_to": _("“{name}” moved to {stage} · {channel}, place {position} of {count}."),
        "stale": _("Someone else changed this touchpoint meanwhile; the map now shows where it is."),
        "forbidden": _("You may view this journey but not change it."),
        "gone": _("This touchpoint no longer exists; the map has been refreshed."),
        "failed": _("The change could not be saved; the map has been refreshed."),
        "offline": _("The server could not be reached; the change was not saved."),
    }


# Stages -------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def stage_create(request, pk):
    journey = journey_for(request.user, pk, Access.EDIT)
    form = StageForm(request.POST)
    if not form.is_valid():
        return grid_response(request, journey, _("Give the new stage a name."), "error")
    try:
        stage = services.stage_create(journey=journey, actor=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        return grid_response(request, journey, " ".join(error.messages), "error")
    return grid_response(request, journey, _("Stage “%s” added.") % stage.name)


@login_required
@require_POST
def stage_rename(request, pk):
    stage = stage_for(request.user, pk, Access.EDIT)
    form = StageForm(request.POST)
    if not form.is_valid():
        return grid_response(request, stage.journey, _("A stage needs a name."), "error")
    typed = form.cleaned_data["name"]
    try:
        services.stage_update(stage=stage, actor=request.user, version=form.cleaned_data["version"], name=typed)
    except StaleVersion as stale:
        # Re-open this stage's rename box with what was typed and the other person's name beside it.
        text = _("Someone else changed this stage meanwhile: it is now called “%(theirs)s”. Your name "
                 "“%(yours)s” is kept in the box; save again to use it.") % {"theirs": stale.current.name,
                                                                             "yours": typed}
        return grid_response(request, stage.journey, text, "warning",
                             stage_conflict={"pk": stage.pk, "theirs": stale.current.name, "yours": typed})
    except ValidationError as error:
        return grid_response(request, stage.journey, " ".join(error.messages), "error")
    return grid_response(request, stage.journey, _("Stage renamed to “%s”.") % typed)


@login_required
@require_POST
def stage_move(request, pk):
    stage = stage_for(request.user, pk, Access.EDIT)
    form = StageMoveForm(request.POST)
    if not form.is_valid():
        return grid_response(request, stage.journey, _("Choose left or right."), "error")
    step = -1 if form.cleaned_data["direction"] == "left" else 1
    # Positions may have gaps (after a deletion): move by the stage's place in the order, not by its number.
    order = list(stage.journey.stages.order_by("position", "id").values_list("pk", flat=True))
    try:
        services.stage_move(stage=stage, actor=request.user, position=order.index(stage.pk) + step,
                            version=form.cleaned_data["version"])
    except StaleVersion:
        return grid_response(request, stage.journey, _("The stages changed meanwhile; here is their current "
                                                       "order. Move the stage again if needed."), "warning")
    return grid_response(request, stage.journey, _("Stage “%s” moved.") % stage.name)


@login_required
def stage_delete(request, pk):
    stage = stage_for(request.user, pk, Access.EDIT)
    journey = stage.journey
    form = VersionForm(request.POST or None, initial={"version": stage.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_delete(stage=stage, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion:
            return grid_response(request, journey, _("Someone changed this stage meanwhile, so it was not deleted. "
                                                     "Check it and delete it again if you still want to."), "warning")
        return grid_response(request, journey, _("Stage “%s” and its touchpoints deleted.") % stage.name)
    count = stage.touchpoints.count()
    return render(request, "planning/journeys/confirm_delete.html", {
        "plan": journey.plan, "organisation": journey.plan.organisation, "journey": journey, "form": form,
        "question": _("Delete the stage “%(stage)s” and its %(count)d touchpoints?") % {"stage": stage.name,
                                                                                       "count": count},
    })


@login_required
@require_POST
def stage_template_save(request, pk):
    journey = journey_for(request.user, pk, Access.EDIT)
    form = StageTemplateForm(request.POST)
    if not form.is_valid():
        return grid_response(request, journey, _("Give the template a name."), "error")
    try:
        template = services.stage_template_save(journey=journey, actor=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        return grid_response(request, journey, " ".join(error.messages), "error")
    return grid_response(request, journey, _("Stages saved as the template “%s”; new journeys of the organisation "
                                             "can start from it.") % template.name)


urlpatterns = [
    path("plans/<int:pk>/journeys/", journey_list, name="journey_list"),
    path("plans/<int:pk>/journeys/new/", journey_create, name="journey_create"),
    path("journeys/<int:pk>/", journey_map, name="journey_map"),
    path("journeys/<int:pk>/edit/", journey_edit, name="journey_edit"),
    path("journeys/<int:pk>/delete/", journey_delete, name="journey_delete"),
    path("journeys/<int:pk>/stages/new/", stage_create, name="stage_create"),
    path("journeys/<int:pk>/stages/save-as-template/", stage_template_save, name="stage_template_save"),
    path("stages/<int:pk>/rename/", stage_rename, name="stage_rename"),
    path("stages/<int:pk>/move/", stage_move, name="stage_move"),
    path("stages/<int:pk>/delete/", stage_delete, name="stage_delete"),
    *touchpoints.urlpatterns,
]
