"""The gallery of journey ideas of a plan (reached from its journeys list), and starting a journey from one.

Everyone who sees the plan sees the gallery; its editors (edit access) start a journey from an idea. Another
organisation's plan is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from library import ideas, services
from library.documents import channel_names
from library.forms import IdeaForm
from planning.models import Persona
from tenancy.access import Access, plan_access, plan_for


def _personas(plan):
    return Persona.objects.filter(plan=plan).order_by("name", "id")


@login_required
def journey_ideas(request, pk):
    plan = plan_for(request.user, pk)
    channels = channel_names(plan.organisation)
    gallery = [{
        "key": idea.key, "name": _(idea.name), "description": _(idea.description),
        "stages": [{"name": _(stage), "touchpoints": [
            {"name": _(t[2]), "channel": channels.get(t[1], (t[1], ""))[0]} for t in idea.touchpoints if t[0] == i]}
            for i, stage in enumerate(idea.stages)],
    } for idea in ideas.IDEAS]
    can_edit = plan_access(request.user, plan) >= Access.EDIT
    return render(request, "library/journey_ideas.html", {
        "plan": plan, "organisation": plan.organisation, "ideas": gallery, "can_edit": can_edit,
        "form": IdeaForm(personas=_personas(plan)) if can_edit else None,
    })


@login_required
@require_POST
def journey_from_idea(request, pk, key):
    plan = plan_for(request.user, pk, Access.EDIT)
    if key not in ideas.BY_KEY:
        raise Http404(_("There is no such journey idea."))
    form = IdeaForm(request.POST, personas=_personas(plan))
    if not form.is_valid():
        messages.error(request, _("Choose a persona of this plan, or none."))
        return redirect("journey_ideas", plan.pk)
    try:
        journey = services.journey_from_idea(plan=plan, actor=request.user, key=key,
                                             persona=form.cleaned_data["persona"], name=form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("journey_ideas", plan.pk)
    messages.success(request, _("Journey “%s” started from the idea: rename, move or replace its touchpoints with "
                                "yours.") % journey.name)
    return redirect("journey_map", journey.pk)


urlpatterns = [
    path("plans/<int:pk>/journeys/ideas/", journey_ideas, name="journey_ideas"),
    path("plans/<int:pk>/journeys/ideas/<slug:key>/start/", journey_from_idea, name="journey_from_idea"),
]
