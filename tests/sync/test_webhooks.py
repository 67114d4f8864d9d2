"""Signed webhooks delivered to a real local HTTP listener through the Celery task (eager): signature, retries,
delivery log, redelivery, SSRF refusal, and who may manage them. Standard Webhooks specifics (the library's
verification, rotation, replay, in-process backoff): test_standard_webhooks.py."""

import http.server
import json
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from planning import services as planning_services
from planning.models import Channel
from sync.webhooks import delivery as webhook_delivery
from sync.webhooks import network, services, signing
from sync.webhooks import tasks as webhook_tasks
from sync.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.conftest import ROLES
from tests.support import fields

DOCS = Path(django_settings.BASE_DIR) / "docs" / "webhooks.md"
EVENT_ID = "6f1c1b0e-8a52-4a6f-9b1e-1b2c3d4e5f60"


class Listener:
    """A local HTTP server that records each POST and answers the next status of its script (the last one
    repeats)."""

    def __init__(self, statuses, location=None):
        self.statuses, self.location, self.requests = list(statuses), location, []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                listener.requests.append((self.headers, body))
                status = listener.statuses.pop(0) if len(listener.statuses) > 1 else listener.statuses[0]
                self.send_response(status)
                if listener.location:
                    self.send_header("Location", listener.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/journeys?source=test"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listen(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the listener is on 127.0.0.1
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0.1
    started = []

    def start(*statuses, location=None):
        started.append(Listener(statuses or (200,), location))
        return started[-1]

    yield start
    for listener in started:
        listener.stop()


def documented(name):
    """A verification function of docs/webhooks.md's Python snippets, as a reader would copy it."""
    namespace = {}
    for snippet in re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S):
        exec(compile(snippet, str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace[name]


@pytest.fixture
def documented_verify():
    """Standard Webhooks, with the standardwebhooks library."""
    return documented("verify_signature")


@pytest.fixture
def documented_legacy_verify():
    """The deprecated X-JourneyPlanner-Signature, kept for one release."""
    return documented("verify_legacy_signature")


def retries_fall_due():
    """Time passes until every pending retry is due; then the periodic sweep runs (tasks run eagerly, as without
    Redis: the sweep, not an inline retry, makes the next attempt)."""
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))
    return webhook_tasks.webhook_deliveries_sweep_task()


@pytest.fixture
def touchpoint(org, plan, people):
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = planning_services.journey_create(plan=plan, actor=people["owner"], name="Purchase", template="purchase")
    return planning_services.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=people["owner"],
                                               name="Click an online ad")


def subscribe(org, people, url, events=("touchpoint.updated",)):
    return services.subscription_create(organisation=org, actor=people["admin"], url=url, event_types=list(events))


def test_a_touchpoint_update_reaches_the_listener_signed(listen, org, people, touchpoint, api_for,
                                                         django_capture_on_commit_callbacks, documented_verify,
                                                         documented_legacy_verify):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(people["editor"]).patch(f"/api/v1/touchpoints/{touchpoint.pk}/", {"name": "Tap an ad"},
                                                   HTTP_IF_MATCH='"1"')
    assert response.status_code == 200

    [(headers, body)] = listener.requests
    assert documented_verify(subscription.secret, headers, body)
    assert not documented_verify(signing.new_secret(), headers, body)
    assert not documented_verify(subscription.secret, headers, body + b" ")
    delivery = WebhookDelivery.objects.get()
    assert headers["webhook-id"] == str(delivery.event_id) and headers["webhook-signature"].startswith("v1,")
    # Deprecated headers, still sent and still verifying for one release.
    assert documented_legacy_verify(subscription.secret, headers, body)
    assert not documented_legacy_verify(subscription.secret, headers, body + b" ")
    assert headers["X-JourneyPlanner-Event"] == "touchpoint.updated"
    assert headers["X-JourneyPlanner-Delivery"] == str(delivery.uuid)
    assert headers["X-JourneyPlanner-Signature"].startswith("sha256=")
    payload = json.loads(body)
    assert payload["type"] == "touchpoint.updated" and payload["organisation"] == org.pk
    assert payload["id"] == str(delivery.event_id)
    data = payload["data"]
    assert (data["type"], data["id"], data["verb"], data["version"]) == ("touchpoint", touchpoint.pk, "updated", 2)
    assert data["object"]["name"] == "Tap an ad" and data["object"]["version"] == 2
    assert (delivery.status, delivery.response_code, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 200, 1)


