"""An organisation may require two-factor authentication of its members: who may set it, what it does to a member
without a second factor (pages and the session API, not API tokens), and its entry in the admin log."""

import pytest
from django.urls import reverse

from identity import selectors, services
from identity.models import MfaPolicy
from tenancy.models import AdminLogEntry
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def require_mfa(org, owner, with_totp):
    with_totp(owner)
    services.mfa_policy_set(organisation=org, actor=owner, required=True)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 404, 403, 403, 302, 302], strict=True)))
def test_only_owners_and_admins_set_the_requirement(client_for, people, org, with_totp, role, expected):
    if people[role] is not None:
        with_totp(people[role])
    response = client_for(people[role]).post(reverse("organisation_security", args=[org.pk]), {"required": "on"})
    assert response.status_code == expected
    assert MfaPolicy.objects.filter(organisation=org, required=True).exists() == (role in ("admin", "owner"))


def test_the_page_is_linked_from_the_organisation_settings(client_for, people, org):
    page = client_for(people["admin"]).get(reverse("organisation_settings", args=[org.pk])).content.decode()
    assert f'href="{reverse("organisation_security", args=[org.pk])}"' in page


def test_an_admin_without_a_second_factor_cannot_require_one(client_for, people, org):
    response = client_for(people["owner"]).post(reverse("organisation_security", args=[org.pk]), {"required": "on"})
    assert response.status_code == 200 and "Add a second factor to your own account first" in response.content.decode()
    assert not MfaPolicy.objects.filter(organisation=org, required=True).exists()


def test_requiring_it_is_logged_once_with_before_and_after(client_for, people, org, with_totp):
    with_totp(people["admin"])
    client = client_for(people["admin"])
    for _n in range(2):  # saving the same value again changes nothing and logs nothing
        answer = client.post(reverse("organisation_security", args=[org.pk]), {"required": "on"}, follow=True)
    assert "Sign-in security saved." in answer.content.decode()
    entry = AdminLogEntry.objects.get(organisation=org, action="mfa.policy_changed")
    assert (entry.before, entry.after) == ({"mfa_required": False}, {"mfa_required": True})
    assert entry.actor == people["admin"]
    assert entry.channel == "session" and entry.address == "127.0.0.1"
    log = client.get(reverse("admin_log", args=[org.pk])).content.decode()
    assert "Two-factor requirement changed" in log
    outsider_log = client_for(people["outsider"]).get(reverse("admin_log", args=[org.pk]))
    assert outsider_log.status_code == 404


def test_the_page_lists_the_members_still_without_a_second_factor(client_for, people, org, with_totp):
    require_mfa(org, people["owner"], with_totp)
    page = client_for(people["owner"]).get(reverse("organisation_security", args=[org.pk])).content.decode()
    listed = page.split('class="mfa-missing"')[1].split("</ul>")[0]
    assert str(people["viewer"]) in listed and str(people["owner"]) not in listed


def test_a_member_without_a_second_factor_is_sent_to_add_one(client_for, people, org, plan, with_totp):
    require_mfa(org, people["owner"], with_totp)
    client = client_for(people["viewer"])
    for url in (reverse("organisation_detail", args=[org.pk]), reverse("plan_detail", args=[plan.pk]),
                reverse("home")):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == reverse("mfa_index"), url
    landing = client.get(reverse("mfa_index"))
    assert landing.status_code == 200
    assert "Your organisation requires two-factor authentication" in landing.content.decode()
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # reachable (asks the password first)
    assert client.get(reverse("profile")).status_code == 200  # the account's own pages stay open


def test_the_session_api_answers_403_but_api_tokens_are_unaffected(client_for, api_for, people, org, with_totp):
    require_mfa(org, people["owner"], with_totp)
    session = client_for(people["viewer"]).get("/api/v1/organisations/")
    assert session.status_code == 403 and session["Content-Type"] == "application/problem+json"
    assert session.json()["code"] == "mfa_required"
    assert api_for(people["viewer"]).get("/api/v1/organisations/").status_code == 200


def test_once_the_member_adds_a_second_factor_the_pages_open(client_for, people, org, with_totp):
    require_mfa(org, people["owner"], with_totp)
    client = client_for(people["viewer"])
    assert client.get(reverse("organisation_detail", args=[org.pk])).status_code == 302
    with_totp(people["viewer"])
    selectors.mfa_due_forget(people["viewer"])  # what allauth's authenticator_added signal leads to
    assert client.get(reverse("organisation_detail", args=[org.pk])).status_code == 200


def test_other_organisations_members_and_an_optional_policy_change_nothing(client_for, people, org, with_totp):
    require_mfa(org, people["owner"], with_totp)
    other = people["other_org"]
    assert client_for(people["outsider"]).get(reverse("organisation_detail", args=[other.pk])).status_code == 200
    services.mfa_policy_set(organisation=org, actor=people["owner"], required=False)
    assert client_for(people["viewer"]).get(reverse("organisation_detail", args=[org.pk])).status_code == 200
