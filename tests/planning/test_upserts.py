"""External ids: PUT by external id (create, update, If-Match) and bulk upserts (all or none, per-item errors)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning import services
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint
from tenancy import activity
from tenancy.models import Activity, Plan, Team
from tests.factories import PlanFactory
from tests.support import fields, postgres_in_use, require


@pytest.fixture
def channels(org):
    services.channels_seed(org)
    return {channel.name: channel for channel in Channel.objects.filter(organisation=org)}


@pytest.fixture
def journey(plan, people, channels):
    return services.journey_create(plan=plan, actor=people["owner"], name="First purchase", template="purchase")


@pytest.fixture
def stage(journey):
    return journey.stages.get(position=0)


def _touchpoint(stage, channel, name="Compare prices", **extra):
    return {"stage": stage.pk, "channel": channel.pk, "name": name, **extra}


# PUT by external id --------------------------------------------------------------------------------------------


def test_put_creates_then_updates_through_the_services(api_for, people, stage, channels):
    api = api_for(people["editor"])
    url = "/api/v1/touchpoints/by-external-id/crm/TP-1/"
    created = api.put(url, _touchpoint(stage, channels["Website"]))
    assert created.status_code == 201 and created["ETag"] == '"1"'
    assert (created.data["external_source"], created.data["external_id"]) == ("crm", "TP-1")
    updated = api.put(url, _touchpoint(stage, channels["Website"], name="Compare prices online"))
    assert updated.status_code == 200 and updated["ETag"] == '"2"'
    assert updated.data["id"] == created.data["id"] and updated.data["name"] == "Compare prices online"
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.external_source, touchpoint.external_id, touchpoint.version) == ("crm", "TP-1", 2)
    verbs = list(Activity.objects.filter(target_type="planning.touchpoint").order_by("id").values_list(
        "verb", "actor__username", "changes"))
    assert verbs[0][:2] == ("created", "eddie") and verbs[0][2]["external_id"] == [None, "TP-1"]
    assert verbs[1] == ("updated", "eddie", {"name": ["Compare prices", "Compare prices online"]})


def test_put_with_the_same_values_writes_nothing(api_for, people, stage, channels):
    api = api_for(people["editor"])
    url = "/api/v1/touchpoints/by-external-id/crm/TP-1/"
    api.put(url, _touchpoint(stage, channels["Website"]))
    again = api.put(url, _touchpoint(stage, channels["Website"]))
    assert again.status_code == 200 and again["ETag"] == '"1"'
    assert Activity.objects.filter(target_type="planning.touchpoint").count() == 1


def test_put_honours_if_match(api_for, people, stage, channels):
    api = api_for(people["editor"])
    url = "/api/v1/touchpoints/by-external-id/crm/TP-1/"
    missing = api.put(url, _touchpoint(stage, channels["Website"]), HTTP_IF_MATCH='"1"')
    assert missing.status_code == 412 and missing.data["current"] is None and not Touchpoint.objects.exists()
    api.put(url, _touchpoint(stage, channels["Website"]))
    api.put(url, _touchpoint(stage, channels["Website"], name="Second"), HTTP_IF_MATCH='"1"')
    stale = api.put(url, _touchpoint(stage, channels["Website"], name="Third"), HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"' and stale.data["current"]["name"] == "Second"
    assert Touchpoint.objects.get().name == "Second"
    fresh = api.put(url, _touchpoint(stage, channels["Website"], name="Third"), HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200 and fresh["ETag"] == '"3"'


def test_if_none_match_star_only_creates(api_for, people, stage, channels):
    api = api_for(people["editor"])
    url = "/api/v1/touchpoints/by-external-id/crm/TP-1/"
    assert api.put(url, _touchpoint(stage, channels["Website"]), HTTP_IF_NONE_MATCH="*").status_code == 201
    again = api.put(url, _touchpoint(stage, channels["Website"], name="X"), HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412 and again.data["current"]["name"] == "Compare prices"


def test_external_ids_with_slashes_and_dots_work(api_for, people, plan):
    api = api_for(people["editor"])
    response = api.put("/api/v1/personas/by-external-id/hubspot/contacts/123.json/", {"plan": plan.pk,
                                                                                        "name": "Busy Bea"})
    assert response.status_code == 201 and response.data["external_id"] == "contacts/123.json"


def test_an_external_id_with_a_nul_character_is_refused(api_for, people, plan):
    response = api_for(people["editor"]).put("/api/v1/personas/by-external-id/crm/a%00b/",
                                             {"plan": plan.pk, "name": "Busy Bea"})
    assert response.status_code == 400 and "external_id" in fields(response) and not Persona.objects.exists()


def test_put_refuses_a_multipart_body_with_a_415(api_for, people, plan, channels):
    picked = [channels["Website"].pk, channels["Mobile app"].pk]
    response = api_for(people["editor"]).put("/api/v1/personas/by-external-id/crm/P-1/",
                                             {"plan": plan.pk, "name": "Busy Bea", "preferred_channels": picked},
                                             format="multipart")
    assert response.status_code == 415 and "application/json" in response.json()["detail"]
    assert not Persona.objects.exists()


@pytest.mark.parametrize("role, expected", [("anon", 401), ("outsider", 400), ("viewer", 403), ("editor", 201)])
def test_put_permission_matrix(api_for, people, plan, role, expected):
    response = api_for(people[role]).put("/api/v1/personas/by-external-id/crm/P-1/",
                                         {"plan": plan.pk, "name": "Busy Bea"})
    assert response.status_code == expected
    if role == "outsider":
        assert "plan" in fields(response)  # another organisation's plan is not even a valid choice
    assert Persona.objects.exists() == (expected == 201)


def test_updating_someone_elses_object_needs_edit_access(api_for, people, plan):
    services.persona_create(plan=plan, actor=people["owner"], name="Busy Bea", external_source="crm",
                            external_id="P-1")
    response = api_for(people["viewer"]).put("/api/v1/personas/by-external-id/crm/P-1/",
                                             {"plan": plan.pk, "name": "Renamed"})
    assert response.status_code == 403 and Persona.objects.get().name == "Busy Bea"


def test_ids_are_unique_per_plan_and_the_body_says_which_plan(api_for, people, org, plan):
    second = PlanFactory(organisation=org, name="Second plan")
    api = api_for(people["owner"])
    url = "/api/v1/personas/by-external-id/crm/P-1/"
    assert api.put(url, {"plan": plan.pk, "name": "In the first"}).status_code == 201
    assert api.put(url, {"plan": second.pk, "name": "In the second"}).status_code == 201
    assert api.put(url, {"plan": second.pk, "name": "Second, renamed"}).status_code == 200
    assert dict(Persona.objects.values_list("plan_id", "name")) == {plan.pk: "In the first",
                                                                    second.pk: "Second, renamed"}
    ambiguous = api.put(url, {"name": "Which one?"})
    assert ambiguous.status_code == 400 and "?plan=<id>" in str(ambiguous.data)
    narrowed = api.put(f"{url}?plan={plan.pk}", {"plan": plan.pk, "name": "First, renamed"})
    assert narrowed.status_code == 200 and Persona.objects.get(plan=plan).name == "First, renamed"


def test_a_plain_create_with_a_taken_external_id_is_refused(api_for, people, plan):
    api = api_for(people["editor"])
    body = {"plan": plan.pk, "name": "Busy Bea", "external_source": "crm", "external_id": "P-1"}
    assert api.post("/api/v1/personas/", body).status_code == 201
    clash = api.post("/api/v1/personas/", {**body, "name": "Other"})
    assert clash.status_code == 400
    assert fields(clash)["external_id"] == ["Another object of this plan already has this external source and id."]
    no_source = api.post("/api/v1/personas/", {"plan": plan.pk, "name": "X", "external_id": "P-2"})
    assert no_source.status_code == 400 and "external_source" in fields(no_source)
    assert Persona.objects.count() == 1


def test_a_put_without_external_fields_keeps_them(api_for, people, plan):
    persona = services.persona_create(plan=plan, actor=people["owner"], name="Busy Bea", external_source="crm",
                                      external_id="P-1")
    response = api_for(people["editor"]).put(f"/api/v1/personas/{persona.pk}/", {"plan": plan.pk, "name": "Bea"})
    assert response.status_code == 200 and response.data["external_id"] == "P-1"


@pytest.mark.parametrize("resource", ["plans", "teams", "channels", "personas", "stakeholders", "journeys", "stages",
                                      "touchpoints"])
def test_every_planning_resource_upserts_by_external_id(api_for, people, org, plan, journey, stage, channels,
                                                        resource):
    bodies = {
        "plans": {"organisation": org.pk, "name": "Synced plan"},
        "teams": {"organisation": org.pk, "name": "Synced team", "department": "sales"},
        "channels": {"organisation": org.pk, "name": "Synced channel", "kind": "online"},
        "personas": {"plan": plan.pk, "name": "Synced persona"},
        "stakeholders": {"plan": plan.pk, "name": "Synced stakeholder"},
        "journeys": {"plan": plan.pk, "name": "Synced journey", "template": "purchase"},
        "stages": {"journey": journey.pk, "name": "Synced stage"},
        "touchpoints": _touchpoint(stage, channels["Website"], name="Synced touchpoint"),
    }
    model = {"plans": Plan, "teams": Team, "channels": Channel, "personas": Persona, "stakeholders": Stakeholder,
             "journeys": Journey, "stages": Stage, "touchpoints": Touchpoint}[resource]
    api = api_for(people["owner"])
    url = f"/api/v1/{resource}/by-external-id/erp/X-1/"
    assert api.put(url, bodies[resource]).status_code == 201
    renamed = api.put(url, {**bodies[resource], "name": "Renamed"})
    assert renamed.status_code == 200, renamed.data
    row = model.objects.get(external_source="erp", external_id="X-1")
    assert (row.name, row.version) == ("Renamed", 2)
    if resource == "journeys":
        assert row.stages.count() == 4  # the template applied once, on creation


# Bulk upsert ---------------------------------------------------------------------------------------------------


def test_bulk_creates_then_updates_and_reports_each_item(api_for, people, stage, channels):
    api = api_for(people["editor"])
    items = [_touchpoint(stage, channels["Website"], name=f"Step {i}", external_source="crm", external_id=f"T{i}")
             for i in range(3)]
    created = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
    assert created.status_code == 200
    assert [(r["index"], r["status"], r["version"], r["external_id"]) for r in created.data["results"]] == [
        (0, "created", 1, "T0"), (1, "created", 1, "T1"), (2, "created", 1, "T2")]
    items[1]["name"] = "Step one, renamed"
    items.append(_touchpoint(stage, channels["Online ad"], name="New", external_source="crm", external_id="T3"))
    again = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
    assert [(r["status"], r["version"]) for r in again.data["results"]] == [
        ("unchanged", 1), ("updated", 2), ("unchanged", 1), ("created", 1)]
    assert [r["id"] for r in again.data["results"][:3]] == [r["id"] for r in created.data["results"]]
    assert Touchpoint.objects.get(external_id="T1").name == "Step one, renamed"
    assert Activity.objects.filter(target_type="planning.touchpoint", actor=people["editor"]).count() == 5


def test_bulk_is_all_or_none_with_every_failing_item_listed(api_for, people, stage, channels, other_plan):
    api = api_for(people["editor"])
    existing = services.touchpoint_create(stage=stage, channel=channels["Website"], actor=people["owner"],
                                          name="Keep me", external_source="crm", external_id="T0")
    items = [
        _touchpoint(stage, channels["Website"], name="Renamed", external_source="crm", external_id="T0"),
        _touchpoint(stage, channels["Website"], name="", external_source="crm", external_id="T1"),
        _touchpoint(stage, channels["Website"], name="Fine", external_source="crm", external_id="T2"),
        {"stage": stage.pk, "name": "No channel", "external_source": "crm", "external_id": "T3"},
    ]
    response = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
    assert response.status_code == 400
    assert [e["index"] for e in response.data["errors"]] == [1, 3]
    assert "name" in response.data["errors"][0]["errors"] and "channel" in response.data["errors"][1]["errors"]
    assert list(Touchpoint.objects.values_list("name", flat=True)) == ["Keep me"]
    existing.refresh_from_db()
    assert existing.version == 1


def test_bulk_refuses_missing_ids_duplicates_and_oversized_batches(api_for, people, stage, channels):
    api = api_for(people["editor"])
    url = "/api/v1/touchpoints/bulk-upsert/"
    items = [
        _touchpoint(stage, channels["Website"], external_source="crm", external_id="T0"),
        _touchpoint(stage, channels["Website"]),
        _touchpoint(stage, channels["Website"], name="Again", external_source="crm", external_id="T0"),
        "not an object",
        _touchpoint(stage, channels["Website"], external_source="crm", external_id="nul\x00byte"),
        _touchpoint(stage, channels["Website"], name="Numeric id", external_source="crm", external_id=7),
    ]
    response = api.post(url, items, format="json")
    assert response.status_code == 400
    errors = {e["index"]: e["errors"] for e in response.data["errors"]}
    assert set(errors) == {1, 2, 3, 4}  # a number is a valid external id
    assert set(errors[1]) == {"external_source", "external_id"}
    assert "Item 0 has the same external source and id" in str(errors[2]["external_id"])
    for body in ([], {"items": []}, [items[0]] * 1001):
        assert api.post(url, body, format="json").status_code == 400
    assert not Touchpoint.objects.exists()


def test_bulk_write_access_is_checked_for_every_item(api_for, people, stage, channels):
    response = api_for(people["viewer"]).post("/api/v1/touchpoints/bulk-upsert/", [
        _touchpoint(stage, channels["Website"], external_source="crm", external_id="T0")], format="json")
    assert response.status_code == 403 and response.data["errors"][0]["index"] == 0
    assert not Touchpoint.objects.exists()


def test_bulk_with_an_idempotency_key_replays(api_for, people, plan):
    api = api_for(people["editor"])
    items = [{"plan": plan.pk, "name": "Busy Bea", "external_source": "crm", "external_id": "P-1"}]
    first = api.post("/api/v1/personas/bulk-upsert/", items, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    second = api.post("/api/v1/personas/bulk-upsert/", items, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert first.data["results"][0]["status"] == "created" and Persona.objects.count() == 1


def test_bulk_queries_grow_by_two_per_item_at_most(api_for, people, stage, channels):
    """Access, feed lock, foreign keys, cell ends and history are shared by the batch; each item costs its own
    write and its external id check."""
    api = api_for(people["editor"])
    counts = {}
    for size in (5, 50):
        items = [_touchpoint(stage, channels["Website"], name=f"Step {i}", external_source=f"crm{size}",
                             external_id=f"T{i}") for i in range(size)]
        for phase in ("create", "update"):
            with CaptureQueriesContext(connection) as queries:
                response = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
            assert response.status_code == 200
            counts[size, phase] = len(queries)
            for item in items:
                item["name"] += " (revised)"
    assert counts[50, "create"] - counts[5, "create"] <= 2 * 45
    assert counts[50, "update"] - counts[5, "update"] <= 2 * 45
    positions = Touchpoint.objects.filter(external_source="crm50").order_by("external_id").values_list("position",
                                                                                                        flat=True)
    assert sorted(positions) == [float(p) for p in range(6, 56)]  # after the first batch's five, one after another


def test_bulk_puts_new_cards_at_the_end_of_their_cell_as_single_creates_do(api_for, people, stage, channels):
    web, app = channels["Website"], channels["Mobile app"]
    services.touchpoint_create(stage=stage, channel=web, actor=people["owner"], name="Existing", position=4.0)
    items = [_touchpoint(stage, web, name="After existing", external_source="crm", external_id="T0"),
             _touchpoint(stage, web, name="Placed", position=10.0, external_source="crm", external_id="T1"),
             _touchpoint(stage, web, name="After placed", external_source="crm", external_id="T2"),
             _touchpoint(stage, app, name="Alone", external_source="crm", external_id="T3")]
    response = api_for(people["editor"]).post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
    assert response.status_code == 200
    assert dict(Touchpoint.objects.filter(external_source="crm").values_list("external_id", "position")) == {
        "T0": 5.0, "T1": 10.0, "T2": 11.0, "T3": 1.0}


def test_bulk_records_every_write_as_one_batch_of_history_in_order(api_for, people, stage, channels, monkeypatch):
    batches = []
    monkeypatch.setattr(activity, "_hooks", [*activity._hooks, batches.append])
    api = api_for(people["editor"])
    items = [_touchpoint(stage, channels["Website"], name=f"Step {i}", external_source="crm", external_id=f"T{i}")
             for i in range(3)]
    created = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json").data["results"]
    items[2]["name"] = "Renamed"
    api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
    assert [[(row.verb, row.target_id) for row in batch] for batch in batches] == [
        [("created", result["id"]) for result in created], [("updated", created[2]["id"])]]
    rows = list(Activity.objects.filter(target_type="planning.touchpoint").order_by("id"))
    assert [(row.verb, row.target_id, row.actor_id, row.version) for row in rows] == [
        *[("created", result["id"], people["editor"].pk, 1) for result in created],
        ("updated", created[2]["id"], people["editor"].pk, 2)]
    assert rows[-1].changes == {"name": ["Step 2", "Renamed"]}


def test_bulk_upsert_of_1000_touchpoints_on_postgresql(api_for, people, stage, channels, capsys):
    """The figure for the closing note: 1,000 touchpoints created, then all updated, in one request each."""
    require(postgres_in_use(), "the bulk upsert figures are for PostgreSQL (run with DATABASE_URL=postgres://...)")
    api = api_for(people["editor"])
    lanes = list(channels.values())
    items = [_touchpoint(stage, lanes[i % len(lanes)], name=f"Touchpoint {i}", external_source="crm",
                         external_id=f"T{i:04d}") for i in range(1000)]
    figures = {}
    for phase in ("create", "update"):
        if phase == "update":
            for item in items:
                item["name"] += " (revised)"
        queries = []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            started, cpu = time.perf_counter(), time.process_time()
            response = api.post("/api/v1/touchpoints/bulk-upsert/", items, format="json")
            figures[phase] = (time.perf_counter() - started, time.process_time() - cpu, len(queries))
        assert response.status_code == 200
        assert {r["status"] for r in response.data["results"]} == {"created" if phase == "create" else "updated"}
    assert Touchpoint.objects.filter(name__endswith="(revised)", version=2).count() == 1000
    with capsys.disabled():
        for phase, (seconds, cpu, count) in figures.items():
            print(f"\nbulk upsert, 1000 touchpoints, {phase}: {seconds:.2f} s ({cpu:.2f} s CPU in this process), "
                  f"{count} queries")
    # Two queries an item (its row, its external id check); access, feed lock, foreign keys, cell ends and
    # history are shared by the batch (about 16 an item before).
    assert all(count < 2_500 for _seconds, _cpu, count in figures.values())