def test_other_events_and_other_organisations_send_nothing(listen, org, people, plan, other_plan, touchpoint,
                                                           django_capture_on_commit_callbacks):
    listener = listen(200)
    subscribe(org, people, listener.url, events=["touchpoint.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
        planning_services.stakeholder_create(plan=other_plan, actor=people["outsider"], name="Elsewhere")
    assert listener.requests == [] and not WebhookDelivery.objects.exists()


def test_a_rolled_back_write_sends_nothing(listen, org, people, touchpoint, django_capture_on_commit_callbacks):
    from django.db import transaction

    listener = listen(200)
    subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Never")
            raise RuntimeError("rolled back")
    assert callbacks == [] and listener.requests == []


def test_a_listener_that_fails_twice_gets_three_attempts_and_the_log_shows_them(
        listen, org, people, touchpoint, client_for, django_capture_on_commit_callbacks, documented_verify):
    listener = listen(500, 500, 200)
    subscription = subscribe(org, people, listener.url)

    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
    assert len(listener.requests) == 1  # the retries wait for their time
    assert retries_fall_due() == {"failed": 0, "resent": 1} and len(listener.requests) == 2
    assert retries_fall_due() == {"failed": 0, "resent": 1} and len(listener.requests) == 3
    assert retries_fall_due() == {"failed": 0, "resent": 0}

    assert len({headers["X-JourneyPlanner-Delivery"] for headers, _ in listener.requests}) == 1
    assert len({headers["webhook-id"] for headers, _ in listener.requests}) == 1
    assert all(documented_verify(subscription.secret, headers, body) for headers, body in listener.requests)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 200, 3)
    assert [entry["response_code"] for entry in delivery.log] == [500, 500, 200]
    assert [entry["attempt"] for entry in delivery.log] == [1, 2, 3]
    assert delivery.log[0]["error"].startswith("HTTP 500") and delivery.next_attempt_at is None

    page = client_for(people["admin"]).get(reverse("webhook_detail", args=[org.pk, subscription.pk]))
    html = page.content.decode()
    assert html.count("HTTP 500 ·") == 2 and html.count("HTTP 200 ·") == 1 and "succeeded" in html


def test_a_delivery_gives_up_after_the_last_attempt(listen, settings, org, people, touchpoint,
                                                    django_capture_on_commit_callbacks):
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    listener = listen(503)
    subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
    for _ in range(5):
        retries_fall_due()
    delivery = WebhookDelivery.objects.get()
    assert len(listener.requests) == 4
    assert (delivery.status, delivery.response_code, delivery.attempts) == (DeliveryStatus.FAILED, 503, 4)


def test_the_backoff_doubles_from_the_configured_base(listen, settings, org, people, touchpoint):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    listener = listen(500)
    subscription = subscribe(org, people, listener.url)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event_id=EVENT_ID,
                                              event_type="touchpoint.updated", payload={"hello": "world"})
    waits = [webhook_delivery.delivery_attempt(delivery_id=delivery.pk) for _ in range(6)]
    assert waits == [30, 60, 120, 240, 480, None]
    assert webhook_delivery.delivery_attempt(delivery_id=delivery.pk) is None and len(listener.requests) == 6


