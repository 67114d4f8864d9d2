"""Assessments API behaviour: all-or-none bulk feedback, versions (ETag / If-Match / 412), cross-plan and
cross-organisation references, statistics and their constant query count, filters, the schema."""

import os
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import AuditItem, FeedbackResponse, MaturityVote
from tenancy import services as tenancy_services
from tests.assessments.test_api_permissions import RESOURCES, build_world, make_touchpoints
from tests.factories import MembershipFactory, PlanFactory
from tests.support import fields

pytestmark = pytest.mark.urls("tests.assessments.api_urls")
BULK = "/api/v1/feedback-responses/bulk/"


@pytest.fixture
def world(org, people, plan, team, other_plan):
    return build_world(org, plan, team, other_plan)


def _row(touchpoint, **fields):
    return {"touchpoint": touchpoint.pk, "kind": "nps", "score": 8, "responded_on": "2027-03-01", **fields}


# Bulk feedback -------------------------------------------------------------------------------------------------


def test_bulk_reports_every_bad_response_and_creates_none(api_for, people, world):
    touchpoint = world["touchpoint"]
    body = [_row(touchpoint) for _ in range(20)]
    body[2] = _row(touchpoint, kind="ces", score=9)  # outside the CES scale
    body[5] = _row(touchpoint, responded_on="2027-02-30")  # no such date
    body[7] = {k: v for k, v in _row(touchpoint).items() if k != "kind"}  # missing field
    body[11] = _row(world["foreign"])  # another organisation's touchpoint
    body[13] = "not an object"
    before = FeedbackResponse.objects.count()
    response = api_for(people["editor"]).post(BULK, body, format="json")
    assert response.status_code == 400
    assert FeedbackResponse.objects.count() == before
    errors = {e["index"]: e["errors"] for e in response.data["errors"]}
    assert sorted(errors) == [2, 5, 7, 11, 13]
    assert "from 1 to 7" in str(errors[2]["score"][0])
    assert "responded_on" in errors[5] and "kind" in errors[7] and "touchpoint" in errors[11]
    assert "non_field_errors" in errors[13]
    assert response.data["detail"] == "5 of 20 responses are invalid; nothing was created."


def test_bulk_accepts_ten_thousand_responses_in_one_request(api_for, people, world):
    touchpoint = world["touchpoint"]
    start = date(2026, 1, 1)
    body = [_row(touchpoint, score=i % 11, responded_on=(start + timedelta(days=i % 365)).isoformat(),
                 verbatim="Très bien" if i % 50 == 0 else "") for i in range(10_000)]
    response = api_for(people["editor"]).post(BULK, body, format="json")
    assert response.status_code == 201, response.data
    assert response.data == {"created": 10_000}
    assert FeedbackResponse.objects.filter(touchpoint=touchpoint).count() == 10_001


@pytest.mark.parametrize("body", [[], {"touchpoint": 1}, "nope"], ids=["empty", "object", "string"])
def test_bulk_needs_a_non_empty_list(api_for, people, world, body):
    response = api_for(people["editor"]).post(BULK, body, format="json")
    assert response.status_code == 400 and "JSON list" in response.data["detail"]


def test_bulk_refuses_more_than_ten_thousand(api_for, people, world):
    body = [_row(world["touchpoint"])] * 10_001
    response = api_for(people["editor"]).post(BULK, body, format="json")
    assert response.status_code == 400 and "10000" in response.data["detail"]
    assert FeedbackResponse.objects.count() == 1


def test_bulk_spanning_a_plan_the_user_may_only_view_creates_nothing(api_for, people, org, world):
    read_only = PlanFactory(organisation=org, name="Read-only plan")
    from tenancy.access import Access

    tenancy_services.plan_grant(plan=read_only, actor=None, user=people["editor"], access=Access.VIEW)
    (elsewhere,) = make_touchpoints(read_only, ["Elsewhere"])
    body = [_row(world["touchpoint"]), _row(elsewhere)]
    response = api_for(people["editor"]).post(BULK, body, format="json")
    assert response.status_code == 403
    assert FeedbackResponse.objects.count() == 1


def test_bulk_across_two_editable_plans_creates_all_with_one_history_row_each(api_for, people, org, plan, world):
    second_plan = PlanFactory(organisation=org, name="Second plan")
    (other,) = make_touchpoints(second_plan, ["Other"])
    response = api_for(people["owner"]).post(BULK, [_row(world["touchpoint"]), _row(other), _row(other)],
                                             format="json")
    assert response.status_code == 201 and response.data == {"created": 3}
    assert FeedbackResponse.objects.filter(plan=second_plan).count() == 2
    assert FeedbackResponse.objects.filter(plan=plan).count() == 2


