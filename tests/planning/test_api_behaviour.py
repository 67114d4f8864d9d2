import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tenancy import services
from tenancy.access import Access
from tests.factories import PASSWORD, PlanFactory, member
from tests.support import fields


def test_token_endpoint_returns_a_token_that_authenticates(people, plan):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "vera", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and len(response.data["token"]) == 40
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert api.get(f"/api/v1/plans/{plan.pk}/").data["name"] == plan.name


def test_token_endpoint_refuses_a_wrong_password_with_a_field_message(people):
    response = APIClient().post("/api/v1/auth/token/", {"username": "vera", "password": "nope"}, format="json")
    assert response.status_code == 400 and "non_field_errors" in fields(response)


def test_creating_an_organisation_returns_it_with_the_owner_role(api_for, people):
    response = api_for(people["viewer"]).post("/api/v1/organisations/", {"name": "Viewer's own company"})
    assert response.status_code == 201
    assert response.data["role"] == "owner" and response.data["name"] == "Viewer's own company"
    assert {"id", "created_at", "updated_at", "version"} <= set(response.data)


def test_stale_if_match_returns_412_with_the_current_object(api_for, people, plan):
    editor, admin = api_for(people["editor"]), api_for(people["admin"])
    etag = editor.get(f"/api/v1/plans/{plan.pk}/")["ETag"]
    first = admin.patch(f"/api/v1/plans/{plan.pk}/", {"name": "Admin's name"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = editor.patch(f"/api/v1/plans/{plan.pk}/", {"description": "Mine"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.data["current"]["name"] == "Admin's name" and stale["ETag"] == '"2"'
    plan.refresh_from_db()
    assert plan.description != "Mine" and plan.version == 2


def test_stale_delete_is_refused(api_for, people, plan):
    admin = api_for(people["admin"])
    admin.patch(f"/api/v1/plans/{plan.pk}/", {"name": "v2"})
    response = admin.delete(f"/api/v1/plans/{plan.pk}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert admin.get(f"/api/v1/plans/{plan.pk}/").status_code == 200


def test_malformed_if_match_is_a_clear_400(api_for, people, plan):
    response = api_for(people["admin"]).patch(f"/api/v1/plans/{plan.pk}/", {"name": "x"}, HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400 and "If-Match" in response.data["detail"]


def test_validation_errors_name_the_field(api_for, people, plan):
    response = api_for(people["admin"]).patch(f"/api/v1/plans/{plan.pk}/",
                                              {"period_start": "2027-05-01", "period_end": "2027-01-01"})
    assert response.status_code == 400 and "period_end" in fields(response)
    response = api_for(people["admin"]).patch(f"/api/v1/plans/{plan.pk}/", {"status": "finished"})
    assert response.status_code == 400 and "status" in fields(response)


def test_last_owner_demotion_is_a_400_naming_the_role(api_for, people, org):
    membership = people["owner"].memberships.get(organisation=org)
    response = api_for(people["owner"]).patch(f"/api/v1/memberships/{membership.pk}/", {"role": "admin"})
    assert response.status_code == 400 and "owner" in str(fields(response)["role"])


def test_team_members_can_be_set_but_not_with_strangers(api_for, people, org, team):
    admin = api_for(people["admin"])
    viewer_id, outsider_id = people["viewer"].pk, people["outsider"].pk
    response = admin.patch(f"/api/v1/teams/{team.pk}/", {"members": [viewer_id]})
    assert response.status_code == 200 and response.data["members"] == [viewer_id]
    response = admin.patch(f"/api/v1/teams/{team.pk}/", {"members": [outsider_id]})
    assert response.status_code == 400 and "members" in fields(response)


def _count_queries(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.data["count"]


@pytest.mark.parametrize("resource", ["organisations", "plans", "teams", "memberships"])
def test_list_query_count_does_not_grow_with_rows(api_for, people, org, plan, team, resource):
    owner = people["owner"]
    api = api_for(owner)
    few = _count_queries(api, f"/api/v1/{resource}/")
    for i in range(12):
        extra = services.organisation_create(user=owner, name=f"Extra {i}")
        PlanFactory(organisation=org, name=f"Plan {i}")
        services.team_create(organisation=org, actor=owner, name=f"Team {i}", department="it",
                             members=[people["editor"], member(org)])
        plan = PlanFactory(organisation=extra)
        services.plan_grant(plan=plan, actor=None, user=owner, access=Access.VIEW)
    many = _count_queries(api, f"/api/v1/{resource}/")
    assert many[1] > few[1]
    assert many[0] == few[0]


def test_openapi_schema_documents_every_resource(api_for, people):
    response = api_for(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/organisations/", "/api/v1/plans/{id}/", "/api/v1/teams/", "/api/v1/memberships/{id}/",
                 "/api/v1/auth/token/"):
        assert path in schema["paths"], path
    assert schema["openapi"].startswith("3.")


def test_schema_validates(db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
