"""Without a mouse: on the journey map a touchpoint is added, moved to another stage and lane, and edited with the
keyboard alone, every move said in the page's live region; on the roadmap board a card moves between columns with
the arrow keys. The focused element always shows an outline."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from planning import services
from planning.models import Touchpoint
from roadmaps import services as roadmaps
from roadmaps.models import RoadmapItem
from tenancy import services as tenancy_services
from tests.browser.test_journey_map import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase")
    roadmaps.roadmap_item_create(plan=plan, actor=owner, title="One customer id", category="crm", horizon="now",
                                 value=8, effort=3)
    return plan


def eventually(check, timeout: float = 5) -> None:
    """Wait until `check()` holds: the page saves in the background."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not saved in time"
        time.sleep(0.1)


def expect_visible_focus(page: Page) -> None:
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused element shows where the focus is"


def test_a_touchpoint_is_added_moved_and_edited_with_the_keyboard_only(page, plan):
    journey = plan.journeys.get()
    discovery, research, *_rest = journey.stages.order_by("position")
    sign_in(page, "olivia")
    page.goto(f"/journeys/{journey.pk}/")
    status = page.locator("#map-messages")

    add = page.get_by_role("button", name="Add a touchpoint in Discovery through Website")
    add.focus()
    expect_visible_focus(page)
    page.keyboard.press("Enter")
    expect(page.locator("form.tp-form").get_by_label("Touchpoint", exact=True)).to_be_focused()  # focus in the form
    page.keyboard.type("Compares three models")
    page.keyboard.press("Enter")

    card = page.locator(".tp", has_text="Compares three models")
    expect(card).to_be_focused()  # back on the new card
    expect_visible_focus(page)
    touchpoint = Touchpoint.objects.get(name="Compares three models")
    assert (touchpoint.stage, touchpoint.channel.name) == (discovery, "Website")

    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("“Compares three models” moved to Research · Website, place 1 of 1.")
    expect(card).to_be_focused()
    expect(page.locator(f"#list-{research.pk}-{touchpoint.channel_id} .tp")).to_have_text(re.compile("Compares"))
    eventually(lambda: Touchpoint.objects.get(pk=touchpoint.pk).stage == research)

    page.keyboard.press("ArrowDown")  # alone in its cell: to the lane below
    below = page.locator("tr.lane").nth(
        [i for i, row in enumerate(page.locator("tr.lane").all()) if row.get_attribute("data-channel")
         == str(touchpoint.channel_id)][0] + 1).get_attribute("data-channel")
    expect(status).to_contain_text("moved to Research · ")
    expect(page.locator(f"#list-{research.pk}-{below} .tp")).to_have_count(1)
    eventually(lambda: str(Touchpoint.objects.get(pk=touchpoint.pk).channel_id) == below)

    expect(card).to_be_focused()
    page.keyboard.press("Enter")  # opens the edit form
    name = page.locator("form.tp-form").get_by_label("Touchpoint", exact=True)
    expect(name).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Compares three trail shoes")
    page.keyboard.press("Enter")
    card = page.locator(".tp", has_text="Compares three trail shoes")
    expect(card).to_be_focused()
    eventually(lambda: Touchpoint.objects.get(pk=touchpoint.pk).name == "Compares three trail shoes")


def test_a_roadmap_card_moves_between_columns_with_the_arrow_keys(page, plan):
    sign_in(page, "olivia")
    page.goto(f"/plans/{plan.pk}/roadmap/board/")
    card = page.locator(".rm-card", has_text="One customer id")
    card.focus()
    expect_visible_focus(page)

    page.keyboard.press("ArrowRight")
    expect(page.locator("#rm-board-messages")).to_contain_text("“One customer id” moved to Next.")
    next_column = page.locator(".rm-column.horizon-next")
    expect(next_column.locator(".rm-card", has_text="One customer id")).to_be_focused()  # still focused after redraw
    eventually(lambda: RoadmapItem.objects.get(title="One customer id").horizon == "next")

    expect(page.locator("#rm-board")).not_to_have_attribute("aria-busy", "true")  # saved and redrawn
    page.keyboard.press("ArrowRight")
    expect(page.locator(".rm-column.horizon-later .rm-card", has_text="One customer id")).to_be_focused()
    eventually(lambda: RoadmapItem.objects.get(title="One customer id").horizon == "later")
    expect(page.locator("#rm-board")).not_to_have_attribute("aria-busy", "true")
    page.keyboard.press("ArrowRight")  # the last column: nowhere further
    page.keyboard.press("ArrowLeft")
    expect(next_column.locator(".rm-card", has_text="One customer id")).to_be_focused()
    eventually(lambda: RoadmapItem.objects.get(title="One customer id").horizon == "next")
    expect(page.locator("#rm-board")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#rm-board-messages li")).to_have_count(3)  # each move said
