"""Conditional requests (RFC 9110, section 13) on every versioned object of the API router.

If-Match compares strongly (`W/"1"` never matches), takes a list of ETags or `*`; If-None-Match compares weakly and
answers 304 on a read; a header that is not a list of entity tags answers 400.
"""

import pytest
from django.db.models import F
from drf_spectacular.generators import SchemaGenerator

from config.api_router import router
from core.api.versioning import VersionedViewSetMixin
from tests.sync import world

# The fixture `everything`: a row in every list, made once for the module (tests/sync/world.py).
world_data, world_everything = world.FIXTURES

VERSIONED = [prefix for prefix, viewset, _basename in router.registry if issubclass(viewset, VersionedViewSetMixin)]
# The router's other resources have no version (and send no ETag): exports, webhook subscriptions, API tokens, share
# links, and the theme taxonomy (created and deleted, never edited in place: nothing to lose to a concurrent edit).
UNVERSIONED = {"exports", "webhook-subscriptions", "api-tokens", "share-links", "themes", "theme-rules", "tags",
               "plan-versions", "duplications", "sso-configurations"}
# Rows with a version that the API never edits in place, so it sends no ETag for them: visitors' comments held for
# moderation (approved or rejected), plan templates and library items (saved or published, then deleted), and
# template uses (jobs).
NEVER_EDITED = {"pending-comments", "plan-templates", "library-items", "template-uses"}


def test_every_resource_with_a_version_is_covered():
    models = {prefix: viewset.queryset.model for prefix, viewset, _basename in router.registry
              if prefix not in NEVER_EDITED}
    with_version = {prefix for prefix, model in models.items() if any(f.name == "version" for f in model._meta.fields)}
    assert with_version == set(VERSIONED) and set(models) - with_version == UNVERSIONED


@pytest.fixture
def detail(everything, api_for):
    """(client, url of one object of the resource, its ETag) for the owner, who may write everything."""

    def load(prefix):
        api = api_for(everything["people"]["owner"])
        rows = api.get(f"/api/v1/{prefix}/").data["results"]
        assert rows, f"nothing to read in {prefix}"
        url = f"/api/v1/{prefix}/{rows[0]['id']}/"
        response = api.get(url)
        assert response.status_code == 200 and response["ETag"] == f'"{response.data["version"]}"'
        return api, url, response["ETag"]

    return load


def write(api, url, **headers):
    """A write that changes nothing but still makes a new version: PATCH {} (comments are resolved instead)."""
    if url.startswith("/api/v1/comments/"):
        return api.post(f"{url}resolve/", {"resolved": False}, format="json", **headers)
    return api.patch(url, {}, format="json", **headers)


def bump(api, url, etag) -> str:
    """Someone else writes the object (a new version); returns its new ETag."""
    prefix, pk = url.split("/")[3], int(url.split("/")[4])
    [viewset] = [viewset for registered, viewset, _basename in router.registry if registered == prefix]
    viewset.queryset.model._base_manager.filter(pk=pk).update(version=F("version") + 1)
    current = api.get(url)["ETag"]
    assert current != etag
    return current


@pytest.mark.parametrize("prefix", VERSIONED)
def test_if_none_match_with_the_current_etag_answers_304_without_a_body(prefix, detail):
    api, url, etag = detail(prefix)
    for header in (etag, f"W/{etag}", f'"999", {etag}', "*"):
        response = api.get(url, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304, (header, response.status_code)
        assert response["ETag"] == etag and response.content == b""
    assert api.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("prefix", VERSIONED)
def test_if_none_match_with_a_stale_etag_answers_200_with_the_object(prefix, detail):
    api, url, stale = detail(prefix)
    current = bump(api, url, stale)
    response = api.get(url, HTTP_IF_NONE_MATCH=stale)
    assert response.status_code == 200 and response["ETag"] == current
    assert f'"{response.data["version"]}"' == current


@pytest.mark.parametrize("prefix", VERSIONED)
def test_a_weak_etag_in_if_match_never_matches_412(prefix, detail):
    api, url, etag = detail(prefix)
    response = write(api, url, HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412, response.content
    assert f'"{response.data["current"]["version"]}"' == etag and response["ETag"] == etag
    if not url.startswith("/api/v1/comments/"):  # a comment cannot be deleted through the API
        assert api.delete(url, HTTP_IF_MATCH=f"W/{etag}").status_code == 412
    assert api.get(url)["ETag"] == etag  # nothing written


@pytest.mark.parametrize("prefix", VERSIONED)
def test_a_list_of_etags_in_if_match_that_holds_the_current_one_writes(prefix, detail):
    api, url, stale = detail(prefix)
    current = bump(api, url, stale)
    response = write(api, url, HTTP_IF_MATCH=f'{stale}, W/{current}, "999", {current}')
    assert response.status_code == 200, response.content
    assert write(api, url, HTTP_IF_MATCH=f'{stale}, "999"').status_code == 412
    assert write(api, url, HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.parametrize("prefix", VERSIONED)
@pytest.mark.parametrize("header", ["HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"])
def test_a_malformed_condition_answers_400_naming_the_header(prefix, header, detail):
    api, url, etag = detail(prefix)
    name = {"HTTP_IF_MATCH": "If-Match", "HTTP_IF_NONE_MATCH": "If-None-Match"}[header]
    for value in (etag.strip('"'), f"{etag} {etag}", 'W/"1'):
        for response in (api.get(url, **{header: value}), write(api, url, **{header: value})):
            assert response.status_code == 400, (value, response.status_code)
            assert name in response.json()["detail"]
    assert api.get(url)["ETag"] == etag  # nothing written


def test_if_none_match_on_a_write_refuses_it_when_it_matches(detail):
    api, url, etag = detail("personas")
    response = api.patch(url, {"name": "Sam"}, format="json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 412 and response.data["current"]["name"] == "Alex"
    assert api.patch(url, {"name": "Sam"}, format="json", HTTP_IF_NONE_MATCH='"999"').status_code == 200


def test_if_match_on_a_read_that_names_another_version_answers_412(detail):
    api, url, etag = detail("personas")
    assert api.get(url, HTTP_IF_MATCH='"999"').status_code == 412
    assert api.get(url, HTTP_IF_MATCH=f'"999", {etag}').status_code == 200


def test_the_plan_scoring_settings_answer_304_and_take_a_list(api_for, people, plan):
    api = api_for(people["owner"])
    url = f"/api/v1/plans/{plan.pk}/scoring/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.patch(url, {"method": "rice"}, format="json", HTTP_IF_MATCH=f"W/{etag}").status_code == 412
    assert api.patch(url, {"method": "rice"}, format="json", HTTP_IF_MATCH=f'"999", {etag}').status_code == 200


def test_the_schema_documents_if_none_match_and_304_on_every_retrieve():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for prefix in VERSIONED:
        get = schema["paths"][f"/api/v1/{prefix}/{{id}}/"]["get"]
        assert "If-None-Match" in {p["name"] for p in get.get("parameters", [])}, prefix
        assert "304" in get["responses"], prefix
