"""Issue 20's bar for single sign-on, in Chromium, against a real OpenID Connect provider (npm's oidc-provider,
tests/sso/oidc_provider.mjs): a person of the organisation's domain signs in through the provider's own login and
consent pages and lands in the organisation with the role and team its groups map to; once SSO is required, a
password sign-in for that domain is refused, while the organisation's owner keeps the password way in."""

import re

import pytest
from playwright.sync_api import Page, expect

from sso import services as sso
from tenancy import services as tenancy
from tenancy.models import AdminLogEntry, Membership, Role
from tests.factories import PASSWORD, UserFactory, member
from tests.sso.provider import oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANN = {"email": "ann.lee@acme.test", "email_verified": True, "name": "Ann Lee", "given_name": "Ann",
       "family_name": "Lee", "groups": ["journey-editors", "marketing-dept"]}


@pytest.fixture
def acme(db):
    owner = UserFactory(username="olivia", email="olivia@acme.test")
    organisation = tenancy.organisation_create(user=owner, name="Acme Outdoor")
    marketing = tenancy.team_create(organisation=organisation, actor=owner, name="Marketing", department="marketing")
    return {"organisation": organisation, "owner": owner, "marketing": marketing}


@pytest.fixture
def provider(acme, live_server):
    callback = f"{live_server.url}/accounts/oidc/org-{acme['organisation'].pk}/login/callback/"
    with oidc_provider(redirect_uris=[callback], accounts={"ann.lee@acme.test": ANN}) as running:
        sso.configuration_save(
            organisation=acme["organisation"], actor=acme["owner"], issuer=running.issuer,
            client_id=running.client_id, client_secret=running.client_secret, domains=["acme.test"],
            default_role=Role.VIEWER, groups_claim="groups", extra_scopes="groups", sso_required=True,
            group_mappings=[{"group": "journey-editors", "role": Role.EDITOR},
                            {"group": "marketing-dept", "team": acme["marketing"]}])
        yield running


def sign_in_with_password(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_person_signs_in_through_the_provider_and_lands_in_the_organisation_with_the_mapped_role(
        page: Page, acme, provider):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your company account (SSO)").click()
    page.get_by_label("Your work e-mail address").fill("ann.lee@acme.test")
    page.get_by_role("button", name="Continue").click()
    # The provider's own pages (oidc-provider's interactions): its login form, then its consent form.
    expect(page).to_have_url(re.compile("^" + re.escape(provider.issuer)))
    page.locator("input[name=login]").fill("ann.lee@acme.test")
    page.locator("input[name=password]").fill("any password the test provider takes")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    # Back here, signed in, in the organisation.
    expect(page.get_by_role("heading", name="Acme Outdoor", level=1)).to_be_visible()
    membership = Membership.objects.select_related("user").get(organisation=acme["organisation"],
                                                               user__email="ann.lee@acme.test")
    assert membership.role == Role.EDITOR  # from the journey-editors group, not the default viewer role
    assert membership.user.username == "ann.lee" and membership.user.get_full_name() == "Ann Lee"
    assert list(acme["marketing"].group.user_set.all()) == [membership.user]
    assert not membership.user.has_usable_password()
    joined = AdminLogEntry.objects.get(organisation=acme["organisation"], action="membership.created",
                                       target_id=membership.pk)
    assert joined.after["role"] == "editor" and joined.after["via"] == "sso"
    page.goto(f"/organisations/{acme['organisation'].pk}/members/")
    expect(page.get_by_text("ann.lee", exact=False).first).to_be_visible()


def test_a_password_sign_in_for_the_domain_is_refused_when_sso_is_required_but_the_owner_keeps_it(
        page: Page, acme, provider):
    member(acme["organisation"], Role.ADMIN, username="bob", email="bob@acme.test")
    sign_in_with_password(page, "bob")
    expect(page.get_by_role("alert")).to_contain_text("requires single sign-on")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()  # still on the sign-in page
    sign_in_with_password(page, "olivia")  # the owner's recovery path
    expect(page.get_by_role("heading", name="Acme Outdoor", level=1)).to_be_visible()
