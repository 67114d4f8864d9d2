"""The data and content audit pages: permission matrix, items with their guiding questions, linked touchpoints,
stale-safe editing, and the roadmap hook of a gap."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import AuditItem
from roadmaps import services as roadmap_services
from tests.assessments.test_api_permissions import make_touchpoints
from tests.conftest import ROLES

LOGIN = 302


@pytest.fixture
def touchpoints(plan):
    return make_touchpoints(plan, ["Buys online", "Reads the newsletter"])


@pytest.fixture
def item(plan, touchpoints):
    return services.audit_item_create(plan=plan, actor=None, kind="data", step="need", title="One customer id",
                                      answers={"exists": "No", "owner": "IT"}, touchpoints=touchpoints[:1])


def _url(name, plan, item):
    if name == "audits":
        return reverse(name, args=[plan.pk])
    if name == "audit_create":
        return reverse(name, args=[plan.pk]) + "?kind=content&step=wish"
    return reverse(name, args=[plan.pk, item.pk])


GET_PAGES = [
    ("audits", [LOGIN, 404, 200, 200, 200, 200]),
    ("audit_create", [LOGIN, 404, 403, 200, 200, 200]),
    ("audit_edit", [LOGIN, 404, 403, 200, 200, 200]),
    ("audit_delete", [LOGIN, 404, 403, 200, 200, 200]),
]


@pytest.mark.parametrize(("name", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, plan, item, name, expected, role_index):
    role = ROLES[role_index]
    response = client_for(people[role]).get(_url(name, plan, item))
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert plan.name in body
        if name == "audits":
            assert "One customer id" in body and "Does the data exist?" in body and "Buys online" in body
            assert (f'href="{reverse("audit_edit", args=[plan.pk, item.pk])}"' in body) == (role != "viewer")
        if name == "audit_create":  # one text box per guiding question of the content audit's wish step
            for question in ("What would the ideal content be?", "Which channel suits it?",
                             "Would customers find it memorable?"):
                assert question in body
            assert "Does the data exist?" not in body
        if name == "audit_edit":
            assert ">\nNo</textarea>" in body and ">\nIT</textarea>" in body
    elif response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    elif response.status_code == 404:
        assert plan.name not in body and "One customer id" not in body


def test_the_three_steps_of_both_audits_are_shown_and_gaps_offer_the_roadmap(client_for, people, plan, item):
    services.audit_item_create(plan=plan, actor=None, kind="content", step="have", title="Boot-fitting guide",
                               answers={"message": "How to choose boots"})
    body = client_for(people["editor"]).get(reverse("audits", args=[plan.pk])).content.decode()
    for anchor in ("data-have", "data-need", "data-wish", "content-have", "content-need", "content-wish"):
        assert f'id="{anchor}"' in body
    assert body.count("Make a roadmap candidate") == 1  # only the gap, not the content we have
    assert reverse("audit_to_roadmap", args=[plan.pk, item.pk]) in body
    assert body.index('id="data-need"') < body.index("One customer id") < body.index('id="data-wish"')


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_creating_an_item_needs_edit_access(client_for, people, plan, touchpoints, role, expected):
    url = reverse("audit_create", args=[plan.pk]) + "?kind=data&step=have"
    data = {"title": "Loyalty transactions", "answer_sources": "Store tills", "answer_quality": "  ",
            "touchpoints": [t.pk for t in touchpoints]}
    response = client_for(people[role]).post(url, data)
    assert response.status_code == expected
    created = AuditItem.objects.filter(title="Loyalty transactions").first()
    assert (created is not None) == (expected == 302 and role != "anon")
    if created:
        assert (created.kind, created.step, created.answers) == ("data", "have", {"sources": "Store tills"})
        assert set(created.touchpoints.all()) == set(touchpoints)
        assert response["Location"].endswith("#data-have")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_editing_an_item_needs_edit_access(client_for, people, plan, item, touchpoints, role, expected):
    data = {"title": "A single customer id", "answer_owner": "Marketing", "touchpoints": [touchpoints[1].pk],
            "version": item.version}
    response = client_for(people[role]).post(reverse("audit_edit", args=[plan.pk, item.pk]), data)
    assert response.status_code == expected
    item.refresh_from_db()
    changed = expected == 302 and role != "anon"
    assert (item.title == "A single customer id") == changed
    if changed:
        assert item.answers == {"owner": "Marketing"} and list(item.touchpoints.all()) == [touchpoints[1]]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_deleting_an_item_needs_edit_access(client_for, people, plan, item, role, expected):
    response = client_for(people[role]).post(reverse("audit_delete", args=[plan.pk, item.pk]),
                                             {"version": item.version})
    assert response.status_code == expected
    assert AuditItem.objects.filter(pk=item.pk).exists() == (expected != 302 or role == "anon")


def test_a_stale_edit_shows_their_values_and_keeps_mine(client_for, people, plan, item, touchpoints):
    services.audit_item_update(item=AuditItem.objects.get(pk=item.pk), actor=people["admin"],
                               answers={"exists": "Partly", "owner": "IT"})
    data = {"title": "One customer id", "answer_exists": "Not yet", "answer_owner": "IT",
            "touchpoints": [touchpoints[0].pk], "version": item.version}
    response = client_for(people["editor"]).post(reverse("audit_edit", args=[plan.pk, item.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Saved meanwhile by someone else" in body
    assert "<dt>Does the data exist?</dt><dd>Partly</dd>" in body and ">\nNot yet</textarea>" in body
    assert "<dt>Who owns it?</dt>" not in body  # same on both sides: not a conflict
    assert f'name="version" value="{item.version + 1}"' in body


def test_touchpoints_of_another_plan_cannot_be_linked(client_for, people, plan, other_plan):
    (foreign,) = make_touchpoints(other_plan, ["Theirs"])
    url = reverse("audit_create", args=[plan.pk]) + "?kind=data&step=need"
    response = client_for(people["owner"]).post(url, {"title": "Sneaky", "touchpoints": [foreign.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not AuditItem.objects.filter(title="Sneaky").exists()


def test_the_touchpoint_choices_are_grouped_by_journey(client_for, people, plan, touchpoints):
    body = client_for(people["editor"]).get(reverse("audit_create", args=[plan.pk]) + "?kind=data&step=need")
    body = body.content.decode()
    assert f"Journey of {plan.name}" in body and "Buys online · Discovery · Website" in body


@pytest.mark.parametrize("query", ["", "?kind=data", "?kind=data&step=later", "?kind=roadmap&step=have"])
def test_an_unknown_audit_step_is_not_found(client_for, people, plan, query):
    assert client_for(people["editor"]).get(reverse("audit_create", args=[plan.pk]) + query).status_code == 404


def test_the_audits_page_query_count_does_not_grow_with_items(client_for, people, plan, item, touchpoints):
    client = client_for(people["viewer"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audits", args=[plan.pk]))
    for i in range(15):
        services.audit_item_create(plan=plan, actor=None, kind="content", step=("have", "need", "wish")[i % 3],
                                   title=f"Item {i}", answers={}, touchpoints=touchpoints)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("audits", args=[plan.pk])).content.decode()
    assert "Item 14" in body
    assert len(few) == len(many)


def test_a_gap_becomes_a_roadmap_candidate(people, item, plan):
    candidate = roadmap_services.audit_gap_to_roadmap_candidate(item, people["editor"])
    assert candidate.plan == plan and candidate.title == item.title and candidate.status == "idea"
    assert list(candidate.audit_gaps.all()) == [item]
    assert set(candidate.touchpoints.all()) == set(item.touchpoints.all())
    with pytest.raises(PermissionDenied):
        roadmap_services.audit_gap_to_roadmap_candidate(item, people["viewer"])
    have = services.audit_item_create(plan=plan, actor=None, kind="data", step="have", title="What we have")
    with pytest.raises(ValidationError):
        roadmap_services.audit_gap_to_roadmap_candidate(have, people["editor"])


def test_the_roadmap_button_creates_the_candidate_and_opens_it(client_for, people, plan, item):
    from roadmaps.models import RoadmapItem

    response = client_for(people["editor"]).post(reverse("audit_to_roadmap", args=[plan.pk, item.pk]))
    candidate = RoadmapItem.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"].endswith(f"/roadmap/items/{candidate.pk}/edit/")
    assert client_for(people["viewer"]).post(reverse("audit_to_roadmap", args=[plan.pk, item.pk])).status_code == 403
    assert client_for(people["outsider"]).post(reverse("audit_to_roadmap", args=[plan.pk, item.pk])).status_code == 404
