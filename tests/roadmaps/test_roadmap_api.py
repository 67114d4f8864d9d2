"""The roadmap API: roadmap-items (score and rank in every answer), scoring-criteria and /plans/{id}/scoring/.

Permission matrix on every endpoint (anonymous, outsider, viewer, editor, admin, owner), ETag/If-Match/412, links
to another plan refused with a 400 naming the field, dependency cycles refused on `dependencies`, absolute
scores, and a list whose query count does not grow with the rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from config import api_router
from config.urls import urlpatterns as project_urlpatterns
from roadmaps import services
from roadmaps.api.routes import ROUTES, URLS
from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringSettings
from tenancy.models import Activity
from tests.conftest import ROLES
from tests.factories import PlanFactory
from tests.roadmaps.test_roadmap_pages import build_world, make_touchpoints
from tests.support import fields

# Until config/api_router.py registers roadmaps.api.routes, this module is its own URL conf: the project's URLs
# plus the roadmap API (skipping whatever is already registered, so it keeps working once it is).
_registered = {prefix for prefix, _viewset, _basename in api_router.router.registry}
_named = {getattr(pattern, "name", None) for pattern in api_router.urlpatterns}
_router = SimpleRouter()
for _prefix, _viewset, _basename in ROUTES:
    if _prefix not in _registered:
        _router.register(_prefix, _viewset, basename=_basename)
urlpatterns = [path("api/v1/", include([u for u in URLS if u.name not in _named] + _router.urls)),
               *project_urlpatterns]
URLCONF = "tests.roadmaps.test_roadmap_api"
pytestmark = pytest.mark.urls(URLCONF)


@pytest.fixture
def world(plan, other_plan, team):
    return build_world(plan, other_plan, team)


def _url(resource, obj=None, suffix=""):
    return f"/api/v1/{resource}/" + (f"{obj.pk}/" if obj is not None else "") + suffix


# resource, model, fixture key, PATCH body, create body
RESOURCES = {
    "roadmap-items": (RoadmapItem, "crm", {"title": "CRM and customer data"},
                      lambda w, plan: {"plan": plan.pk, "title": "Data lake", "category": "data_lake",
                                       "touchpoints": [w["stock"].pk], "dependencies": [w["crm"].pk],
                                       "value": 4, "effort": 8}),
    "scoring-criteria": (ScoringCriterion, "criterion", {"weight": "3.00"},
                         lambda w, plan: {"plan": plan.pk, "name": "Cost", "weight": "1.5", "direction": "lower"}),
}
NAMES = list(RESOURCES)


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api_for, people, world, resource, role):
    _model, key, _patch, _create = RESOURCES[resource]
    response = api_for(people[role]).get(_url(resource))
    if role == "anon":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = [row["id"] for row in response.data["results"]]
    if role == "outsider":
        assert world[key].pk not in ids and (resource != "roadmap-items" or ids == [world["foreign"].pk])
    else:
        assert world[key].pk in ids and world["foreign"].pk not in ids


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_detail_matrix(api_for, people, world, resource, role, expected):
    _model, key, _patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).get(_url(resource, obj))
    assert response.status_code == expected
    if expected == 200:
        assert response.data["id"] == obj.pk and response["ETag"] == f'"{obj.version}"'
    else:
        assert "detail" in response.json() and "plan" not in response.json()


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_update_matrix(api_for, people, world, resource, role, expected):
    model, key, patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).patch(_url(resource, obj), patch, format="json")
    assert response.status_code == expected, response.content
    fresh = model.objects.get(pk=obj.pk)
    changed = all(str(getattr(fresh, field)) == value for field, value in patch.items())
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
        assert response["ETag"] == f'"{response.data["version"]}"' and response.data["plan"] == plan.pk
    if expected == 400:  # the outsider cannot see the plan: named like a plan that does not exist
        assert "plan" in fields(response)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_scoring_settings_read_matrix(api_for, people, plan, world, role, expected):
    response = api_for(people[role]).get(f"/api/v1/plans/{plan.pk}/scoring/")
    assert response.status_code == expected
    if expected == 200:
        assert response.data["method"] == "value_effort" and response.data["formula"] == "score = value ÷ effort"
        assert [c["name"] for c in response.data["criteria"]] == ["Customer value"]
        assert response["ETag"] == f'"{response.data["version"]}"'
    else:
        assert "method" not in response.json()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_scoring_settings_write_matrix(api_for, people, plan, world, role, expected):
    response = api_for(people[role]).patch(f"/api/v1/plans/{plan.pk}/scoring/", {"method": "rice"}, format="json")
    assert response.status_code == expected
    stored = ScoringSettings.objects.filter(plan=plan).values_list("method", flat=True).first()
    assert (stored == "rice") == (expected == 200)
    if expected == 200:
        assert response.data["formula"].startswith("score = reach × impact")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_move_matrix(api_for, people, world, role, expected):
    app = world["app"]
    response = api_for(people[role]).post(_url("roadmap-items", app, "move/"),
                                          {"horizon": "now", "before": world["crm"].pk}, format="json")
    assert response.status_code == expected
    app.refresh_from_db()
    assert (app.horizon == "now") == (expected == 200)
    if expected == 200:
        assert response.data["horizon"] == "now" and response["ETag"] == f'"{app.version}"'
        assert app.board_position < RoadmapItem.objects.get(pk=world["crm"].pk).board_position


# Scores --------------------------------------------------------------------------------------------------------


def test_items_carry_their_score_terms_and_rank(api_for, people, plan, world):
    response = api_for(people["viewer"]).get(_url("roadmap-items"), {"plan": plan.pk})
    rows = {row["title"]: row for row in response.data["results"]}
    crm = rows["CRM for one customer id"]
    assert crm["score"] == {
        "value": 3.0, "formula": "score = value ÷ effort", "missing": [],
        "terms": [{"name": "value", "label": "value", "value": 9.0, "contribution": None, "effect": "× 9"},
                  {"name": "effort", "label": "effort", "value": 3.0, "contribution": None, "effect": "÷ 3"}]}
    assert (crm["rank"], rows["Customer app"]["rank"]) == (1, 2)


def test_custom_scores_use_the_criteria_ratings(api_for, people, plan, world):
    criterion = world["criterion"]
    api = api_for(people["editor"])
    api.patch(f"/api/v1/plans/{plan.pk}/scoring/", {"method": "custom"}, format="json")
    response = api.patch(_url("roadmap-items", world["crm"]), {"criteria_scores": {str(criterion.pk): 4}},
                         format="json")
    assert response.status_code == 200
    assert response.data["score"]["value"] == 8.0  # weight 2 × rating 4
    assert response.data["score"]["terms"][0]["contribution"] == 8.0
    other = api.get(_url("roadmap-items", world["app"])).data
    assert other["score"]["value"] is None and other["score"]["missing"] == ["Customer value"]


def test_ratings_for_another_plans_criteria_are_refused(api_for, people, plan, world):
    response = api_for(people["editor"]).patch(_url("roadmap-items", world["crm"]),
                                               {"criteria_scores": {"99999": 3}}, format="json")
    assert response.status_code == 400 and "99999" in str(fields(response)["criteria_scores"])
    response = api_for(people["editor"]).patch(_url("roadmap-items", world["crm"]),
                                               {"criteria_scores": {str(world["criterion"].pk): 9}}, format="json")
    assert response.status_code == 400 and "criteria_scores" in fields(response)


def test_adding_an_item_does_not_change_another_items_score(api_for, people, plan, world):
    api = api_for(people["editor"])
    before = api.get(_url("roadmap-items", world["crm"])).data
    created = api.post(_url("roadmap-items"), {"plan": plan.pk, "title": "Reviews", "value": 10, "effort": 1},
                       format="json")
    assert created.status_code == 201 and created.data["rank"] == 1 and created.data["score"]["value"] == 10.0
    after = api.get(_url("roadmap-items", world["crm"])).data
    assert after["score"] == before["score"]  # absolute: the same value, formula and terms
    assert (before["rank"], after["rank"]) == (1, 2)  # only the rank moves


# Rules ---------------------------------------------------------------------------------------------------------


def test_a_dependency_cycle_is_a_400_on_dependencies(api_for, people, world):
    response = api_for(people["editor"]).patch(_url("roadmap-items", world["crm"]),
                                               {"dependencies": [world["app"].pk]}, format="json")
    assert response.status_code == 400
    assert fields(response)["dependencies"] == [
        "This would create a cycle: “CRM for one customer id” would depend on itself through Customer app."]
    assert not world["crm"].dependencies.exists()


def test_an_item_cannot_depend_on_itself(api_for, people, world):
    response = api_for(people["editor"]).patch(_url("roadmap-items", world["crm"]),
                                               {"dependencies": [world["crm"].pk]}, format="json")
    assert response.status_code == 400 and fields(response)["dependencies"] == ["An item cannot depend on itself."]


def test_a_manual_rank_needs_a_reason(api_for, people, world):
    api = api_for(people["editor"])
    response = api.patch(_url("roadmap-items", world["app"]), {"manual_rank": 1}, format="json")
    assert response.status_code == 400 and fields(response)["manual_rank_reason"] == ["A manual rank needs a reason."]
    response = api.patch(_url("roadmap-items", world["app"]), {"manual_rank": 1, "manual_rank_reason": "Board"},
                         format="json")
    assert response.status_code == 200 and response.data["rank"] == 1


@pytest.mark.parametrize(("field", "key"), [("touchpoints", "pays"), ("objectives", "stakeholder"),
                                            ("audit_gaps", "need"), ("dependencies", "crm")])
def test_links_to_another_plan_are_a_400_naming_the_field(api_for, people, org, world, field, key):
    second = PlanFactory(organisation=org, name="Second plan")
    item = services.roadmap_item_create(plan=second, actor=None, title="Second plan's item")
    response = api_for(people["owner"]).patch(_url("roadmap-items", item), {field: [world[key].pk]}, format="json")
    assert response.status_code == 400
    assert list(fields(response)) == [field] and "another plan" in str(fields(response)[field])


def test_another_organisations_objects_are_named_like_missing_ones(api_for, people, world):
    api = api_for(people["editor"])
    response = api.patch(_url("roadmap-items", world["crm"]), {"touchpoints": [world["foreign_touchpoint"].pk]},
                         format="json")
    assert response.status_code == 400 and "does not exist" in str(fields(response)["touchpoints"])
    response = api.patch(_url("roadmap-items", world["crm"]), {"owner": people["outsider"].pk}, format="json")
    assert response.status_code == 400 and "owner" in fields(response)


def test_only_needs_and_wishes_are_audit_gaps(api_for, people, world):
    response = api_for(people["editor"]).patch(_url("roadmap-items", world["crm"]),
                                               {"audit_gaps": [world["have"].pk]}, format="json")
    assert response.status_code == 400 and "only needs and wishes" in str(fields(response)["audit_gaps"])


def test_an_item_cannot_move_to_another_plan(api_for, people, org, world):
    second = PlanFactory(organisation=org, name="Second plan")
    response = api_for(people["owner"]).patch(_url("roadmap-items", world["crm"]), {"plan": second.pk},
                                              format="json")
    assert response.status_code == 400 and "plan" in fields(response)


def test_a_stale_if_match_answers_412_with_the_current_item(api_for, people, world):
    crm = world["crm"]
    services.roadmap_item_update(item=RoadmapItem.objects.get(pk=crm.pk), actor=None, title="Saved meanwhile")
    response = api_for(people["editor"]).patch(_url("roadmap-items", crm), {"title": "Mine"}, format="json",
                                               HTTP_IF_MATCH=f'"{crm.version}"')
    assert response.status_code == 412
    assert response.data["current"]["title"] == "Saved meanwhile" and "score" in response.data["current"]
    assert response["ETag"] == f'"{crm.version + 1}"'
    assert Activity.objects.filter(verb="refused", target_id=crm.pk).exists()


def test_a_stale_scoring_method_answers_412(api_for, people, plan, world):
    settings = services.scoring_settings_for(plan)
    services.scoring_method_set(plan=plan, actor=None, method="wsjf")
    response = api_for(people["editor"]).put(f"/api/v1/plans/{plan.pk}/scoring/", {"method": "rice"},
                                             format="json", HTTP_IF_MATCH=f'"{settings.version}"')
    assert response.status_code == 412 and response.data["current"]["method"] == "wsjf"


def test_a_duplicate_criterion_name_is_a_400_on_name(api_for, people, plan, world):
    response = api_for(people["editor"]).post(_url("scoring-criteria"),
                                              {"plan": plan.pk, "name": "customer value"}, format="json")
    assert response.status_code == 400 and "name" in fields(response)


def test_filters(api_for, people, plan, world, team):
    api = api_for(people["owner"])

    def titles(**query):
        response = api.get(_url("roadmap-items"), query)
        assert response.status_code == 200, response.content
        return sorted(row["title"] for row in response.data["results"])

    assert titles(plan=plan.pk) == ["CRM for one customer id", "Customer app"]
    assert titles(plan=plan.pk, horizon="next") == ["Customer app"]
    assert titles(plan=plan.pk, category="crm") == ["CRM for one customer id"]
    assert titles(plan=plan.pk, status="idea") == ["CRM for one customer id", "Customer app"]
    assert titles(plan=plan.pk, team=team.pk) == ["CRM for one customer id"]
    assert titles(plan=plan.pk, touchpoint=world["stock"].pk) == ["CRM for one customer id"]
    later = RoadmapItem.objects.get(pk=world["app"].pk).updated_at.isoformat()
    services.roadmap_item_update(item=world["app"], actor=None, status="planned")
    assert titles(plan=plan.pk, updated_since=later) == ["Customer app"]
    assert titles(plan=plan.pk, ordering="-title") == ["CRM for one customer id", "Customer app"]
    response = api.get(_url("roadmap-items"), {"plan": plan.pk, "ordering": "-title"})
    assert [row["title"] for row in response.data["results"]] == ["Customer app", "CRM for one customer id"]


def test_the_list_query_count_does_not_grow_with_items(api_for, people, plan, world, team, org):
    api = api_for(people["owner"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(_url("roadmap-items"))
        assert response.status_code == 200
        return len(queries), response.data["count"]

    few = count()
    second = PlanFactory(organisation=org, name="Second plan")
    (elsewhere,) = make_touchpoints(second, ["Elsewhere"])
    for index in range(20):
        target = plan if index % 2 else second
        touchpoints = [world["stock"], world["pays"]] if target == plan else [elsewhere]
        services.roadmap_item_create(plan=target, actor=None, title=f"Item {index}", value=5, effort=index % 9 + 1,
                                     teams=[team], touchpoints=touchpoints)
    many = count()
    assert many[1] == few[1] + 20 and many[0] == few[0]


def test_the_schema_documents_the_roadmap_endpoints(api_for, people):
    schema = api_for(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for resource in ("roadmap-items", "scoring-criteria"):
        assert f"/api/v1/{resource}/" in schema["paths"] and f"/api/v1/{resource}/{{id}}/" in schema["paths"]
        patch = schema["paths"][f"/api/v1/{resource}/{{id}}/"]["patch"]
        assert "If-Match" in {p["name"] for p in patch["parameters"]} and "412" in patch["responses"]
    assert "/api/v1/roadmap-items/{id}/move/" in schema["paths"]
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/v1/plans/{id}/scoring/"])
    filters = {p["name"] for p in schema["paths"]["/api/v1/roadmap-items/"]["get"]["parameters"]}
    assert {"plan", "horizon", "status", "category", "updated_since", "ordering"} <= filters
    score = schema["components"]["schemas"]["RoadmapItem"]["properties"]["score"]
    assert "Score" in str(score)


def test_the_schema_validates_without_warnings(db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", "--urlconf", URLCONF)
