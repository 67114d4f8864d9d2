"""`/api/v1/sso-configurations/`: the permission matrix, the write-only secret, problem details, updated_since."""

import pytest

from sso import services
from sso.models import SsoConfiguration
from tenancy.models import AdminLogEntry, Membership
from tests.conftest import ROLES
from tests.factories import OrganisationFactory, member
from tests.support import fields

URL = "/api/v1/sso-configurations/"


def _matrix(expected):
    return list(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 404, 403, 403, 200, 200]))
def test_reading_a_configuration_needs_an_owner_or_admin(api_for, people, sso_config, role, expected):
    response = api_for(people[role]).get(f"{URL}{sso_config.pk}/")
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json" if expected == 200 else "application/problem+json")
    if expected == 200:
        assert response.data["domains"] == ["ntoutfitters.test"]
        assert response.data["client_secret_hint"] == "••••9876" and "client_secret" not in response.data
        callback = f"/accounts/oidc/org-{sso_config.organisation_id}/login/callback/"
        assert response.data["redirect_uri"] == f"http://testserver{callback}"
        assert {"group": "jp-admins", "role": "admin", "team": None} in response.data["group_mappings"]
    else:
        assert "ntoutfitters" not in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 200, 200, 200, 200, 200]))
def test_the_list_holds_only_the_configurations_one_manages(api_for, people, sso_config, role, expected):
    response = api_for(people[role]).get(URL)
    assert response.status_code == expected
    if expected == 200:
        ids = [row["id"] for row in response.data["results"]]
        assert ids == ([sso_config.pk] if role in ("admin", "owner") else [])


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 404, 403, 403, 200, 200]))
def test_changing_a_configuration_needs_an_owner_or_admin(api_for, people, sso_config, role, expected):
    response = api_for(people[role]).patch(f"{URL}{sso_config.pk}/", {"sso_required": True}, format="json")
    assert response.status_code == expected
    sso_config.refresh_from_db()
    assert sso_config.sso_required == (expected == 200)
    assert sso_config.social_app.secret == "a-long-client-secret-9876"  # kept when not sent


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 404, 403, 403, 204, 204]))
def test_deleting_a_configuration_needs_an_owner_or_admin(api_for, people, sso_config, role, expected):
    response = api_for(people[role]).delete(f"{URL}{sso_config.pk}/")
    assert response.status_code == expected
    assert SsoConfiguration.objects.filter(pk=sso_config.pk).exists() == (expected != 204)


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 400, 403, 403, 201, 201]))
def test_creating_a_configuration_needs_an_owner_or_admin(api_for, people, org, role, expected):
    body = {"organisation": org.pk, "issuer": "https://idp.example.org", "client_id": "jp",
            "client_secret": "brand-new-secret-1234", "domains": ["NTO.example"]}
    response = api_for(people[role]).post(URL, body, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.data["domains"] == ["nto.example"] and response.data["client_secret_hint"] == "••••1234"
        assert "brand-new-secret" not in response.content.decode()
    if role == "outsider":
        assert "organisation" in fields(response)  # not one of theirs: as if it did not exist
    assert SsoConfiguration.objects.filter(organisation=org).exists() == (expected == 201)


def test_a_domain_of_another_organisation_is_a_field_problem(api_for, people, sso_config):
    body = {"organisation": people["other_org"].pk, "issuer": "https://idp.other.test", "client_id": "x",
            "client_secret": "y", "domains": ["ntoutfitters.test"]}
    response = api_for(people["outsider"]).post(URL, body, format="json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert "Already used by another organisation: ntoutfitters.test" in fields(response)["domains"][0]


def test_a_second_configuration_for_an_organisation_is_refused(api_for, people, org, sso_config):
    body = {"organisation": org.pk, "issuer": "https://idp.example.org", "client_id": "jp", "client_secret": "s",
            "domains": ["other.test"]}
    response = api_for(people["owner"]).post(URL, body, format="json")
    assert response.status_code == 400 and "organisation" in fields(response)


def test_the_secret_is_required_on_creation_and_never_answered(api_for, people, org):
    body = {"organisation": org.pk, "issuer": "https://idp.example.org", "client_id": "jp", "domains": ["a.test"]}
    response = api_for(people["owner"]).post(URL, body, format="json")
    assert response.status_code == 400 and "client_secret" in fields(response)


def test_a_change_through_the_api_is_logged_with_the_secret_masked(api_for, people, sso_config):
    body = {"client_secret": "rotated-secret-value-4321", "domains": ["ntoutfitters.test", "nto.example"]}
    assert api_for(people["admin"]).patch(f"{URL}{sso_config.pk}/", body, format="json").status_code == 200
    entry = AdminLogEntry.objects.filter(target_type="sso.ssoconfiguration").first()
    assert entry.actor == people["admin"]
    assert entry.before["client_secret"] == "••••9876" and entry.after["client_secret"] == "••••4321"
    assert entry.after["domains"] == ["nto.example", "ntoutfitters.test"]
    assert "rotated-secret" not in str(entry.before) + str(entry.after)


def test_the_list_reads_the_same_number_of_queries_for_more_configurations(api_for, people, sso_config,
                                                                            django_assert_max_num_queries):
    admin = people["admin"]
    api = api_for(admin)
    with django_assert_max_num_queries(12) as few:
        api.get(URL)
    for number in range(5):
        organisation = OrganisationFactory()
        member(organisation, "owner")
        Membership.objects.create(organisation=organisation, user=admin, role="admin")
        services.configuration_save(organisation=organisation, actor=admin, issuer="https://idp.test",
                                    client_id="c", client_secret="s", domains=[f"d{number}.test"],
                                    group_mappings=[{"group": "g", "role": "editor"}], groups_claim="groups")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(URL).data["results"]) == 6
