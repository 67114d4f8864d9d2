"""The listening API's permission matrix (mentions, competitors, the sentiment correction, the bulk upsert) and its
behaviour: filters, themes set by rules, tags, problem details, a constant query count."""

from datetime import date

import pytest

from assessments import services_themes
from listening import services
from listening.models import Competitor, Mention
from planning.models import Channel
from tests.assessments.test_api_permissions import make_touchpoints
from tests.conftest import ROLES
from tests.support import fields


def build_world(org, plan, other_plan) -> dict:
    channel = Channel.objects.create(organisation=org, name="Social networks", kind="online")
    foreign_channel = Channel.objects.create(organisation=other_plan.organisation, name="Theirs", kind="online")
    (touchpoint,) = make_touchpoints(plan, ["Buys online"])
    competitor = services.competitor_create(plan=plan, actor=None, name="Decathlon")
    mention = services.mention_create(plan=plan, actor=None, channel=channel, mentioned_on=date(2027, 1, 10),
                                      text="Great advice in store", author="@lea", author_reach=1200,
                                      external_source="talkwalker", external_id="t1", tags=["store"])
    foreign = services.mention_create(plan=other_plan, actor=None, channel=foreign_channel,
                                      mentioned_on=date(2027, 1, 10), text="Their secret")
    return {"channel": channel, "foreign_channel": foreign_channel, "touchpoint": touchpoint,
            "competitor": competitor, "mention": mention, "foreign": foreign}


@pytest.fixture
def world(org, people, plan, other_plan):
    return build_world(org, plan, other_plan)


RESOURCES = {
    "mentions": (Mention, "mention", {"author_reach": 99},
                 lambda w, plan: {"plan": plan.pk, "channel": w["channel"].pk, "mentioned_on": "2027-02-01",
                                  "text": "Prix trop élevés", "competitor": w["competitor"].pk}),
    "competitors": (Competitor, "competitor", {"name": "Go Sport"},
                    lambda w, plan: {"plan": plan.pk, "name": "Intersport"}),
}
NAMES = list(RESOURCES)


def _url(resource, obj=None):
    return f"/api/v1/{resource}/" + (f"{obj.pk}/" if obj is not None else "")


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
    if role == "outsider":  # another organisation's rows are simply absent (they see their own)
        assert world[key].pk not in ids and world["foreign"].pk not in ids or resource == "mentions"
        assert ids == ([world["foreign"].pk] if resource == "mentions" else [])
    else:
        assert ids == [world[key].pk]


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_detail_matrix(api_for, people, world, resource, role, expected):
    _model, key, _patch, _create = RESOURCES[resource]
    response = api_for(people[role]).get(_url(resource, world[key]))
    assert response.status_code == expected
    if expected == 200:
        assert response.data["id"] == world[key].pk and response["ETag"] == f'"{world[key].version}"'
    else:
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_update_matrix(api_for, people, world, resource, role, expected):
    model, key, patch, _create = RESOURCES[resource]
    obj = world[key]
    response = api_for(people[role]).patch(_url(resource, obj), patch, format="json")
    assert response.status_code == expected, response.content
    fresh = model.objects.get(pk=obj.pk)
    assert all(getattr(fresh, f) == v for f, v in patch.items()) == (expected == 200)
    if expected == 200:
        assert response["ETag"] == f'"{fresh.version}"' and fresh.version == obj.version + 1


@pytest.mark.parametrize("resource", NAMES)
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 204, 204, 204], strict=True)))
def test_delete_matrix(api_for, people, world, resource, role, expected):
    model, key, _patch, _create = RESOURCES[resource]
    response = api_for(people[role]).delete(_url(resource, world[key]))
    assert response.status_code == expected
    assert model.objects.filter(pk=world[key].pk).exists() == (expected != 204)


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
    if expected == 400:  # the outsider cannot see the plan it names
        assert "plan" in fields(response)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 403, 200, 200, 200], strict=True)))
