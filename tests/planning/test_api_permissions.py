"""Permission matrix for every API endpoint: anonymous, outsider, viewer, editor, admin, owner."""

import pytest

from tenancy.models import Membership, Plan, Team
from tests.conftest import ROLES
from tests.support import fields


def _matrix(expected):
    return list(zip(ROLES, expected, strict=True))


def _target(kind, org, plan, team, people):
    return {
        "organisation": f"/api/v1/organisations/{org.pk}/",
        "plan": f"/api/v1/plans/{plan.pk}/",
        "team": f"/api/v1/teams/{team.pk}/",
        "membership": f"/api/v1/memberships/{people['admin'].memberships.get(organisation=org).pk}/",
    }[kind]


DETAIL_CASES = [
    # kind, method, body, expected per role
    ("organisation", "get", None, [401, 404, 200, 200, 200, 200]),
    ("organisation", "patch", {"name": "Renamed"}, [401, 404, 403, 403, 200, 200]),
    ("plan", "get", None, [401, 404, 200, 200, 200, 200]),
    ("plan", "patch", {"name": "Renamed"}, [401, 404, 403, 200, 200, 200]),
    ("plan", "delete", None, [401, 404, 403, 403, 204, 204]),
    ("team", "get", None, [401, 404, 200, 200, 200, 200]),
    ("team", "patch", {"name": "Renamed"}, [401, 404, 403, 403, 200, 200]),
    ("team", "delete", None, [401, 404, 403, 403, 204, 204]),
    ("membership", "get", None, [401, 404, 200, 200, 200, 200]),
    ("membership", "patch", {"role": "editor"}, [401, 404, 403, 403, 200, 200]),
    # the admin removing their own membership is leaving, which is allowed
    ("membership", "delete", None, [401, 404, 403, 403, 204, 204]),
]


@pytest.mark.parametrize(("kind", "method", "body", "expected"), DETAIL_CASES,
                         ids=[f"{c[1]}-{c[0]}" for c in DETAIL_CASES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_detail_matrix(api_for, people, org, plan, team, kind, method, body, expected, role_index):
    url = _target(kind, org, plan, team, people)
    response = getattr(api_for(people[ROLES[role_index]]), method)(url, body, format="json")
    assert response.status_code == expected[role_index], response.content
    if response.status_code == 200:
        assert response.data["id"] and "created_at" in response.data and "updated_at" in response.data
        assert response["ETag"] == f'"{response.data["version"]}"'
    if response.status_code in (401, 403, 404):
        assert "detail" in response.json()


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 400, 403, 201, 201, 201]))
def test_creating_a_plan(api_for, people, org, role, expected):
    response = api_for(people[role]).post("/api/v1/plans/", {"organisation": org.pk, "name": "New plan"})
    assert response.status_code == expected, response.content
    assert Plan.objects.filter(organisation=org, name="New plan").exists() == (expected == 201)
    if expected == 400:
        assert "organisation" in fields(response)


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 400, 403, 403, 201, 201]))
def test_creating_a_team(api_for, people, org, role, expected):
    body = {"organisation": org.pk, "name": "Marketing", "department": "marketing"}
    response = api_for(people[role]).post("/api/v1/teams/", body)
    assert response.status_code == expected, response.content
    assert Team.objects.filter(organisation=org, name="Marketing").exists() == (expected == 201)


@pytest.mark.parametrize("resource", ["organisations", "plans", "teams", "memberships"])
def test_outsider_lists_nothing_of_another_organisation(api_for, people, org, plan, team, resource):
    response = api_for(people["outsider"]).get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert org.name not in body and plan.name not in body and team.name not in body
    assert response.data["count"] >= 0 and set(response.data) == {"count", "next", "previous", "results"}


def test_members_list_their_organisation(api_for, people, org, plan):
    response = api_for(people["viewer"]).get("/api/v1/memberships/", {"organisation": org.pk})
    usernames = {m["user"]["username"] for m in response.data["results"]}
    assert usernames == {"olivia", "adam", "eddie", "vera"}
    plans = api_for(people["viewer"]).get("/api/v1/plans/").data["results"]
    assert [p["name"] for p in plans] == [plan.name]


def test_global_model_permissions_do_not_open_other_organisations(api_for, client_for, people, plan):
    from django.contrib.auth.models import Permission

    outsider = people["outsider"]
    outsider.user_permissions.set(Permission.objects.filter(codename__in=[
        "view_plan", "change_plan", "delete_plan", "manage_plan", "view_organisation", "change_organisation"]))
    outsider.is_staff = outsider.is_superuser = True
    outsider.save()
    api = api_for(outsider)
    assert api.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert api.patch(f"/api/v1/plans/{plan.pk}/", {"name": "x"}).status_code == 404
    assert plan.name not in api.get("/api/v1/plans/").content.decode()
    assert client_for(outsider).get(f"/plans/{plan.pk}/").status_code == 404


def test_viewer_role_caps_a_granted_edit(api_for, people, plan, team):
    viewer = people["viewer"]
    team.group.user_set.add(viewer)  # the team has edit access, but the viewer role stays read-only
    response = api_for(viewer).patch(f"/api/v1/plans/{plan.pk}/", {"name": "x"})
    assert response.status_code == 403


def test_removed_member_loses_plan_access(api_for, people, org, plan):
    viewer = people["viewer"]
    owner_api = api_for(people["owner"])
    membership = Membership.objects.get(organisation=org, user=viewer)
    assert owner_api.delete(f"/api/v1/memberships/{membership.pk}/").status_code == 204
    assert api_for(viewer).get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert not plan.planuserobjectpermission_set.filter(user=viewer).exists()


@pytest.mark.parametrize(("role", "expected"), _matrix([401, 404, 403, 403, 200, 200]))
def test_the_admin_log_matrix(api_for, people, org, team, role, expected):
    """The organisation's admin log: owners and admins only; its entries name the fixture's team."""
    response = api_for(people[role]).get(f"/api/v1/organisations/{org.pk}/admin-log/")
    assert response.status_code == expected
    if expected == 200:
        assert [(e["action"], e["target_repr"]) for e in response.data["results"]] == [
            ("team.created", "Customer service")]
    else:
        assert "Customer service" not in response.content.decode()
