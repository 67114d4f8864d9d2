"""The versions pages on a phone: no page wider than 390 px, targets of 24 px, axe-core clean, in English and French;
a copy of a journey asked for on the page shows its row finishing without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.demo_pages import demo_plan, version_pages
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401  (axe_source is a fixture)
from tests.browser.test_small_screens import sign_in, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_versions_pages_fit_a_phone_and_pass_axe(new_page, axe_source):  # noqa: F811
    demo = demo_plan()
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "owner")
    found = []
    for name, path, _then in version_pages(demo):
        page.goto(path)
        found += too_wide(page, name, 390)
        found += violations(page, axe_source, f"{name} at 390 px")
    assert not found, "\n".join(found)
    page.goto(version_pages(demo)[2][1])
    expect(page.get_by_text("1 change", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Restore…")).to_have_count(1)


def test_a_journey_copy_asked_on_the_page_finishes_in_its_row(new_page, settings):
    settings.PLAN_EXPORTS_IN_THREAD = True  # no worker here: the copy runs in a thread of the server
    demo = demo_plan()
    page = new_page()
    sign_in(page, "owner")
    page.goto(f"/plans/{demo.plan.pk}/versions/")
    form = page.locator("form.versions-copy").first
    form.get_by_label("Journey", exact=True).select_option(index=1)
    form.get_by_label("Name of the copy").fill("Welcome, second try")
    form.get_by_role("button", name="Copy the journey").click()
    row = page.locator("table.copies tbody tr").first
    expect(row.get_by_role("link", name="Open the journey")).to_be_visible(timeout=30_000)
    expect(row).to_contain_text("100 %")
