"""Presentation mode in Chromium: opened from the plan overview, stepped forward and back with the keyboard (the
keys a clicker sends), the counter and the visible slide follow; Esc leaves. The same through a share link. It fits
a phone and a wide screen."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import services as assessments
from experience import services as experience
from planning import services as planning
from planning.models import Channel
from roadmaps import services as roadmaps
from sharing import services as sharing
from sharing.models import ShareScope
from tenancy import services as tenancy_services
from tests.browser.test_share_links import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PRESENT_SCREENSHOTS")  # a folder: save the slides at 390 and 1440 px for a look


@pytest.fixture
def world(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027",
                                        description="Connect the store and the website.")
    persona = planning.persona_create(plan=plan, actor=owner, name="Trail runner Tess", quote="I want it today")
    journey = planning.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase",
                                      persona=persona)
    stages = list(journey.stages.order_by("position"))
    web = Channel.objects.get_or_create(organisation=organisation, name="Website", defaults={"kind": "online"})[0]
    store = Channel.objects.get_or_create(organisation=organisation, name="Physical store",
                                          defaults={"kind": "offline"})[0]
    planning.touchpoint_create(stage=stages[0], channel=web, actor=owner, name="Clicks an online ad")
    planning.touchpoint_create(stage=stages[1], channel=store, actor=owner, name="Tries shoes in store")
    for stage, score in zip(stages, (1, -1, 2, 0), strict=True):
        experience.emotion_set(journey=journey, stage=stage, actor=owner, score=score)
    assessments.maturity_assessment_create(plan=plan, actor=owner, assessed_on=date(2026, 3, 1), channel_level=1,
                                           engagement_level=2, target_channel_level=3, target_engagement_level=4)
    roadmaps.roadmap_item_create(plan=plan, actor=owner, title="Customer app", category="customer_app")
    return {"plan": plan, "journey": journey, "owner": owner}


def current_slide(page: Page):
    return page.locator("[data-slide]:visible")


def step_through(page: Page, total: int) -> None:
    """The keys of a keyboard and of a clicker move one slide at a time; only the current slide shows."""
    counter = page.locator("[data-deck-counter]")
    expect(counter).to_have_text(f"Slide 1 of {total}")
    expect(current_slide(page)).to_have_count(1)
    expect(current_slide(page)).to_have_id("slide-1")
    for key, number in [("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("PageUp", 3), ("ArrowLeft", 2),
                        ("End", total), ("Home", 1), ("ArrowDown", 2)]:
        page.keyboard.press(key)
        expect(counter).to_have_text(f"Slide {number} of {total}")
        expect(current_slide(page)).to_have_id(f"slide-{number}")
        expect(current_slide(page)).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # stays on the first slide
    expect(counter).to_have_text(f"Slide 1 of {total}")
    page.get_by_role("button", name="Next slide").click()
    expect(counter).to_have_text(f"Slide 2 of {total}")
    expect(page).to_have_url(f"{page.url.split('#')[0]}#slide-2")


def test_an_owner_presents_the_plan_from_its_overview(page, world):
    sign_in(page, "olivia")
    plan = world["plan"]
    page.goto(f"/plans/{plan.pk}/")
    page.locator(".pagehead .actions").get_by_role("link", name="Present").click()
    expect(page).to_have_url(f"{page.url.split('/plans/')[0]}/plans/{plan.pk}/present/#slide-1")
    # title, persona, journey, 4 stages, maturity, roadmap
    step_through(page, 9)
    page.keyboard.press("End")
    expect(current_slide(page)).to_contain_text("Customer app")
    page.keyboard.press("Home")
    expect(current_slide(page)).to_contain_text("Omnichannel 2027")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the first stage, with the emotion curve
    expect(current_slide(page)).to_contain_text("Discovery")
    expect(current_slide(page)).to_contain_text("Clicks an online ad")
    expect(current_slide(page).locator(".emo-point.is-current")).to_have_text("1")
    if SHOTS:
        for width, height in ((390, 844), (1440, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=os.path.join(SHOTS, f"present-stage-{width}.png"))
    button = page.locator("[data-deck-fullscreen]")
    if page.evaluate("document.fullscreenEnabled"):
        expect(button).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{page.url.split('/plans/')[0]}/plans/{plan.pk}/")


def test_the_slides_fit_a_phone_and_a_wide_screen(page, world):
    sign_in(page, "olivia")
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/plans/{world['plan'].pk}/present/")
        for number in range(1, 10):
            expect(page.locator("[data-deck-counter]")).to_have_text(f"Slide {number} of 9")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, number)
            if SHOTS:
                page.screenshot(path=os.path.join(SHOTS, f"present-{width}-{number}.png"))
            page.keyboard.press("PageDown")


def test_a_visitor_presents_a_shared_journey(new_page, world):
    link, token = sharing.share_link_create(plan=world["plan"], actor=world["owner"], scope=ShareScope.JOURNEY,
                                            journey=world["journey"], expires_at=timezone.now() + timedelta(days=1))
    page = new_page()
    page.goto(f"/s/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy trail shoes")
    page.get_by_role("link", name="Present").click()
    # title, persona, journey, 4 stages: no maturity, no roadmap
    step_through(page, 7)
    page.keyboard.press("End")
    expect(current_slide(page)).to_contain_text("After-sales")
    expect(page.locator("body")).not_to_contain_text("Customer app")
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy trail shoes")
