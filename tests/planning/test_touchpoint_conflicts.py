"""Two people edit the same touchpoint from the same version: exactly one write wins, the other is refused (412)
and recorded, never applied."""

import threading

import pytest
from django.db import connection

from planning import services
from planning.models import Channel, Touchpoint
from tenancy import activity
from tenancy.models import Activity
from tests.support import postgres_in_use, require


@pytest.fixture
def touchpoint(plan, people, team):
    services.channels_seed(plan.organisation)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="First purchase", template="purchase")
    return services.touchpoint_create(stage=journey.stages.get(position=0), actor=people["owner"],
                                      channel=Channel.objects.get(organisation=plan.organisation, name="Online ad"),
                                      name="Click an online ad", team=team)


def _history(api, plan, touchpoint):
    response = api.get(f"/api/v1/plans/{plan.pk}/activity/")
    assert response.status_code == 200
    return [entry for entry in response.data["results"]
            if entry["target_type"] == "planning.touchpoint" and entry["target_id"] == touchpoint.pk]


def test_same_if_match_lets_one_client_win_and_refuses_the_other(api_for, people, plan, touchpoint):
    url = f"/api/v1/touchpoints/{touchpoint.pk}/"
    eddie, adam = api_for(people["editor"]), api_for(people["admin"])
    etag = eddie.get(url)["ETag"]
    assert adam.get(url)["ETag"] == etag == '"1"'

    won = eddie.patch(url, {"name": "Click a targeted ad"}, HTTP_IF_MATCH=etag)
    lost = adam.patch(url, {"customer_action": "Scrolls past the ad"}, HTTP_IF_MATCH=etag)

    assert won.status_code == 200 and won["ETag"] == '"2"'
    assert lost.status_code == 412 and lost["ETag"] == '"2"'
    assert lost.data["current"]["name"] == "Click a targeted ad" and lost.data["current"]["customer_action"] == ""
    saved = Touchpoint.objects.get(pk=touchpoint.pk)
    assert (saved.name, saved.customer_action, saved.version) == ("Click a targeted ad", "", 2)

    refused, updated, created = _history(api_for(people["viewer"]), plan, touchpoint)
    assert updated["verb"] == "updated" and updated["actor"]["username"] == "eddie"
    assert updated["changes"] == {"name": ["Click an online ad", "Click a targeted ad"]} and updated["version"] == 2
    assert refused["verb"] == "refused" and refused["actor"]["username"] == "adam"
    assert refused["changes"] == {"customer_action": ["", "Scrolls past the ad"]} and refused["version"] == 1
    assert created["verb"] == "created"


def test_a_stale_delete_is_refused_and_the_touchpoint_kept(api_for, people, plan, touchpoint):
    url = f"/api/v1/touchpoints/{touchpoint.pk}/"
    eddie, adam = api_for(people["editor"]), api_for(people["admin"])
    assert eddie.patch(url, {"evidence": "measured"}, HTTP_IF_MATCH='"1"').status_code == 200
    response = adam.delete(url, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412 and response.data["current"]["evidence"] == "measured"
    assert Touchpoint.objects.filter(pk=touchpoint.pk).exists()
    assert [e["verb"] for e in _history(adam, plan, touchpoint)] == ["updated", "created"]


def test_concurrent_patches_on_postgresql_let_exactly_one_win(transactional_db, api_for, people, plan, touchpoint,
                                                             monkeypatch):
    require(postgres_in_use(), "needs PostgreSQL to prove the UPDATE ... WHERE version is atomic under "
                               "concurrency (run with DATABASE_URL=postgres://...)")
    url = f"/api/v1/touchpoints/{touchpoint.pk}/"
    # Both requests load version 1 and pass every check, then meet here, just before the conditional UPDATE: a
    # check-then-save implementation would let both through.
    barrier = threading.Barrier(2, timeout=20)
    real_versioned_save = activity.versioned_save

    def versioned_save_together(*args, **kwargs):
        barrier.wait()
        return real_versioned_save(*args, **kwargs)

    monkeypatch.setattr(activity, "versioned_save", versioned_save_together)
    clients = {"eddie": api_for(people["editor"]), "adam": api_for(people["admin"])}
    bodies = {"eddie": {"name": "Eddie's name"}, "adam": {"name": "Adam's name", "customer_action": "Adam's"}}
    responses, errors = {}, []

    def patch(who):
        try:
            responses[who] = clients[who].patch(url, bodies[who], HTTP_IF_MATCH='"1"')
        except Exception as error:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(who,)) for who in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(responses) == 2

    statuses = {who: response.status_code for who, response in responses.items()}
    assert sorted(statuses.values()) == [200, 412], statuses
    winner = next(who for who, code in statuses.items() if code == 200)
    loser = next(who for who, code in statuses.items() if code == 412)
    saved = Touchpoint.objects.get(pk=touchpoint.pk)
    assert saved.version == 2 and saved.name == bodies[winner]["name"]
    assert saved.customer_action == bodies[winner].get("customer_action", "")
    assert responses[loser].data["current"]["name"] == bodies[winner]["name"]

    entries = _history(api_for(people["viewer"]), plan, touchpoint)
    by_verb = {entry["verb"]: entry for entry in entries}
    assert sorted(by_verb) == ["created", "refused", "updated"] and len(entries) == 3
    assert by_verb["updated"]["actor"]["username"] == winner
    assert by_verb["refused"]["actor"]["username"] == loser and by_verb["refused"]["version"] == 1
    assert by_verb["refused"]["changes"]["name"] == [bodies[winner]["name"], bodies[loser]["name"]]
    assert Activity.objects.filter(target_id=touchpoint.pk, verb="updated").count() == 1
