"""A plan with two journeys, a persona and a roadmap item owned by a member, and links to share them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planning import services as planning
from roadmaps import services as roadmaps
from sharing import services
from sharing.models import ShareScope


@pytest.fixture
def world(plan, people, other_plan):
    owner = people["owner"]
    persona = planning.persona_create(plan=plan, actor=owner, name="Trail runner Tess")
    shared = planning.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase",
                                     persona=persona)
    other = planning.journey_create(plan=plan, actor=owner, name="Return a jacket", template="purchase")
    elsewhere = planning.journey_create(plan=other_plan, actor=people["outsider"], name="Elsewhere journey",
                                        template="purchase")
    item = roadmaps.roadmap_item_create(plan=plan, actor=owner, title="Customer app", owner=people["editor"])
    return {"plan": plan, "persona": persona, "journey": shared, "other_journey": other, "elsewhere": elsewhere,
            "item": item, "owner": owner}


@pytest.fixture
def make_link(world):
    def make(scope=ShareScope.JOURNEY, password="", hide_member_names=False, days=7, allow_comments=False):
        journey = world["journey"] if scope == ShareScope.JOURNEY else None
        return services.share_link_create(plan=world["plan"], actor=world["owner"], scope=scope, journey=journey,
                                          expires_at=timezone.now() + timedelta(days=days), password=password,
                                          hide_member_names=hide_member_names, allow_comments=allow_comments)

    return make


@pytest.fixture
def visitor(client):
    """An anonymous browser that opened nothing yet."""
    client.logout()
    return client
