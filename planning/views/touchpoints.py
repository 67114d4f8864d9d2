"""Touchpoint cards on the journey map: add in a cell, edit in place, move (drag and drop) and delete, with htmx.

Every write sends the version the card or form was loaded with; a stale one is refused by the service and the
page shows the current state beside what was typed (forms) or redraws the cells (moves, answered with 412).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.editing import apply_errors, keep_typed
from core.versioning import StaleVersion
from planning import selectors, services
from planning.forms_journeys import TouchpointForm, TouchpointMoveForm, VersionForm
from planning.models import Channel, Touchpoint
from planning.views._map import is_htmx, journey_for, touchpoint_for, with_message
from tenancy.access import Access, plan_access

CARD = "planning/journeys/_card.html"
FORM = "planning/journeys/_touchpoint_form.html"


def _cell_list(request, journey, stage_id, channel_id, *, can_edit: bool, oob: bool = False) -> str:
    cards = selectors.touchpoint_list(user=request.user, journey=journey).filter(
        stage_id=stage_id, channel_id=channel_id).order_by("position", "id")
    return render(request, "planning/journeys/_cell_list.html", {
        "stage_id": stage_id, "channel_id": channel_id, "cards": cards, "can_edit": can_edit, "oob": oob,
    }).content.decode()


def _cell(journey, data):
    """The stage and channel named by data["stage"] and data["channel"], if they are the journey's (else 404)."""
    stage_id, channel_id = data.get("stage", ""), data.get("channel", "")
    stage = journey.stages.filter(pk=stage_id).first() if stage_id.isdigit() else None
    channel = (Channel.objects.filter(organisation_id=journey.plan.organisation_id, pk=channel_id).first()
               if channel_id.isdigit() else None)
    if stage is None or channel is None:
        raise Http404(_("No such cell."))
    return stage, channel


@login_required
@require_GET
def journey_cell(request, pk):
    """One cell's cards, to redraw it after a refused move."""
    journey = journey_for(request.user, pk)
    stage, channel = _cell(journey, request.GET)
    can_edit = plan_access(request.user, journey.plan) >= Access.EDIT
    return HttpResponse(_cell_list(request, journey, stage.pk, channel.pk, can_edit=can_edit))


@login_required
@require_GET
def touchpoint_card(request, pk):
    touchpoint = touchpoint_for(request.user, pk)
    can_edit = plan_access(request.user, touchpoint.journey.plan) >= Access.EDIT
    return render(request, CARD, {"tp": touchpoint, "can_edit": can_edit})


