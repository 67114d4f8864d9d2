"""Permission matrix of the assessments API: anonymous, outsider, viewer, editor, admin, owner, on every endpoint."""

from datetime import date

import pytest

from assessments import services
from assessments.models import (
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    MaturityAssessment,
    MaturityVote,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from planning import services as planning_services
from planning.models import Channel
from tests.conftest import ROLES
from tests.factories import team_with
from tests.support import fields

# Until config/api_router.py registers assessments.api.routes, the test urlconf adds them (and nothing once it does).
pytestmark = pytest.mark.urls("tests.assessments.api_urls")


def make_touchpoints(plan, names, channel_name="Website"):
    channel = Channel.objects.get_or_create(organisation=plan.organisation, name=channel_name,
                                            defaults={"kind": "online"})[0]
    journey = planning_services.journey_create(plan=plan, actor=None, name=f"Journey of {plan.name}",
                                               template="purchase")
    stage = journey.stages.order_by("position").first()
    return [planning_services.touchpoint_create(stage=stage, channel=channel, actor=None, name=name) for name in names]


def build_world(org, plan, team, other_plan) -> dict:
    """A plan with two touchpoints and one of everything, and another organisation's plan with a touchpoint."""
    touchpoint, second = make_touchpoints(plan, ["Buys online", "Returns in store"])
    (foreign,) = make_touchpoints(other_plan, ["Their touchpoint"])
    evaluation = services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=2,
                                            potential_customer=4, potential_brand=3)
    return {
        "touchpoint": touchpoint, "second": second, "foreign": foreign, "evaluation": evaluation,
        "marketing": team_with(org, name="Marketing", department="marketing"),
        "data_item": services.data_item_create(evaluation=evaluation, actor=None, data="Email address", storage="crm"),
        "agreement": services.agreement_set(touchpoint=touchpoint, actor=None, reason="Workshop of March",
                                            maturity=3),
        "feedback": services.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=9,
                                             responded_on=date(2027, 1, 10), verbatim="Great advice"),
        "assessment": services.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2027, 1, 15),
                                                          channel_level=1, engagement_level=3),
        "audit": services.audit_item_create(plan=plan, actor=None, kind="data", step="need",
                                            title="One customer id", answers={"owner": "IT"},
                                            touchpoints=[touchpoint]),
    }


@pytest.fixture
def world(org, people, plan, team, other_plan):
    return build_world(org, plan, team, other_plan)


# resource, model, fixture key, a marker of the object in its body, PATCH body, create body
RESOURCES = {
    "touchpoint-evaluations": (TouchpointEvaluation, "evaluation", {"maturity": 4},
                               lambda w, plan: {"touchpoint": w["touchpoint"].pk, "team": w["marketing"].pk,
                                                "maturity": 3, "potential_customer": 4, "potential_brand": 5,
                                                "information_pushed": ["reviews"], "feedback_mode": "pulled"}),
    "touchpoint-data-items": (DataCaptureItem, "data_item", {"data": "Phone number"},
                              lambda w, plan: {"evaluation": w["evaluation"].pk, "data": "Loyalty id",
                                               "storage": "spreadsheet"}),
    "touchpoint-agreements": (TouchpointAgreement, "agreement", {"reason": "Second workshop"},
                              lambda w, plan: {"touchpoint": w["second"].pk, "maturity": 1,
                                               "reason": "Nobody owns it"}),
    "feedback-responses": (FeedbackResponse, "feedback", {"score": 7},
                           lambda w, plan: {"touchpoint": w["touchpoint"].pk, "kind": "ces", "score": 3,
                                            "responded_on": "2027-02-01", "source": "Survey"}),
    "maturity-assessments": (MaturityAssessment, "assessment", {"channel_level": 2},
                             lambda w, plan: {"plan": plan.pk, "assessed_on": "2027-06-01"}),
    "audit-items": (AuditItem, "audit", {"title": "A single customer id"},
                    lambda w, plan: {"plan": plan.pk, "kind": "content", "step": "have", "title": "Boot guide",
                                     "answers": {"message": "How to choose boots"},
                                     "touchpoints": [w["touchpoint"].pk]}),
}
NAMES = list(RESOURCES)


