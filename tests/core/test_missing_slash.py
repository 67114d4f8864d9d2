"""An API address without its final slash is served as the address with it, under DEBUG (`make run`) as in
production: never a 500 (APPEND_SLASH cannot redirect a POST) and never a redirect that drops the body."""

import pytest

from planning.models import Persona


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def owner_api(api_for, people):
    api = api_for(people["owner"])
    api.raise_request_exception = False  # a 500 is an answer to look at, not an exception in the test
    return api


def test_a_post_without_the_slash_creates(debug, owner_api, plan):
    response = owner_api.post("/api/v1/personas", {"plan": plan.pk, "name": "Alex"}, format="json")
    assert response.status_code == 201, response.content
    assert response.data["name"] == "Alex" and Persona.objects.filter(plan=plan, name="Alex").count() == 1
    assert response["ETag"] == '"1"'


def test_reads_and_writes_of_an_object_without_the_slash_are_served(debug, owner_api, plan):
    created = owner_api.post("/api/v1/personas/", {"plan": plan.pk, "name": "Alex"}, format="json").data
    url = f"/api/v1/personas/{created['id']}"
    read = owner_api.get(url)
    assert read.status_code == 200 and read.data["name"] == "Alex"
    assert owner_api.get(url, HTTP_IF_NONE_MATCH='"1"').status_code == 304
    changed = owner_api.patch(url, {"name": "Sam"}, format="json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200 and changed.data["name"] == "Sam"
    assert owner_api.delete(url, HTTP_IF_MATCH='"2"').status_code == 204
    assert not Persona.objects.filter(pk=created["id"]).exists()


@pytest.mark.parametrize("path", ["/api/v1/changes", "/api/v1/plans/{plan}/statistics", "/api/v1"])
def test_other_api_addresses_without_the_slash_are_served(debug, owner_api, plan, path):
    response = owner_api.get(path.format(plan=plan.pk))
    assert response.status_code == 200, (path, response.status_code)


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_api_address_that_matches_nothing_answers_a_json_404(debug, owner_api, method):
    for path in ("/api/v1/nothing-here", "/api/v1/nothing-here/", "/api/v1/personas/1/nothing"):
        response = getattr(owner_api, method)(path, {}, format="json")
        assert response.status_code == 404, (path, response.status_code)
        assert response["Content-Type"] == "application/problem+json" and response.json()["code"] == "not_found"


def test_a_method_the_address_does_not_take_answers_a_json_405(debug, owner_api, plan):
    response = owner_api.put("/api/v1/personas", {"plan": plan.pk, "name": "Alex"}, format="json")
    assert response.status_code == 405 and "PUT" in response.json()["detail"]


def test_pages_keep_their_redirect_to_the_address_with_the_slash(debug, client_for, people):
    response = client_for(people["owner"]).get("/accounts/login")
    assert response.status_code == 301 and response["Location"] == "/accounts/login/"
