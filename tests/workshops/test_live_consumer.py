"""The plan room over a websocket (channels' WebsocketCommunicator, in-memory layer, the real ASGI application with
its session-cookie authentication and Origin check): who may connect, change events after a write, presence,
replay of missed changes after a reconnect, and a write that never fails because the layer is down."""

import asyncio
import json
import logging
from datetime import date

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from assessments.services import feedback_bulk_create
from config.asgi import application
from planning import services
from planning.models import Channel
from tenancy import services as tenancy_services
from tenancy.models import Activity, Role
from tests.factories import member
from workshops.live import consumers, presence

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 3


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    """Each test starts with an empty in-memory layer (its queues belong to one event loop) and an empty presence
    registry, in a cache of its own (clearing a shared Redis would clear everyone's keys)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "live-consumer-tests"}}
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    cache.clear()
    yield
    async_to_sync(layer.flush)()
    cache.clear()


@pytest.fixture
def world(org, people, plan, team):
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Buy trail shoes", template="purchase")
    stages = list(journey.stages.order_by("position"))
    web = Channel.objects.get(organisation=org, name="Website")
    return {"journey": journey, "stages": stages, "web": web}


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(plan_id, user=None, *, origin="http://testserver"):
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if user is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie_for(user)}".encode()))
    return WebsocketCommunicator(application, f"/ws/plans/{plan_id}/", headers=headers)


async def next_of(communicator, kind, timeout=TIMEOUT):
    """The next message of type `kind` (skipping presence and other chatter)."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


async def join(communicator, page="journey-map", obj=None, last=None, drawn=None):
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    assert (await communicator.receive_json_from(timeout=TIMEOUT))["type"] == "welcome"
    hello = {"type": "hello", "page": page, "object": obj, "last": last}
    await communicator.send_json_to(hello if drawn is None else hello | {"drawn": drawn})
    return communicator


def run(scenario):
    async_to_sync(scenario)()


# Who may connect ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "editor", "admin", "owner"])
def test_everyone_who_may_view_the_plan_connects(people, plan, role):
    communicator = socket(plan.pk, people[role])

    async def scenario():
        await join(communicator)
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["anon", "outsider", "member_without_access"])
def test_a_socket_without_view_access_is_refused_at_the_handshake(org, people, plan, who):
    user = member(org, Role.EDITOR, username="nora") if who == "member_without_access" else people[who]
    communicator = socket(plan.pk, user)

    async def scenario():
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_a_socket_from_another_site_is_refused_even_with_the_cookie(people, plan):
    communicator = socket(plan.pk, people["owner"], origin="https://evil.example")

    async def scenario():
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_a_plan_that_does_not_exist_refuses_the_socket(people, plan):
    communicator = socket(plan.pk + 1000, people["owner"])

    async def scenario():
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


# Change events ------------------------------------------------------------------------------------------------


def test_a_viewer_receives_the_change_an_editor_makes_with_where_it_is(people, plan, world):
    viewer = socket(plan.pk, people["viewer"])
    stage, web = world["stages"][0], world["web"]

    async def scenario():
        await join(viewer, obj=world["journey"].pk)
        touchpoint = await database_sync_to_async(services.touchpoint_create)(
            stage=stage, channel=web, actor=people["editor"], name="Reads a review")
        message = await next_of(viewer, "changes")
        [event] = message["events"]
        activity = await database_sync_to_async(Activity.objects.get)(target_id=touchpoint.pk,
                                                                      target_type="planning.touchpoint")
        assert event == {
            "id": activity.pk, "verb": "created", "target_type": "planning.touchpoint", "target_id": touchpoint.pk,
            "version": 1, "repr": "Reads a review", "at": activity.created_at.isoformat(),
            "actor": {"id": people["editor"].pk, "name": str(people["editor"]),
                      "initials": people["editor"].initials},
            "refs": {"journey": world["journey"].pk, "stage": stage.pk, "channel": web.pk},
        }
        # A move: the event names the cell the card went to.
        target = world["stages"][2]
        await database_sync_to_async(services.touchpoint_move)(touchpoint=touchpoint, actor=people["editor"],
                                                               stage=target, channel=web)
        moved = (await next_of(viewer, "changes"))["events"][0]
        assert (moved["verb"], moved["version"], moved["refs"]["stage"]) == ("updated", 2, target.pk)
        # A rename records only the name: the references come from the row.
        await database_sync_to_async(services.touchpoint_update)(touchpoint=touchpoint, actor=people["editor"],
                                                                 name="Reads two reviews")
        renamed = (await next_of(viewer, "changes"))["events"][0]
        assert renamed["refs"] == {"journey": world["journey"].pk, "stage": target.pk, "channel": web.pk}
        await viewer.disconnect()

    run(scenario)


