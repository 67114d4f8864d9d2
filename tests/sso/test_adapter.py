"""The socialaccount adapter and the mapping of groups to roles and teams, with allauth's own SocialLogin built
from claims the way its OpenID Connect provider builds it (sociallogin_from_response)."""

import pytest
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from sso import services
from sso.adapter import SsoSocialAccountAdapter, unique_username
from tenancy.models import AdminLogEntry, Membership, Role
from tests.factories import UserFactory, member

User = get_user_model()


@pytest.fixture
def request_():
    request = RequestFactory().get("/accounts/oidc/org-1/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    with context.request_context(request):
        yield request


def social_login(request, configuration, **claims):
    provider = configuration.social_app.get_provider(request)
    userinfo = {"sub": claims.pop("sub", "user-1"), "email_verified": True, **claims}
    sociallogin = provider.sociallogin_from_response(request, {"userinfo": userinfo, "id_token": {}})
    sociallogin.lookup()
    return sociallogin


def sign_in(request, configuration, **claims):
    """What allauth does on the callback: pre_social_login, then for a new person save_user (auto sign-up)."""
    adapter = SsoSocialAccountAdapter(request)
    sociallogin = social_login(request, configuration, **claims)
    adapter.pre_social_login(request, sociallogin)
    if not sociallogin.is_existing:
        assert adapter.is_open_for_signup(request, sociallogin)
        adapter.save_user(request, sociallogin)
    return sociallogin.user


def test_a_newcomer_joins_with_the_highest_mapped_role_and_the_mapped_team(request_, sso_config, org, team):
    user = sign_in(request_, sso_config, email="Tess@NTOutfitters.test", name="Tess Runner",
                   groups=["jp-editors", "jp-admins", "customer-service", "unmapped"])
    membership = Membership.objects.get(organisation=org, user=user)
    assert membership.role == Role.ADMIN  # admin beats editor
    assert user.email == "tess@ntoutfitters.test" and user.username == "tess"
    assert (user.first_name, user.last_name) == ("Tess", "Runner")
    assert not user.has_usable_password()
    assert team.group.user_set.filter(pk=user.pk).exists()
    actions = list(AdminLogEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert sorted(actions) == ["membership.created", "team.member_added"]


def test_a_newcomer_without_a_mapped_group_gets_the_default_role(request_, sso_config, org, team):
    user = sign_in(request_, sso_config, email="new@ntoutfitters.test", groups=["somewhere-else"])
    assert Membership.objects.get(organisation=org, user=user).role == Role.VIEWER
    assert not team.group.user_set.filter(pk=user.pk).exists()


def test_an_existing_account_with_the_address_is_linked_not_duplicated(request_, sso_config, org, people):
    existing = UserFactory(username="claire", email="claire@ntoutfitters.test")
    user = sign_in(request_, sso_config, email="claire@ntoutfitters.test", groups=["jp-editors"])
    assert user == existing and User.objects.filter(email__iexact="claire@ntoutfitters.test").count() == 1
    assert Membership.objects.get(organisation=org, user=existing).role == Role.EDITOR
    again = sign_in(request_, sso_config, email="claire@ntoutfitters.test", groups=["jp-editors"])
    assert again == existing and Membership.objects.filter(user=existing).count() == 1


def test_a_member_s_role_follows_the_groups_but_an_owner_stays_owner(request_, sso_config, org, people):
    viewer = member(org, Role.VIEWER, username="val", email="val@ntoutfitters.test")
    sign_in(request_, sso_config, sub="val", email="val@ntoutfitters.test", groups=["jp-editors"])
    assert Membership.objects.get(organisation=org, user=viewer).role == Role.EDITOR
    change = AdminLogEntry.objects.get(action="membership.role_changed", actor=viewer)
    assert change.before["role"] == "viewer" and change.after["role"] == "editor" and change.after["via"] == "sso"
    owner = people["owner"]
    owner.email = "olivia@ntoutfitters.test"
    owner.save()
    sign_in(request_, sso_config, sub="olivia", email="olivia@ntoutfitters.test", groups=["jp-editors"])
    assert Membership.objects.get(organisation=org, user=owner).role == Role.OWNER


def test_no_mapped_group_leaves_a_member_s_role_as_it_is(request_, sso_config, org):
    editor = member(org, Role.EDITOR, username="ed", email="ed@ntoutfitters.test")
    sign_in(request_, sso_config, sub="ed", email="ed@ntoutfitters.test", groups=[])
    assert Membership.objects.get(organisation=org, user=editor).role == Role.EDITOR
    assert not AdminLogEntry.objects.filter(actor=editor).exists()


@pytest.mark.parametrize(("claims", "reason"), [
    ({"email": "mallory@other-company.test"}, "domain this organisation owns"),
    ({"email": "tess@ntoutfitters.test", "email_verified": False}, "verified"),
    ({}, "verified e-mail address"),
])
def test_the_provider_is_trusted_only_for_verified_addresses_of_the_organisation_s_domains(
        request_, sso_config, people, claims, reason):
    people["outsider"].email = "mallory@other-company.test"
    people["outsider"].save()
    with pytest.raises(ImmediateHttpResponse) as refused:
        sign_in(request_, sso_config, **claims)
    assert refused.value.response.status_code == 403 and reason in refused.value.response.content.decode()
    assert not Membership.objects.filter(organisation=sso_config.organisation, user__email__in=[
        "mallory@other-company.test", "tess@ntoutfitters.test"]).exists()


def test_two_accounts_with_the_address_are_not_guessed_between(request_, sso_config):
    UserFactory(email="twin@ntoutfitters.test")
    UserFactory(email="TWIN@ntoutfitters.test")
    with pytest.raises(ImmediateHttpResponse) as refused:
        sign_in(request_, sso_config, email="twin@ntoutfitters.test")
    assert "Several accounts" in refused.value.response.content.decode()


def test_a_disabled_account_is_refused(request_, sso_config):
    UserFactory(email="gone@ntoutfitters.test", is_active=False)
    with pytest.raises(ImmediateHttpResponse) as refused:
        sign_in(request_, sso_config, email="gone@ntoutfitters.test")
    assert "disabled" in refused.value.response.content.decode()


def test_groups_are_read_from_the_configured_claim_in_userinfo_then_the_id_token(sso_config):
    sso_config.groups_claim = "roles"
    assert services.groups_from_claims(sso_config, {}, {"roles": ["a", "b"]}) == ["a", "b"]
    assert services.groups_from_claims(sso_config, {"roles": "a b,c"}, {"roles": ["x"]}) == ["a", "b", "c"]
    sso_config.groups_claim = ""
    assert services.groups_from_claims(sso_config, {"groups": ["a"]}) == []


def test_mapped_access_picks_the_highest_role_and_every_team(sso_config, team):
    assert services.mapped_access(sso_config, ["jp-editors", "customer-service"]) == (Role.EDITOR, [team])
    assert services.mapped_access(sso_config, ["nothing"]) == (None, [])


def test_a_taken_username_gets_a_number(db):
    UserFactory(username="ann")
    UserFactory(username="Ann2")
    assert unique_username("ann@example.com") == "ann3"
    assert unique_username("bo@example.com") == "bo"