# Versions ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_stale_if_match_returns_412_with_the_current_object(api_for, people, world, resource):
    _model, key, patch, _create = RESOURCES[resource]
    obj = world[key]
    api = api_for(people["editor"])
    url = f"/api/v1/{resource}/{obj.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, patch, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(url, patch, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.data["current"]["version"] == obj.version + 1 and stale["ETag"] == f'"{obj.version + 1}"'
    assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert api.delete(url, HTTP_IF_MATCH=stale["ETag"]).status_code == 204


def test_if_match_must_be_an_etag(api_for, people, world):
    url = f"/api/v1/audit-items/{world['audit'].pk}/"
    assert api_for(people["editor"]).patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH="yesterday").status_code \
        == 400


# Cross-plan and cross-organisation references ------------------------------------------------------------------


@pytest.fixture
def owner_of_two(people):
    """The owner also belongs to the other organisation, so its objects are visible but must not be mixed in."""
    MembershipFactory(organisation=people["other_org"], user=people["owner"], role="owner")
    return people["owner"]


def test_evaluation_by_a_team_of_another_organisation_is_a_400_naming_team(api_for, owner_of_two, world, people):
    from tests.factories import team_with

    foreign_team = team_with(people["other_org"], name="Their team")
    body = {"touchpoint": world["touchpoint"].pk, "team": foreign_team.pk, "maturity": 2, "potential_customer": 3,
            "potential_brand": 3}
    response = api_for(owner_of_two).post("/api/v1/touchpoint-evaluations/", body, format="json")
    assert response.status_code == 400 and "another organisation" in str(fields(response)["team"][0])


def test_a_second_evaluation_by_the_same_team_is_a_400_naming_team(api_for, people, world, team):
    body = {"touchpoint": world["touchpoint"].pk, "team": team.pk, "maturity": 2, "potential_customer": 3,
            "potential_brand": 3}
    response = api_for(people["editor"]).post("/api/v1/touchpoint-evaluations/", body, format="json")
    assert response.status_code == 400 and "already evaluated" in str(fields(response)["team"][0])


def test_audit_item_linked_to_a_touchpoint_of_another_plan_is_a_400_naming_touchpoints(api_for, owner_of_two, world,
                                                                                          plan):
    body = {"plan": plan.pk, "kind": "data", "step": "have", "title": "x", "touchpoints": [world["foreign"].pk]}
    response = api_for(owner_of_two).post("/api/v1/audit-items/", body, format="json")
    assert response.status_code == 400 and "another plan" in str(fields(response)["touchpoints"][0])
    assert not AuditItem.objects.filter(title="x").exists()


def test_audit_answers_must_answer_the_questions_of_their_step(api_for, people, plan, world):
    body = {"plan": plan.pk, "kind": "data", "step": "wish", "title": "x", "answers": {"owner": "IT"}}
    response = api_for(people["editor"]).post("/api/v1/audit-items/", body, format="json")
    assert response.status_code == 400 and "owner" in str(fields(response)["answers"][0])
    ok = api_for(people["editor"]).post("/api/v1/audit-items/", {**body, "answers": {"why_hard": "Legacy"}},
                                        format="json")
    assert ok.status_code == 201 and ok.data["is_gap"] is True
    assert [q["code"] for q in ok.data["questions"]] == ["why_hard", "what_change"]


def test_feedback_cannot_move_to_a_touchpoint_of_another_plan(api_for, owner_of_two, world):
    url = f"/api/v1/feedback-responses/{world['feedback'].pk}/"
    response = api_for(owner_of_two).patch(url, {"touchpoint": world["foreign"].pk}, format="json")
    assert response.status_code == 400 and "another plan" in str(fields(response)["touchpoint"][0])


def test_feedback_score_must_be_on_the_scale_of_its_kind(api_for, people, world):
    url = f"/api/v1/feedback-responses/{world['feedback'].pk}/"
    response = api_for(people["editor"]).patch(url, {"kind": "csat"}, format="json")  # 9 is not on 1–5
    assert response.status_code == 400 and "from 1 to 5" in str(fields(response)["score"][0])