def test_a_viewer_receives_each_imported_response_as_the_history_records_it(people, plan, world):
    """Imports write their history from plain values (tenancy.activity.activity_rows_record): the events are the
    same as for a row written one by one, actor included."""
    viewer = socket(plan.pk, people["viewer"])
    touchpoint = services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"],
                                            name="Reads a review")
    rows = [{"touchpoint_id": touchpoint.pk, "kind": "nps", "score": score, "responded_on": date(2026, 3, day),
             "verbatim": text} for score, day, text in ((9, 1, "Great advice"), (2, 2, ""))]

    async def scenario():
        await join(viewer, obj=world["journey"].pk)
        await database_sync_to_async(feedback_bulk_create)(plan=plan, actor=people["editor"], rows=rows)
        events = (await next_of(viewer, "changes"))["events"]
        recorded = await database_sync_to_async(lambda: list(
            Activity.objects.filter(target_type="assessments.feedbackresponse").order_by("id")))()
        assert [(e["id"], e["verb"], e["target_id"], e["version"], e["repr"], e["at"]) for e in events] == [
            (a.pk, "created", a.target_id, 1, a.target_repr, a.created_at.isoformat()) for a in recorded]
        assert [e["repr"] for e in events] == ["NPS (0–10) 9", "NPS (0–10) 2"]
        assert {e["actor"]["id"] for e in events} == {people["editor"].pk}
        assert [a.changes.get("verbatim") for a in recorded] == [[None, "Great advice"], None]
        await viewer.disconnect()

    run(scenario)


