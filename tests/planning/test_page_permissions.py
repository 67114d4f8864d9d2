"""Permission matrix for every page: anonymous, outsider, viewer, editor, admin, owner."""

import pytest
from django.urls import reverse

from tenancy import services
from tenancy.models import Invitation, Plan, Team
from tests.conftest import ROLES

LOGIN = 302
# route name, how to build its args, expected status per role in ROLES order
GET_PAGES = [
    ("organisation_detail", lambda o, p, t: [o.pk], [LOGIN, 404, 200, 200, 200, 200]),
    ("organisation_settings", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("organisation_security", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("sso_settings", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("members", lambda o, p, t: [o.pk], [LOGIN, 404, 200, 200, 200, 200]),
    ("teams", lambda o, p, t: [o.pk], [LOGIN, 404, 200, 200, 200, 200]),
    ("team_create", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("team_edit", lambda o, p, t: [o.pk, t.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("invitation_create", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("plan_create", lambda o, p, t: [o.pk], [LOGIN, 404, 403, 200, 200, 200]),
    ("plan_detail", lambda o, p, t: [p.pk], [LOGIN, 404, 200, 200, 200, 200]),
    ("plan_edit", lambda o, p, t: [p.pk], [LOGIN, 404, 403, 200, 200, 200]),
    ("plan_delete", lambda o, p, t: [p.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("plan_access", lambda o, p, t: [p.pk], [LOGIN, 404, 403, 403, 200, 200]),
    ("share_links", lambda o, p, t: [p.pk], [LOGIN, 404, 403, 403, 200, 200]),
]


@pytest.mark.parametrize(("name", "args", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, org, plan, team, name, args, expected, role_index):
    url = reverse(name, args=args(org, plan, team))
    response = client_for(people[ROLES[role_index]]).get(url)
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert org.name in body
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 404:
        assert org.name not in body and plan.name not in body


def _post_matrix_case(client_for, people, role, url, data=None):
    return client_for(people[role]).post(url, data or {})


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True)))
def test_deleting_a_team_needs_an_admin(client_for, people, org, team, role, expected):
    response = _post_matrix_case(client_for, people, role, reverse("team_delete", args=[org.pk, team.pk]))
    assert response.status_code == expected
    assert Team.objects.filter(pk=team.pk).exists() == (expected != 302 or role == "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_saving_a_plan_needs_edit_access(client_for, people, plan, role, expected):
    data = {"name": "Renamed", "description": "", "status": "active", "version": plan.version}
    response = _post_matrix_case(client_for, people, role, reverse("plan_edit", args=[plan.pk]), data)
    assert response.status_code == expected
    plan.refresh_from_db()
    assert (plan.name == "Renamed") == (expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True)))
def test_deleting_a_plan_needs_manage_access(client_for, people, plan, role, expected):
    response = _post_matrix_case(client_for, people, role, reverse("plan_delete", args=[plan.pk]))
    assert response.status_code == expected
    assert Plan.objects.filter(pk=plan.pk).exists() == (expected != 302 or role == "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True)))
def test_changing_a_role_needs_an_admin(client_for, people, org, role, expected):
    target = people["editor"].memberships.get(organisation=org)
    url = reverse("member_role", args=[org.pk, target.pk])
    response = _post_matrix_case(client_for, people, role, url, {"role": "viewer"})
    assert response.status_code == expected
    target.refresh_from_db()
    assert (target.role == "viewer") == (expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True)))
def test_withdrawing_an_invitation_needs_an_admin(client_for, people, org, role, expected):

    invitation = services.invitation_create(organisation=org, actor=people["owner"], email="new@example.com",
                                            role="editor")
    url = reverse("invitation_revoke", args=[org.pk, invitation.pk])
    response = _post_matrix_case(client_for, people, role, url)
    assert response.status_code == expected
    assert Invitation.objects.filter(pk=invitation.pk).exists() == (expected != 302 or role == "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True)))
def test_revoking_plan_access_needs_manage_access(client_for, people, plan, team, role, expected):
    url = reverse("plan_revoke_access", args=[plan.pk, "team", team.pk])
    response = _post_matrix_case(client_for, people, role, url)
    assert response.status_code == expected
    still_there = plan.plangroupobjectpermission_set.filter(group=team.group).exists()
    assert still_there == (expected != 302 or role == "anon")


def test_outsider_plan_is_404_for_every_member(client_for, people, other_plan):
    for role in ("viewer", "editor", "admin", "owner"):
        response = client_for(people[role]).get(reverse("plan_detail", args=[other_plan.pk]))
        assert response.status_code == 404
        assert other_plan.name not in response.content.decode()
