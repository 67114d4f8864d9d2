"""The screenshots in docs/screens/ (and docs/screenshot.png): the plan overview, a journey map and the roadmap board
of the demo organisation at 1440, 768 and 390 px wide. Not a check: run it on purpose to refresh them,

    SCREENSHOTS=1 DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m pytest \
        tests/browser/test_screenshots.py
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.demo_pages import demo_plan
from tests.browser.test_small_screens import sign_in
from tests.live_server import asgi_server  # noqa: F401  (fixture: a real ASGI server, so the live bar is live)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(settings.BASE_DIR) / "docs"
WIDTHS = {1440: 900, 768: 1024, 390: 844}


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="refreshes docs/screens/ only when SCREENSHOTS is set")
def test_take_the_screenshots(browser, asgi_server):  # noqa: F811
    demo = demo_plan()
    pages = {"plan-overview": reverse("plan_detail", args=[demo.plan.pk]),
             "journey-map": reverse("journey_map", args=[demo.journey.pk]),
             "roadmap": reverse("roadmap_board", args=[demo.plan.pk])}
    (DOCS / "screens").mkdir(exist_ok=True)
    context = browser.new_context(base_url=asgi_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, "owner")
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(path)
            if page.locator("#live-bar").count():
                page.locator('#live-bar[data-state="live"]').wait_for()
            page.screenshot(path=DOCS / "screens" / f"{name}-{width}.png", full_page=width != 1440)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(pages["plan-overview"])
    page.screenshot(path=DOCS / "screenshot.png")
    context.close()
