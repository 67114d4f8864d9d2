"""List endpoints made cheaper (`make bench`) without changing what they answer: the `plan` filter checked against
the request's visible plans without loading the plan, and the roadmap items' links read in one query."""

import pytest
from django.db import connection
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from planning import services
from planning.api.filters import PersonaFilter
from planning.models import Persona
from roadmaps import selectors
from roadmaps import services as roadmap_services
from roadmaps.models import RoadmapItem
from tenancy.models import Plan
from tests.factories import PlanFactory
from tests.roadmaps.test_roadmap_pages import build_world, make_touchpoints
from tests.support import fields

INVALID = ModelChoiceField.default_error_messages["invalid_choice"]


# The plan filter -----------------------------------------------------------------------------------------------


def test_a_read_filters_by_plan_without_loading_the_plan(api_for, people, plan):
    services.persona_create(plan=plan, actor=people["owner"], name="Active Alex")
    services.persona_create(plan=PlanFactory(organisation=plan.organisation), actor=people["owner"], name="Other")
    with CaptureQueriesContext(connection) as queries:
        response = api_for(people["admin"]).get("/api/v1/personas/", {"plan": plan.pk})
    assert [row["name"] for row in response.json()["results"]] == ["Active Alex"]
    assert len([q for q in queries if 'FROM "planning_plan"' in q["sql"]]) == 1  # the visible plans' ids, once


@pytest.mark.parametrize("url", ["/api/v1/personas/", "/api/v1/touchpoint-evaluations/", "/api/v1/exports/"])
def test_an_invisible_unknown_or_unreadable_plan_answers_the_same_400(api_for, people, plan, other_plan, url):
    api = api_for(people["editor"])
    answers = [api.get(url, {"plan": value}) for value in (other_plan.pk, 999999, "abc", "1.5", "9" * 30)]
    assert {response.status_code for response in answers} == {400}
    assert {str(fields(response)["plan"]) for response in answers} == {str([str(INVALID)])}
    assert api.get(url, {"plan": plan.pk}).status_code == 200


def test_outside_a_read_the_plan_filter_loads_the_plan_as_before(people, plan, other_plan):
    request = RequestFactory().get("/")
    request.user = people["editor"]
    filterset = PersonaFilter({"plan": str(plan.pk)}, queryset=Persona.objects.all(), request=request)
    assert filterset.is_valid() and filterset.form.cleaned_data["plan"] == plan
    assert isinstance(filterset.form.cleaned_data["plan"], Plan)
    refused = PersonaFilter({"plan": str(other_plan.pk)}, queryset=Persona.objects.all(), request=request)
    assert not refused.is_valid() and refused.errors["plan"] == [INVALID]


# Roadmap items' links ------------------------------------------------------------------------------------------


@pytest.fixture
def world(plan, other_plan, team):
    world = build_world(plan, other_plan, team)
    late, early = make_touchpoints(plan, ["Zebra crossing", "Asks a question"])
    roadmap_services.roadmap_item_create(plan=plan, actor=None, title="Many links", value=3, effort=2,
                                         teams=[team], touchpoints=[late, world["pays"], early, world["stock"]],
                                         objectives=[world["stakeholder"]], audit_gaps=[world["have"], world["need"]],
                                         dependencies=[world["app"], world["crm"]])
    return world


def test_the_links_are_the_prefetched_ids_in_the_same_order_in_one_query(plan, world):
    items = list(RoadmapItem.objects.filter(plan=plan).prefetch_related(*selectors.ITEM_LINKS))
    expected = {item.pk: {name: [obj.pk for obj in getattr(item, name).all()] for name in selectors.ITEM_LINKS}
                for item in items}
    assert any(len(links["touchpoints"]) == 4 for links in expected.values())
    with CaptureQueriesContext(connection) as queries:
        links = selectors.roadmap_item_links(item_ids=[item.pk for item in items])
    assert links == expected and len(queries) == 1
    assert selectors.roadmap_item_links(item_ids=[]) == {}


