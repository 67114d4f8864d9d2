"""`/api/v1/pending-comments/` (share link visitors' comments held for moderation) and the editors' notification of
each one: the permission matrix (another organisation 404, viewer and commenter 403, a share session 404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Activity, Role
from tests.conftest import ROLES
from tests.factories import member
from tests.sharing.test_visitor_pages import open_link
from workshops.models import Comment, Moderation, Notification, NotificationKind
from workshops.services.comments import comment_create
from workshops.services.external import external_comment_create

pytestmark = pytest.mark.django_db
LIST = "/api/v1/pending-comments/"


@pytest.fixture
def commenter(org, plan):
    cleo = member(org, Role.COMMENTER, username="cleo")
    tenancy_services.plan_grant(plan=plan, actor=None, user=cleo, access=Access.EDIT)
    return cleo


@pytest.fixture
def pending(world, make_link):
    link, token = make_link(allow_comments=True)
    comment = external_comment_create(link=link, target_type="persona", target_id=world["persona"].pk,
                                      name="Agnès (agency)", body="Tess runs in the rain too.")
    return {"link": link, "token": token, "comment": comment}


def everyone(people, commenter):
    return {**people, "commenter": commenter}


@pytest.mark.parametrize(("role", "expected"), list(zip([*ROLES, "commenter"], [401, 200, 403, 200, 200, 200, 403],
                                                        strict=True)))
def test_listing_a_plans_pending_comments(api_for, people, commenter, plan, pending, role, expected):
    response = api_for(everyone(people, commenter)[role]).get(LIST, {"plan": plan.pk})
    assert response.status_code == expected, response.content
    if role == "outsider":
        assert response.data["count"] == 0  # another organisation's plan: nothing of it
    elif expected == 200:
        row = response.data["results"][0]
        assert response.data["count"] == 1 and row["body"] == "Tess runs in the rain too."
        assert row["external_name"] == "Agnès (agency)" and row["target_label"] == "Trail runner Tess"
        assert row["share_link"] == pending["link"].prefix


def test_a_viewer_lists_nothing_across_plans(api_for, people, pending):
    assert api_for(people["viewer"]).get(LIST).data["count"] == 0


@pytest.mark.parametrize(("role", "expected"), list(zip([*ROLES, "commenter"], [401, 404, 403, 200, 200, 200, 403],
                                                        strict=True)))
def test_approving(api_for, people, commenter, pending, role, expected):
    comment = pending["comment"]
    response = api_for(everyone(people, commenter)[role]).post(f"{LIST}{comment.pk}/approve/")
    assert response.status_code == expected, response.content
    comment.refresh_from_db()
    assert (comment.moderation == Moderation.APPROVED) == (expected == 200)
    if expected == 200:
        assert response.data["external_name"] == "Agnès (agency)" and response.data["author"] is None
        assert Activity.objects.filter(target_type="workshops.comment", target_id=comment.pk).exists()
        assert api_for(people["viewer"]).get("/api/v1/comments/").data["count"] == 1
        # Once moderated it is no longer pending: a second decision finds nothing.
        assert api_for(people["owner"]).post(f"{LIST}{comment.pk}/reject/").status_code == 404


@pytest.mark.parametrize(("role", "expected"), list(zip([*ROLES, "commenter"], [401, 404, 403, 204, 204, 204, 403],
                                                        strict=True)))
def test_rejecting(api_for, people, commenter, pending, role, expected):
    response = api_for(everyone(people, commenter)[role]).post(f"{LIST}{pending['comment'].pk}/reject/")
    assert response.status_code == expected, response.content
    assert Comment.objects.exists() == (expected != 204)


@pytest.mark.parametrize(("role", "expected"), list(zip([*ROLES, "commenter"], [401, 404, 403, 200, 200, 200, 403],
                                                        strict=True)))
def test_reading_one(api_for, people, commenter, pending, role, expected):
    response = api_for(everyone(people, commenter)[role]).get(f"{LIST}{pending['comment'].pk}/")
    assert response.status_code == expected, response.content


def test_a_share_session_reaches_none_of_it(visitor, pending):
    open_link(visitor, pending["token"])
    comment = pending["comment"]
    assert visitor.get(LIST).status_code == 404
    assert visitor.get(f"{LIST}{comment.pk}/").status_code == 404
    assert visitor.post(f"{LIST}{comment.pk}/approve/").status_code == 404
    assert visitor.get(reverse("comment_moderation", args=[comment.plan_id])).status_code == 404
    comment.refresh_from_db()
    assert comment.moderation == Moderation.PENDING


def test_the_list_query_count_does_not_grow_with_the_comments(api_for, people, world, make_link):
    link, _token = make_link(allow_comments=True)
    api = api_for(people["editor"])

    def count(n):
        for i in range(n):
            external_comment_create(link=link, target_type="persona", target_id=world["persona"].pk,
                                    name=f"Visitor {i}", body="Hello")
        with CaptureQueriesContext(connection) as queries:
            assert api.get(LIST, {"page_size": 100}).status_code == 200
        return len(queries)

    assert count(3) == count(30)


# The editors are told ----------------------------------------------------------------------------------------------


def test_the_plans_editors_are_notified_of_a_visitors_comment(client_for, people, commenter, visitor, plan, world,
                                                               make_link):
    link, token = make_link(allow_comments=True)
    open_link(visitor, token)
    response = visitor.post(reverse("shared_comment", args=[link.prefix]), {
        "target": f"persona:{world['persona'].pk}", "name": "Agnès (agency)", "body": "Tess runs in the rain too."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    told = set(Notification.objects.filter(comment=comment, kind=NotificationKind.MODERATION)
               .values_list("user__username", flat=True))
    # Editors of the plan (through a team, or by their organisation role); not the viewer, the commenter, nor
    # anyone of another organisation.
    assert told == {"eddie", "adam", "olivia"}
    editor = client_for(people["editor"])
    page = editor.get(reverse("notifications")).content.decode()
    assert "Agnès (agency)" in page and "awaits moderation" in page and "Tess runs in the rain too." in page
    notification = Notification.objects.get(user=people["editor"])
    assert f'href="{reverse("notification_open", args=[notification.pk])}"' in page
    opened = editor.get(reverse("notification_open", args=[notification.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("comment_moderation", args=[plan.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    french = editor.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "attend votre modération" in french
    # Rejected: the comment is gone, and so are the notifications about it.
    editor.post(reverse("comment_moderation", args=[plan.pk]), {"comment": comment.pk, "decision": "reject"})
    assert not Notification.objects.exists()


def test_an_approved_comments_notification_opens_what_it_is_about(client_for, people, plan, world, pending):
    editor = client_for(people["editor"])
    editor.post(reverse("comment_moderation", args=[plan.pk]), {"comment": pending["comment"].pk,
                                                                 "decision": "approve"})
    notification = Notification.objects.get(user=people["editor"])
    opened = editor.get(reverse("notification_open", args=[notification.pk]))
    assert opened["Location"].startswith(reverse("personas", args=[plan.pk]))


def test_a_members_comment_notifies_only_those_it_mentions(people, plan, world):
    comment_create(plan=plan, actor=people["owner"], target_type="persona", target_id=world["persona"].pk,
                   body="@eddie please check")
    assert list(Notification.objects.values_list("user__username", "kind")) == [("eddie", "mention")]