def test_data_items_are_nested_read_only_in_evaluations(api_for, people, world):
    url = f"/api/v1/touchpoint-evaluations/{world['evaluation'].pk}/"
    response = api_for(people["editor"]).patch(url, {"data_items": [], "notes": "Checked"}, format="json")
    assert response.status_code == 200
    assert [item["data"] for item in response.data["data_items"]] == ["Email address"]


def test_evaluation_cannot_move_to_another_team(api_for, people, world):
    url = f"/api/v1/touchpoint-evaluations/{world['evaluation'].pk}/"
    response = api_for(people["editor"]).patch(url, {"team": world["marketing"].pk}, format="json")
    assert response.status_code == 400 and "team" in fields(response)


# Maturity votes ------------------------------------------------------------------------------------------------


def test_voting_again_replaces_the_vote(api_for, people, world):
    url = f"/api/v1/maturity-assessments/{world['assessment'].pk}/vote/"
    api = api_for(people["viewer"])
    api.post(url, {"channel_level": 1, "engagement_level": 2}, format="json")
    response = api.post(url, {"channel_level": 3, "engagement_level": 3}, format="json")
    assert response.status_code == 200
    assert MaturityVote.objects.filter(assessment=world["assessment"]).count() == 1
    assert response.data["votes"][0]["participant_name"]


def test_a_vote_is_on_the_four_levels(api_for, people, world):
    url = f"/api/v1/maturity-assessments/{world['assessment'].pk}/vote/"
    response = api_for(people["viewer"]).post(url, {"channel_level": 5, "engagement_level": 0}, format="json")
    assert response.status_code == 400 and set(fields(response)) == {"channel_level", "engagement_level"}


# Statistics ----------------------------------------------------------------------------------------------------


def test_plan_statistics_give_estimates_and_compare_periods(api_for, people, plan, world):
    touchpoint = world["touchpoint"]
    rows = [{"touchpoint_id": touchpoint.pk, "kind": "nps", "score": 10, "responded_on": date(2027, 1, 5)}] * 40
    rows += [{"touchpoint_id": touchpoint.pk, "kind": "nps", "score": 2, "responded_on": date(2027, 4, 5)}] * 40
    services.feedback_bulk_create(plan=plan, actor=None, rows=rows)
    response = api_for(people["viewer"]).get(f"/api/v1/plans/{plan.pk}/statistics/",
                                             {"earlier": "2027-01-01..2027-03-31", "later": "2027-04-01..2027-06-30"})
    assert response.status_code == 200
    overall = response.data["overall"]["nps"]
    assert overall["n"] == 81 and overall["indicative"] is False and overall["low"] < overall["value"] < overall["high"]
    nps = response.data["comparison"]["nps"]
    assert nps["earlier"]["value"] == 100.0 and nps["later"]["value"] == -100.0
    assert nps["comparison"]["change"] == -200.0 and nps["comparison"]["beyond_noise"] is True
    assert response.data["comparison"]["ces"]["comparison"]["beyond_noise"] is False
    assert [row["touchpoint"] for row in response.data["by_touchpoint"]] == [touchpoint.pk]
    assert response.data["overall"]["ces"] == {"value": None, "low": None, "high": None, "n": 0, "indicative": True,
                                               "standard_error": None}


def test_statistics_can_be_limited_to_dates(api_for, people, world):
    url = f"/api/v1/touchpoints/{world['touchpoint'].pk}/statistics/"
    assert api_for(people["viewer"]).get(url, {"from": "2027-02-01"}).data["overall"]["nps"]["n"] == 0
    assert api_for(people["viewer"]).get(url, {"to": "2027-02-01"}).data["overall"]["nps"]["n"] == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"earlier": "2027-01-01..2027-03-31"}, "later"),
    ({"later": "2027-01-01..2027-03-31"}, "earlier"),
    ({"earlier": "2027-01-01", "later": "2027-04-01..2027-06-30"}, "earlier"),
    ({"earlier": "2027-03-31..2027-01-01", "later": "2027-04-01..2027-06-30"}, "earlier"),
    ({"earlier": "2027-01-01..2027-03-31", "later": "2027-04-01..June"}, "later"),
    ({"from": "yesterday"}, "from"),
])
def test_bad_periods_are_a_400_naming_the_parameter(api_for, people, plan, world, params, field):
    response = api_for(people["viewer"]).get(f"/api/v1/plans/{plan.pk}/statistics/", params)
    assert response.status_code == 400 and field in fields(response)