def test_the_roadmap_list_answers_the_links_in_the_models_order(api_for, people, plan, world):
    rows = api_for(people["owner"]).get("/api/v1/roadmap-items/", {"plan": plan.pk}).json()["results"]
    for row in rows:
        item = RoadmapItem.objects.get(pk=row["id"])
        for name in selectors.ITEM_LINKS:
            assert row[name] == [obj.pk for obj in getattr(item, name).all()]


# Evaluations' data items ---------------------------------------------------------------------------------------


def test_the_evaluations_data_items_are_read_as_rows_once_per_page(api_for, people, plan, team, other_plan):
    from assessments import services as assessment_services
    from assessments.api.serializers import TouchpointEvaluationSerializer
    from assessments.models import TouchpointEvaluation

    stock, pays, online = make_touchpoints(plan, ["Checks stock", "Pays", "Chats online"])
    api = api_for(people["owner"])

    def answer():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/touchpoint-evaluations/", {"plan": plan.pk})
        assert response.status_code == 200
        return response.json()["results"], len(queries)

    evaluation = assessment_services.evaluation_create(touchpoint=stock, team=team, actor=None, maturity=2,
                                                         potential_customer=3, potential_brand=2)
    assessment_services.data_item_create(evaluation=evaluation, actor=None, data="Email", storage="crm")
    few = answer()
    for touchpoint in (pays, online):
        other = assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=3,
                                                          potential_customer=4, potential_brand=4)
        for name in ("Loyalty id", "Basket", "Postcode"):
            assessment_services.data_item_create(evaluation=other, actor=None, data=name, source="web")
    rows, count = answer()
    assert count == few[1] and len(rows) == 3
    # The same answer as serializing prefetched objects (what the changes feed and the writes still do).
    prefetched = TouchpointEvaluation.objects.filter(plan=plan).prefetch_related("data_items").order_by("id")
    request = RequestFactory().get("/")
    request.user = people["owner"]
    expected = TouchpointEvaluationSerializer(prefetched, many=True, context={"request": request}).data
    assert [row["data_items"] for row in rows] == [row["data_items"] for row in expected]
    assert [item["data"] for item in rows[1]["data_items"]] == ["Loyalty id", "Basket", "Postcode"]
    single = api.get(f"/api/v1/touchpoint-evaluations/{evaluation.pk}/").json()
    assert single["data_items"] == rows[0]["data_items"] and single["data_items"][0]["data"] == "Email"


# Personas' channels --------------------------------------------------------------------------------------------


def test_persona_channels_are_read_for_the_whole_page_in_the_channels_order(api_for, people, plan):
    from planning.api.journey_serializers import PersonaSerializer
    from planning.models import Channel

    org, owner = plan.organisation, people["owner"]
    channels = [Channel.objects.create(organisation=org, name=name, kind=kind)
                for name, kind in [("Store", "offline"), ("Website", "online"), ("App", "online")]]
    for index in range(3):
        services.persona_create(plan=plan, actor=owner, name=f"Persona {index}", preferred_channels=channels[index:])
    api = api_for(people["editor"])
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/personas/", {"plan": plan.pk, "page_size": 1})
    with CaptureQueriesContext(connection) as many:
        listed = api.get("/api/v1/personas/", {"plan": plan.pk}).json()["results"]
    assert len(many) == len(few)  # one read of the link table for the page, however many personas
    prefetched = Persona.objects.filter(plan=plan).prefetch_related("preferred_channels").order_by("name")
    expected = [PersonaSerializer(persona).data["preferred_channels"] for persona in prefetched]
    assert [row["preferred_channels"] for row in listed] == expected  # online lanes first, as the map orders them
    assert listed[0]["preferred_channels"] == [channels[2].pk, channels[1].pk, channels[0].pk]  # App, Website, Store
    detail = api.get(f"/api/v1/personas/{listed[0]['id']}/").json()
    assert detail["preferred_channels"] == listed[0]["preferred_channels"]
