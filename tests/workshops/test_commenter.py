"""The commenter: a role (and a plan grant) between viewer and editor. A commenter reads the plan, comments, votes
and mentions people, and changes nothing else. Its own permission matrix, so the shared ROLES stay as they are."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from planning import services as planning
from planning.forms import PlanShareForm
from planning.models import Channel, Touchpoint
from tenancy import services as tenancy_services
from tenancy.access import Access, plan_access, plans_for
from tenancy.forms import InvitationForm, RoleForm
from tenancy.models import Role
from tests.factories import member
from workshops import services as workshops
from workshops.models import Comment, Notification, Vote


@pytest.fixture
def commenter(org, plan):
    """Cléo, commenter in the organisation, given edit access to the plan: her role caps it at commenting."""
    cleo = member(org, Role.COMMENTER, username="cleo", first_name="Cléo")
    tenancy_services.plan_grant(plan=plan, actor=None, user=cleo, access=Access.EDIT)
    return cleo


@pytest.fixture
def world(org, people, plan):
    planning.channels_seed(org)
    journey = planning.journey_create(plan=plan, actor=people["owner"], name="Buy trail shoes", template="purchase")
    stage = journey.stages.order_by("position").first()
    web = Channel.objects.get(organisation=org, name="Website")
    touchpoint = planning.touchpoint_create(stage=stage, channel=web, actor=people["owner"], name="Reads a review")
    return {"journey": journey, "stage": stage, "web": web, "tp": touchpoint}


# Access ----------------------------------------------------------------------------------------------------------


def test_the_commenter_role_caps_any_grant_at_commenting(org, people, plan, commenter):
    assert plan_access(commenter, plan) == Access.COMMENT
    assert plan in plans_for(commenter, Access.COMMENT) and plan in plans_for(commenter, Access.VIEW)
    assert plan not in plans_for(commenter, Access.EDIT)
    # A commenter given only "can view" views; the viewer role stays read-only whatever was granted.
    tenancy_services.plan_grant(plan=plan, actor=None, user=commenter, access=Access.VIEW)
    assert plan_access(commenter, plan) == Access.VIEW and plan not in plans_for(commenter, Access.COMMENT)
    tenancy_services.plan_grant(plan=plan, actor=None, user=people["viewer"], access=Access.MANAGE)
    assert plan_access(people["viewer"], plan) == Access.VIEW


def test_a_plan_grant_can_let_an_editor_only_comment(org, people, plan):
    nina = member(org, Role.EDITOR, username="nina")
    tenancy_services.plan_grant(plan=plan, actor=people["owner"], user=nina, access=Access.COMMENT)
    assert plan_access(nina, plan) == Access.COMMENT
    assert plan in plans_for(nina, Access.COMMENT) and plan not in plans_for(nina, Access.EDIT)
    # Edit grants made before the comment level existed (view + change) still reach the comment level.
    assert plan in plans_for(people["editor"], Access.COMMENT)


def test_commenters_cannot_create_plans(org, commenter):
    with pytest.raises(PermissionDenied):
        tenancy_services.plan_create(organisation=org, actor=commenter, name="Mine")


# The bar: a commenter comments and mentions an editor, who is notified --------------------------------------------


def test_a_commenter_comments_and_mentions_an_editor_who_is_notified(client_for, people, plan, world, commenter):
    client = client_for(commenter)
    url = reverse("comments", args=[plan.pk])
    on = f"touchpoint:{world['tp'].pk}"
    panel = client.get(f"{url}?on={on}", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="body"' in panel
    response = client.post(url, {"on": on, "body": "@eddie is the stock shown in real time?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "is the stock shown in real time?" in body and "@eddie" in body
    assert ">Resolve<" not in body  # resolving is an editor's call
    note = Comment.objects.get()
    assert note.author == commenter and list(note.mentions.all()) == [people["editor"]]
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["eddie"]
    page = client_for(people["editor"]).get(reverse("notifications")).content.decode()
    assert "is the stock shown in real time?" in page and "mentioned you" in page


def test_a_commenter_may_not_resolve(client_for, people, world, commenter):
    note = workshops.comment_create(plan=world["tp"].plan, actor=commenter, target_type="touchpoint",
                                    target_id=world["tp"].pk, body="Hm")
    response = client_for(commenter).post(reverse("comment_resolve", args=[note.pk]), {"resolved": "1"})
    assert response.status_code == 403
    note.refresh_from_db()
    assert not note.is_resolved


def test_a_commenter_votes(people, plan, world, commenter):
    session = workshops.voting_session_start(plan=plan, actor=people["owner"])
    workshops.vote_cast(session=session, actor=commenter, target_id=world["tp"].pk)
    assert Vote.objects.filter(participant=commenter, target_id=world["tp"].pk).count() == 1


# Nothing else: pages and the API ---------------------------------------------------------------------------------


def test_a_commenter_reads_the_map_but_edits_nothing(client_for, plan, world, commenter):
    client = client_for(commenter)
    page = client.get(reverse("journey_map", args=[world["journey"].pk]))
    assert page.status_code == 200 and "Reads a review" in page.content.decode()
    assert client.get(reverse("plan_edit", args=[plan.pk])).status_code == 403
    assert client.get(reverse("journey_edit", args=[world["journey"].pk])).status_code == 403
    assert client.get(reverse("persona_create", args=[plan.pk])).status_code == 403


# role, method, url, body → the commenter's status
API_CASES = [
    ("get", "/api/v1/touchpoints/{tp}/", None, 200),
    ("patch", "/api/v1/touchpoints/{tp}/", {"name": "Renamed"}, 403),
    ("delete", "/api/v1/touchpoints/{tp}/", None, 403),
    ("patch", "/api/v1/plans/{plan}/", {"name": "Renamed"}, 403),
    ("patch", "/api/v1/journeys/{journey}/", {"name": "Renamed"}, 403),
    ("post", "/api/v1/comments/", {"plan": "{plan}", "target_type": "touchpoint", "target_id": "{tp}",
                                   "body": "@eddie look"}, 201),
]


@pytest.mark.parametrize(("method", "url", "body", "expected"), API_CASES,
                         ids=[f"{c[0]}-{c[1].split('/')[3]}" for c in API_CASES])
def test_the_commenter_api_matrix(api_for, plan, world, commenter, method, url, body, expected):
    ids = {"tp": world["tp"].pk, "plan": plan.pk, "journey": world["journey"].pk}
    if body is not None:
        body = {key: int(value.format(**ids)) if isinstance(value, str) and value.startswith("{") else value
                for key, value in body.items()}
    response = getattr(api_for(commenter), method)(url.format(**ids), body, format="json")
    assert response.status_code == expected, response.content
    assert Touchpoint.objects.get(pk=world["tp"].pk).name == "Reads a review"
    if expected == 201:
        assert response.data["author"]["username"] == "cleo" and response.data["mentions"] == ["eddie"]


def test_a_commenter_cannot_create_a_touchpoint_through_the_api(api_for, world, commenter):
    response = api_for(commenter).post("/api/v1/touchpoints/", {
        "journey": world["journey"].pk, "stage": world["stage"].pk, "channel": world["web"].pk, "name": "New"},
        format="json")
    assert response.status_code in (400, 403), response.content
    assert not Touchpoint.objects.filter(name="New").exists()


@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("commenter", 201), ("editor", 201)])
def test_commenting_through_the_api_by_role(api_for, people, plan, world, commenter, role, expected):
    user = commenter if role == "commenter" else people[role]
    response = api_for(user).post("/api/v1/comments/", {"plan": plan.pk, "target_type": "touchpoint",
                                                        "target_id": world["tp"].pk, "body": "Ok"}, format="json")
    assert response.status_code == expected, response.content


# Forms and French ------------------------------------------------------------------------------------------------


def test_the_role_and_access_choices_offer_commenting_in_french(org):
    with translation.override("fr"):
        assert ("commenter", "Commentateur") in [(v, str(label)) for v, label in RoleForm().fields["role"].choices]
        invite = InvitationForm(organisation=org)
        assert "commenter" in dict(invite.fields["role"].choices)
        share = PlanShareForm(organisation=org)
        assert (Access.COMMENT.value, "Peut commenter") in [(v, str(label)) for v, label in
                                                           share.fields["access"].choices]


def test_an_owner_gives_someone_the_comment_level_on_the_plan_page(client_for, org, people, plan):
    nina = member(org, Role.EDITOR, username="nina")
    response = client_for(people["owner"]).post(reverse("plan_access", args=[plan.pk]),
                                                {"principal": f"user:{nina.pk}", "access": Access.COMMENT.value})
    assert response.status_code == 302
    assert plan_access(nina, plan) == Access.COMMENT


def test_an_admin_makes_a_member_a_commenter(client_for, org, people):
    nina = member(org, Role.EDITOR, username="nina")
    membership = nina.memberships.get(organisation=org)
    response = client_for(people["owner"]).post(reverse("member_role", args=[org.pk, membership.pk]),
                                                {"role": "commenter"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COMMENTER
