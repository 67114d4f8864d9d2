import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenancy import services
from tenancy.access import Access
from tenancy.models import Invitation, Membership, Role
from tests.factories import PASSWORD, PlanFactory, UserFactory, member


def test_login_page_renders_for_anonymous_visitors(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and 'name="login"' in response.content.decode()


def test_signing_in_lands_on_the_only_organisation(client, people, org):
    response = client.post(reverse("login"), {"login": "vera", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisation_detail", args=[org.pk])
    assert org.name in response.content.decode()


def test_creating_an_organisation_from_the_page(client_for, people):
    response = client_for(people["viewer"]).post(reverse("organisation_create"), {"name": "Vera's shop"}, follow=True)
    membership = Membership.objects.get(user=people["viewer"], organisation__name="Vera's shop")
    assert membership.role == Role.OWNER
    assert "Vera&#x27;s shop" in response.content.decode()


def test_stale_plan_save_shows_both_versions_and_keeps_what_was_typed(client_for, people, plan):
    services.plan_update(plan=plan, actor=people["admin"], name="Saved by the admin")
    data = {"name": "Typed by the editor", "description": "My long text", "status": "active", "version": 1}
    response = client_for(people["editor"]).post(reverse("plan_edit", args=[plan.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved by the admin" in body  # theirs
    assert "Typed by the editor" in body and "My long text" in body  # mine, still in the form
    assert 'name="version" value="2"' in body  # saving again is now based on their version
    plan.refresh_from_db()
    assert plan.name == "Saved by the admin"
    response = client_for(people["editor"]).post(reverse("plan_edit", args=[plan.pk]), {**data, "version": 2})
    plan.refresh_from_db()
    assert response.status_code == 302 and plan.name == "Typed by the editor" and plan.version == 3
    change = plan.activities.filter(verb="updated", actor=people["editor"]).get()
    assert change.changes["name"] == ["Saved by the admin", "Typed by the editor"]


def test_inviting_from_the_members_page_lists_the_invitation(client_for, people, org, team):
    client = client_for(people["admin"])
    data = {"email": "new@example.com", "role": "editor", "teams": [team.pk]}
    response = client.post(reverse("invitation_create", args=[org.pk]), data, follow=True)
    assert "new@example.com" in response.content.decode()
    invitation = Invitation.objects.get(email="new@example.com")
    assert list(invitation.teams.all()) == [team]


def test_inviting_a_bad_address_shows_the_error_and_keeps_the_input(client_for, people, org):
    data = {"email": "not-an-email", "role": "editor"}
    response = client_for(people["admin"]).post(reverse("invitation_create", args=[org.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "valid email" in body and 'value="not-an-email"' in body
    assert not Invitation.objects.exists()


def test_accepting_an_invitation_creates_the_account_and_joins(client, people, org):
    invitation = services.invitation_create(organisation=org, actor=people["owner"], email="sam@example.com",
                                            role=Role.VIEWER)
    url = reverse("invitation_accept", args=[invitation.token])
    assert "sam@example.com" in client.get(url).content.decode()
    data = {"username": "sam", "first_name": "Sam", "last_name": "Lee", "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("organisation_detail", args=[org.pk])
    assert Membership.objects.get(organisation=org, user__username="sam").role == Role.VIEWER
    assert "already been used" in client.get(url).content.decode()


def test_a_signed_in_user_accepts_with_one_click(client_for, people, org):
    newcomer = UserFactory(email="x@example.com")
    invitation = services.invitation_create(organisation=org, actor=people["owner"], email="x@example.com",
                                            role=Role.EDITOR)
    response = client_for(newcomer).post(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=org, user=newcomer, role=Role.EDITOR).exists()


def test_an_unknown_invitation_link_is_404(client, db):
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404


def test_role_change_through_htmx_returns_the_row_with_the_error(client_for, people, org):
    owner_membership = people["owner"].memberships.get(organisation=org)
    url = reverse("member_role", args=[org.pk, owner_membership.pk])
    response = client_for(people["owner"]).post(url, {"role": "viewer"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="member-{owner_membership.pk}"')
    assert "at least one owner" in body


def test_sharing_a_plan_with_a_team(client_for, people, org, plan):
    other_team = services.team_create(organisation=org, actor=people["owner"], name="Marketing",
                                      department="marketing", members=[people["viewer"]])
    data = {"principal": f"team:{other_team.pk}", "access": Access.EDIT.value}
    response = client_for(people["admin"]).post(reverse("plan_access", args=[plan.pk]), data, follow=True)
    assert "Marketing" in response.content.decode()
    assert plan.plangroupobjectpermission_set.filter(group=other_team.group, permission__codename="change_plan")


def test_profile_language_switches_the_interface_to_french(client_for, people):
    client = client_for(people["viewer"])
    client.post(reverse("profile"), {"first_name": "Vera", "last_name": "V", "email": "vera@example.com",
                                     "preferred_language": "fr"})
    people["viewer"].refresh_from_db()
    assert people["viewer"].preferred_language == "fr"
    body = client.get(reverse("profile")).content.decode()
    assert 'lang="fr"' in body and "Votre profil" in body


def test_language_switch_remembers_the_choice(client_for, people):
    client = client_for(people["editor"])
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    people["editor"].refresh_from_db()
    assert people["editor"].preferred_language == "fr"


def test_french_login_page(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["organisation_detail", "members", "teams"])
def test_organisation_pages_query_count_does_not_grow(client_for, people, org, plan, team, page):
    client = client_for(people["owner"])
    url = reverse(page, args=[org.pk])
    few = _queries(client, url)
    for i in range(15):
        PlanFactory(organisation=org)
        newcomer = member(org)
        services.team_create(organisation=org, actor=people["owner"], name=f"T{i}", department="it",
                             members=[newcomer])
    assert _queries(client, url) == few


def test_a_stale_team_save_shows_their_values_and_keeps_what_was_typed(client_for, people, org, team):
    url = reverse("team_edit", args=[org.pk, team.pk])
    client = client_for(people["owner"])
    loaded = team.version
    services.team_update(team=team, actor=people["admin"], name="Care team", department=team.department,
                         version=loaded)
    response = client.post(url, {"name": "Service desk", "department": team.department, "version": loaded})
    page = response.content.decode()
    assert response.status_code == 200
    assert "now called “Care team”" in page and "Saved meanwhile by someone else" in page
    assert 'value="Service desk"' in page  # what was typed is still in the form
    team.refresh_from_db()
    assert team.name == "Care team"
    saved = client.post(url, {"name": "Service desk", "department": team.department, "version": team.version})
    assert saved.status_code == 302
    team.refresh_from_db()
    assert team.name == "Service desk"


def test_creating_a_team_from_the_page(client_for, people, org):
    client = client_for(people["admin"])
    response = client.post(reverse("team_create", args=[org.pk]), {"name": "Stores", "department": "stores"},
                           follow=True)
    assert "Team “Stores” created." in response.content.decode()
    assert org.teams.filter(name="Stores").exists()
