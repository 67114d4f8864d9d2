"""Roadmap items carry external ids like the journey-mapping objects: PUT by external id and bulk upserts."""

from roadmaps.models import RoadmapItem
from tests.support import fields


def test_put_by_external_id_creates_then_updates_a_roadmap_item(api_for, people, plan):
    api = api_for(people["editor"])
    url = "/api/v1/roadmap-items/by-external-id/jira/PLAN-7/"
    created = api.put(url, {"plan": plan.pk, "title": "Click and collect", "value": 8, "effort": 5}, format="json")
    assert created.status_code == 201, created.content
    assert created.data["external_source"] == "jira" and created.data["external_id"] == "PLAN-7"
    updated = api.put(url, {"plan": plan.pk, "title": "Click and collect in every store"}, format="json",
                      HTTP_IF_MATCH=created["ETag"])
    assert updated.status_code == 200, updated.content
    item = RoadmapItem.objects.get(plan=plan, external_source="jira", external_id="PLAN-7")
    assert (item.pk, item.title, item.version, item.value) == (created.data["id"], "Click and collect in every store",
                                                               2, 8)
    stale = api.put(url, {"plan": plan.pk, "title": "Again"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412 and stale.json()["current"]["title"] == "Click and collect in every store"


def test_bulk_upsert_of_roadmap_items_is_all_or_none(api_for, people, plan):
    api = api_for(people["editor"])
    RoadmapItem.objects.create(plan=plan, title="Old title", external_source="jira", external_id="PLAN-1")
    items = [{"plan": plan.pk, "external_source": "jira", "external_id": "PLAN-1", "title": "New title"},
             {"plan": plan.pk, "external_source": "jira", "external_id": "PLAN-2", "title": "Loyalty app"}]
    bad = api.post("/api/v1/roadmap-items/bulk-upsert/", [*items, {**items[1], "external_id": "PLAN-3",
                                                                   "horizon": "someday"}], format="json")
    assert bad.status_code == 400 and [error["index"] for error in bad.json()["errors"]] == [2]
    assert RoadmapItem.objects.filter(plan=plan).count() == 1  # nothing applied
    good = api.post("/api/v1/roadmap-items/bulk-upsert/", items, format="json")
    assert good.status_code == 200, good.content
    assert sorted(RoadmapItem.objects.filter(plan=plan).values_list("external_id", "title")) == [
        ("PLAN-1", "New title"), ("PLAN-2", "Loyalty app")]


def test_a_viewer_cannot_upsert_and_an_outsider_sees_no_item(api_for, people, plan):
    body = {"plan": plan.pk, "title": "Click and collect"}
    assert api_for(people["viewer"]).put("/api/v1/roadmap-items/by-external-id/jira/PLAN-9/", body,
                                         format="json").status_code == 403
    RoadmapItem.objects.create(plan=plan, title="Ours", external_source="jira", external_id="PLAN-9")
    outsider = api_for(people["outsider"]).put("/api/v1/roadmap-items/by-external-id/jira/PLAN-9/", body,
                                               format="json")
    assert outsider.status_code == 400 and "plan" in fields(outsider)  # our plan is not a valid choice for them
    assert RoadmapItem.objects.get(external_id="PLAN-9").title == "Ours"