def test_redirects_are_not_followed(listen, org, people, touchpoint, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    target = listen(200)
    listener = listen(302, location=target.url)
    subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == (DeliveryStatus.FAILED, 302)
    assert len(listener.requests) == 1 and target.requests == []


def test_redeliver_sends_the_same_event_as_a_new_delivery(listen, org, people, touchpoint, api_for,
                                                          django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
    first = WebhookDelivery.objects.get()

    [(headers, _body)] = listener.requests
    url = f"/api/v1/webhook-subscriptions/{subscription.pk}/deliveries/{headers['webhook-id']}/redeliver/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(people["admin"]).post(url)

    assert response.status_code == 202
    again = WebhookDelivery.objects.get(pk=response.data["id"])
    assert again.event_id == first.event_id and again.uuid != first.uuid and again.payload == first.payload
    assert again.status == DeliveryStatus.SUCCEEDED and len(listener.requests) == 2
    assert [json.loads(body)["id"] for _, body in listener.requests] == [str(first.event_id)] * 2
    assert [headers["webhook-id"] for headers, _ in listener.requests] == [str(first.event_id)] * 2


def test_the_deprecated_redelivery_by_number_still_works(listen, org, people, api_for,
                                                         django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    first = WebhookDelivery.objects.create(subscription=subscription, event_id=EVENT_ID,
                                           event_type="touchpoint.updated", payload={"n": 1})
    base = f"/api/v1/webhook-subscriptions/{subscription.pk}/deliveries/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(people["admin"]).post(f"{base}{first.pk}/redeliver/")
    assert response.status_code == 202 and response.data["event_id"] == EVENT_ID
    [(headers, body)] = listener.requests
    assert headers["webhook-id"] == EVENT_ID and json.loads(body) == {"n": 1}
    assert api_for(people["admin"]).post(f"{base}{first.pk + 1000}/redeliver/").status_code == 404


def test_emit_event_reaches_the_subscribers_of_that_event(listen, org, people, django_capture_on_commit_callbacks):
    wants = listen(200)
    other = listen(200)
    subscribe(org, people, wants.url, events=["export.finished"])
    subscribe(org, people, other.url, events=["touchpoint.created"])
    with django_capture_on_commit_callbacks(execute=True):
        services.emit_event(org.pk, "export.finished", {"export": 7, "status": "succeeded"})
    [(headers, body)] = wants.requests
    assert headers["X-JourneyPlanner-Event"] == "export.finished"
    assert json.loads(body)["data"] == {"export": 7, "status": "succeeded"} and other.requests == []


# SSRF --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.0.0.5/hook", "http://192.168.1.10/hook",
    "http://172.16.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/hook", "http://224.0.0.1/hook", "http://100.64.0.1/hook", "ftp://93.184.216.34/",
    "http://user:secret@93.184.216.34/hook",
])
def test_loopback_private_and_link_local_targets_are_refused(api_for, org, people, url):
    response = api_for(people["admin"]).post("/api/v1/webhook-subscriptions/", {
        "organisation": org.pk, "url": url, "event_types": ["touchpoint.updated"]})
    assert response.status_code == 400 and "url" in fields(response)
    assert not WebhookSubscription.objects.exists()


def test_a_public_address_is_accepted(api_for, org, people):
    response = api_for(people["admin"]).post("/api/v1/webhook-subscriptions/", {
        "organisation": org.pk, "url": "https://93.184.216.34/hook", "event_types": ["touchpoint.updated"]})
    assert response.status_code == 201
    assert response.data["secret"].startswith("whsec_")
    assert len(signing.key_of(response.data["secret"])) == 32  # Standard Webhooks: base64 of 32 random bytes
    assert api_for(people["admin"]).get(f"/api/v1/webhook-subscriptions/{response.data['id']}/").data["secret"] is None


def test_the_address_is_checked_again_at_delivery(listen, settings, org, people, touchpoint,
                                                  django_capture_on_commit_callbacks):
    listener = listen(200)
    subscribe(org, people, listener.url)  # allowed when saved...
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False  # ...refused when sent
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Renamed")
    delivery = WebhookDelivery.objects.get()
    assert listener.requests == []
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.FAILED, 1, None)
    assert "127.0.0.1" in delivery.last_error and "public addresses" in delivery.last_error


def test_a_name_that_resolves_to_a_private_address_later_is_refused(monkeypatch, listen, settings, org, people):
    """DNS rebinding: public when the webhook is saved, loopback when it is sent."""
    listener = listen(200)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    port = listener.server.server_address[1]
    answers = iter([[(2, "93.184.216.34")], [(2, "127.0.0.1")]])
    monkeypatch.setattr(network, "resolve", lambda host, port: next(answers))
    subscription = subscribe(org, people, f"http://hooks.example.com:{port}/")
    delivery = WebhookDelivery.objects.create(subscription=subscription, event_id=EVENT_ID,
                                              event_type="touchpoint.updated", payload={})
    assert webhook_delivery.delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "127.0.0.1" in delivery.last_error
    assert listener.requests == []


# Who may manage webhooks ---------------------------------------------------------------------------------------

PAGE = [302, 404, 403, 403, 200, 200]
API_OBJECT = [401, 404, 403, 403, 200, 200]