def test_sentiment_correction_matrix(api_for, people, world, role, expected):
    mention = world["mention"]
    response = api_for(people[role]).post(f"/api/v1/mentions/{mention.pk}/sentiment/", {"sentiment": "negative"},
                                          format="json")
    assert response.status_code == expected, response.content
    mention.refresh_from_db()
    assert (mention.sentiment == "negative") == (expected == 200)
    if expected == 200:
        assert response.data["sentiment"] == "negative" and response.data["sentiment_corrected"] is True
        back = api_for(people[role]).post(f"/api/v1/mentions/{mention.pk}/sentiment/", {"sentiment": ""},
                                          format="json")
        assert back.data["sentiment"] == "positive" and back.data["sentiment_corrected"] is False


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 400, 403, 200, 200, 200], strict=True)))
def test_bulk_upsert_matrix_and_idempotence(api_for, people, plan, world, role, expected):
    body = [{"plan": plan.pk, "channel": world["channel"].pk, "mentioned_on": "2027-03-01", "text": f"Avis {i}",
             "external_source": "talkwalker", "external_id": f"t{i}"} for i in (2, 3, 4)]
    api = api_for(people[role])
    response = api.post("/api/v1/mentions/bulk-upsert/", body, format="json")
    assert response.status_code == expected, response.content
    if expected != 200:
        assert Mention.objects.filter(plan=plan).count() == 1
        return
    assert [r["status"] for r in response.data["results"]] == ["created"] * 3
    again = api.post("/api/v1/mentions/bulk-upsert/", body, format="json")
    assert [r["status"] for r in again.data["results"]] == ["unchanged"] * 3
    body[0]["text"] = "Avis modifié"
    changed = api.post("/api/v1/mentions/bulk-upsert/", [body[0], {**body[1], "external_id": "t1"}], format="json")
    assert [r["status"] for r in changed.data["results"]] == ["updated", "updated"]
    assert Mention.objects.filter(plan=plan).count() == 4
    assert Mention.objects.get(external_id="t2").text == "Avis modifié"
    assert Mention.objects.get(external_id="t1").text == "Avis 3"


def test_a_mention_gets_its_themes_tags_and_language(api_for, people, plan, org, world):
    theme = services_themes.theme_create(organisation=org, actor=None, name="Prix")
    services_themes.rule_create(theme=theme, actor=None, phrase="prix")
    response = api_for(people["editor"]).post("/api/v1/mentions/", {
        "plan": plan.pk, "channel": world["channel"].pk, "mentioned_on": "2027-02-01", "author_reach": 40,
        "text": "Les prix sont trop élevés, je suis déçue", "tags": ["prix", "magasin"]}, format="json")
    assert response.status_code == 201, response.content
    data = response.data
    assert (data["language"], data["sentiment"]) == ("fr", "negative")
    assert [(t["theme"], t["assigned_by"], t["matched"]) for t in data["themes"]] == [(theme.pk, "rule", "prix")]
    assert sorted(data["tags"]) == ["magasin", "prix"]


def test_related_objects_of_another_plan_or_organisation_are_refused(api_for, people, plan, other_plan, world):
    theirs = services.competitor_create(plan=other_plan, actor=None, name="Theirs")
    response = api_for(people["editor"]).post("/api/v1/mentions/", {
        "plan": plan.pk, "channel": world["foreign_channel"].pk, "mentioned_on": "2027-02-01", "text": "x",
        "competitor": theirs.pk}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(fields(response)) == {"channel", "competitor"}


def test_filters(api_for, people, plan, world):
    other = Channel.objects.create(organisation=plan.organisation, name="Forum", kind="online")
    services.mention_create(plan=plan, actor=None, channel=other, mentioned_on=date(2027, 3, 5),
                            text="Terrible waiting time", competitor=world["competitor"])
    api = api_for(people["viewer"])

    def ids(query):
        return [row["text"] for row in api.get(f"/api/v1/mentions/?{query}").data["results"]]

    assert ids(f"channel={other.pk}") == ["Terrible waiting time"]
    assert ids("mentioned_on_after=2027-02-01") == ["Terrible waiting time"]
    assert ids("sentiment=positive") == ["Great advice in store"]
    assert ids(f"competitor={world['competitor'].pk}") == ["Terrible waiting time"]
    assert ids("tag=store") == ["Great advice in store"]
    assert ids("author=@lea") == ["Great advice in store"]
    assert api.get(f"/api/v1/mentions/?channel={world['foreign_channel'].pk}").status_code == 400


def test_the_list_costs_the_same_queries_for_5_and_50_mentions(api_for, people, plan, world,
                                                               django_assert_max_num_queries):
    api = api_for(people["viewer"])

    def count():
        from django.db import connection  # noqa: PLC0415  # Imported here: only this helper needs it
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415  # Imported here: idem

        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/mentions/?plan={plan.pk}&page_size=100").status_code == 200
        return len(queries)

    for i in range(4):
        services.mention_create(plan=plan, actor=None, channel=world["channel"], mentioned_on=date(2027, 1, 1),
                                text=f"Mention {i}", tags=["a"])
    few = count()
    for i in range(45):
        services.mention_create(plan=plan, actor=None, channel=world["channel"], mentioned_on=date(2027, 1, 1),
                                text=f"More {i}", tags=["b"])
    assert count() == few
