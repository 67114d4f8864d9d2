"""Live updates when the channel layer's Redis goes away, in Chromium against daphne with a Redis of this test.

Anna has the journey map open and live. The test stops its Redis: the page says, politely (role=status), that live
updates are paused and that it reconnects; she still adds a touchpoint, which is saved within 2 s (the broadcast
that fails after the commit never reaches her request). Redis comes back on the same port: the page reconnects
(backoff) and the notice goes. The shared Redis is never touched.
"""

import time

import pytest
from playwright.sync_api import expect

from planning.models import Touchpoint
from tests.browser.test_journey_map import sign_in
from tests.browser.test_live import on_map, workshop  # noqa: F401  (fixture)
from tests.faults.test_redis_down import own_redis  # noqa: F401  (fixture)
from tests.live_server import start_asgi_server, stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAUSED = "Live updates paused — reconnecting…"
REDIS_LAYER = """
CHANNEL_LAYERS = {{"default": {{"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {{
    "hosts": [{{"address": {url!r}, "socket_connect_timeout": 2, "socket_timeout": 15}}],
    "capacity": 5000, "expiry": 30}}}}}}
"""


@pytest.fixture
def redis_daphne(own_redis, transactional_db, tmp_path):  # noqa: F811
    """daphne whose channel layer is the test's Redis (as in production, where it is REDIS_URL)."""
    server = start_asgi_server(tmp_path, extra_settings=REDIS_LAYER.format(url=own_redis.url))
    try:
        yield server
    finally:
        stop(server.process)


def test_with_redis_stopped_the_map_says_live_updates_are_paused_and_still_saves(
        browser, redis_daphne, own_redis, workshop):  # noqa: F811
    context = browser.new_context(base_url=redis_daphne.url, locale="en-GB", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    try:
        anna = context.new_page()
        sign_in(anna, "anna")
        on_map(anna, workshop["journey"])
        notice = anna.get_by_role("status").filter(has_text=PAUSED)
        expect(notice).to_have_count(0)

        own_redis.stop()
        expect(notice).to_be_visible(timeout=15_000)
        expect(anna.locator("#live-bar")).not_to_have_attribute("data-state", "live")

        anna.get_by_role("button", name="Add a touchpoint in Discovery through Website").click()
        form = anna.locator("form.tp-form")
        form.get_by_label("Touchpoint").fill("Asks in the shop")
        started = time.monotonic()
        with anna.expect_response(lambda response: response.request.method == "POST") as saved:
            form.get_by_role("button", name="Add").click()
        assert saved.value.status < 400 and time.monotonic() - started < 2
        expect(anna.locator(".tp", has_text="Asks in the shop")).to_be_visible()
        assert Touchpoint.objects.filter(name="Asks in the shop").exists()
        assert "were not sent" in redis_daphne.log()  # the broadcast was tried, failed, and only logged
        expect(notice).to_be_visible()  # still down: still paused

        own_redis.start()
        expect(anna.locator("#live-bar")).to_have_attribute("data-state", "live", timeout=20_000)
        expect(notice).to_have_count(0)
        assert anna.locator("#live-paused").text_content() == ""
    finally:
        context.close()