@pytest.fixture
def hooked(org, people):
    subscription = subscribe(org, people, "https://93.184.216.34/hook")
    delivery = WebhookDelivery.objects.create(subscription=subscription, event_id=EVENT_ID,
                                              event_type="touchpoint.updated", payload={"n": 1})
    return subscription, delivery


@pytest.mark.parametrize("name, args, text", [
    ("webhooks", lambda o, s, d: [o.pk], "New webhook"),
    ("webhook_detail", lambda o, s, d: [o.pk, s.pk], "Delivery log"),
    ("webhook_delete", lambda o, s, d: [o.pk, s.pk], "Delete the webhook to https://93.184.216.34/hook?"),
])
@pytest.mark.parametrize("role, expected", list(zip(ROLES, PAGE, strict=True)))
def test_webhook_pages_are_for_owners_and_admins(client_for, people, org, hooked, name, args, text, role, expected):
    response = client_for(people[role]).get(reverse(name, args=args(org, *hooked)))
    assert response.status_code == expected
    if expected == 200:
        assert text in response.content.decode()


def test_the_secret_is_shown_once_on_the_page(client_for, people, org):
    client = client_for(people["admin"])
    response = client.post(reverse("webhooks", args=[org.pk]), {
        "url": "https://93.184.216.34/hook", "event_types": ["touchpoint.created", "export.finished"]})
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["touchpoint.created", "export.finished"]
    assert subscription.secret in response.content.decode() and response["Cache-Control"] == "no-store"
    assert subscription.secret not in client.get(reverse("webhooks", args=[org.pk])).content.decode()
    assert subscription.secret not in client.get(reverse("webhook_detail", args=[org.pk, subscription.pk])
                                                 ).content.decode()


def test_the_page_refuses_a_private_address(client_for, people, org):
    response = client_for(people["admin"]).post(reverse("webhooks", args=[org.pk]), {
        "url": "http://10.0.0.5/hook", "event_types": ["touchpoint.created"]})
    assert "only sent to public addresses" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("role, expected", list(zip(ROLES, PAGE, strict=True)))
def test_redeliver_and_delete_pages_are_for_owners_and_admins(client_for, people, org, hooked, role, expected,
                                                              django_capture_on_commit_callbacks):
    subscription, delivery = hooked
    client = client_for(people[role])
    with django_capture_on_commit_callbacks(execute=False):
        redeliver = client.post(reverse("webhook_redeliver", args=[org.pk, subscription.pk, delivery.event_id]))
    delete = client.post(reverse("webhook_delete", args=[org.pk, subscription.pk]))
    allowed = expected == 200
    assert redeliver.status_code == (302 if allowed else expected)
    assert delete.status_code == (302 if allowed else expected)
    assert WebhookSubscription.objects.exists() is not allowed


@pytest.mark.parametrize("role, expected", list(zip(ROLES, API_OBJECT, strict=True)))
def test_webhook_api_is_for_owners_and_admins(api_for, people, org, hooked, role, expected):
    subscription, delivery = hooked
    api = api_for(people[role])
    base = f"/api/v1/webhook-subscriptions/{subscription.pk}/"
    assert api.get(base).status_code == expected
    deliveries = api.get(base + "deliveries/")
    assert deliveries.status_code == expected
    if expected == 200:
        assert [d["uuid"] for d in deliveries.data["results"]] == [str(delivery.uuid)]
        assert deliveries.data["results"][0]["payload"] == {"n": 1}
        assert api.get(base + "deliveries/", {"status": "failed"}).data["results"] == []
    listed = api.get("/api/v1/webhook-subscriptions/")
    if role == "anon":
        assert listed.status_code == 401
    else:
        assert [s["id"] for s in listed.data["results"]] == ([subscription.pk] if expected == 200 else [])
    assert api.patch(base, {"is_active": False}).status_code == expected
    created = api.post("/api/v1/webhook-subscriptions/", {
        "organisation": org.pk, "url": "https://93.184.216.34/other", "event_types": ["plan.created"]})
    assert created.status_code == {401: 401, 404: 400, 403: 403, 200: 201}[expected]
    assert api.delete(base).status_code == {200: 204}.get(expected, expected)


def test_unknown_events_are_refused(api_for, people, org):
    response = api_for(people["admin"]).post("/api/v1/webhook-subscriptions/", {
        "organisation": org.pk, "url": "https://93.184.216.34/hook", "event_types": ["touchpoint.exploded"]})
    assert response.status_code == 400 and "event_types" in fields(response)
