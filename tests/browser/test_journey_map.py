"""The journey map in a real browser: add a touchpoint in a cell, drag it to another stage, reload, it is there."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from planning import services
from planning.models import Channel, Touchpoint
from tenancy import services as tenancy_services
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
User = get_user_model()


@pytest.fixture
def journey(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    return services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase")


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def drag(page: Page, source, target) -> None:
    """Press, move in small steps (SortableJS reacts to real pointer moves), release over the target."""
    start, end = source.bounding_box(), target.bounding_box()
    x0, y0 = start["x"] + 15, start["y"] + start["height"] / 2
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + 8
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20)
        page.wait_for_timeout(15)
    page.mouse.up()


def test_a_touchpoint_added_in_a_cell_and_dragged_to_another_stage_stays_there(page, journey):
    discovery, _research, conversion, _after = journey.stages.order_by("position")
    website = Channel.objects.get(organisation=journey.plan.organisation, name="Website")
    sign_in(page, "olivia")
    page.goto(f"/journeys/{journey.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy trail shoes")

    page.get_by_role("button", name="Add a touchpoint in Discovery through Website").click()
    form = page.locator("form.tp-form")
    form.get_by_label("Touchpoint").fill("Compares three models")
    form.get_by_label("What the customer does").fill("Reads the reviews of three trail shoes.")
    form.get_by_label("Evidence").select_option("observed")
    form.get_by_role("button", name="Add").click()

    start_cell = page.locator(f"#list-{discovery.pk}-{website.pk}")
    card = start_cell.locator(".tp", has_text="Compares three models")
    expect(card).to_contain_text("Observed")
    expect(form).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="added")).to_contain_text("Compares three models")
    touchpoint = Touchpoint.objects.get(name="Compares three models")
    assert (touchpoint.stage, touchpoint.channel) == (discovery, website)

    target_cell = page.locator(f"#list-{conversion.pk}-{website.pk}")
    with page.expect_response(lambda response: response.url.endswith(f"/touchpoints/{touchpoint.pk}/move/")) as move:
        drag(page, card, target_cell)
    assert move.value.status == 200, move.value.text()
    expect(target_cell.locator(".tp", has_text="Compares three models")).to_have_count(1)
    expect(start_cell.locator(".tp")).to_have_count(0)
    expect(page.locator(f'th.stage[data-stage="{conversion.pk}"] [data-stage-count]')).to_have_text("1")

    page.reload()
    expect(page.locator(f"#list-{conversion.pk}-{website.pk} .tp", has_text="Compares three models")).to_have_count(1)
    expect(page.locator(f"#list-{discovery.pk}-{website.pk} .tp")).to_have_count(0)
    touchpoint.refresh_from_db()
    assert (touchpoint.stage, touchpoint.channel) == (conversion, website)
    assert touchpoint.version == 2


def test_a_drag_based_on_a_stale_card_is_refused_and_the_map_shows_where_it_is(page, journey):
    discovery, research, conversion, _after = journey.stages.order_by("position")
    owner = User.objects.get(username="olivia")
    website = Channel.objects.get(organisation=journey.plan.organisation, name="Website")
    store = Channel.objects.get(organisation=journey.plan.organisation, name="Physical store")
    touchpoint = services.touchpoint_create(stage=discovery, channel=website, actor=owner, name="Reads a review")
    sign_in(page, "olivia")
    page.goto(f"/journeys/{journey.pk}/")
    card = page.locator(f"#tp-{touchpoint.pk}")
    expect(card).to_be_visible()

    # Meanwhile someone else moves the card to Research (the page still shows it in Discovery).
    services.touchpoint_move(touchpoint=touchpoint, actor=owner, stage=research, channel=store)

    with page.expect_response(lambda response: response.url.endswith(f"/touchpoints/{touchpoint.pk}/move/")) as move:
        drag(page, card, page.locator(f"#list-{conversion.pk}-{website.pk}"))
    assert move.value.status == 412
    expect(page.locator("#map-messages")).to_contain_text("Someone else changed “Reads a review” meanwhile")
    expect(page.locator(f"#list-{research.pk}-{store.pk} #tp-{touchpoint.pk}")).to_be_visible()
    expect(page.locator(f"#tp-{touchpoint.pk}")).to_have_count(1)
    touchpoint.refresh_from_db()
    assert (touchpoint.stage, touchpoint.channel, touchpoint.version) == (research, store, 2)
