"""Share link visitors' comments: only through a link that allows them, only on what the link shows, with a name,
marked as external and held for an editor's moderation before anyone else sees them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from planning import services as planning
from planning.models import Channel
from tenancy.models import Activity
from tests.conftest import ROLES
from tests.sharing.test_visitor_pages import open_link
from workshops import selectors
from workshops.models import Comment, Moderation
from workshops.services.external import comment_moderate, external_comment_create

pytestmark = pytest.mark.django_db
LOGIN = 302


@pytest.fixture
def touchpoints(world, org):
    web = Channel.objects.get_or_create(organisation=org, name="Website", defaults={"kind": "online"})[0]
    mine = planning.touchpoint_create(stage=world["journey"].stages.first(), channel=web, actor=None,
                                      name="Reads a review")
    other = planning.touchpoint_create(stage=world["other_journey"].stages.first(), channel=web, actor=None,
                                       name="Asks for a refund")
    return {"mine": mine, "other": other}


def post_comment(visitor, link, target, name="Agnès (agency)", body="The review page is slow on mobile."):
    return visitor.post(reverse("shared_comment", args=[link.prefix]),
                        {"target": target, "name": name, "body": body})


def test_a_visitor_comments_and_an_editor_approves(client_for, people, visitor, world, make_link, touchpoints,
                                                   plan):
    link, token = make_link(allow_comments=True)
    open_link(visitor, token)
    page = visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).content.decode()
    assert f'href="{reverse("shared_comment", args=[link.prefix])}"' in page
    form = visitor.get(reverse("shared_comment", args=[link.prefix])).content.decode()
    assert "Reads a review" in form and "Asks for a refund" not in form  # only what the link shows
    response = post_comment(visitor, link, f"touchpoint:{touchpoints['mine'].pk}")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.moderation == Moderation.PENDING and comment.is_external and comment.author is None
    assert comment.external_name == "Agnès (agency)" and comment.share_link == link
    # Held: no member sees it, it is no plan history, and the API does not list it.
    assert not selectors.comment_list(user=people["owner"], plan=plan).exists()
    assert not Activity.objects.filter(target_type="workshops.comment").exists()
    assert api_count(people["owner"]) == 0
    # An editor finds it from the workshop page and approves it.
    editor = client_for(people["editor"])
    workshop = editor.get(reverse("workshop", args=[plan.pk])).content.decode()
    assert f'href="{reverse("comment_moderation", args=[plan.pk])}"' in workshop
    queue = editor.get(reverse("comment_moderation", args=[plan.pk])).content.decode()
    assert "The review page is slow on mobile." in queue and "Agnès (agency)" in queue and "external" in queue
    response = editor.post(reverse("comment_moderation", args=[plan.pk]), {"comment": comment.pk,
                                                                           "decision": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.moderation == Moderation.APPROVED
    drawer = client_for(people["viewer"]).get(
        f"{reverse('comments', args=[plan.pk])}?on=touchpoint:{touchpoints['mine'].pk}",
        HTTP_HX_REQUEST="true").content.decode()
    assert "The review page is slow on mobile." in drawer and "Agnès (agency)" in drawer and "external" in drawer


def api_count(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api.get("/api/v1/comments/").json()["count"]


def test_rejecting_deletes_the_comment(people, world, make_link, touchpoints):
    link, _token = make_link(allow_comments=True)
    comment = external_comment_create(link=link, target_type="touchpoint", target_id=touchpoints["mine"].pk,
                                      name="Agnès", body="Hm")
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=comment, actor=people["viewer"], approve=True)
    assert comment_moderate(comment=comment, actor=people["editor"], approve=False) is None
    assert not Comment.objects.exists()


def test_a_link_without_comments_takes_none(visitor, world, make_link, touchpoints):
    link, token = make_link()
    open_link(visitor, token)
    assert visitor.get(reverse("shared_comment", args=[link.prefix])).status_code == 404
    assert post_comment(visitor, link, f"touchpoint:{touchpoints['mine'].pk}").status_code == 404
    page = visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).content.decode()
    assert reverse("shared_comment", args=[link.prefix]) not in page
    with pytest.raises(PermissionDenied):
        external_comment_create(link=link, target_type="touchpoint", target_id=touchpoints["mine"].pk, name="A",
                                body="B")
    assert not Comment.objects.exists()


def test_a_visitor_comments_only_on_what_the_link_shows_and_gives_a_name(visitor, world, make_link, touchpoints):
    link, token = make_link(allow_comments=True)
    assert post_comment(visitor, link, f"touchpoint:{touchpoints['mine'].pk}").status_code == 404  # not opened
    open_link(visitor, token)
    response = post_comment(visitor, link, f"touchpoint:{touchpoints['other'].pk}")
    assert response.status_code == 400
    response = post_comment(visitor, link, f"touchpoint:{touchpoints['mine'].pk}", name="  ")
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_visitor_form_is_in_french(visitor, world, make_link, touchpoints):
    link, token = make_link(allow_comments=True)
    open_link(visitor, token)
    body = visitor.get(reverse("shared_comment", args=[link.prefix]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Laisser un commentaire" in body and "Votre nom" in body


def test_the_creator_ticks_allow_comments(client_for, people, world):
    response = client_for(people["owner"]).post(reverse("share_links", args=[world["plan"].pk]), {
        "scope": "plan", "expires": "7", "allow_comments": "on"})
    assert response.status_code == 200
    assert world["plan"].share_links.get().allow_comments
    assert "comments allowed" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_the_moderation_page_matrix(client_for, people, plan, other_plan, role, expected):
    response = client_for(people[role]).get(reverse("comment_moderation", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "No comment is waiting." in response.content.decode()
