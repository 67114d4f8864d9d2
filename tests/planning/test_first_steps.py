"""First steps: an unfinished plan names its next step with a button, and an empty journey map shows a visible
"+ Add a touchpoint" in every cell and says what to do first."""

import pytest
from django.urls import reverse

from planning import services
from planning.models import Channel


def next_step(body: str) -> str:
    start = body.find('<section class="card nextstep"')
    return body[start:body.find("</section>", start)] if start >= 0 else ""


def test_an_empty_plan_asks_for_a_first_persona(client_for, people, plan):
    panel = next_step(client_for(people["editor"]).get(reverse("plan_detail", args=[plan.pk])).content.decode())
    assert "Next step" in panel
    create = reverse("persona_create", args=[plan.pk])
    assert f'<a class="btn primary" href="{create}">+ Add your first persona</a>' in panel


def test_then_a_first_journey_from_a_stage_template(client_for, people, plan):
    services.persona_create(plan=plan, actor=None, name="Sophie")
    panel = next_step(client_for(people["owner"]).get(reverse("plan_detail", args=[plan.pk])).content.decode())
    assert f'href="{reverse("journey_create", args=[plan.pk])}">+ Draw a first journey</a>' in panel
    assert "stage template" in panel


def test_then_the_touchpoints_of_a_journey_without_any(client_for, people, plan):
    services.persona_create(plan=plan, actor=None, name="Sophie")
    journey = services.journey_create(plan=plan, actor=None, name="Buy trail shoes", template="purchase")
    panel = next_step(client_for(people["owner"]).get(reverse("plan_detail", args=[plan.pk])).content.decode())
    assert "The journey “Buy trail shoes” has no touchpoints yet" in panel
    assert f'href="{reverse("journey_map", args=[journey.pk])}">Open the journey map</a>' in panel

    channel = Channel.objects.create(organisation=plan.organisation, name="Website", kind="online")
    services.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=None, name="Reads reviews")
    body = client_for(people["owner"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert next_step(body) == "" and "Next step" not in body


def test_a_viewer_is_not_asked_for_a_step_they_cannot_take(client_for, people, plan):
    body = client_for(people["viewer"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Next step" not in body and "Add your first persona" not in body


@pytest.fixture
def journey(plan):
    for name, kind in (("Website", "online"), ("Store", "offline")):
        Channel.objects.create(organisation=plan.organisation, name=name, kind=kind)
    return services.journey_create(plan=plan, actor=None, name="Buy trail shoes", template="purchase")


def test_an_empty_map_shows_an_add_button_in_every_cell_and_what_to_do_first(client_for, people, journey):
    body = client_for(people["editor"]).get(reverse("journey_map", args=[journey.pk])).content.decode()
    cells = journey.stages.count() * Channel.objects.filter(organisation=journey.plan.organisation).count()
    assert cells > 0 and body.count('<span class="tp-addlabel" aria-hidden="true">Add a touchpoint</span>') == cells
    stage = journey.stages.order_by("position").first()
    assert f'aria-label="Add a touchpoint in {stage.name} through Website"' in body
    assert "Next step: place the first touchpoint." in body and "Drag a card" not in body


def test_a_map_with_touchpoints_explains_dragging_instead(client_for, people, journey):
    channel = Channel.objects.get(organisation=journey.plan.organisation, name="Website")
    services.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=None, name="Reads reviews")
    body = client_for(people["editor"]).get(reverse("journey_map", args=[journey.pk])).content.decode()
    assert "Drag a card to another cell" in body and "Next step: place the first touchpoint." not in body


def test_a_viewer_sees_no_add_button_on_the_map(client_for, people, journey):
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[journey.pk])).content.decode()
    assert "tp-addbtn" not in body and "Next step" not in body