def _url(resource, obj=None):
    return f"/api/v1/{resource}/" + (f"{obj.pk}/" if obj is not None else "")


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api_for, people, world, resource, role):
    model, key, _patch, _create = RESOURCES[resource]
    response = api_for(people[role]).get(_url(resource))
    if role == "anon":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = [row["id"] for row in response.data["results"]]
    if role == "outsider":
        assert ids == []  # another organisation's rows are simply absent
    else:
        assert world[key].pk in ids


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_detail_matrix(api_for, people, world, resource, role, expected):
    model, key, _patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).get(_url(resource, obj))
    assert response.status_code == expected
    if expected == 200:
        assert response.data["id"] == obj.pk and response["ETag"] == f'"{obj.version}"'
    else:
        assert "detail" in response.json()


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_update_matrix(api_for, people, world, resource, role, expected):
    model, key, patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).patch(_url(resource, obj), patch, format="json")
    assert response.status_code == expected, response.content
    fresh = model.objects.get(pk=obj.pk)
    changed = all(getattr(fresh, field) == value for field, value in patch.items())
    assert changed == (expected == 200)
    if expected == 200:
        assert response["ETag"] == f'"{fresh.version}"' and fresh.version == obj.version + 1


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 204, 204, 204], strict=True)))
def test_delete_matrix(api_for, people, world, resource, role, expected):
    model, key, _patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).delete(_url(resource, obj))
    assert response.status_code == expected
    assert model.objects.filter(pk=obj.pk).exists() == (expected != 204)


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 400, 403, 201, 201, 201], strict=True)))
def test_create_matrix(api_for, people, plan, world, resource, role, expected):
    model, _key, _patch, create = RESOURCES[resource]
    before = model.objects.count()
    response = api_for(people[role]).post(_url(resource), create(world, plan), format="json")
    assert response.status_code == expected, response.content
    assert model.objects.count() == before + (1 if expected == 201 else 0)
    if expected == 201:
        assert response["ETag"] == f'"{response.data["version"]}"'
        assert response.data["plan"] == plan.pk
    if expected == 400:  # the outsider cannot see what the body points to: named like a missing object
        assert set(fields(response)) & {"touchpoint", "evaluation", "plan"}


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_every_participant_may_vote_viewers_included(api_for, people, world, role, expected):
    assessment = world["assessment"]
    response = api_for(people[role]).post(f"/api/v1/maturity-assessments/{assessment.pk}/vote/",
                                          {"channel_level": 2, "engagement_level": 4}, format="json")
    assert response.status_code == expected, response.content
    voted = MaturityVote.objects.filter(assessment=assessment, channel_level=2, engagement_level=4)
    assert voted.exists() == (expected == 200)
    if expected == 200:
        assert [(v["participant"], v["channel_level"], v["engagement_level"]) for v in response.data["votes"]] == [
            (people[role].pk, 2, 4)]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 400, 403, 201, 201, 201], strict=True)))
def test_bulk_feedback_matrix(api_for, people, world, role, expected):
    body = [{"touchpoint": world["touchpoint"].pk, "kind": "nps", "score": s, "responded_on": "2027-03-01"}
            for s in (0, 7, 10)]
    before = FeedbackResponse.objects.count()
    response = api_for(people[role]).post("/api/v1/feedback-responses/bulk/", body, format="json")
    assert response.status_code == expected, response.content
    assert FeedbackResponse.objects.count() == before + (3 if expected == 201 else 0)
    if expected == 201:
        assert response.data == {"created": 3}
    if expected == 400:  # the outsider's upload names touchpoints it cannot see
        assert [e["index"] for e in response.data["errors"]] == [0, 1, 2]
        assert "touchpoint" in response.data["errors"][0]["errors"]


@pytest.mark.parametrize("scope", ["touchpoints", "journeys", "plans"])
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_statistics_matrix(api_for, people, plan, world, scope, role, expected):
    target = {"touchpoints": world["touchpoint"].pk, "journeys": world["touchpoint"].journey_id,
              "plans": plan.pk}[scope]
    response = api_for(people[role]).get(f"/api/v1/{scope}/{target}/statistics/")
    assert response.status_code == expected
    if expected == 200:
        assert response.data["overall"]["nps"]["n"] == 1 and response.data["overall"]["nps"]["value"] == 100.0
    else:
        assert "overall" not in response.json()


@pytest.mark.parametrize("scope", ["touchpoints", "journeys", "plans"])
def test_statistics_of_another_organisation_are_absent(api_for, people, other_plan, world, scope):
    foreign = world["foreign"]
    target = {"touchpoints": foreign.pk, "journeys": foreign.journey_id, "plans": other_plan.pk}[scope]
    assert api_for(people["editor"]).get(f"/api/v1/{scope}/{target}/statistics/").status_code == 404
    assert api_for(people["outsider"]).get(f"/api/v1/{scope}/{target}/statistics/").status_code == 200