@pytest.mark.parametrize("scope", ["touchpoints", "journeys", "plans"])
def test_statistics_query_count_does_not_grow_with_responses(api_for, people, plan, world, scope):
    touchpoint = world["touchpoint"]
    target = {"touchpoints": touchpoint.pk, "journeys": touchpoint.journey_id, "plans": plan.pk}[scope]
    url = f"/api/v1/{scope}/{target}/statistics/"
    params = {"earlier": "2026-01-01..2026-06-30", "later": "2026-07-01..2026-12-31"}
    api = api_for(people["viewer"])

    def add(n):
        services.feedback_bulk_create(plan=plan, actor=None, rows=[
            {"touchpoint_id": touchpoint.pk, "kind": ("nps", "ces", "csat")[i % 3], "score": 1 + i % 5,
             "responded_on": date(2026, 1, 1) + timedelta(days=i % 365)} for i in range(n)])

    add(9)  # 10 with the world's response
    with CaptureQueriesContext(connection) as small:
        assert api.get(url, params).data["overall"]["nps"]["n"] == 4
    add(990)
    with CaptureQueriesContext(connection) as large:
        assert api.get(url, params).data["overall"]["ces"]["n"] == 333
    assert len(small) == len(large)


# Lists ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_list_query_count_does_not_grow_with_rows(api_for, people, plan, world, team, resource):
    api = api_for(people["editor"])
    services.maturity_vote_cast(assessment=world["assessment"], actor=people["owner"], channel_level=1,
                                engagement_level=3)  # so that the first list prefetches participants too
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/v1/{resource}/")
    touchpoints = make_touchpoints(plan, [f"Touchpoint {i}" for i in range(8)], channel_name="Store")
    for i, touchpoint in enumerate(touchpoints):
        evaluation = services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=1,
                                                potential_customer=2, potential_brand=2)
        services.data_item_create(evaluation=evaluation, actor=None, data=f"Data {i}")
        services.agreement_set(touchpoint=touchpoint, actor=None, reason="Agreed", maturity=2)
        services.feedback_create(touchpoint=touchpoint, actor=None, kind="csat", score=4, responded_on=date.today())
        assessment = services.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2026, 1, i + 1))
        services.maturity_vote_cast(assessment=assessment, actor=people["viewer"], channel_level=1,
                                    engagement_level=2)
        services.audit_item_create(plan=plan, actor=None, kind="content", step="wish", title=f"Wish {i}",
                                   touchpoints=touchpoints[:3])
    with CaptureQueriesContext(connection) as many:
        response = api.get(f"/api/v1/{resource}/")
    assert response.data["count"] >= 9
    assert len(few) == len(many)


def test_feedback_filters(api_for, people, plan, world):
    second = world["second"]
    services.feedback_create(touchpoint=second, actor=None, kind="ces", score=2, responded_on=date(2027, 5, 1),
                             verbatim="Trop long au téléphone")
    api = api_for(people["viewer"])

    def ids(**params):
        return sorted(row["id"] for row in api.get("/api/v1/feedback-responses/", params).data["results"])

    everything = ids()
    assert len(everything) == 2
    assert ids(kind="ces") == ids(touchpoint=second.pk) == ids(search="téléphone") == [everything[1]]
    assert ids(responded_on_after="2027-02-01") == [everything[1]]
    assert ids(responded_on_before="2027-02-01", plan=plan.pk) == [everything[0]]
    assert ids(has_verbatim="true") == everything
    assert ids(updated_since="2999-01-01T00:00:00Z") == []
    refused = api.get("/api/v1/feedback-responses/", {"plan": PlanFactory().pk})
    assert refused.status_code == 400 and "plan" in fields(refused)


# Schema --------------------------------------------------------------------------------------------------------


def test_schema_validates_without_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.assessments.api_urls",
                 "--file", os.devnull)


def test_schema_documents_every_assessments_endpoint(api_for, people):
    schema = api_for(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"] and f"/api/v1/{resource}/{{id}}/" in schema["paths"]
    for path in ("/api/v1/feedback-responses/bulk/", "/api/v1/maturity-assessments/{id}/vote/",
                 "/api/v1/touchpoints/{id}/statistics/", "/api/v1/journeys/{id}/statistics/",
                 "/api/v1/plans/{id}/statistics/"):
        assert path in schema["paths"], path
    assert schema["components"]["schemas"]["LevelEnum"]["enum"] == [1, 2, 3, 4]
