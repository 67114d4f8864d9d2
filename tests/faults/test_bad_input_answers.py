"""The client inputs that used to answer 500 (issue 18) answer a 4xx with a message saying what is wrong."""

import json

import pytest
from django.test import override_settings

from planning.models import Channel, Persona
from planning.services import journey_create, touchpoint_create
from sync.models import IdempotencyRecord
from tenancy.models import Activity, Organisation

pytestmark = pytest.mark.django_db


def test_an_empty_patch_on_an_organisation_changes_nothing_and_answers_200(api_for, people, org):
    response = api_for(people["owner"]).patch(f"/api/v1/organisations/{org.pk}/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Northern Trail Outfitters"


def test_an_empty_patch_on_an_organisation_by_a_viewer_is_forbidden(api_for, people, org):
    response = api_for(people["viewer"]).patch(f"/api/v1/organisations/{org.pk}/", {}, format="json")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=org.pk).version == org.version


def test_a_stored_answer_quoting_a_nul_is_kept_and_replayed(api_for, people, org):
    api = api_for(people["owner"])
    body = {"organisation": org.pk, "name": "Plan", "status": "dr\x00aft"}
    first = api.post("/api/v1/plans/", body, format="json", HTTP_IDEMPOTENCY_KEY="nul-1")
    again = api.post("/api/v1/plans/", body, format="json", HTTP_IDEMPOTENCY_KEY="nul-1")
    assert first.status_code == again.status_code == 400
    assert "status" in first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "\x00" not in json.dumps(IdempotencyRecord.objects.get(key="nul-1").response_body, ensure_ascii=False)


@pytest.mark.parametrize(("text", "message"), [("a\x00b", "Null characters are not allowed."),
                                               ("\ud800", "Text must be valid Unicode")])
def test_text_the_database_cannot_store_is_a_400(api_for, people, plan, text, message):
    body = json.dumps({"plan": plan.pk, "name": text}).encode("utf-8", "surrogatepass")
    response = api_for(people["owner"]).generic("POST", "/api/v1/personas/", body, content_type="application/json",
                                                HTTP_IDEMPOTENCY_KEY="text-1")
    assert response.status_code == 400
    assert message in json.dumps(response.json())


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_an_if_match_beyond_any_version_is_stale_412(api_for, people, plan, method):
    api = api_for(people["owner"])
    body = {"organisation": plan.organisation_id, "name": "Renamed"}
    response = getattr(api, method)(f"/api/v1/plans/{plan.pk}/", body, format="json",
                                    HTTP_IF_MATCH='"2147483648"')
    assert response.status_code == 412
    assert response.json()["current"]["name"] == "Omnichannel 2027"
    if method != "delete":
        assert Activity.objects.filter(verb="refused").count() == 1  # the refusal is in the history


@pytest.mark.parametrize("value", ['"²"', '"99999999999999999999999"', '"-1"', '"1.0"', 'W/"1"'])
def test_an_if_match_that_names_none_of_our_versions_is_a_412(api_for, people, plan, value):
    # Well-formed entity tags (RFC 9110) that no version of ours strongly matches: the condition is false.
    response = api_for(people["owner"]).patch(f"/api/v1/plans/{plan.pk}/", {"name": "x"}, format="json",
                                              HTTP_IF_MATCH=value)
    assert response.status_code == 412
    assert response.json()["current"]["name"] == "Omnichannel 2027"


@pytest.mark.parametrize("value", ["1", "yesterday", '"1', '"1" "2"', 'W/1', '"a"b"', '"1",, x'])
def test_an_if_match_that_is_no_etag_is_a_400(api_for, people, plan, value):
    response = api_for(people["owner"]).patch(f"/api/v1/plans/{plan.pk}/", {"name": "x"}, format="json",
                                              HTTP_IF_MATCH=value)
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/personas/", "/api/v1/audit-items/", "/api/v1/plans/import/"])
def test_json_nested_deeper_than_the_limit_is_a_400(api_for, people, url):
    deep = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api_for(people["owner"]).generic("POST", url, deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]


@override_settings(API_JSON_MAX_DEPTH=3)
def test_the_depth_limit_is_a_setting(api_for, people, plan):
    api = api_for(people["owner"])
    shallow = api.post("/api/v1/personas/", {"plan": plan.pk, "name": "A", "goals": [["x"]]}, format="json")
    deeper = api.post("/api/v1/personas/", {"plan": plan.pk, "name": "A", "goals": [[["x"]]]}, format="json")
    assert shallow.status_code != 400 or "nested" not in shallow.content.decode()
    assert deeper.status_code == 400
    assert "3 levels" in deeper.json()["detail"]


def test_a_30_mb_body_answers_a_json_413(api_for, people):
    body = json.dumps({"name": "x" * (30 * 1024 * 1024)})
    response = api_for(people["owner"]).generic("POST", "/api/v1/personas/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request_too_large"


@override_settings(API_MAX_BODY_BYTES=10**9, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_found_too_large_while_reading_answers_a_json_413(api_for, people, plan):
    persona = Persona.objects.create(plan=plan, name="Alex")
    response = api_for(people["owner"]).put(f"/api/v1/personas/{persona.pk}/photo/", {"note": "x" * 2000},
                                            format="multipart")
    assert response.status_code == 413
    assert response.json()["limit"] == 1000


def test_deleting_an_object_others_still_point_to_is_a_409(api_for, people, org, plan):
    channel = Channel.objects.create(organisation=org, name="Web", kind="online")
    journey = journey_create(plan=plan, actor=people["owner"], name="Buy", template="purchase")
    touchpoint_create(stage=journey.stages.first(), channel=channel, actor=people["owner"], name="Ad")
    response = api_for(people["owner"]).delete(f"/api/v1/organisations/{org.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Other objects still point to this one")
    assert Organisation.objects.filter(pk=org.pk).exists()
