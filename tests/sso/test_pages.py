"""The SSO settings page (owners and admins), the password sign-in when SSO is required, and the SSO way in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from sso import services
from sso.models import SsoConfiguration
from tenancy.models import AdminLogEntry, Role
from tests.conftest import ROLES
from tests.factories import PASSWORD, member
from tests.sso.provider import oidc_provider

LOGIN = 302
FORM = {"issuer": "https://idp.ntoutfitters.test/", "client_id": "jp-web", "client_secret": "first-secret-abcd-1234",
        "domains": "ntoutfitters.test, NTO.example", "default_role": "editor", "groups_claim": "groups",
        "group_mappings": "jp-admins = admin\ncs = viewer, Customer service", "extra_scopes": "groups",
        "sso_required": "on"}


def _matrix(expected):
    return list(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize(("role", "expected"), _matrix([LOGIN, 404, 403, 403, 302, 302]))
def test_saving_the_sso_settings_needs_an_owner_or_admin(client_for, people, org, team, role, expected):
    response = client_for(people[role]).post(reverse("sso_settings", args=[org.pk]), FORM)
    assert response.status_code == expected
    assert SsoConfiguration.objects.filter(organisation=org).exists() == (expected == 302 and role != "anon")
    if role == "outsider":
        assert org.name not in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), _matrix([LOGIN, 404, 403, 403, 302, 302]))
def test_switching_sso_off_needs_an_owner_or_admin(client_for, people, sso_config, role, expected):
    response = client_for(people[role]).post(reverse("sso_delete", args=[sso_config.organisation_id]))
    assert response.status_code == expected
    still = SsoConfiguration.objects.filter(pk=sso_config.pk).exists()
    assert still == (expected != 302 or role == "anon")
    assert SocialApp.objects.filter(provider_id=f"org-{sso_config.organisation_id}").exists() == still


def test_the_settings_page_is_linked_from_the_organisation_settings(client_for, people, org):
    body = client_for(people["admin"]).get(reverse("organisation_settings", args=[org.pk])).content.decode()
    assert reverse("sso_settings", args=[org.pk]) in body


def test_saving_creates_the_provider_and_never_shows_the_secret_back(client_for, people, org, team):
    client = client_for(people["owner"])
    response = client.post(reverse("sso_settings", args=[org.pk]), FORM, follow=True)
    body = response.content.decode()
    assert "Single sign-on saved." in body
    assert "first-secret-abcd-1234" not in body and "••••1234" in body
    assert f"/accounts/oidc/org-{org.pk}/login/callback/" in body  # the redirect URI to register
    configuration = SsoConfiguration.objects.get(organisation=org)
    app = configuration.social_app
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect", f"org-{org.pk}", "jp-web", "first-secret-abcd-1234")
    assert app.settings["server_url"] == "https://idp.ntoutfitters.test"
    assert app.settings["scope"] == ["openid", "profile", "email", "groups"]
    assert sorted(configuration.domains.values_list("domain", flat=True)) == ["nto.example", "ntoutfitters.test"]
    assert [(m.group, m.role, m.team) for m in configuration.group_mappings.all()] == [
        ("cs", "viewer", team), ("jp-admins", "admin", None)]
    assert "jp-admins = admin" in body and "cs = viewer, Customer service" in body  # shown back as typed
    # Saving again with the secret left blank keeps it; the log holds before/after with the secret masked.
    client.post(reverse("sso_settings", args=[org.pk]), {**FORM, "client_secret": "", "default_role": "viewer"})
    app.refresh_from_db()
    assert app.secret == "first-secret-abcd-1234"
    created, changed = AdminLogEntry.objects.filter(target_type="sso.ssoconfiguration").order_by("id")
    assert created.before is None and created.after["client_secret"] == "••••1234"
    assert changed.before["default_role"] == "editor" and changed.after["default_role"] == "viewer"
    assert "first-secret" not in str(created.after) + str(changed.before) + str(changed.after)
    assert created.actor == people["owner"] and created.target_repr == "Single sign-on (OpenID Connect)"


def test_the_log_page_shows_the_sso_change_to_admins(client_for, people, sso_config, org):
    body = client_for(people["admin"]).get(reverse("admin_log", args=[org.pk])).content.decode()
    assert "Single sign-on (OpenID Connect)" in body


@pytest.mark.parametrize(("field", "value", "message"), [
    ("group_mappings", "jp-admins = owner", "neither a role"),
    ("group_mappings", "no equals sign", "write “group = role”"),
    ("domains", "not a domain", "Not an e-mail domain"),
])
def test_a_wrong_value_is_shown_on_its_field_and_the_input_kept(client_for, people, org, team, field, value,
                                                                message):
    response = client_for(people["owner"]).post(reverse("sso_settings", args=[org.pk]), {**FORM, field: value})
    body = response.content.decode()
    assert response.status_code == 200 and message in body and value.split()[0] in body
    assert not SsoConfiguration.objects.exists()


def test_a_domain_another_organisation_owns_is_refused(client_for, people, sso_config):
    other = people["other_org"]
    response = client_for(people["outsider"]).post(reverse("sso_settings", args=[other.pk]),
                                                   {**FORM, "domains": "ntoutfitters.test", "group_mappings": ""})
    assert "Already used by another organisation: ntoutfitters.test" in response.content.decode()
    assert not SsoConfiguration.objects.filter(organisation=other).exists()


# The password sign-in when SSO is required -----------------------------------------------------------------------


def _password_sign_in(client, username, password=PASSWORD):
    client.logout()
    return client.post(reverse("login"), {"login": username, "password": password})


@pytest.fixture
def required(sso_config):
    sso_config.sso_required = True
    sso_config.save()
    return sso_config


def test_a_password_sign_in_for_a_required_domain_is_refused_with_a_message(client, org, required):
    member(org, Role.ADMIN, username="bea", email="Bea@NTOutfitters.test")
    response = _password_sign_in(client, "bea")
    assert response.status_code == 200 and "requires single sign-on" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_owner_keeps_the_password_way_in(client, org, people, required):
    people["owner"].email = "olivia@ntoutfitters.test"
    people["owner"].save()
    assert _password_sign_in(client, "olivia").status_code == 302
    assert client.session["_auth_user_id"] == str(people["owner"].pk)


def test_a_wrong_password_says_nothing_of_sso(client, org, required):
    member(org, Role.EDITOR, username="bea", email="bea@ntoutfitters.test")
    body = _password_sign_in(client, "bea", "wrong").content.decode()
    assert "single sign-on" not in body and "password you specified are not correct" in body


def test_passwords_still_work_when_sso_is_not_required(client, org, sso_config):
    member(org, Role.EDITOR, username="bea", email="bea@ntoutfitters.test")
    assert _password_sign_in(client, "bea").status_code == 302


def test_other_domains_are_not_touched(client, people, required):
    assert _password_sign_in(client, "vera").status_code == 302  # vera@example.com


# The SSO way in ---------------------------------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_sso_way_in(client, db):
    body = client.get(reverse("login") + "?next=/plans/1/").content.decode()
    assert "Sign in with your company account (SSO)" in body and "/accounts/sso/?next=/plans/1/" in body


def test_an_address_of_no_configured_domain_is_told_to_use_its_password(client, sso_config):
    response = client.post(reverse("sso_login"), {"email": "vera@example.com"})
    assert response.status_code == 200
    assert "Single sign-on is not set up for this address" in response.content.decode()


def test_an_address_of_a_configured_domain_goes_to_its_provider(client, org, people, live_server):
    callback = f"http://testserver/accounts/oidc/org-{org.pk}/login/callback/"
    with oidc_provider(redirect_uris=[callback], accounts={}) as provider:
        services.configuration_save(organisation=org, actor=people["owner"], issuer=provider.issuer,
                                    client_id=provider.client_id, client_secret=provider.client_secret,
                                    domains=["ntoutfitters.test"], extra_scopes="groups")
        response = client.post(reverse("sso_login"), {"email": "tess@ntoutfitters.test", "next": "/plans/1/"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/auth"
    assert query["client_id"] == [provider.client_id] and query["redirect_uri"] == [callback]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email", "groups"}
    assert query["login_hint"] == ["tess@ntoutfitters.test"]
    assert query["code_challenge_method"] == ["S256"] and query["state"]


def test_the_provider_unreachable_is_a_clear_page_not_a_crash(client, org, people):
    services.configuration_save(organisation=org, actor=people["owner"], issuer="http://127.0.0.1:9",
                                client_id="c", client_secret="s", domains=["ntoutfitters.test"])
    response = client.post(reverse("sso_login"), {"email": "tess@ntoutfitters.test"})
    assert response.status_code == 502 and "cannot be reached" in response.content.decode()


def test_the_sso_pages_speak_french(client, people, org, sso_config):
    client.cookies["django_language"] = "fr"
    body = client.get(reverse("sso_login")).content.decode()
    assert "Se connecter avec le compte de votre entreprise (SSO)" in body and "Votre adresse e-mail" in body
    client.force_login(people["owner"])
    body = client.get(reverse("sso_settings", args=[org.pk])).content.decode()
    assert "Authentification unique (OpenID Connect)" in body and "Revendication des groupes" in body
    assert "URI de redirection" in body


def test_no_script_token_by_password_for_a_required_domain_but_the_owner_still_gets_one(api_for, org, people,
                                                                                         required):
    member(org, Role.EDITOR, username="bea", email="bea@ntoutfitters.test")
    response = api_for(None).post("/api/v1/auth/token/", {"username": "bea", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "requires single sign-on" in response.content.decode()
    people["owner"].email = "olivia@ntoutfitters.test"
    people["owner"].save()
    response = api_for(None).post("/api/v1/auth/token/", {"username": "olivia", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.data["token"]


def test_the_sso_way_in_is_limited_per_address(client, settings, sso_config):
    # It tells whether a domain has single sign-on: trying thousands of domains from one address is stopped.
    settings.ABUSE_RATES = {**settings.ABUSE_RATES, "sso_sign_in": {"address": "3/h"}}
    answers = [client.post(reverse("sso_login"), {"email": f"someone@domain-{n}.test"}, REMOTE_ADDR="198.51.102.7")
               for n in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Too many attempts from your network" in answers[-1].content.decode()
    other = client.post(reverse("sso_login"), {"email": "someone@domain-9.test"}, REMOTE_ADDR="198.51.102.8")
    assert other.status_code == 200
