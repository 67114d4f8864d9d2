"""`/api/v1/share-links/`: the permission matrix, the address in the creation answer only, revocation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.models import ShareLink
from tests.conftest import ROLES
from tests.support import fields

pytestmark = pytest.mark.django_db
LIST = "/api/v1/share-links/"


def matrix(expected):
    return list(zip(ROLES, expected, strict=True))


def body(world, **extra):
    return {"plan": world["plan"].pk, "scope": "journey", "journey": world["journey"].pk,
            "expires_at": (timezone.now() + timedelta(days=7)).isoformat(), "password": "trail-2027", **extra}


@pytest.mark.parametrize(("role", "expected"), matrix([401, 400, 403, 403, 201, 201]))
def test_creating_a_link(api_for, people, world, role, expected):
    response = api_for(people[role]).post(LIST, body(world), format="json")
    assert response.status_code == expected, response.content
    assert ShareLink.objects.exists() == (expected == 201)
    if expected == 201:
        link = ShareLink.objects.get()
        assert response.data["url"].startswith(f"http://testserver/s/jps_{link.prefix}_")
        assert "password" not in response.data and response["Cache-Control"] == "no-store"
        assert link.has_password and link.created_by == people[role]


def test_the_address_is_in_the_creation_answer_only_and_opens_the_link(api_for, people, world, client):
    api = api_for(people["owner"])
    url = api.post(LIST, body(world, password=""), format="json").data["url"]
    link = ShareLink.objects.get()
    listed = api.get(LIST, {"plan": world["plan"].pk})
    detail = api.get(f"{LIST}{link.pk}/")
    for answer in (listed, detail):
        assert answer.status_code == 200 and url.split("/s/")[1].strip("/") not in answer.content.decode()
    assert listed.data["results"][0]["prefix"] == link.prefix and listed.data["results"][0]["is_active"]
    opened = client.get(url)
    assert opened.status_code == 302
    assert api.get(f"{LIST}{link.pk}/").data["open_count"] == 1


def test_a_journey_of_another_plan_is_refused(api_for, people, world):
    response = api_for(people["owner"]).post(LIST, body(world, journey=world["elsewhere"].pk), format="json")
    assert response.status_code == 400 and "journey" in fields(response)


@pytest.mark.parametrize(("role", "expected"), matrix([401, 200, 200, 200, 200, 200]))
def test_listing_shows_managers_their_links_and_others_nothing(api_for, people, world, make_link, role, expected):
    link, _token = make_link()
    response = api_for(people[role]).get(LIST)
    assert response.status_code == expected
    if expected == 200:
        ids = [row["id"] for row in response.data["results"]]
        assert ids == ([link.pk] if role in ("admin", "owner") else [])


@pytest.mark.parametrize("how", ["delete", "revoke"])
@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 404, 404, 200, 200]))
def test_revoking_a_link(api_for, people, world, make_link, how, role, expected):
    link, token = make_link()
    api = api_for(people[role])
    if how == "delete":
        response = api.delete(f"{LIST}{link.pk}/")
        expected = 204 if expected == 200 else expected
    else:
        response = api.post(f"{LIST}{link.pk}/revoke/")
    assert response.status_code == expected, response.content
    link.refresh_from_db()
    assert (link.revoked_at is not None) == (expected in (200, 204))
    if expected == 200:
        assert response.data["revoked_at"] and not response.data["is_active"]
        assert api.get(reverse("share_open", args=[token])).status_code == 404


def test_a_share_session_reaches_no_part_of_the_api(client, world, make_link):
    _link, token = make_link()
    client.get(reverse("share_open", args=[token]))
    for path in (LIST, "/api/v1/", f"/api/v1/journeys/{world['journey'].pk}/", "/api/v1/plans/", "/api/schema/",
                 "/api/docs/"):
        assert client.get(path).status_code == 404, path


def test_the_schema_documents_share_links(api_for, people):
    schema = api_for(people["owner"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/share-links/", "/api/v1/share-links/{id}/", "/api/v1/share-links/{id}/revoke/"} <= set(
        schema["paths"])
    assert "url" in schema["components"]["schemas"]["ShareLinkCreate"]["properties"]


def test_the_list_costs_the_same_queries_for_5_and_50_links(api_for, people, make_link):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(people["owner"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(LIST, {"page_size": 100}).status_code == 200
        return len(queries)

    for _ in range(5):
        make_link()
    few = count()
    for _ in range(45):
        make_link()
    assert count() == few


def test_a_link_taking_visitors_comments_is_created_and_listed_so(api_for, people, world):
    api = api_for(people["owner"])
    created = api.post(LIST, body(world, allow_comments=True), format="json")
    assert created.status_code == 201 and created.data["allow_comments"] is True
    assert ShareLink.objects.get().allow_comments
    assert api.get(LIST).data["results"][0]["allow_comments"] is True


def test_a_link_takes_no_comments_unless_asked(api_for, people, world):
    api = api_for(people["owner"])
    assert api.post(LIST, body(world), format="json").data["allow_comments"] is False
    assert not ShareLink.objects.get().allow_comments


def test_allow_comments_must_be_a_boolean(api_for, people, world):
    response = api_for(people["owner"]).post(LIST, body(world, allow_comments="maybe"), format="json")
    assert response.status_code == 400 and "allow_comments" in fields(response)
    assert not ShareLink.objects.exists()


def test_a_journey_link_names_its_journey_as_on_the_page(api_for, people, world):
    response = api_for(people["owner"]).post(LIST, body(world, journey=None), format="json")
    assert response.status_code == 400 and "journey" in fields(response)
    assert "Choose the journey the link shows." in response.content.decode()
    plan_wide = api_for(people["owner"]).post(LIST, body(world, scope="plan"), format="json")
    assert plan_wide.status_code == 201 and plan_wide.data["journey"] is None
