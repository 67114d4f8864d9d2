"""Issue 19's bar for share links, in Chromium: an owner creates a password link to one journey; an anonymous
browser opens it, sees the map, and gets 404 for the plan overview, another journey, the API and an export; once
the owner revokes the link it answers 404. The shared pages and the links page pass axe and fit a phone."""

import pytest
from playwright.sync_api import Page, expect

from planning import services
from roadmaps.models import Export
from tenancy import services as tenancy_services
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401  (axe_source is a fixture)
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    persona = services.persona_create(plan=plan, actor=owner, name="Trail runner Tess")
    shared = services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase",
                                     persona=persona)
    other = services.journey_create(plan=plan, actor=owner, name="Return a jacket", template="purchase")
    export = Export.objects.create(plan=plan, format="pdf", requested_by=owner, status="succeeded", progress=100)
    return {"plan": plan, "journey": shared, "other": other, "export": export}


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def create_journey_link(page: Page, plan, password: str) -> str:
    """From the plan overview, by clicking: Share, the share links, a link to one journey with a password."""
    page.goto(f"/plans/{plan.pk}/")
    page.locator(".pagehead .actions").get_by_role("link", name="Share", exact=True).click()
    page.get_by_role("link", name="Share links for people without an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share links")
    page.get_by_label("One journey").check()
    page.get_by_label("Journey", exact=True).select_option(label="Buy trail shoes")
    page.get_by_label("Password (optional)").fill(password)
    page.get_by_role("button", name="Create the link").click()
    address = page.get_by_label("Link", exact=True)
    expect(address).to_be_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    return address.input_value()


def test_a_password_link_to_one_journey_shows_its_map_and_nothing_else_until_revoked(new_page, world,
                                                                                   axe_source):  # noqa: F811
    owner = new_page()
    sign_in(owner, "olivia")
    url = create_journey_link(owner, world["plan"], "trail-2027")
    assert "/s/jps_" in url

    visitor = new_page()
    visitor.set_viewport_size({"width": 390, "height": 844})
    visitor.goto(url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This link is protected")
    found = violations(visitor, axe_source, "share password")
    visitor.get_by_label("Password").fill("not-it")
    visitor.get_by_role("button", name="Open").click()
    expect(visitor.get_by_text("This is not the password of this link.")).to_be_visible()
    visitor.get_by_label("Password").fill("trail-2027")
    visitor.get_by_role("button", name="Open").click()

    expect(visitor.get_by_role("heading", level=1)).to_have_text("Buy trail shoes")
    expect(visitor.locator("table.jmap th.stage")).to_have_count(4)
    expect(visitor.locator(".persona-card")).to_contain_text("Trail runner Tess")
    expect(visitor.locator(".tp-addbtn")).to_have_count(0)
    expect(visitor.locator(".stage-menu")).to_have_count(0)
    map_address = visitor.url
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    found += violations(visitor, axe_source, "shared journey map")
    assert not found, "\n".join(found)

    plan, other, export = world["plan"], world["other"], world["export"]
    prefix = map_address.split("/shared/")[1].split("/")[0]
    for path in (f"/plans/{plan.pk}/", f"/journeys/{other.pk}/", f"/shared/{prefix}/journeys/{other.pk}/",
                 f"/shared/{prefix}/", f"/shared/{prefix}/roadmap/", "/api/v1/", f"/api/v1/journeys/{other.pk}/",
                 f"/plans/{plan.pk}/exports/", f"/exports/{export.pk}/download/", f"/plans/{plan.pk}/activity/",
                 "/"):
        response = visitor.goto(path)
        if path == f"/shared/{prefix}/":  # the link's home is its journey
            assert response.url == map_address
            continue
        assert response.status == 404, path
        assert "Return a jacket" not in visitor.content() and "Omnichannel 2027" not in visitor.content(), path

    owner.goto(f"/plans/{plan.pk}/share-links/")
    expect(owner.locator(".share-link")).to_contain_text("opened 1 time")
    found = violations(owner, axe_source, "share links")
    assert not found, "\n".join(found)
    owner.locator(".share-link").get_by_role("button", name="Revoke").click()
    expect(owner.locator(".share-link")).to_contain_text("Revoked")

    assert visitor.goto(map_address).status == 404
    assert visitor.goto(url).status == 404
