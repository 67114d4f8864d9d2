"""Presentation mode: the plan as slides (title, personas, each journey stage by stage with its emotion curve, the
maturity grid, the roadmap), for members and through a share link (only what the link shows); the same number of
queries whatever the plan's size."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessments
from experience import services as experience
from planning import services as planning
from planning.models import Channel
from roadmaps import services as roadmaps
from sharing import services as sharing
from sharing.models import ShareScope
from tests.conftest import ROLES
from tests.sharing.test_visitor_pages import open_link

SLIDE = re.compile(r'<section class="slide slide-(\w+)" id="slide-(\d+)"')
LOGIN = 302
pytestmark = pytest.mark.django_db


def kinds(body: str) -> list[str]:
    return [kind for kind, _number in SLIDE.findall(body)]


def slide(body: str, number: int) -> str:
    start = body.index(f'id="slide-{number}"')
    end = body.find("<section", start)
    return body[start:end if end != -1 else len(body)]


def fill(plan, *, journeys=1, touchpoints=3, personas=1, items=1, tag=""):
    """A plan with personas, journeys (purchase template: 4 stages) with touchpoints and emotions, a maturity
    assessment and roadmap items."""
    channels = [Channel.objects.get_or_create(organisation=plan.organisation, name=name, defaults={"kind": kind})[0]
                for name, kind in (("Website", "online"), ("Physical store", "offline"))]
    made = []
    for p in range(personas):
        planning.persona_create(plan=plan, actor=None, name=f"Persona {tag}{p}", quote="I want it fast",
                                goals="Find the right size")
    for j in range(journeys):
        journey = planning.journey_create(plan=plan, actor=None, name=f"Journey {tag}{j}", template="purchase")
        stages = list(journey.stages.order_by("position"))
        for t in range(touchpoints):
            planning.touchpoint_create(stage=stages[t % 2], channel=channels[t % 2], actor=None,
                                       name=f"Touchpoint {tag}{j}.{t}")
        experience.emotion_set(journey=journey, stage=stages[0], actor=None, score=1)
        experience.emotion_set(journey=journey, stage=stages[1], actor=None, score=-2)
        made.append(journey)
    assessments.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2026, 3, 1), channel_level=1,
                                           engagement_level=2, target_channel_level=3, target_engagement_level=3)
    for i in range(items):
        roadmaps.roadmap_item_create(plan=plan, actor=None, title=f"Project {tag}{i}", category="crm", horizon="now")
    return made


# Members ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_the_presentation_matrix(client_for, people, plan, other_plan, role, expected):
    fill(plan)
    response = client_for(people[role]).get(reverse("plan_present", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "Omnichannel 2027" in response.content.decode()
    if role == "outsider":
        assert client_for(people[role]).get(reverse("plan_present", args=[other_plan.pk])).status_code == 200


def test_the_slides_follow_the_plan(client_for, people, plan):
    fill(plan, touchpoints=3)
    body = client_for(people["viewer"]).get(reverse("plan_present", args=[plan.pk])).content.decode()
    assert kinds(body) == ["title", "persona", "journey", "stage", "stage", "stage", "stage", "maturity", "roadmap"]
    assert "9 slides" in body and body.count('class="slide-number"') == 9 and "9 / 9" in body
    title, persona = slide(body, 1), slide(body, 2)
    assert "Omnichannel 2027" in title and "Northern Trail Outfitters" in title and "3</strong> touchpoints" in title
    assert "Persona 0" in persona and "I want it fast" in persona and "Find the right size" in persona
    overview = slide(body, 3)
    assert "Journey 0" in overview and "Discovery" in overview and "After-sales" in overview
    assert "emo-svg" in overview and "Lowest point: Research (-2)" in overview
    discovery = slide(body, 4)
    assert "Stage 1 of 4" in discovery and "Touchpoint 0.0" in discovery and "Touchpoint 0.2" in discovery
    assert "Touchpoint 0.1" not in discovery  # in the second stage
    assert 'class="emo-point is-current"' in discovery and 'aria-current="step">Discovery<' in discovery
    assert "Touchpoint 0.1" in slide(body, 5) and "No touchpoint at this stage yet." in slide(body, 6)
    maturity = slide(body, 8)
    assert "maturity-grid" in maturity and "channels I · engagement II" in maturity
    assert "Project 0" in slide(body, 9)
    # The way back, and the script that turns the page into slides.
    assert f'data-leave="{reverse("plan_detail", args=[plan.pk])}"' in body and "js/present.js" in body


def test_a_stage_lists_a_dozen_touchpoints_and_counts_the_rest(client_for, people, plan):
    fill(plan, touchpoints=30)
    body = client_for(people["viewer"]).get(reverse("plan_present", args=[plan.pk])).content.decode()
    discovery = slide(body, 4)  # 15 touchpoints: 12 listed
    assert discovery.count("<li>Touchpoint ") == 12 and "and 3 more touchpoints" in discovery


def test_a_journey_without_emotions_has_no_curve(client_for, people, plan):
    planning.journey_create(plan=plan, actor=None, name="Quiet journey", template="purchase")
    body = client_for(people["viewer"]).get(reverse("plan_present", args=[plan.pk])).content.decode()
    assert "Quiet journey" in body and "emo-svg" not in body
    assert kinds(body) == ["title", "journey", "stage", "stage", "stage", "stage"]


def test_one_journey_is_presented_on_its_own(client_for, people, plan, other_plan):
    first, second = fill(plan, journeys=2)
    client = client_for(people["viewer"])
    body = client.get(reverse("plan_present", args=[plan.pk]) + f"?journey={second.pk}").content.decode()
    assert "Journey 1" in body and "Touchpoint 0.0" not in body and "Project 0" not in body
    assert kinds(body) == ["title", "journey", "stage", "stage", "stage", "stage"]
    foreign = planning.journey_create(plan=other_plan, actor=None, name="Theirs", template="purchase")
    assert client.get(reverse("plan_present", args=[plan.pk]) + f"?journey={foreign.pk}").status_code == 404
    assert client.get(reverse("plan_present", args=[plan.pk]) + "?journey=x").status_code == 404


def test_the_presentation_is_in_french(client_for, people, plan):
    fill(plan)
    body = client_for(people["viewer"]).get(reverse("plan_present", args=[plan.pk]),
                                            HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "9 diapositives" in body and "Quitter la présentation" in body and "Étape 1 sur 4" in body
    assert "Courbe d'émotion" in body and "Plein écran" in body


def test_the_query_count_does_not_grow_with_the_plan(client_for, people, plan, org):
    from tests.factories import PlanFactory

    big = PlanFactory(organisation=org, name="Big plan")
    fill(plan, journeys=1, touchpoints=2, personas=1, items=1, tag="s")
    fill(big, journeys=4, touchpoints=40, personas=5, items=20, tag="b")
    client = client_for(people["owner"])
    counts = []
    for target in (plan, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plan_present", args=[target.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert kinds(response.content.decode()).count("stage") == 16
    assert counts[0] == counts[1], counts


def test_the_plan_overview_has_a_present_button(client_for, people, plan):
    body = client_for(people["viewer"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'href="{reverse("plan_present", args=[plan.pk])}"' in body and "Present" in body


# Through a share link --------------------------------------------------------------------------------------------


def shared_deck(visitor, link, token) -> str:
    open_link(visitor, token)
    response = visitor.get(reverse("shared_present", args=[link.prefix]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_journey_link_presents_its_journey_and_nothing_more(visitor, world, make_link):
    experience.emotion_set(journey=world["journey"], stage=world["journey"].stages.first(), actor=None, score=2)
    assessments.maturity_assessment_create(plan=world["plan"], actor=None, assessed_on=date(2026, 3, 1),
                                           channel_level=1, engagement_level=2)
    link, token = make_link(ShareScope.JOURNEY)
    body = shared_deck(visitor, link, token)
    assert kinds(body) == ["title", "persona", "journey", "stage", "stage", "stage", "stage"]
    assert "Buy trail shoes" in body and "Trail runner Tess" in body and "emo-svg" in body
    for hidden in ("Return a jacket", "Customer app", "maturity-grid", "eddie",
                   reverse("plan_detail", args=[world["plan"].pk])):
        assert hidden not in body
    assert f'data-leave="{reverse("shared_journey", args=[link.prefix, world["journey"].pk])}"' in body


def test_a_plan_link_presents_what_its_pages_show(visitor, world, make_link):
    assessments.maturity_assessment_create(plan=world["plan"], actor=None, assessed_on=date(2026, 3, 1),
                                           channel_level=1, engagement_level=2)
    link, token = make_link(ShareScope.PLAN, hide_member_names=True)
    body = shared_deck(visitor, link, token)
    assert kinds(body).count("journey") == 2 and "Return a jacket" in body and "Customer app" in body
    assert "maturity-grid" not in body and "eddie" not in body  # no maturity page shared; no member names


def test_a_roadmap_link_presents_the_roadmap(visitor, world, make_link):
    link, token = make_link(ShareScope.ROADMAP)
    body = shared_deck(visitor, link, token)
    assert kinds(body) == ["title", "roadmap"] and "Customer app" in body and "Buy trail shoes" not in body


def test_the_shared_pages_link_to_the_presentation(visitor, world, make_link):
    link, token = make_link(ShareScope.JOURNEY)
    open_link(visitor, token)
    page = visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).content.decode()
    assert f'href="{reverse("shared_present", args=[link.prefix])}"' in page


def test_a_revoked_or_unopened_link_presents_nothing(visitor, client, world, make_link):
    link, token = make_link(ShareScope.PLAN)
    assert visitor.get(reverse("shared_present", args=[link.prefix])).status_code == 404  # not opened here
    open_link(visitor, token)
    sharing.share_link_revoke(link=link, actor=world["owner"])
    response = visitor.get(reverse("shared_present", args=[link.prefix]))
    assert response.status_code == 404 and "Buy trail shoes" not in response.content.decode()