@login_required
def touchpoint_create(request, pk):
    """GET: the add form for a cell (?stage=&channel=); POST: create, answer the card appended to its cell."""
    journey = journey_for(request.user, pk, Access.EDIT)
    stage, channel = _cell(journey, request.POST if request.method == "POST" else request.GET)
    form = TouchpointForm(request.POST or None, journey=journey, in_cell=True,
                          auto_id=f"new-{stage.pk}-{channel.pk}-%s", initial={"stage": stage.pk, "channel": channel.pk})
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        data.pop("stage"), data.pop("channel")
        try:
            touchpoint = services.touchpoint_create(stage=stage, channel=channel, actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not is_htmx(request):
                messages.success(request, _("Touchpoint “%s” added.") % touchpoint.name)
                return redirect("journey_map", journey.pk)
            response = render(request, "planning/journeys/_card_added.html", {"tp": touchpoint, "can_edit": True})
            return with_message(response, _("Touchpoint “%(name)s” added to %(stage)s · %(channel)s.") % {
                "name": touchpoint.name, "stage": stage.name, "channel": channel.name})
    return render(request, FORM, {"form": form, "journey": journey, "stage": stage, "channel": channel,
                                  "action": request.path})


@login_required
def touchpoint_edit(request, pk):
    """GET: the card's edit form in place; POST: save if still at the version the form was loaded with."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    journey = touchpoint.journey
    initial = {name: getattr(touchpoint, name) for name in TouchpointForm.FIELDS} | {"version": touchpoint.version}
    form = TouchpointForm(request.POST or None, journey=journey, initial=initial, auto_id=f"tp-{pk}-%s")
    theirs = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            saved = services.touchpoint_update(touchpoint=touchpoint, actor=request.user,
                                               version=form.cleaned_data["version"], **changes)
        except StaleVersion as stale:
            theirs = _conflict(form, stale.current)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, saved, moved=(changes["stage"].pk, changes["channel"].pk) != (
                initial["stage"].pk, initial["channel"].pk))
    return render(request, FORM, {"form": form, "journey": journey, "tp": touchpoint, "theirs": theirs,
                                  "action": request.path})


def _conflict(form, current):
    """Keep what was typed, base the next save on the current version, and list the other person's values."""
    keep_typed(form, current, _("Someone else saved this touchpoint while you were editing. Their values are shown "
                                "beside yours; keep what you want and save again."))
    current = Touchpoint.objects.select_related("stage", "channel", "team").get(pk=current.pk)
    shown = {"team": current.team or "—", "evidence": current.get_evidence_display(),
             "stage": current.stage, "channel": current.channel}

    def plain(value):
        return getattr(value, "pk", value)

    # Only the fields where their value differs from yours: the cell is narrow.
    return [(form[name], shown.get(name, getattr(current, name))) for name in TouchpointForm.FIELDS
            if plain(getattr(current, name)) != plain(form.cleaned_data.get(name))]


def _saved(request, touchpoint, *, moved: bool):
    touchpoint = Touchpoint.objects.select_related("team").get(pk=touchpoint.pk)
    if not moved:
        return with_message(render(request, CARD, {"tp": touchpoint, "can_edit": True}), _("Touchpoint saved."))
    # The card left this cell: drop the form here and redraw the cell it went to.
    cell = _cell_list(request, touchpoint.journey, touchpoint.stage_id, touchpoint.channel_id, can_edit=True, oob=True)
    return with_message(HttpResponse(cell), _("Touchpoint saved and moved."))


@login_required
@require_POST
def touchpoint_move(request, pk):
    """A dropped card: stage, channel, the card it now precedes (none = last) and its version. Answers JSON."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    form = TouchpointMoveForm(request.POST, touchpoint=touchpoint)
    if not form.is_valid():
        return JsonResponse({"detail": _("This move is not possible."), "errors": form.errors}, status=400)
    data = form.cleaned_data
    try:
        moved = services.touchpoint_move(touchpoint=touchpoint, actor=request.user, stage=data["stage"],
                                         channel=data["channel"], before=data["before"], version=data["version"])
    except StaleVersion as stale:
        current = stale.current
        return JsonResponse({
            "detail": _("Someone else changed “%s” meanwhile; the map now shows where it is.") % current.name,
            "current": {"id": current.pk, "version": current.version, "stage": current.stage_id,
                        "channel": current.channel_id, "name": current.name},
        }, status=412)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return JsonResponse({"id": moved.pk, "version": moved.version, "stage": moved.stage_id,
                         "channel": moved.channel_id, "position": moved.position})


@login_required
def touchpoint_delete(request, pk):
    """GET: a confirmation page (without script); POST: delete if still at the version sent."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    journey = touchpoint.journey
    form = VersionForm(request.POST or None, initial={"version": touchpoint.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.touchpoint_delete(touchpoint=touchpoint, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            text = _("Someone changed this touchpoint meanwhile, so it was not deleted. Check it and delete it again "
                     "if you still want to.")
            if not is_htmx(request):
                messages.warning(request, text)
                return redirect("journey_map", journey.pk)
            current = Touchpoint.objects.select_related("team").get(pk=stale.current.pk)
            return with_message(render(request, CARD, {"tp": current, "can_edit": True}), text, "warning")
        text = _("Touchpoint “%s” deleted.") % touchpoint.name
        if not is_htmx(request):
            messages.success(request, text)
            return redirect("journey_map", journey.pk)
        return with_message(HttpResponse(""), text)
    return render(request, "planning/journeys/confirm_delete.html", {
        "plan": journey.plan, "organisation": journey.plan.organisation, "journey": journey, "form": form,
        "question": _("Delete the touchpoint “%s”?") % touchpoint.name,
    })


urlpatterns = [
    path("journeys/<int:pk>/cell/", journey_cell, name="journey_cell"),
    path("journeys/<int:pk>/touchpoints/new/", touchpoint_create, name="touchpoint_create"),
    path("touchpoints/<int:pk>/", touchpoint_card, name="touchpoint_card"),
    path("touchpoints/<int:pk>/edit/", touchpoint_edit, name="touchpoint_edit"),
    path("touchpoints/<int:pk>/move/", touchpoint_move, name="touchpoint_move"),
    path("touchpoints/<int:pk>/delete/", touchpoint_delete, name="touchpoint_delete"),
]