def test_an_outsider_on_their_own_plan_receives_nothing_about_another_plan(people, plan, other_plan, world):
    outsider = socket(other_plan.pk, people["outsider"])
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(outsider)
        await join(viewer)
        await database_sync_to_async(services.touchpoint_create)(
            stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Secret touchpoint")
        assert (await next_of(viewer, "changes"))["events"][0]["repr"] == "Secret touchpoint"
        while not await outsider.receive_nothing(timeout=0.3):
            assert (await outsider.receive_json_from())["type"] == "presence"  # never a change of the other plan
        await outsider.disconnect()
        await viewer.disconnect()

    run(scenario)


def test_a_refused_stale_write_is_not_sent(people, plan, world):
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        touchpoint = await database_sync_to_async(services.touchpoint_create)(
            stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Reads a review")
        await join(viewer)
        from core.versioning import StaleVersion

        with pytest.raises(StaleVersion):
            await database_sync_to_async(services.touchpoint_update)(touchpoint=touchpoint, actor=people["editor"],
                                                                     version=7, name="Stale")
        assert await database_sync_to_async(Activity.objects.filter(verb="refused").count)() == 1
        while not await viewer.receive_nothing(timeout=0.3):
            assert (await viewer.receive_json_from())["type"] == "presence"
        await viewer.disconnect()

    run(scenario)


def test_a_write_succeeds_and_is_logged_when_the_channel_layer_is_down(people, plan, world, caplog):
    viewer = socket(plan.pk, people["viewer"])
    layer = get_channel_layer()

    async def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    async def scenario():
        await join(viewer)
        with pytest.MonkeyPatch.context() as patch, caplog.at_level(logging.WARNING, "workshops.live.broadcast"):
            patch.setattr(layer, "group_send", broken)
            touchpoint = await database_sync_to_async(services.touchpoint_create)(
                stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Still saved")
        assert touchpoint.pk and "were not sent" in caplog.text
        await viewer.disconnect()

    run(scenario)
    assert world["journey"].touchpoints.filter(name="Still saved").exists()


def test_a_socket_opened_while_the_channel_layer_is_down_is_refused_not_crashed(people, plan, monkeypatch, caplog):
    layer = get_channel_layer()

    async def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(layer, "group_add", broken)
    communicator = socket(plan.pk, people["viewer"])

    async def scenario():
        with caplog.at_level(logging.WARNING, "workshops.live.consumers"):
            connected, _ = await communicator.connect(timeout=TIMEOUT)  # an exception here would be raised
        assert not connected  # the page says "paused" and tries again with backoff
        await communicator.disconnect()

    run(scenario)
    assert "the channel layer is unavailable" in caplog.text


def test_a_batch_too_large_for_one_message_asks_the_pages_to_reload(people, plan, world, monkeypatch):
    from workshops.live import broadcast

    monkeypatch.setattr(broadcast, "MAX_EVENTS", 3)
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(viewer)
        # Deleting the journey records one tombstone per stage in one batch (four rows), then the journey itself.
        await database_sync_to_async(services.journey_delete)(journey=world["journey"], actor=people["owner"])
        assert (await next_of(viewer, "reload"))["reason"] == "too_many_changes"
        message = await next_of(viewer, "changes")
        assert [(e["target_type"], e["verb"]) for e in message["events"]] == [("planning.journey", "deleted")]
        await viewer.disconnect()

    run(scenario)


def test_nothing_is_sent_when_nobody_has_been_on_the_plan(people, plan, world, monkeypatch):
    layer = get_channel_layer()
    sent = []

    async def record(*args, **kwargs):
        sent.append(args)

    monkeypatch.setattr(layer, "group_send", record)
    services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Quiet")
    assert sent == []
    presence.register(plan.pk, "someone", {"user": people["viewer"].pk, "name": "Vera"})
    services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Heard")
    assert [args[0] for args in sent] == [f"plan-{plan.pk}"]


# Presence -----------------------------------------------------------------------------------------------------


def test_presence_lists_who_is_on_the_plan_where_and_what_they_edit(people, plan, world):
    viewer = socket(plan.pk, people["viewer"])
    editor = socket(plan.pk, people["editor"])
    journey = world["journey"].pk

    async def people_seen(communicator, count):
        while True:
            message = await next_of(communicator, "presence")
            if len(message["people"]) == count:
                return message["people"]

    async def scenario():
        await join(viewer, obj=str(journey))
        assert [p["name"] for p in await people_seen(viewer, 1)] == [str(people["viewer"])]
        await join(editor, page="evaluations", obj="12")
        seen_by_viewer = await people_seen(viewer, 2)
        seen_by_editor = await people_seen(editor, 2)
        assert {(p["name"], p["initials"], p["page"], p["me"]) for p in seen_by_viewer} == {
            (str(people["viewer"]), people["viewer"].initials, "journey-map", True),
            (str(people["editor"]), people["editor"].initials, "evaluations", False),
        }
        assert {p["name"] for p in seen_by_editor} == {str(people["viewer"]), str(people["editor"])}

        await editor.send_json_to({"type": "editing", "object": "touchpoint:12"})
        while True:
            listed = {p["name"]: p for p in (await next_of(viewer, "presence"))["people"]}
            if listed[str(people["editor"])]["editing"] == "touchpoint:12":
                break
        # The registry in the cache knows both sockets (for the first render of a page).
        assert {entry["name"] for entry in presence.here(plan.pk)} == {str(people["viewer"]), str(people["editor"])}

        await editor.disconnect()
        assert [p["name"] for p in await people_seen(viewer, 1)] == [str(people["viewer"])]
        assert [entry["name"] for entry in presence.here(plan.pk)] == [str(people["viewer"])]
        await viewer.disconnect()

    run(scenario)


def test_a_socket_whose_access_is_withdrawn_is_closed_at_the_next_heartbeat(people, plan, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT", 0.1)
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(viewer)
        revoke = database_sync_to_async(tenancy_services.plan_revoke)
        await revoke(plan=plan, actor=people["owner"], user=people["viewer"])
        while True:
            message = await viewer.receive_output(timeout=TIMEOUT)
            if message["type"] == "websocket.close":
                assert message["code"] == 4403
                break

    run(scenario)


# Reconnection -------------------------------------------------------------------------------------------------


def test_a_reconnecting_client_gets_the_changes_it_missed_in_order(people, plan, world):
    before = Activity.objects.filter(plan=plan).order_by("-id").values_list("id", flat=True).first()
    first, again = socket(plan.pk, people["viewer"]), socket(plan.pk, people["viewer"])

    async def scenario():
        await join(first, last=before)
        await first.disconnect()
        touchpoint = await database_sync_to_async(services.touchpoint_create)(
            stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="Missed one")
        await database_sync_to_async(services.touchpoint_update)(touchpoint=touchpoint, actor=people["editor"],
                                                                 name="Missed two")
        await database_sync_to_async(services.touchpoint_delete)(touchpoint=touchpoint, actor=people["editor"])
        await join(again, last=before)
        message = await next_of(again, "changes")
        assert message["replay"] is True
        assert [(e["verb"], e["repr"], e["target_id"]) for e in message["events"]] == [
            ("created", "Missed one", touchpoint.pk), ("updated", "Missed two", touchpoint.pk),
            ("deleted", "Missed two", touchpoint.pk)]
        assert [e["id"] for e in message["events"]] == sorted(e["id"] for e in message["events"])
        assert message["events"][-1]["refs"]["stage"] == world["stages"][0].pk  # the deletion says where it was
        # Up to date: asking again from the last id replays nothing.
        await again.send_json_to({"type": "replay", "last": message["events"][-1]["id"]})
        assert (await next_of(again, "changes"))["events"] == []
        await again.disconnect()

    run(scenario)


def test_too_many_missed_changes_ask_the_client_to_reload(people, plan, world, monkeypatch):
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
    before = Activity.objects.filter(plan=plan).order_by("-id").values_list("id", flat=True).first()
    for name in ("One", "Two", "Three"):
        services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"], name=name)
    communicator = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(communicator, last=before)
        assert (await next_of(communicator, "reload"))["reason"] == "too_many_changes"
        await communicator.disconnect()

    run(scenario)


def test_a_page_drawn_after_a_flood_replays_only_what_came_after_it(people, plan, world, monkeypatch):
    # An import commits many changes seconds before the page is read: the page's replay point (`last`, a few
    # seconds back) lies before them, but the page already shows them (`drawn`). Reloading would draw the same page.
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
    before = Activity.objects.filter(plan=plan).order_by("-id").values_list("id", flat=True).first()
    for name in ("One", "Two", "Three"):
        services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"], name=name)
    drawn = Activity.objects.filter(plan=plan).order_by("-id").values_list("id", flat=True).first()
    after = services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"],
                                       name="After")
    communicator = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(communicator, last=before, drawn=drawn)
        events = (await next_of(communicator, "changes"))["events"]
        assert [(event["id"] > drawn, event["target_id"]) for event in events] == [(True, after.pk)]
        await communicator.disconnect()

    run(scenario)


def test_a_flood_after_the_page_was_drawn_still_asks_for_a_reload(people, plan, world, monkeypatch):
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
    drawn = Activity.objects.filter(plan=plan).order_by("-id").values_list("id", flat=True).first()
    for name in ("One", "Two", "Three"):
        services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"], name=name)
    communicator = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(communicator, last=drawn, drawn=drawn)
        assert (await next_of(communicator, "reload"))["reason"] == "too_many_changes"
        await communicator.disconnect()

    run(scenario)


def test_a_replay_never_shows_another_plans_history(people, plan, other_plan):
    tenancy_services.plan_update(plan=other_plan, actor=people["outsider"], name="Renamed elsewhere")
    tenancy_services.plan_update(plan=plan, actor=people["owner"], name="Renamed here")
    communicator = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(communicator, last=0)
        message = await next_of(communicator, "changes")
        assert [e["repr"] for e in message["events"]] == ["Renamed here"]
        await communicator.disconnect()

    run(scenario)


# Workshop state -----------------------------------------------------------------------------------------------


def test_everyone_on_the_plan_sees_the_voting_and_timer_but_not_the_dots_before_the_reveal(people, plan, world):
    from workshops.services import voting as workshops

    touchpoint = services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"],
                                            name="Reads a review")
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(viewer)
        session = await database_sync_to_async(workshops.voting_session_start)(
            plan=plan, actor=people["owner"], votes_per_participant=2)
        state = (await next_of(viewer, "workshop"))["state"]
        assert state["session"]["status"] == "open" and "totals" not in state["session"]
        await database_sync_to_async(workshops.vote_cast)(session=session, actor=people["editor"],
                                                          target_id=touchpoint.pk)
        state = (await next_of(viewer, "workshop"))["state"]
        assert (state["session"]["cast"], state["session"]["voters"]) == (1, 1) and "totals" not in state["session"]
        await database_sync_to_async(workshops.voting_session_reveal)(session=session, actor=people["owner"])
        state = (await next_of(viewer, "workshop"))["state"]
        assert state["session"]["status"] == "revealed" and state["session"]["totals"] == {str(touchpoint.pk): 1}
        await database_sync_to_async(workshops.timer_control)(plan=plan, actor=people["owner"], action="start",
                                                              minutes=5)
        timer = (await next_of(viewer, "workshop"))["state"]["timer"]
        assert timer["running"] and timer["duration"] == 300 and 295 <= timer["remaining"] <= 300
        await viewer.disconnect()

    run(scenario)



# The Redis layer -------------------------------------------------------------------------------------------------


def test_an_idle_socket_on_the_redis_layer_stays_open_and_gets_the_next_change(people, plan, world, settings):
    """A socket waits for its next message with a blocking pop of up to 5 s; redis-py's own 5 s read timeout must
    not end it (base settings raise it), so a quiet room still hears the next change."""
    import uuid

    from config.settings import base
    from tests.support import redis_available, require

    require(redis_available() and "channels_redis" in base.CHANNEL_LAYERS["default"]["BACKEND"],
            "Needs Redis: set REDIS_URL and start redis-server")
    layer_settings = base.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {"default": {**layer_settings, "CONFIG": {
        **layer_settings["CONFIG"], "prefix": f"test-{uuid.uuid4().hex[:8]}"}}}
    viewer = socket(plan.pk, people["viewer"])

    async def scenario():
        await join(viewer)
        await next_of(viewer, "presence")
        await asyncio.sleep(7)
        await database_sync_to_async(services.touchpoint_create)(
            stage=world["stages"][0], channel=world["web"], actor=people["editor"], name="After a quiet while")
        assert (await next_of(viewer, "changes"))["events"][0]["repr"] == "After a quiet while"
        await viewer.disconnect()

    run(scenario)


# What an event says -------------------------------------------------------------------------------------------


def test_events_name_the_place_of_evaluations_data_items_and_comments(people, plan, world, team):
    from assessments import services as assessment_services
    from workshops.live.events import change_event, complete_refs
    from workshops.services.comments import comment_create, comment_resolve

    touchpoint = services.touchpoint_create(stage=world["stages"][0], channel=world["web"], actor=people["editor"],
                                            name="Reads a review")
    evaluation = assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=people["editor"],
                                                       maturity=2, potential_customer=3, potential_brand=4)
    assessment_services.evaluation_update(evaluation=evaluation, actor=people["editor"], notes="Checked")
    item = assessment_services.data_item_create(evaluation=evaluation, actor=people["editor"], data="E-mail")
    note = comment_create(plan=plan, actor=people["editor"], target_type="touchpoint", target_id=touchpoint.pk,
                          body="@vera look")

    def collect():
        rows = Activity.objects.filter(plan=plan).select_related("actor").order_by("id")
        return {(e["target_type"], e["verb"]): e for e in complete_refs([change_event(row) for row in rows])}

    created = collect()[("workshops.comment", "created")]
    assert created["refs"] == {"kind": "touchpoint", "object": touchpoint.pk, "mentions": [people["viewer"].pk],
                               "resolved": None}
    comment_resolve(comment=note, actor=people["editor"])
    events = collect()
    where = {"touchpoint": touchpoint.pk, "team": team.pk}
    assert events[("assessments.touchpointevaluation", "created")]["refs"] == where
    assert events[("assessments.touchpointevaluation", "updated")]["refs"] == where  # from the row
    assert events[("assessments.datacaptureitem", "created")]["refs"] == where
    resolved = events[("workshops.comment", "updated")]["refs"]
    assert resolved["object"] == touchpoint.pk and isinstance(resolved["resolved"], str) and item.pk
    json.dumps(list(events.values()))  # what the layer and the socket carry
