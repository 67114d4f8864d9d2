"""The experience API: permission matrix, same-journey rules, If-Match, upserts by external id, the feed."""

import pytest

from experience.models import EmotionScore, Lane, Opportunity, PainPoint
from planning import services as planning
from tests.conftest import ROLES
from tests.support import fields

WRITERS = {"anon": 401, "outsider": 404, "viewer": 403}


def _detail(world, kind):
    return {
        "lanes": world["thoughts"], "lane-cards": world["card"], "emotion-scores": world["scores"][0],
        "pain-points": world["pain"], "opportunities": world["opportunity"],
    }[kind]


KINDS = ["lanes", "lane-cards", "emotion-scores", "pain-points", "opportunities"]
PATCHES = {"lanes": {"title": "What they wonder"}, "lane-cards": {"text": "Do they fit wide feet?"},
           "emotion-scores": {"score": 2}, "pain-points": {"severity": 5}, "opportunities": {"expected_value": 5}}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_read_and_write_matrix(api_for, people, world, kind, role):
    api = api_for(people[role])
    obj = _detail(world, kind)
    url = f"/api/v1/{kind}/{obj.pk}/"
    read = api.get(url)
    assert read.status_code == {"anon": 401, "outsider": 404}.get(role, 200)
    listed = api.get(f"/api/v1/{kind}/")
    if role not in ("anon",):
        ids = [row["id"] for row in listed.data["results"]]
        assert (obj.pk in ids) == (role != "outsider")
    write = api.patch(url, PATCHES[kind], format="json", HTTP_IF_MATCH=f'"{obj.version}"')
    assert write.status_code == WRITERS.get(role, 200), write.content
    if write.status_code == 200:
        field, value = next(iter(PATCHES[kind].items()))
        assert write.data[field] == value and write["ETag"] == f'"{obj.version + 1}"'


def test_a_stale_if_match_answers_412_with_the_current_object(api_for, people, world):
    api = api_for(people["editor"])
    pain = world["pain"]
    assert api.patch(f"/api/v1/pain-points/{pain.pk}/", {"title": "First"}, format="json",
                     HTTP_IF_MATCH=f'"{pain.version}"').status_code == 200
    stale = api.patch(f"/api/v1/pain-points/{pain.pk}/", {"title": "Second"}, format="json",
                      HTTP_IF_MATCH=f'"{pain.version}"')
    assert stale.status_code == 412 and stale.data["current"]["title"] == "First"


def test_create_through_the_api_and_links_must_stay_in_the_journey(api_for, people, world, plan):
    api = api_for(people["editor"])
    journey, stages = world["journey"], world["stages"]
    lane = api.post("/api/v1/lanes/", {"journey": journey.pk, "kind": "feelings"}, format="json")
    assert lane.status_code == 201 and lane.data["plan"] == plan.pk and lane.data["position"] == 3
    again = api.post("/api/v1/lanes/", {"journey": journey.pk, "kind": "emotion"}, format="json")
    assert again.status_code == 400 and "kind" in fields(again)
    card = api.post("/api/v1/lane-cards/", {"lane": lane.data["id"], "stage": stages[1].pk, "text": "Lost"},
                    format="json")
    assert card.status_code == 201 and card.data["journey"] == journey.pk
    score = api.post("/api/v1/emotion-scores/", {"stage": stages[3].pk, "score": -1}, format="json")
    assert score.status_code == 201 and EmotionScore.objects.filter(stage=stages[3]).get().score == -1
    out_of_scale = api.post("/api/v1/emotion-scores/", {"stage": stages[3].pk, "touchpoint": None, "score": 3},
                            format="json")
    assert out_of_scale.status_code == 400 and "score" in fields(out_of_scale)
    other = planning.journey_create(plan=plan, actor=people["owner"], name="Other", template="purchase")
    wrong = api.post("/api/v1/pain-points/", {"journey": other.pk, "stage": stages[0].pk, "title": "x"},
                     format="json")
    assert wrong.status_code == 400 and "stage" in fields(wrong)
    opportunity = api.post("/api/v1/opportunities/", {
        "journey": journey.pk, "stage": stages[2].pk, "title": "Apple Pay", "pain_points": [world["pain"].pk],
        "touchpoints": [world["tp2"].pk]}, format="json")
    assert opportunity.status_code == 201 and opportunity.data["pain_points"] == [world["pain"].pk]
    pain = api.get(f"/api/v1/pain-points/{world['pain'].pk}/").data
    assert set(pain["opportunities"]) == {world["opportunity"].pk, opportunity.data["id"]}


def test_upsert_by_external_id(api_for, people, world):
    api = api_for(people["editor"])
    url = "/api/v1/pain-points/by-external-id/crm/case-42/"
    body = {"journey": world["journey"].pk, "stage": world["stages"][1].pk, "title": "Lost parcel", "severity": 3}
    created = api.put(url, body, format="json")
    assert created.status_code == 201, created.content
    updated = api.put(url, {**body, "severity": 5}, format="json")
    assert updated.status_code == 200 and updated.data["id"] == created.data["id"]
    assert PainPoint.objects.get(external_id="case-42").severity == 5


def test_the_roadmap_item_api_lists_and_sets_opportunities(api_for, people, world, plan):
    api = api_for(people["editor"])
    created = api.post("/api/v1/roadmap-items/", {"plan": plan.pk, "title": "Wallets at checkout",
                                                  "opportunities": [world["opportunity"].pk]}, format="json")
    assert created.status_code == 201, created.content
    assert created.data["opportunities"] == [world["opportunity"].pk]
    assert api.get(f"/api/v1/opportunities/{world['opportunity'].pk}/").data["roadmap_items"] == [created.data["id"]]


def test_the_changes_feed_carries_the_experience_objects(api_for, people, world):
    changes = api_for(people["owner"]).get("/api/v1/changes/", {"page_size": 500}).data["results"]
    types = {change["type"] for change in changes}
    assert {"lane", "lane-card", "emotion-score", "pain-point", "opportunity"} <= types
    lane = next(c for c in changes if c["type"] == "lane" and c["id"] == world["thoughts"].pk)
    assert lane["object"]["kind"] == "thoughts" and lane["url"].endswith(f"/api/v1/lanes/{world['thoughts'].pk}/")


def test_deleting_a_lane_deletes_its_cards(api_for, people, world):
    api = api_for(people["editor"])
    lane = world["thoughts"]
    assert api.delete(f"/api/v1/lanes/{lane.pk}/", HTTP_IF_MATCH=f'"{lane.version}"').status_code == 204
    assert not Lane.objects.filter(pk=lane.pk).exists()
    assert Opportunity.objects.count() == 1
