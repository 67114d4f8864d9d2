"""WebAuthn in a real Chromium, with a virtual authenticator (DevTools protocol): add a security key / passkey, then
sign in with the password and the key, then with the passkey alone. WebAuthn needs a secure context: the live
server is addressed as http://localhost, which browsers treat as one."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tenancy import services as tenancy_services
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def olivia(db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    return owner


@pytest.fixture
def key_page(browser, live_server):
    """A page on http://localhost with a virtual platform authenticator that holds passkeys and verifies its user."""
    url = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(base_url=url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.cdp, page.authenticator_id = cdp, authenticator["authenticatorId"]
    yield page
    context.close()


def sign_in_with_password(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    page.locator("details.usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


def credentials(page: Page) -> list:
    return page.cdp.send("WebAuthn.getCredentials", {"authenticatorId": page.authenticator_id})["credentials"]


def test_a_security_key_is_added_then_signs_in_as_second_factor_and_as_passkey(key_page, olivia):
    page = key_page
    sign_in_with_password(page)
    expect(page.locator("details.usermenu")).to_be_visible()

    # From the account menu's profile to the two-factor page, then add a key (after confirming the password).
    page.locator("details.usermenu summary").click()
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication", level=1)).to_be_visible()
    page.locator(".mfa-panel", has_text="Security Keys").get_by_role("link", name="Add").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    keys = Authenticator.objects.filter(user=olivia, type=Authenticator.Type.WEBAUTHN)
    assert keys.count() == 1 and keys.get().wrap().name == "Laptop"
    assert len(credentials(page)) == 1 and credentials(page)[0]["isResidentCredential"]

    # Password, then the key.
    sign_out(page)
    sign_in_with_password(page)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_role("button", name="Use a security key").click()
    expect(page.locator("details.usermenu")).to_be_visible()
    expect(page.get_by_role("heading", name="Northern Trail Outfitters")).to_be_visible()

    # The passkey alone, from the sign-in page.
    sign_out(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.locator("details.usermenu")).to_be_visible()
    assert credentials(page)[0]["signCount"] >= 2  # the authenticator signed each sign-in


def test_without_the_key_the_password_alone_does_not_sign_in(key_page, olivia):
    page = key_page
    sign_in_with_password(page)
    page.locator("details.usermenu summary").click()
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.locator(".mfa-panel", has_text="Security Keys").get_by_role("link", name="Add").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("Laptop")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    sign_out(page)
    page.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": page.authenticator_id})
    sign_in_with_password(page)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.goto("/")  # the pending sign-in stays at its second step: nobody is signed in
    expect(page).to_have_url(re.compile(r"/accounts/(2fa/authenticate|login)/"))
    expect(page.locator("details.usermenu")).to_have_count(0)
