"""Idempotency-Key: a repeated write replays the first answer and writes nothing; a reused key is refused."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from planning import services
from planning.api import journeys as journey_views
from planning.models import Channel, Persona, Touchpoint
from sync.api import idempotency
from sync.models import IdempotencyRecord
from tenancy.models import Activity
from tests.support import fields, postgres_in_use, require

KEY = "4b0f6f4e-6f2b-4b8e-9a57-1c2d3e4f5a6b"


@pytest.fixture
def stage(plan, people):
    services.channels_seed(plan.organisation)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="First purchase", template="purchase")
    return journey.stages.get(position=0)


@pytest.fixture
def touchpoint_body(stage):
    channel = Channel.objects.get(organisation=stage.plan.organisation, name="Website")
    return {"stage": stage.pk, "channel": channel.pk, "name": "Compare prices", "customer_action": "Opens two tabs"}


def test_the_same_post_with_the_same_key_is_replayed_and_creates_nothing(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    first = api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    second = api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json() and second["ETag"] == first["ETag"] == '"1"'
    assert Touchpoint.objects.filter(name="Compare prices").count() == 1
    assert Activity.objects.filter(target_type="planning.touchpoint", verb="created").count() == 1


def test_key_order_in_the_json_body_does_not_make_another_request(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    reordered = dict(reversed(list(touchpoint_body.items())))
    again = api.post("/api/v1/touchpoints/", reordered, HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Touchpoint.objects.count() == 1


@pytest.mark.parametrize("change", ["body", "path"])
def test_the_same_key_for_a_different_request_is_refused_with_422(api_for, people, plan, touchpoint_body, change):
    api = api_for(people["editor"])
    assert api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201
    if change == "body":
        response = api.post("/api/v1/touchpoints/", {**touchpoint_body, "name": "Other"}, HTTP_IDEMPOTENCY_KEY=KEY)
    else:
        response = api.post("/api/v1/personas/", {"plan": plan.pk, "name": "Busy Bea"}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert response.status_code == 422
    assert "already used for a different request" in response.data["detail"]
    assert Touchpoint.objects.count() == 1 and not Persona.objects.exists()


def test_keys_belong_to_each_user(api_for, people, touchpoint_body):
    assert api_for(people["editor"]).post("/api/v1/touchpoints/", touchpoint_body,
                                          HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201
    other = api_for(people["admin"]).post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert Touchpoint.objects.count() == 2


def test_without_the_header_every_post_writes(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    api.post("/api/v1/touchpoints/", touchpoint_body)
    api.post("/api/v1/touchpoints/", touchpoint_body)
    assert Touchpoint.objects.count() == 2 and not IdempotencyRecord.objects.exists()


def test_a_refused_request_is_replayed_as_refused(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    body = {**touchpoint_body, "name": ""}
    first = api.post("/api/v1/touchpoints/", body, HTTP_IDEMPOTENCY_KEY=KEY)
    second = api.post("/api/v1/touchpoints/", body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == second.status_code == 400 and second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"


def test_a_server_error_is_not_kept_so_the_client_can_retry(api_for, people, touchpoint_body, monkeypatch):
    api = api_for(people["editor"])
    api.raise_request_exception = False
    real = journey_views.services.touchpoint_create

    def broken(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(journey_views.services, "touchpoint_create", broken)
    assert api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY).status_code == 500
    assert not Touchpoint.objects.exists() and not IdempotencyRecord.objects.exists()  # rolled back together
    monkeypatch.setattr(journey_views.services, "touchpoint_create", real)
    retried = api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert Touchpoint.objects.count() == 1


def test_an_unauthenticated_post_with_a_key_stores_nothing(api_for, touchpoint_body):
    assert api_for(None).post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY).status_code == 401
    assert not IdempotencyRecord.objects.exists()


def test_an_overlong_key_is_refused(api_for, people, touchpoint_body):
    response = api_for(people["editor"]).post("/api/v1/touchpoints/", touchpoint_body,
                                              HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400 and "Idempotency-Key" in fields(response)
    assert not Touchpoint.objects.exists()


def test_keys_expire_after_24_hours(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Touchpoint.objects.count() == 2 and IdempotencyRecord.objects.count() == 1


def test_the_purge_deletes_only_expired_records(api_for, people, touchpoint_body):
    api = api_for(people["editor"])
    api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY="old")
    api.post("/api/v1/touchpoints/", {**touchpoint_body, "name": "Second"}, HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    assert idempotency.idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_the_upsert_put_honours_the_key_too(api_for, people, plan):
    api = api_for(people["editor"])
    url = "/api/v1/personas/by-external-id/crm/42/"
    first = api.put(url, {"plan": plan.pk, "name": "Busy Bea"}, HTTP_IDEMPOTENCY_KEY=KEY)
    api.put(url, {"plan": plan.pk, "name": "Renamed in between"})  # another write without a key
    replay = api.put(url, {"plan": plan.pk, "name": "Busy Bea"}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Persona.objects.get().name == "Renamed in between"


def test_the_schema_documents_the_header_on_posts(api_for, people):
    schema = api_for(people["editor"]).get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/touchpoints/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in post["parameters"]]
    patch = schema["paths"]["/api/v1/touchpoints/{id}/"]["patch"]
    assert "Idempotency-Key" not in [p["name"] for p in patch.get("parameters", [])]


@pytest.mark.django_db(transaction=True)
def test_the_same_post_sent_twice_at_the_same_time_creates_one_object(api_for, people, touchpoint_body, monkeypatch):
    require(postgres_in_use(), "needs PostgreSQL to prove two concurrent requests with one key create one object "
                               "(run with DATABASE_URL=postgres://...)")
    # Both requests pass authentication and reach the key together; the first then takes a while to write.
    barrier = threading.Barrier(2, timeout=20)
    real_fingerprint, real_create = idempotency.request_fingerprint, journey_views.services.touchpoint_create

    def fingerprint_together(request):
        barrier.wait()
        return real_fingerprint(request)

    def slow_create(**kwargs):
        time.sleep(0.5)
        return real_create(**kwargs)

    monkeypatch.setattr(idempotency, "request_fingerprint", fingerprint_together)
    monkeypatch.setattr(journey_views.services, "touchpoint_create", slow_create)
    clients = [api_for(people["editor"]), api_for(people["editor"])]
    responses, errors = [], []

    def post(api):
        try:
            responses.append(api.post("/api/v1/touchpoints/", touchpoint_body, HTTP_IDEMPOTENCY_KEY=KEY))
        except Exception as error:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(responses) == 2

    assert [r.status_code for r in responses] == [201, 201]
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Touchpoint.objects.filter(name="Compare prices").count() == 1
    assert IdempotencyRecord.objects.get().response_status == 201
