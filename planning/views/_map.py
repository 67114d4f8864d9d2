"""Shared by the journey and touchpoint views: loading with access checks, the map grid, htmx messages."""

import json
from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planning import map_rows, selectors
from planning.models import ChannelKind, Journey, Stage, Touchpoint
from tenancy.access import Access, plan_for

MESSAGE_EVENT = "mapMessage"


def journey_for(user, pk, access: Access = Access.VIEW) -> Journey:
    """The journey if the user sees its plan (else 404) with `access` on it (else 403); its plan is loaded."""
    journey = (Journey.objects.select_related("persona").prefetch_related("persona__preferred_channels")
               .filter(pk=pk).first())
    if journey is None:
        raise Http404(_("No such journey."))
    journey.plan = plan_for(user, journey.plan_id, access)
    return journey


def stage_for(user, pk, access: Access = Access.VIEW) -> Stage:
    stage = Stage.objects.select_related("journey__persona").filter(pk=pk).first()
    if stage is None:
        raise Http404(_("No such stage."))
    stage.journey.plan = plan_for(user, stage.plan_id, access)
    return stage


def touchpoint_for(user, pk, access: Access = Access.VIEW) -> Touchpoint:
    touchpoint = Touchpoint.objects.select_related("journey", "stage", "channel", "team").filter(pk=pk).first()
    if touchpoint is None:
        raise Http404(_("No such touchpoint."))
    touchpoint.journey.plan = plan_for(user, touchpoint.plan_id, access)
    return touchpoint


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def with_message(response, text, level: str = "success"):
    """Tell the map page's script to show `text` (htmx fires the event even on error statuses)."""
    # json.dumps escapes non-ASCII, so the header stays valid whatever the language.
    response["HX-Trigger"] = json.dumps({MESSAGE_EVENT: {"text": str(text), "level": level}})
    return response


def grid_context(journey: Journey, *, can_edit: bool, printing: bool = False) -> dict:
    """What templates/planning/journeys/_grid.html draws: columns with counts, lanes grouped online/offline."""
    data = selectors.journey_map(journey=journey)
    persona = journey.persona
    preferred = {channel.pk for channel in persona.preferred_channels.all()} if persona else set()
    lanes = data["lanes"]
    if printing:
        lanes = [lane for lane in lanes if lane["count"]]
    for lane in lanes:
        lane["preferred"] = lane["channel"].pk in preferred
    columns = [
        (stage, sum(len(lane["cells"][index]["touchpoints"]) for lane in data["lanes"]))
        for index, stage in enumerate(data["stages"])
    ]
    groups = [(ChannelKind(kind).label, list(kind_lanes))
              for kind, kind_lanes in groupby(lanes, key=lambda lane: lane["channel"].kind)]
    rows = map_rows.rows_for(journey, data["stages"], can_edit=can_edit, printing=printing)
    return {"journey": journey, "columns": columns, "groups": groups, "can_edit": can_edit, "printing": printing,
            "touchpoint_count": data["touchpoint_count"], "last_stage_index": len(columns) - 1, "rows": rows}


def grid_response(request, journey: Journey, text, level: str = "success", **extra):
    """After a stage change: the re-drawn grid for htmx, or back to the map page with a message."""
    if not is_htmx(request):
        getattr(messages, level)(request, text)
        return redirect("journey_map", journey.pk)
    context = grid_context(journey, can_edit=True) | extra
    return with_message(render(request, "planning/journeys/_grid.html", context), text, level)
