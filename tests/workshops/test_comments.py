"""Comments on touchpoints, personas, evaluations and roadmap items: @mentions, notifications, resolving; the drawer
pages, the notifications page and the API, each with its permission matrix."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.versioning import StaleVersion
from planning import services
from planning.models import Channel
from tenancy import services as tenancy_services
from tenancy.models import Activity, Role
from tests.conftest import ROLES
from tests.factories import member
from tests.support import fields
from workshops import selectors
from workshops.models import Comment, Notification
from workshops.services.comments import comment_create, comment_resolve, mentioned_members

LOGIN = 302


@pytest.fixture
def world(org, people, plan, team):
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Buy trail shoes", template="purchase")
    stage = journey.stages.order_by("position").first()
    web = Channel.objects.get(organisation=org, name="Website")
    touchpoint = services.touchpoint_create(stage=stage, channel=web, actor=people["owner"], name="Reads a review")
    persona = services.persona_create(plan=plan, actor=people["owner"], name="Léa")
    return {"journey": journey, "tp": touchpoint, "persona": persona}


def comment(world, people, body="Can the store confirm the stock?", who="editor", kind="touchpoint", target=None):
    target = target or world["tp"]
    return comment_create(plan=target.plan, actor=people[who], target_type=kind, target_id=target.pk, body=body)


# Services --------------------------------------------------------------------------------------------------------


def test_mentions_of_plan_members_notify_them_and_nobody_else(org, people, plan, world):
    member(org, Role.EDITOR, username="nora")  # a member without access to this plan
    note = comment(world, people, "@vera @adam, (@nora) and @oscar: look. Mail x@vera.com; @eddie. @nobody")
    assert sorted(note.mentions.values_list("username", flat=True)) == ["adam", "eddie", "vera"]
    # The author mentioned themselves: no notification for them; the outsider and nora are plain text.
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["adam", "vera"]
    assert mentioned_members(plan=plan, body="@vera.") == [people["viewer"]]


def test_a_comment_is_plan_history(people, world):
    note = comment(world, people, "@vera look")
    row = Activity.objects.get(target_type="workshops.comment", target_id=note.pk)
    assert row.verb == "created" and row.plan_id == world["tp"].plan_id
    assert row.changes["body"] == [None, "@vera look"] and row.changes["mentions"] == [None, [people["viewer"].pk]]


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_only_editors_of_the_plan_comment(people, world, who):
    with pytest.raises(PermissionDenied):
        comment(world, people, who=who)
    assert not Comment.objects.exists()


def test_a_comment_is_about_an_object_of_its_plan(people, plan, other_plan, world):
    with pytest.raises(ValidationError) as error:
        comment_create(plan=plan, actor=people["editor"], target_type="persona", target_id=999999, body="Hm")
    assert "target_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        comment_create(plan=plan, actor=people["editor"], target_type="stage", target_id=world["tp"].pk, body="Hm")
    assert "target_type" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        comment(world, people, body="   ")
    assert "body" in error.value.message_dict


def test_resolving_and_reopening_is_versioned_and_recorded(people, world):
    note = comment(world, people)
    resolved = comment_resolve(comment=note, actor=people["admin"], version=1)
    assert resolved.is_resolved and resolved.resolved_by == people["admin"] and resolved.version == 2
    with pytest.raises(StaleVersion):
        comment_resolve(comment=Comment.objects.get(pk=note.pk), actor=people["editor"], resolved=False, version=1)
    reopened = comment_resolve(comment=Comment.objects.get(pk=note.pk), actor=people["editor"], resolved=False)
    assert not reopened.is_resolved and reopened.resolved_by is None
    assert list(Activity.objects.filter(target_type="workshops.comment").values_list("verb", flat=True)
                .order_by("id")) == ["created", "updated", "refused", "updated"]
    with pytest.raises(PermissionDenied):
        comment_resolve(comment=reopened, actor=people["viewer"])


def test_comments_on_personas_evaluations_and_roadmap_items(people, plan, world, team):
    from assessments import services as assessment_services
    from roadmaps import services as roadmap_services

    evaluation = assessment_services.evaluation_create(touchpoint=world["tp"], team=team, actor=people["editor"],
                                                       maturity=2, potential_customer=3, potential_brand=4)
    item = roadmap_services.roadmap_item_create(plan=plan, actor=people["owner"], title="Real-time stock API")
    for kind, target in [("persona", world["persona"]), ("evaluation", evaluation), ("roadmap_item", item)]:
        comment(world, people, f"About this {kind}", kind=kind, target=target)
    listed = selectors.comment_list(user=people["viewer"], plan=plan)
    assert sorted(listed.values_list("target_type", flat=True)) == ["evaluation", "persona", "roadmap_item"]
    targets = selectors.comment_targets(listed)
    assert targets[("evaluation", evaluation.pk)]["label"] == "Reads a review · Customer service"
    assert targets[("persona", world["persona"].pk)]["url"].endswith(f"?comments=persona:{world['persona'].pk}")
    assert selectors.comment_list(user=people["outsider"]).count() == 0


# The drawer --------------------------------------------------------------------------------------------------


def _panel_url(plan, kind, target):
    return f"{reverse('comments', args=[plan.pk])}?on={kind}:{target.pk}"


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_the_comments_of_an_object_matrix(client_for, people, plan, world, role, expected):
    comment(world, people, "@vera is the stock real time?")
    response = client_for(people[role]).get(_panel_url(plan, "touchpoint", world["tp"]), HTTP_HX_REQUEST="true")
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        assert "is the stock real time?" in body and "Reads a review" in body and "@vera" in body
        assert ('name="body"' in body) == (role in ("editor", "admin", "owner"))
        assert "<html" not in body  # the drawer's partial
    elif expected == 404:
        assert "stock" not in body


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_commenting_needs_edit_access(client_for, people, plan, world, role, expected):
    url = reverse("comments", args=[plan.pk])
    response = client_for(people[role]).post(url, {"on": f"persona:{world['persona'].pk}", "body": "@vera see"},
                                             HTTP_HX_REQUEST="true")
    assert response.status_code == expected
    assert Comment.objects.filter(body="@vera see").exists() == (expected == 200)
    if expected == 200:
        assert "@vera see" in response.content.decode()
        assert Notification.objects.filter(user=people["viewer"]).count() == 1


def test_an_object_of_another_plan_or_kind_is_404(client_for, people, plan, other_plan, world):
    client = client_for(people["owner"])
    assert client.get(f"{reverse('comments', args=[plan.pk])}?on=touchpoint:999999").status_code == 404
    assert client.get(f"{reverse('comments', args=[plan.pk])}?on=team:1").status_code == 404
    assert client.get(f"{reverse('comments', args=[plan.pk])}").status_code == 404
    assert client_for(people["outsider"]).get(_panel_url(other_plan, "touchpoint", world["tp"])).status_code == 404


def test_without_script_the_comments_have_a_page_of_their_own(client_for, people, plan, world):
    client = client_for(people["editor"])
    response = client.get(_panel_url(plan, "touchpoint", world["tp"]))
    assert response.status_code == 200 and "<html" in response.content.decode()
    response = client.post(reverse("comments", args=[plan.pk]), {"on": f"touchpoint:{world['tp'].pk}", "body": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(reverse("comments", args=[plan.pk]), {"on": f"touchpoint:{world['tp'].pk}", "body": "Ok"})
    assert response.status_code == 302 and response["Location"].endswith(f"?on=touchpoint:{world['tp'].pk}")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_resolving_needs_edit_access(client_for, people, world, role, expected):
    note = comment(world, people)
    response = client_for(people[role]).post(reverse("comment_resolve", args=[note.pk]),
                                             {"resolved": "1", "version": note.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == expected
    note.refresh_from_db()
    assert note.is_resolved == (expected == 200)
    if expected == 200:
        assert "1 resolved comment" in response.content.decode() and "Reopen" in response.content.decode()


# Notifications ---------------------------------------------------------------------------------------------------


def test_the_notifications_page_lists_mentions_and_the_bell_counts_them(client_for, people, plan, world):
    comment(world, people, "@vera can you check the reviews?")
    client = client_for(people["viewer"])
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "1 unread notification" in page and 'data-bell-count aria-hidden="true">1<' in page  # said once
    page = client.get(reverse("notifications")).content.decode()
    assert "can you check the reviews?" in page and "Reads a review" in page and "mentioned you" in page
    assert "Mark all read" in page
    other = client_for(people["admin"]).get(reverse("notifications")).content.decode()
    assert "can you check the reviews?" not in other and "Nothing yet" in other


def test_opening_a_notification_marks_it_read_and_goes_to_the_object(client_for, people, world):
    comment(world, people, "@vera look")
    row = Notification.objects.get(user=people["viewer"])
    response = client_for(people["viewer"]).get(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == (f"{reverse('journey_map', args=[world['journey'].pk])}"
                                    f"?comments=touchpoint:{world['tp'].pk}")
    row.refresh_from_db()
    assert row.read_at is not None
    # Someone else's notification does not exist for you.
    assert client_for(people["admin"]).get(reverse("notification_open", args=[row.pk])).status_code == 404


def test_mark_all_read(client_for, people, world):
    comment(world, people, "@vera one")
    comment(world, people, "@vera two")
    client = client_for(people["viewer"])
    assert client.post(reverse("notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=people["viewer"], read_at__isnull=True).exists()
    assert client.get(reverse("notifications_read")).status_code == 405
    assert client_for(None).get(reverse("notifications")).status_code == LOGIN


def test_a_notification_about_a_plan_you_can_no_longer_view_disappears(client_for, people, plan, world):
    comment(world, people, "@vera secret roadmap")
    tenancy_services.plan_revoke(plan=plan, actor=people["owner"], user=people["viewer"])
    client = client_for(people["viewer"])
    assert "secret roadmap" not in client.get(reverse("notifications")).content.decode()
    row = Notification.objects.get(user=people["viewer"])
    assert client.get(reverse("notification_open", args=[row.pk])).status_code == 404


# API -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 200, 200, 200, 200, 200], strict=True)))
def test_api_lists_only_comments_of_visible_plans(api_for, people, plan, world, role, expected):
    note = comment(world, people, "@vera look")
    response = api_for(people[role]).get("/api/v1/comments/", {"plan": plan.pk})
    assert response.status_code == expected
    if expected == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([] if role == "outsider" else [note.pk])
    detail = api_for(people[role]).get(f"/api/v1/comments/{note.pk}/")
    assert detail.status_code == {"anon": 401, "outsider": 404}.get(role, 200)
    if detail.status_code == 200:
        data = detail.json()
        assert data["mentions"] == ["vera"] and data["author"]["username"] == "eddie" and not data["resolved"]
        assert detail["ETag"] == '"1"'


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 400, 403, 201, 201, 201], strict=True)))
def test_api_create_needs_edit_access(api_for, people, plan, world, role, expected):
    body = {"plan": plan.pk, "target_type": "touchpoint", "target_id": world["tp"].pk, "body": "@adam please check"}
    response = api_for(people[role]).post("/api/v1/comments/", body, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["mentions"] == ["adam"]
        assert Notification.objects.filter(user=people["admin"]).count() == (0 if role == "admin" else 1)
    if role == "outsider":
        assert "plan" in fields(response)  # another organisation's plan is not a valid choice
    assert Comment.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_api_resolve_needs_edit_access(api_for, people, world, role, expected):
    note = comment(world, people)
    response = api_for(people[role]).post(f"/api/v1/comments/{note.pk}/resolve/", {"resolved": True}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["resolved"] and response.json()["resolved_by"]["username"] == people[role].username


def test_api_filters_and_stale_resolve(api_for, people, plan, world):
    first = comment(world, people, "On the touchpoint")
    comment(world, people, "On the persona", kind="persona", target=world["persona"])
    api = api_for(people["editor"])
    rows = api.get("/api/v1/comments/", {"target_type": "persona"}).json()["results"]
    assert [row["body"] for row in rows] == ["On the persona"]
    rows = api.get("/api/v1/comments/", {"target_type": "touchpoint", "target_id": world["tp"].pk}).json()["results"]
    assert [row["body"] for row in rows] == ["On the touchpoint"]
    api.post(f"/api/v1/comments/{first.pk}/resolve/", {}, format="json")
    assert [r["body"] for r in api.get("/api/v1/comments/", {"resolved": "true"}).json()["results"]] == [
        "On the touchpoint"]
    assert [r["body"] for r in api.get("/api/v1/comments/", {"resolved": "false"}).json()["results"]] == [
        "On the persona"]
    stale = api.post(f"/api/v1/comments/{first.pk}/resolve/", {"resolved": False}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale.json()["current"]["version"] == 2
