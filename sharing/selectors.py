"""What a share link shows: every read of the shared pages, limited to the link's plan and scope.

The shared pages do not go through the access rule with a user (a link is not a member of anything): the link is
the principal, and these selectors start from its plan, so nothing outside it can be loaded. A journey outside
the link's scope, or a section the scope does not include, is 404.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from planning.models import Journey, Persona
from planning.selectors import journeys_with_counts
from roadmaps.models import RoadmapItem
from roadmaps.selectors import scored_roadmap, with_item_links
from sharing.models import ShareLink, ShareScope

# The sections of the shared pages each scope opens (the journey scope opens its one journey's map).
SECTIONS = {
    ShareScope.PLAN: ("overview", "personas", "journeys", "roadmap"),
    ShareScope.JOURNEY: (),
    ShareScope.ROADMAP: ("roadmap",),
}


def require_section(link: ShareLink, section: str) -> None:
    if section not in SECTIONS[link.scope]:
        raise Http404(_("This link does not share this page."))


def shared_journeys(link: ShareLink):
    require_section(link, "journeys")
    return journeys_with_counts(Journey.objects.filter(plan_id=link.plan_id)).select_related("persona").order_by(
        "name", "id")


def shared_journey(link: ShareLink, pk) -> Journey:
    """The journey if the link shows it: its own journey, or any journey of a shared plan."""
    qs = Journey.objects.filter(plan_id=link.plan_id)
    if link.scope == ShareScope.JOURNEY:
        qs = qs.filter(pk=link.journey_id)
    elif link.scope != ShareScope.PLAN:
        qs = qs.none()
    journey = qs.select_related("persona").prefetch_related("persona__preferred_channels").filter(pk=pk).first()
    if journey is None:
        raise Http404(_("No such journey."))
    journey.plan = link.plan
    return journey


def shared_personas(link: ShareLink):
    require_section(link, "personas")
    return Persona.objects.filter(plan_id=link.plan_id).prefetch_related("preferred_channels").order_by("name", "id")


def shared_roadmap(link: ShareLink) -> dict:
    """The plan's items in rank order with their score: {"method", "criteria", "ranked": [(item, score)]}."""
    require_section(link, "roadmap")
    items = with_item_links(RoadmapItem.objects.filter(plan_id=link.plan_id))
    return scored_roadmap(plan=link.plan, items=items)
