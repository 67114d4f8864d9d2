"""Presentation mode (/plans/<pk>/present/, and /shared/<prefix>/present/ through a link): the plan as slides for a
meeting, server-rendered one section per slide, so that without script (or printed) it is one long page; with
static/js/present.js it shows one slide at a time, driven by the keyboard, a clicker or the buttons."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from roadmaps.exports.gather import gather
from sharing.models import ShareLink, ShareScope
from sharing.presentation import PLAN, Scope, deck
from tenancy.access import plan_for
from tenancy.models import Plan

# What a link presents: what its own pages show, nothing more (the shared pages show no maturity grid).
LINK_SCOPES = {
    ShareScope.PLAN: Scope(maturity=False),
    ShareScope.JOURNEY: Scope(maturity=False, roadmap=False),
    ShareScope.ROADMAP: Scope(personas=False, journeys=False, maturity=False),
}


def present(request, plan: Plan, scope: Scope, *, leave_url: str, share: ShareLink | None = None):
    """Gather the plan (a fixed number of queries) and draw the deck."""
    data = gather(plan, feedback_rows=False, verbatims=0)
    if scope.journey_id is not None and not any(j["id"] == scope.journey_id for j in data.journeys):
        raise Http404(_("No such journey."))
    return render(request, "sharing/present.html", {
        "plan": data.plan, "slides": deck(data, scope), "leave_url": leave_url, "share": share,
    })


def link_scope(link: ShareLink) -> Scope:
    scope = LINK_SCOPES[link.scope]
    if link.scope == ShareScope.JOURNEY:
        return Scope(**{**scope.__dict__, "journey_id": link.journey_id})
    return scope


@login_required
@require_GET
def plan_present(request, pk):
    """Everyone who may view the plan presents it; ?journey=<id> presents one journey."""
    plan = plan_for(request.user, pk)
    journey = request.GET.get("journey", "")
    scope = PLAN
    if journey:
        if not journey.isdigit():
            raise Http404(_("No such journey."))
        scope = Scope(personas=True, maturity=False, roadmap=False, journey_id=int(journey))
    return present(request, plan, scope, leave_url=reverse("plan_detail", args=[plan.pk]))


urlpatterns = [
    path("plans/<int:pk>/present/", plan_present, name="plan_present"),
]
