"""The journeys pages and the journey map: permission matrix, stale edits, moves, and constant query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import services
from planning.models import Channel, Journey, Stage, StageTemplate, Touchpoint
from tenancy.models import Activity, Verb
from tests.conftest import ROLES

LOGIN = 302
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(org, people, plan, team):
    """A plan with a purchase journey (four stages), the standard channels and one touchpoint."""
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Buy trail shoes", template="purchase")
    stages = list(journey.stages.order_by("position"))
    web = Channel.objects.get(organisation=org, name="Website")
    store = Channel.objects.get(organisation=org, name="Physical store")
    touchpoint = services.touchpoint_create(stage=stages[0], channel=web, actor=people["owner"],
                                            name="Clicks an online ad", team=team)
    return {"journey": journey, "stages": stages, "web": web, "store": store, "tp": touchpoint, "team": team,
            "plan": plan, "org": org}


def _as(client_for, people, role):
    return client_for(people[role])


# Pages (GET) ---------------------------------------------------------------------------------------------------

# route name, args, query string, expected status per role in ROLES order, text an allowed page shows
GET_PAGES = [
    ("journey_list", lambda w: [w["plan"].pk], "", [LOGIN, 404, 200, 200, 200, 200], "Buy trail shoes"),
    ("journey_create", lambda w: [w["plan"].pk], "", [LOGIN, 404, 403, 200, 200, 200], "Discovery › Research"),
    ("journey_map", lambda w: [w["journey"].pk], "", [LOGIN, 404, 200, 200, 200, 200], "Clicks an online ad"),
    ("journey_map", lambda w: [w["journey"].pk], "?print=1", [LOGIN, 404, 200, 200, 200, 200], "Clicks an online ad"),
    ("journey_edit", lambda w: [w["journey"].pk], "", [LOGIN, 404, 403, 200, 200, 200], "Buy trail shoes"),
    ("journey_delete", lambda w: [w["journey"].pk], "", [LOGIN, 404, 403, 200, 200, 200], "1 touchpoints"),
    ("stage_delete", lambda w: [w["stages"][0].pk], "", [LOGIN, 404, 403, 200, 200, 200], "Discovery"),
    ("journey_cell", lambda w: [w["journey"].pk], "?stage={s0}&channel={web}", [LOGIN, 404, 200, 200, 200, 200],
     "Clicks an online ad"),
    ("touchpoint_card", lambda w: [w["tp"].pk], "", [LOGIN, 404, 200, 200, 200, 200], "Clicks an online ad"),
    ("touchpoint_create", lambda w: [w["journey"].pk], "?stage={s0}&channel={store}", [LOGIN, 404, 403, 200, 200, 200],
     "New touchpoint · Discovery · Physical store"),
    ("touchpoint_edit", lambda w: [w["tp"].pk], "", [LOGIN, 404, 403, 200, 200, 200], "Clicks an online ad"),
    ("touchpoint_delete", lambda w: [w["tp"].pk], "", [LOGIN, 404, 403, 200, 200, 200], "Clicks an online ad"),
]


def _query(world, template):
    return template.format(s0=world["stages"][0].pk, web=world["web"].pk, store=world["store"].pk)


@pytest.mark.parametrize(("name", "args", "query", "expected", "text"), GET_PAGES,
                         ids=[f"{p[0]}{p[2][:8]}" for p in GET_PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_journey_page_matrix(client_for, people, world, name, args, query, expected, text, role):
    url = reverse(name, args=args(world)) + _query(world, query)
    response = _as(client_for, people, role).get(url)
    assert response.status_code == expected[ROLES.index(role)]
    body = response.content.decode()
    if response.status_code == 200:
        assert text in body
    elif response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    else:
        assert "Clicks an online ad" not in body and "Buy trail shoes" not in body


def test_outsiders_own_journey_is_404_for_members(client_for, people, other_plan):
    services.channels_seed(people["other_org"])
    journey = services.journey_create(plan=other_plan, actor=people["outsider"], name="Their journey",
                                      template="purchase")
    for role in ("viewer", "editor", "admin", "owner"):
        response = client_for(people[role]).get(reverse("journey_map", args=[journey.pk]))
        assert response.status_code == 404
        assert "Their journey" not in response.content.decode()


def test_map_shows_controls_to_editors_only(client_for, people, world):
    url = reverse("journey_map", args=[world["journey"].pk])
    editor = client_for(people["editor"]).get(url).content.decode()
    assert 'data-editable="true"' in editor and "tp-edit" in editor and "Add the stage" in editor
    assert "sortable-1.15.7.min.js" in editor
    viewer = client_for(people["viewer"]).get(url).content.decode()
    assert 'data-editable="false"' in viewer and "Clicks an online ad" in viewer
    for control in ("tp-edit", "tp-addbtn", "Add the stage", "stage-menu", "Save as template", "sortable-"):
        assert control not in viewer
    printed = client_for(people["owner"]).get(url + "?print=1").content.decode()
    assert "is-print" in printed and "Clicks an online ad" in printed
    assert "tp-edit" not in printed and "Add the stage" not in printed


def test_map_draws_online_lanes_above_offline_ones_with_the_persona(client_for, people, world):
    persona = services.persona_create(plan=world["plan"], actor=people["owner"], name="Julie Martin",
                                      goals="Find shoes fast", frustrations="Wrong stock", quote="Know me",
                                      preferred_channels=[world["store"]])
    services.journey_update(journey=world["journey"], actor=people["owner"], persona=persona)
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    grid = body[body.index('id="journey-grid"'):]
    assert grid.index("Website") < grid.index("Physical store")
    assert grid.index(">Online<") < grid.index(">Offline<")
    assert "★ Physical store" in body
    for text in ("Julie Martin", "JM", "Find shoes fast", "Wrong stock", "Know me"):
        assert text in body


# Writes (POST): each case makes the request data and says whether the write was applied -----------------------

def _journey_exists(w):
    return not Journey.objects.filter(pk=w["journey"].pk).exists()


WRITES = {
    "journey_create": (lambda w: reverse("journey_create", args=[w["plan"].pk]),
                       lambda w: {"name": "Re-engage lapsed customers", "template": "lifecycle"},
                       lambda w: Journey.objects.filter(name="Re-engage lapsed customers").exists(), 302),
    "journey_edit": (lambda w: reverse("journey_edit", args=[w["journey"].pk]),
                     lambda w: {"name": "Renamed journey", "version": w["journey"].version},
                     lambda w: Journey.objects.filter(name="Renamed journey").exists(), 302),
    "journey_delete": (lambda w: reverse("journey_delete", args=[w["journey"].pk]),
                       lambda w: {"version": w["journey"].version}, _journey_exists, 302),
    "stage_create": (lambda w: reverse("stage_create", args=[w["journey"].pk]), lambda w: {"name": "Loyalty"},
                     lambda w: w["journey"].stages.filter(name="Loyalty").exists(), 200),
    "stage_rename": (lambda w: reverse("stage_rename", args=[w["stages"][0].pk]),
                     lambda w: {"name": "Inspiration", "version": w["stages"][0].version},
                     lambda w: Stage.objects.get(pk=w["stages"][0].pk).name == "Inspiration", 200),
    "stage_move": (lambda w: reverse("stage_move", args=[w["stages"][0].pk]),
                   lambda w: {"direction": "right", "version": w["stages"][0].version},
                   lambda w: Stage.objects.get(pk=w["stages"][0].pk).position == 1, 200),
    "stage_delete": (lambda w: reverse("stage_delete", args=[w["stages"][0].pk]),
                     lambda w: {"version": w["stages"][0].version},
                     lambda w: not Stage.objects.filter(pk=w["stages"][0].pk).exists(), 200),
    "stage_template_save": (lambda w: reverse("stage_template_save", args=[w["journey"].pk]),
                            lambda w: {"name": "Our purchase"},
                            lambda w: StageTemplate.objects.filter(name="Our purchase").exists(), 200),
    "touchpoint_create": (lambda w: reverse("touchpoint_create", args=[w["journey"].pk]),
                          lambda w: {"name": "Calls an agent", "stage": w["stages"][3].pk, "channel": w["store"].pk,
                                     "evidence": "reported"},
                          lambda w: Touchpoint.objects.filter(name="Calls an agent").exists(), 200),
    "touchpoint_edit": (lambda w: reverse("touchpoint_edit", args=[w["tp"].pk]),
                        lambda w: {"name": "Clicks a retargeting ad", "evidence": "measured",
                                   "stage": w["stages"][0].pk, "channel": w["web"].pk, "version": w["tp"].version},
                        lambda w: Touchpoint.objects.get(pk=w["tp"].pk).name == "Clicks a retargeting ad", 200),
    "touchpoint_move": (lambda w: reverse("touchpoint_move", args=[w["tp"].pk]),
                        lambda w: {"stage": w["stages"][1].pk, "channel": w["store"].pk, "before": "",
                                   "version": w["tp"].version},
                        lambda w: Touchpoint.objects.get(pk=w["tp"].pk).stage_id == w["stages"][1].pk, 200),
    "touchpoint_delete": (lambda w: reverse("touchpoint_delete", args=[w["tp"].pk]),
                          lambda w: {"version": w["tp"].version},
                          lambda w: not Touchpoint.objects.filter(pk=w["tp"].pk).exists(), 200),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_journey_write_matrix(client_for, people, world, write, role):
    url, data, applied, ok_status = WRITES[write]
    expected = [LOGIN, 404, 403, ok_status, ok_status, ok_status][ROLES.index(role)]
    response = _as(client_for, people, role).post(url(world), data(world), **HX)
    assert response.status_code == expected, response.content[:300]
    assert applied(world) == (role in ("editor", "admin", "owner"))
    if role == "anon":
        assert response["Location"].startswith(reverse("login"))


def test_stage_changes_answer_the_redrawn_grid_with_a_message(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("stage_create", args=[world["journey"].pk]),
                                                 {"name": "Loyalty"}, **HX)
    body = response.content.decode()
    assert body.startswith('<div id="journey-grid"') and "Loyalty" in body and "Clicks an online ad" in body
    assert json.loads(response["HX-Trigger"]) == {"mapMessage": {"text": "Stage “Loyalty” added.",
                                                                 "level": "success"}}
    stages = list(world["journey"].stages.order_by("position").values_list("name", flat=True))
    assert stages == ["Discovery", "Research", "Conversion", "After-sales", "Loyalty"]


def test_without_htmx_stage_changes_go_back_to_the_map(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("stage_move", args=[world["stages"][3].pk]),
                                                 {"direction": "left", "version": world["stages"][3].version},
                                                 follow=True)
    assert response.redirect_chain[-1][0] == reverse("journey_map", args=[world["journey"].pk])
    assert "Stage “After-sales” moved." in response.content.decode()
    names = list(world["journey"].stages.order_by("position").values_list("name", flat=True))
    assert names == ["Discovery", "Research", "After-sales", "Conversion"]


def test_moving_a_stage_follows_the_visible_order_even_after_a_deletion(client_for, people, world):
    discovery, research, conversion, after_sales = world["stages"]
    services.stage_delete(stage=research, actor=people["owner"])  # leaves a gap in the positions
    after_sales.refresh_from_db()
    client_for(people["editor"]).post(reverse("stage_move", args=[after_sales.pk]),
                                      {"direction": "left", "version": after_sales.version}, **HX)
    names = list(world["journey"].stages.order_by("position").values_list("name", flat=True))
    assert names == ["Discovery", "After-sales", "Conversion"]


def test_deleting_a_stage_deletes_its_touchpoints_and_records_both(client_for, people, world):
    stage = world["stages"][0]
    client_for(people["editor"]).post(reverse("stage_delete", args=[stage.pk]), {"version": stage.version}, **HX)
    assert not Touchpoint.objects.filter(pk=world["tp"].pk).exists()
    deleted = Activity.objects.filter(verb=Verb.DELETED, target_id=stage.pk, target_type="planning.stage")
    assert deleted.get().actor == people["editor"]


def test_stale_stage_rename_keeps_the_typed_name_beside_theirs(client_for, people, world):
    stage = world["stages"][1]
    loaded = stage.version
    services.stage_update(stage=Stage.objects.get(pk=stage.pk), actor=people["admin"], name="Comparison")
    response = client_for(people["editor"]).post(reverse("stage_rename", args=[stage.pk]),
                                                 {"name": "Exploration", "version": loaded}, **HX)
    body = response.content.decode()
    assert 'value="Exploration"' in body and "Saved meanwhile by someone else: “Comparison”" in body
    assert json.loads(response["HX-Trigger"])["mapMessage"]["level"] == "warning"
    assert Stage.objects.get(pk=stage.pk).name == "Comparison"


def test_journey_from_custom_stages_and_from_a_saved_template(client_for, people, world):
    client = client_for(people["editor"])
    response = client.post(reverse("journey_create", args=[world["plan"].pk]), {
        "name": "Welcome new customers", "template": "custom",
        "custom_stages": "Sign-up\n\nWelcome email\nFirst order\n"})
    journey = Journey.objects.get(name="Welcome new customers")
    assert response["Location"] == reverse("journey_map", args=[journey.pk])
    assert list(journey.stages.order_by("position").values_list("name", flat=True)) == [
        "Sign-up", "Welcome email", "First order"]
    template = services.stage_template_save(journey=journey, actor=people["editor"], name="Welcome")
    client.post(reverse("journey_create", args=[world["plan"].pk]),
                {"name": "Welcome again", "template": f"saved:{template.pk}"})
    again = Journey.objects.get(name="Welcome again")
    assert list(again.stages.order_by("position").values_list("name", flat=True)) == [
        "Sign-up", "Welcome email", "First order"]
    empty = client.post(reverse("journey_create", args=[world["plan"].pk]),
                        {"name": "No stages", "template": "custom", "custom_stages": " \n"})
    assert "Type at least one stage name" in empty.content.decode()
    assert not Journey.objects.filter(name="No stages").exists()


# Touchpoints in place ----------------------------------------------------------------------------------------


def test_adding_a_touchpoint_answers_the_card_for_its_cell(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("touchpoint_create", args=[world["journey"].pk]), {
        "name": "Returns an item in store", "stage": world["stages"][3].pk, "channel": world["store"].pk,
        "team": world["team"].pk, "evidence": "observed"}, **HX)
    body = response.content.decode()
    touchpoint = Touchpoint.objects.get(name="Returns an item in store")
    assert f'hx-swap-oob="beforeend:#list-{world["stages"][3].pk}-{world["store"].pk}"' in body
    assert f'id="tp-{touchpoint.pk}"' in body and "Customer service" in body and "Observed" in body
    assert touchpoint.team == world["team"] and touchpoint.journey == world["journey"]


def test_adding_without_a_name_shows_the_form_again(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("touchpoint_create", args=[world["journey"].pk]), {
        "name": "", "customer_action": "typed text", "stage": world["stages"][0].pk, "channel": world["web"].pk,
        "evidence": "assumed"}, **HX)
    body = response.content.decode()
    assert "This field is required." in body and "typed text" in body


def test_a_cell_of_another_journey_is_404(client_for, people, world):
    other = services.journey_create(plan=world["plan"], actor=people["owner"], name="Other", template="purchase")
    url = reverse("touchpoint_create", args=[world["journey"].pk])
    response = client_for(people["editor"]).get(url, {"stage": other.stages.first().pk, "channel": world["web"].pk})
    assert response.status_code == 404


def test_stale_card_edit_shows_both_versions_and_keeps_the_typed_text(client_for, people, world):
    touchpoint = world["tp"]
    client = client_for(people["editor"])
    form = client.get(reverse("touchpoint_edit", args=[touchpoint.pk])).content.decode()
    assert f'name="version" value="{touchpoint.version}"' in form
    services.touchpoint_update(touchpoint=Touchpoint.objects.get(pk=touchpoint.pk), actor=people["admin"],
                               name="Clicks a video ad", evidence="measured")
    current = Touchpoint.objects.get(pk=touchpoint.pk).version
    typed = {"name": "Clicks a search ad", "customer_action": "Searches for trail shoes", "evidence": "observed",
             "stage": world["stages"][0].pk, "channel": world["web"].pk, "team": world["team"].pk,
             "version": touchpoint.version}
    response = client.post(reverse("touchpoint_edit", args=[touchpoint.pk]), typed, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "Saved meanwhile by someone else" in body
    assert "<dt>Touchpoint</dt><dd>Clicks a video ad</dd>" in body and "<dd>Measured</dd>" in body  # theirs
    assert "<dt>Stage</dt>" not in body  # the same on both sides: not listed
    assert 'value="Clicks a search ad"' in body and "Searches for trail shoes</textarea>" in body  # yours
    assert f'name="version" value="{current}"' in body
    assert Touchpoint.objects.get(pk=touchpoint.pk).name == "Clicks a video ad"
    assert Activity.objects.filter(verb=Verb.REFUSED, target_id=touchpoint.pk, actor=people["editor"]).exists()

    response = client.post(reverse("touchpoint_edit", args=[touchpoint.pk]), typed | {"version": current}, **HX)
    assert f'id="tp-{touchpoint.pk}"' in response.content.decode()
    assert Touchpoint.objects.get(pk=touchpoint.pk).name == "Clicks a search ad"


def test_editing_the_cell_redraws_the_cell_it_moved_to(client_for, people, world):
    touchpoint = world["tp"]
    response = client_for(people["editor"]).post(reverse("touchpoint_edit", args=[touchpoint.pk]), {
        "name": touchpoint.name, "evidence": "assumed", "stage": world["stages"][2].pk, "channel": world["store"].pk,
        "version": touchpoint.version}, **HX)
    body = response.content.decode()
    assert f'id="list-{world["stages"][2].pk}-{world["store"].pk}" data-stage' in body
    assert 'hx-swap-oob="true"' in body and f'id="tp-{touchpoint.pk}"' in body
    moved = Touchpoint.objects.get(pk=touchpoint.pk)
    assert (moved.stage_id, moved.channel_id) == (world["stages"][2].pk, world["store"].pk)


def test_deleting_a_card_is_recorded_and_a_stale_delete_is_refused(client_for, people, world):
    touchpoint = world["tp"]
    client = client_for(people["editor"])
    services.touchpoint_update(touchpoint=Touchpoint.objects.get(pk=touchpoint.pk), actor=people["admin"],
                               name="Changed meanwhile")
    stale = client.post(reverse("touchpoint_delete", args=[touchpoint.pk]), {"version": touchpoint.version}, **HX)
    assert "Changed meanwhile" in stale.content.decode()
    assert json.loads(stale["HX-Trigger"])["mapMessage"]["level"] == "warning"
    assert Touchpoint.objects.filter(pk=touchpoint.pk).exists()

    current = Touchpoint.objects.get(pk=touchpoint.pk).version
    response = client.post(reverse("touchpoint_delete", args=[touchpoint.pk]), {"version": current}, **HX)
    assert response.status_code == 200 and response.content == b""
    assert not Touchpoint.objects.filter(pk=touchpoint.pk).exists()
    record = Activity.objects.get(verb=Verb.DELETED, target_type="planning.touchpoint", target_id=touchpoint.pk)
    assert record.actor == people["editor"] and record.changes["name"] == ["Changed meanwhile", None]


# Moves ---------------------------------------------------------------------------------------------------------


def _cell_names(stage, channel):
    return list(Touchpoint.objects.filter(stage=stage, channel=channel).order_by("position", "id")
                .values_list("name", flat=True))


def _move(client, touchpoint, stage, channel, before=None, version=None):
    touchpoint = Touchpoint.objects.get(pk=touchpoint.pk)
    return client.post(reverse("touchpoint_move", args=[touchpoint.pk]), {
        "stage": stage.pk, "channel": channel.pk, "before": before.pk if before else "",
        "version": touchpoint.version if version is None else version})


def test_move_puts_the_card_in_the_right_cell_and_order(client_for, people, world):
    s0, s1 = world["stages"][0], world["stages"][1]
    web, store = world["web"], world["store"]
    owner = people["owner"]
    a = world["tp"]
    b = services.touchpoint_create(stage=s0, channel=web, actor=owner, name="B")
    c = services.touchpoint_create(stage=s0, channel=web, actor=owner, name="C")
    client = client_for(people["editor"])

    response = _move(client, c, s0, web, before=a)  # within the cell, to the top
    assert response.status_code == 200
    assert _cell_names(s0, web) == ["C", "Clicks an online ad", "B"]
    assert response.json()["version"] == Touchpoint.objects.get(pk=c.pk).version

    assert _move(client, b, s0, web, before=a).status_code == 200  # between C and A
    assert _cell_names(s0, web) == ["C", "B", "Clicks an online ad"]

    assert _move(client, a, s1, store).status_code == 200  # to another stage and channel, at the end
    d = services.touchpoint_create(stage=s1, channel=store, actor=owner, name="D")
    assert _move(client, d, s1, store, before=a).status_code == 200
    assert _cell_names(s1, store) == ["D", "Clicks an online ad"]
    assert _cell_names(s0, web) == ["C", "B"]
    moved = Activity.objects.filter(verb=Verb.UPDATED, target_id=a.pk, actor=people["editor"]).latest("id")
    assert moved.changes["stage"] == [s0.pk, s1.pk] and moved.changes["channel"] == [web.pk, store.pk]


def test_stale_move_answers_412_with_where_the_card_is(client_for, people, world):
    touchpoint = world["tp"]
    loaded = touchpoint.version
    services.touchpoint_move(touchpoint=Touchpoint.objects.get(pk=touchpoint.pk), actor=people["admin"],
                             stage=world["stages"][2], channel=world["web"])
    response = _move(client_for(people["editor"]), touchpoint, world["stages"][1], world["store"], version=loaded)
    assert response.status_code == 412
    data = response.json()
    assert data["current"]["stage"] == world["stages"][2].pk and data["current"]["version"] == loaded + 1
    assert "meanwhile" in data["detail"]
    assert Touchpoint.objects.get(pk=touchpoint.pk).stage_id == world["stages"][2].pk


def test_move_refuses_a_cell_or_neighbour_that_does_not_fit(client_for, people, world, other_plan):
    client = client_for(people["editor"])
    other = services.journey_create(plan=world["plan"], actor=people["owner"], name="Other", template="purchase")
    response = _move(client, world["tp"], other.stages.first(), world["web"])
    assert response.status_code == 400 and "stage" in response.json()["errors"]
    elsewhere = services.touchpoint_create(stage=world["stages"][1], channel=world["web"], actor=people["owner"],
                                           name="Elsewhere")
    response = _move(client, world["tp"], world["stages"][0], world["store"], before=elsewhere)
    assert response.status_code == 400 and "not in that cell" in response.json()["detail"]
    assert Touchpoint.objects.get(pk=world["tp"].pk).channel == world["web"]


# Query counts --------------------------------------------------------------------------------------------------


def _fill(world, count):
    """`count` touchpoints spread over every stage and a few channels, each with a team."""
    channels = list(Channel.objects.filter(organisation=world["org"])[:6])
    Touchpoint.objects.bulk_create([
        Touchpoint(plan=world["plan"], journey=world["journey"], stage=world["stages"][i % 4],
                   channel=channels[i % len(channels)], team=world["team"], name=f"Touchpoint {i}", position=i)
        for i in range(count - 1)
    ])


def _map_queries(client, journey):
    client.get(reverse("journey_map", args=[journey.pk]))  # the first visit also writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("journey_map", args=[journey.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_map_page_query_count_is_the_same_for_5_and_200_touchpoints(client_for, people, world, role):
    client = client_for(people[role])
    _fill(world, 5)
    few, body = _map_queries(client, world["journey"])
    assert body.count('class="tp"') == 5
    _fill(world, 196)
    many, body = _map_queries(client, world["journey"])
    assert body.count('class="tp"') == 200
    assert few == many, f"{few} queries for 5 touchpoints, {many} for 200"


def test_empty_states_invite_editors_to_start(client_for, people, plan):
    listing = client_for(people["editor"]).get(reverse("journey_list", args=[plan.pk])).content.decode()
    assert "No customer journeys yet" in listing and "Map the first journey" in listing
    listing = client_for(people["viewer"]).get(reverse("journey_list", args=[plan.pk])).content.decode()
    assert "No customer journeys yet" in listing and "Map the first journey" not in listing
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Blank", template=[])
    body = client_for(people["editor"]).get(reverse("journey_map", args=[journey.pk])).content.decode()
    assert "This journey has no stages yet" in body and "No persona is attached" in body
