"""A long plan in the browser: the board's "show more" adds a column's next cards (and a keyboard move then keeps
them), the ranked list's adds the next rows with the focus on the first of them, and a closed journey of the
evaluations overview loads its table when opened; at 1440 and 390 px no page is wider than the screen."""

import os

import pytest
from playwright.sync_api import expect

from assessments.models import TouchpointEvaluation
from assessments.views.effort import OVERVIEW_ROWS, RANKED_PAGE
from planning import services
from planning.models import Touchpoint
from roadmaps.models import RoadmapItem
from roadmaps.views.boards import BOARD_PAGE
from tenancy import services as tenancy_services
from tests.browser.test_journey_map import sign_in
from tests.browser.test_keyboard import eventually
from tests.browser.test_small_screens import overflow
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to keep a screenshot of each page at each width


@pytest.fixture
def plan(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    team = tenancy_services.team_create(organisation=organisation, actor=owner, name="Customer service",
                                        department="customer_service")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    services.channels_seed(organisation)
    channel = organisation.channels.order_by("position").first()
    for name in ("Alpha", "Beta", "Gamma"):
        journey = services.journey_create(plan=plan, actor=owner, name=name, template=["Discover", "Buy"])
        stage = journey.stages.order_by("position").first()
        touchpoints = Touchpoint.objects.bulk_create([
            Touchpoint(plan=plan, journey=journey, stage=stage, channel=channel, name=f"{name} touchpoint {n:02d}",
                       position=float(n)) for n in range(60)])
        TouchpointEvaluation.objects.bulk_create([
            TouchpointEvaluation(plan=plan, touchpoint=t, team=team, maturity=1 + n % 4, potential_customer=5,
                                 potential_brand=4) for n, t in enumerate(touchpoints)])
    RoadmapItem.objects.bulk_create([
        RoadmapItem(plan=plan, title=f"Now item {n:02d}", horizon="now", value=10, effort=1 + n % 10,
                    board_position=float(n)) for n in range(BOARD_PAGE + 10)])
    return plan


def _check_widths(page, name: str, more) -> None:
    """No wider than the screen at 1440 and 390 px, the "show more" link in view and visible."""
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert overflow(page) <= 0, f"{name} at {width} px is wider than the screen"
        more.scroll_into_view_if_needed()
        expect(more).to_be_in_viewport()
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=False)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_board_loads_a_columns_next_cards_and_a_move_keeps_them(page, plan):
    sign_in(page, "olivia")
    page.goto(f"/plans/{plan.pk}/roadmap/board/")
    now = page.locator(".rm-column.horizon-now")
    expect(now.locator(".rm-card")).to_have_count(BOARD_PAGE)
    expect(now.locator("[data-count]")).to_have_text(str(BOARD_PAGE + 10))
    _check_widths(page, "board", now.get_by_role("link", name="Show the next 10 cards"))
    now.get_by_role("link", name="Show the next 10 cards").click()
    expect(now.locator(".rm-card")).to_have_count(BOARD_PAGE + 10)
    expect(now.locator(".rm-more")).to_have_count(0)
    card = now.locator(".rm-card").last
    title = card.locator(".rm-cardtitle").inner_text()
    card.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#rm-board-messages")).to_contain_text(f"“{title}” moved to Next.")
    eventually(lambda: RoadmapItem.objects.get(title=title).horizon == "next")
    expect(page.locator("#rm-board")).not_to_have_attribute("aria-busy", "true")
    expect(now.locator(".rm-card")).to_have_count(BOARD_PAGE + 9)  # the redraw kept the cards loaded
    expect(now.locator("[data-count]")).to_have_text(str(BOARD_PAGE + 9))
    expect(page.locator(".rm-column.horizon-next [data-count]")).to_have_text("1")


def test_the_ranked_list_loads_the_next_rows_and_focuses_the_first(page, plan):
    sign_in(page, "olivia")
    page.goto(f"/plans/{plan.pk}/heatmap/")
    rows = page.locator(".rankedtable tbody tr[id^=rank-]")
    expect(rows).to_have_count(RANKED_PAGE)
    _check_widths(page, "heatmap", page.get_by_role("link", name="Show the next 50 touchpoints"))
    page.get_by_role("link", name="Show the next 50 touchpoints").click()
    expect(rows).to_have_count(2 * RANKED_PAGE)
    expect(page.locator(f"#rank-{RANKED_PAGE + 1} a").first).to_be_focused()
    page.get_by_role("link", name="Show the next 50 touchpoints").click()
    page.get_by_role("link", name="Show the next 30 touchpoints").click()
    expect(rows).to_have_count(180)
    expect(page.locator("#ranked-more")).to_be_hidden()


def test_a_closed_journey_of_the_overview_loads_its_table_when_opened(page, plan):
    assert 2 * 60 <= OVERVIEW_ROWS < 3 * 60
    sign_in(page, "olivia")
    page.goto(f"/plans/{plan.pk}/evaluations/")
    expect(page.get_by_text("Beta touchpoint 59")).to_be_visible()
    expect(page.get_by_text("Gamma touchpoint 00")).to_have_count(0)
    _check_widths(page, "overview", page.get_by_text("Show its 60 touchpoints"))
    page.get_by_text("Show its 60 touchpoints").click()
    expect(page.get_by_role("link", name="Gamma touchpoint 59")).to_be_visible()
    expect(page.get_by_role("link", name="Open this journey's table")).to_have_count(0)
