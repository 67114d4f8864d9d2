"""Every API error is an RFC 9457 problem (application/problem+json) with a stable code; messages are translated,
codes never are (core/api/problems.py)."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.exceptions import ErrorDetail

from core.api.problems import PROBLEM_CONTENT_TYPE, TYPE_PREFIX, field_errors, from_legacy
from planning import services

pytestmark = pytest.mark.django_db

MEMBERS = ("type", "title", "status", "detail", "code")


def make_persona(plan, name="Ana"):
    return services.persona_create(plan=plan, actor=None, name=name)


def problem_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response.content)
    assert set(MEMBERS) <= set(body), body
    assert body["type"] == TYPE_PREFIX + code and body["code"] == code and body["status"] == status, body
    assert body["title"] and body["detail"], body
    return body


def test_a_validation_error_lists_each_field_with_a_pointer_and_a_code(api_for, people, plan):
    response = api_for(people["editor"]).post("/api/v1/personas/", {"plan": plan.pk, "name": ""}, format="json")

    body = problem_of(response, 400, "invalid")
    assert body["title"] == "Bad Request"
    assert body["errors"] == [{"pointer": "/name", "field": "name", "code": "blank",
                               "detail": "This field may not be blank."}]
    assert body["detail"] == "This field may not be blank."


def test_messages_follow_the_language_and_codes_do_not(api_for, people, plan):
    response = api_for(people["editor"]).post("/api/v1/personas/", {"plan": plan.pk, "name": ""}, format="json",
                                              HTTP_ACCEPT_LANGUAGE="fr")

    body = problem_of(response, 400, "invalid")
    assert body["errors"][0]["code"] == "blank" and body["errors"][0]["pointer"] == "/name"
    assert body["errors"][0]["detail"] != "This field may not be blank." and "vide" in body["errors"][0]["detail"]


def test_not_found_forbidden_and_unauthenticated_are_problems(api_for, people, plan, other_plan):
    persona = make_persona(other_plan)
    problem_of(api_for(people["editor"]).get(f"/api/v1/personas/{persona.pk}/"), 404, "not_found")
    problem_of(api_for(people["editor"]).get("/api/v1/no-such-thing/"), 404, "not_found")
    problem_of(api_for(None).get("/api/v1/personas/"), 401, "not_authenticated")
    own = make_persona(plan)
    problem_of(api_for(people["viewer"]).patch(f"/api/v1/personas/{own.pk}/", {"name": "x"}, format="json"),
               403, "permission_denied")
    problem_of(api_for(people["editor"]).put("/api/v1/plans/", {}, format="json"), 405, "method_not_allowed")


def test_a_stale_write_is_a_problem_that_carries_the_current_object(api_for, people, plan):
    persona = make_persona(plan)
    editor = api_for(people["editor"])
    url = f"/api/v1/personas/{persona.pk}/"
    editor.patch(url, {"name": "Ana B."}, format="json", HTTP_IF_MATCH=f'"{persona.version}"')

    stale = editor.patch(url, {"name": "Ana C."}, format="json", HTTP_IF_MATCH=f'"{persona.version}"')

    body = problem_of(stale, 412, "precondition_failed")
    assert body["current"]["name"] == "Ana B." and body["current"]["version"] == persona.version + 1


def test_a_malformed_header_a_bad_body_and_a_body_too_large_are_problems(api_for, people, plan, settings):
    editor = api_for(people["editor"])
    persona = make_persona(plan)
    problem_of(editor.patch(f"/api/v1/personas/{persona.pk}/", {"name": "x"}, format="json", HTTP_IF_MATCH="3"),
               400, "parse_error")
    problem_of(editor.generic("POST", "/api/v1/personas/", "{not json", content_type="application/json"),
               400, "parse_error")
    settings.API_MAX_BODY_BYTES = 100
    body = problem_of(editor.generic("POST", "/api/v1/personas/", json.dumps({"name": "x" * 200}),
                                     content_type="application/json"), 413, "request_too_large")
    assert body["limit"] == 100


@override_settings(API_THROTTLE_USER="1/min", API_THROTTLE_TOKEN="1/min")
def test_throttling_is_a_problem_with_the_wait(api_for, people):
    cache.clear()
    editor = api_for(people["editor"])
    editor.get("/api/v1/plans/")
    body = problem_of(editor.get("/api/v1/plans/"), 429, "throttled")
    assert body["wait"] > 0
    cache.clear()


def test_nested_errors_point_into_the_body():
    detail = {"name": [ErrorDetail("Required.", code="required")],
              "stages": [{}, {"name": [ErrorDetail("Too long.", code="max_length")]}],
              "a/b": [ErrorDetail("Odd.", code="invalid")],
              "non_field_errors": [ErrorDetail("Pick one.", code="choice")]}

    assert field_errors(detail) == [
        {"pointer": "/name", "field": "name", "code": "required", "detail": "Required."},
        {"pointer": "/stages/1/name", "field": "stages.1.name", "code": "max_length", "detail": "Too long."},
        {"pointer": "/a~1b", "field": "a/b", "code": "invalid", "detail": "Odd."},
        {"pointer": "", "field": None, "code": "choice", "detail": "Pick one."},
    ]


def test_a_views_own_error_body_keeps_its_members():
    bulk = from_legacy({"detail": "2 of 5 are invalid.", "errors": [{"index": 3, "errors": {"score": ["Bad."]}}]},
                       400)
    assert bulk["code"] == "invalid" and bulk["detail"] == "2 of 5 are invalid."
    assert bulk["errors"] == [{"index": 3, "errors": {"score": ["Bad."]}}]
    fields = from_legacy({"name": ["Required."]}, 400)
    assert fields["detail"] == "Required." and fields["errors"][0]["pointer"] == "/name"
    coded = from_legacy({"detail": "Too big.", "code": "request_too_large", "limit": 9}, 413)
    assert (coded["code"], coded["limit"], coded["type"]) == ("request_too_large", 9, TYPE_PREFIX + "request_too_large")


def test_an_error_page_django_writes_under_the_api_becomes_a_problem(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/api/v1/plans/", HTTP_HOST="evil.example", HTTP_ACCEPT="application/json")
    problem_of(response, 400, "invalid")
    page = client.get("/api/v1/plans/", HTTP_HOST="evil.example", HTTP_ACCEPT="text/html")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
