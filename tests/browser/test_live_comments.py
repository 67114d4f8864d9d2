"""Comments live: Anna comments on a card of the journey map, mentioning Ben; Ben's map shows the card's comment
count go up and his bell's badge and its screen-reader words both say 1 unread, without a reload."""

import pytest
from playwright.sync_api import expect

from planning import services
from tests.browser.test_live import LIVE, on_map, open_page, workshop  # noqa: F401  (fixtures)
from tests.live_server import asgi_server  # noqa: F401  (fixture)
from workshops.services.comments import comment_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_comment_updates_the_others_card_count_and_bell(open_page, workshop):  # noqa: F811
    journey = workshop["journey"]
    touchpoint = services.touchpoint_create(stage=workshop["stages"][0], channel=workshop["web"],
                                            actor=workshop["owner"], name="Compares three models")
    comment_create(plan=workshop["plan"], actor=workshop["owner"], target_type="touchpoint",
                   target_id=touchpoint.pk, body="Seen in the store survey too.")
    anna, ben = on_map(open_page("anna"), journey), on_map(open_page("ben"), journey)
    ben.evaluate("window.__notReloaded = true")
    ben_count = ben.locator(f"#tp-{touchpoint.pk} .live-comments-count")
    expect(ben_count).to_have_text("1")
    bell = ben.locator("header .bell")
    expect(bell.locator("[data-bell-count]")).to_be_hidden()
    expect(bell).to_have_accessible_name("0 unread notifications")

    anna.locator(f"#tp-{touchpoint.pk} .live-comments-btn").click()
    anna.get_by_label("Comment", exact=True).fill("@ben can sales check the price comparison?")
    anna.get_by_role("button", name="Comment", exact=True).click()
    expect(anna.locator("#comments-list")).to_contain_text("can sales check the price comparison?")

    expect(ben_count).to_have_text("2", timeout=LIVE)
    expect(bell.locator("[data-bell-count]")).to_have_text("1")
    expect(bell).to_have_accessible_name("1 unread notification")  # the words match the badge
    assert ben.evaluate("window.__notReloaded") is True
