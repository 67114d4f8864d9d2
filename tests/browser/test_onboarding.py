"""Onboarding in a real browser: sign in, create an organisation, invite a colleague who signs up from the email."""

import re

import pytest
from playwright.sync_api import Page, expect

from tenancy.models import Invitation, Membership, Organisation, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATION = "Northwind Travel"
INVITEE = "new.person@example.com"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def create_organisation(page: Page, name: str) -> None:
    page.get_by_role("link", name="Create an organisation").click()
    expect(page).to_have_url(re.compile(r"/organisations/new/$"))
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text(f"Organisation “{name}” created. You are its owner.")


def invite(page: Page, email: str, role: str) -> None:
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Members").click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Send invitation"))
    form.get_by_label("Email").fill(email)
    form.get_by_label("Role").select_option(role)
    form.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {email}.")


def test_owner_invites_an_editor_who_signs_up_from_the_emailed_link(page, new_page, live_server, mailoutbox):
    UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    sign_in(page, "olivia", PASSWORD)
    expect(page.get_by_role("heading", name="You are not in any organisation yet")).to_be_visible()

    create_organisation(page, ORGANISATION)
    invite(page, INVITEE, Role.EDITOR)

    invitations = page.locator("section").filter(has=page.get_by_role("heading", name="Invitations"))
    listed = invitations.get_by_role("listitem").filter(has_text=INVITEE)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Editor")
    organisation = Organisation.objects.get(name=ORGANISATION)
    invitation = Invitation.objects.get(organisation=organisation, email=INVITEE)
    assert invitation.role == Role.EDITOR and invitation.invited_by.username == "olivia"

    [email] = mailoutbox
    link = re.search(r"https?://\S+(/invitations/[\w-]+/)", email.body)
    assert email.to == [INVITEE] and link and link.group(1) == f"/invitations/{invitation.token}/"

    guest = new_page()  # a fresh context: nobody is signed in
    guest.goto(link.group(1))
    expect(guest.get_by_role("heading", level=1)).to_have_text(f"Join {ORGANISATION}")
    guest.get_by_label("Username").fill("nina")
    guest.get_by_label("First name").fill("Nina")
    guest.get_by_label("Last name").fill("Newman")
    guest.get_by_label("Password", exact=True).fill("a-long-passphrase-for-nina")
    guest.get_by_label("Password confirmation").fill("a-long-passphrase-for-nina")
    guest.get_by_role("button", name="Create my account and join").click()

    expect(guest).to_have_url(f"{live_server.url}/organisations/{organisation.pk}/")
    expect(guest.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(guest.get_by_role("status")).to_contain_text(f"Welcome to {ORGANISATION}.")
    membership = Membership.objects.get(organisation=organisation, user__username="nina")
    assert membership.role == Role.EDITOR and membership.user.email == INVITEE
    invitation.refresh_from_db()
    assert invitation.accepted_by == membership.user
