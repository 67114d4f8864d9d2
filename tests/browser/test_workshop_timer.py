"""The facilitator's timer in a real browser: when it ends, every page's live bar says "Time is up" for a minute and
then clears by itself; the workshop page keeps it on its big clock until the facilitator resets or restarts."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journey_map import journey, sign_in  # noqa: F401  (fixture)
from workshops.models import WorkshopTimer
from workshops.selectors import TIME_UP_SHOWN_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ended(plan, seconds_ago: float) -> None:
    WorkshopTimer.objects.update_or_create(plan=plan, defaults={
        "duration_seconds": 300, "remaining_seconds": 300,
        "ends_at": timezone.now() - timedelta(seconds=seconds_ago)})


def test_time_is_up_clears_from_the_live_bar_by_itself(page, journey):  # noqa: F811
    sign_in(page, "olivia")
    ended(journey.plan, TIME_UP_SHOWN_SECONDS - 5)  # ended almost a minute ago: a few seconds left to show it
    page.goto(f"/journeys/{journey.pk}/")
    bar_timer = page.locator("[data-live-timer]")
    expect(bar_timer).to_be_visible()
    expect(bar_timer).to_contain_text("Time is up")
    expect(bar_timer).to_be_hidden(timeout=12_000)  # nobody reset it: it went away by itself


def test_a_page_opened_long_after_the_end_does_not_say_time_is_up(page, journey):  # noqa: F811
    ended(journey.plan, TIME_UP_SHOWN_SECONDS + 60)
    sign_in(page, "olivia")
    page.goto(f"/journeys/{journey.pk}/")
    page.wait_for_timeout(1_000)  # live.js has drawn the bar
    expect(page.locator("[data-live-timer]")).to_be_hidden()


def test_the_workshop_page_keeps_time_is_up_until_the_facilitator_acts(page, journey):  # noqa: F811
    ended(journey.plan, TIME_UP_SHOWN_SECONDS + 60)
    sign_in(page, "olivia")
    page.goto(f"/plans/{journey.plan.pk}/workshop/")
    expect(page.locator("[data-workshop-timer]")).to_have_text("Time is up")
