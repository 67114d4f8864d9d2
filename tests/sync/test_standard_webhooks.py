"""Standard Webhooks: real deliveries to a local listener verified with the `standardwebhooks` library, the signed
webhook-id and timestamp, secret rotation, the id a receiver sees for redelivery, retries that wait for their time
without a broker, secrets made before the standard, and addresses built on SITE_URL."""

import base64
import importlib
import json
import secrets
import time
import uuid
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from planning import services as planning_services
from planning.models import Channel
from sync.webhooks import services, signing
from sync.webhooks import tasks as webhook_tasks
from sync.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.conftest import ROLES
from tests.sync.test_webhooks import EVENT_ID, Listener, documented, retries_fall_due, subscribe

MIGRATION = importlib.import_module("sync.webhooks.migrations.0003_standard_webhooks_secrets")


@pytest.fixture
def listen(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the listener is on 127.0.0.1
    started = []

    def start(*statuses):
        started.append(Listener(statuses or (200,)))
        return started[-1]

    yield start
    for listener in started:
        listener.stop()


@pytest.fixture
def touchpoint(org, plan, people):
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = planning_services.journey_create(plan=plan, actor=people["owner"], name="Purchase", template="purchase")
    return planning_services.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=people["owner"],
                                               name="Click an online ad")


def rename(touchpoint, people, name, capture):
    with capture(execute=True):
        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name=name)


def verifies(secret, headers, body) -> bool:
    try:
        Webhook(secret).verify(body, dict(headers))
    except WebhookVerificationError:
        return False
    return True


def test_a_real_delivery_verifies_with_the_standardwebhooks_library(listen, org, people, touchpoint, api_for,
                                                                    django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(people["editor"]).patch(f"/api/v1/touchpoints/{touchpoint.pk}/", {"name": "Tap an ad"},
                                                   HTTP_IF_MATCH='"1"')
    assert response.status_code == 200

    [(headers, body)] = listener.requests
    event = Webhook(subscription.secret).verify(body, dict(headers))  # raises if it does not verify
    delivery = WebhookDelivery.objects.get()
    assert event["id"] == headers["webhook-id"] == str(delivery.event_id)
    assert event["type"] == "touchpoint.updated" and event["data"]["object"]["name"] == "Tap an ad"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 5
    [entry] = headers["webhook-signature"].split(" ")  # one secret, one signature
    assert entry.startswith("v1,") and len(base64.b64decode(entry[3:])) == 32
    assert signing.verify(subscription.secret, body, headers)  # our own check agrees with the library
    assert not verifies(signing.new_secret(), headers, body)


def test_the_webhook_id_and_the_timestamp_are_signed(listen, org, people, touchpoint,
                                                     django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    rename(touchpoint, people, "Renamed", django_capture_on_commit_callbacks)
    [(received, body)] = listener.requests
    headers = dict(received)
    assert verifies(subscription.secret, headers, body)

    replayed_as_new = {**headers, "webhook-id": str(uuid.uuid4())}  # dodging the receiver's deduplication
    shifted = {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}
    for forged, forged_body in [(replayed_as_new, body), (shifted, body), (headers, body.replace(b"Renamed", b"X"))]:
        assert not verifies(subscription.secret, forged, forged_body)
        assert not signing.verify(subscription.secret, forged_body, forged)

    # Correctly signed, but 6 minutes old: a captured request replayed later is refused.
    old = str(int(time.time()) - 360)
    stale = {**headers, "webhook-timestamp": old,
             "webhook-signature": signing.signature_header([subscription.secret], headers["webhook-id"], old, body)}
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(subscription.secret).verify(body, stale)


def test_a_rotation_sends_both_signatures_each_verifying_with_its_secret(
        listen, org, people, touchpoint, api_for, django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    old_secret = subscription.secret

    response = api_for(people["admin"]).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/rotate-secret/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new_secret = response.data["secret"]
    assert new_secret.startswith("whsec_") and new_secret != old_secret
    until = timezone.datetime.fromisoformat(response.data["previous_secret_expires_at"])
    assert abs((until - timezone.now()).total_seconds() - 86_400) < 60
    assert api_for(people["admin"]).get(f"/api/v1/webhook-subscriptions/{subscription.pk}/").data["secret"] is None

    rename(touchpoint, people, "During the grace", django_capture_on_commit_callbacks)
    [(headers, body)] = listener.requests
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verifies(new_secret, headers, body) and verifies(old_secret, headers, body)
    assert not verifies(signing.new_secret(), headers, body)
    assert documented("verify_legacy_signature")(new_secret, headers, body)  # the deprecated one: new at once

    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1))
    rename(touchpoint, people, "After the grace", django_capture_on_commit_callbacks)
    headers, body = listener.requests[1]
    assert len(headers["webhook-signature"].split(" ")) == 1
    assert verifies(new_secret, headers, body) and not verifies(old_secret, headers, body)


def test_the_rotation_page_shows_the_new_secret_once(client_for, people, org):
    subscription = subscribe(org, people, "https://93.184.216.34/hook")
    client = client_for(people["admin"])
    response = client.post(reverse("webhook_rotate_secret", args=[org.pk, subscription.pk]))
    subscription.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert subscription.secret in html and "signed with both the previous and the new secret" in html
    later = client.get(reverse("webhook_detail", args=[org.pk, subscription.pk])).content.decode()
    assert subscription.secret not in later and "The previous secret also signs deliveries until" in later


def test_the_webhook_id_is_the_same_across_retries_and_a_redelivery(
        listen, org, people, touchpoint, api_for, django_capture_on_commit_callbacks):
    listener = listen(500, 200)
    subscription = subscribe(org, people, listener.url)
    rename(touchpoint, people, "Renamed", django_capture_on_commit_callbacks)
    retries_fall_due()
    first_seen = listener.requests[0][0]["webhook-id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(people["admin"]).post(
            f"/api/v1/webhook-subscriptions/{subscription.pk}/deliveries/{first_seen}/redeliver/")
    assert response.status_code == 202 and response.data["event_id"] == first_seen

    assert len(listener.requests) == 3
    assert {headers["webhook-id"] for headers, _body in listener.requests} == {first_seen}
    assert len({headers["X-JourneyPlanner-Delivery"] for headers, _body in listener.requests}) == 2
    assert all(verifies(subscription.secret, headers, body) for headers, body in listener.requests)


def test_without_a_broker_a_failed_attempt_waits_for_its_time(listen, settings, org, people, touchpoint,
                                                             django_capture_on_commit_callbacks):
    """Tasks run in-process (as without Redis): before, the six attempts ran back to back in 0.2 s."""
    settings.WEBHOOKS_RETRY_BASE_SECONDS = base = 0.5
    listener = listen(500, 500, 200)
    subscribe(org, people, listener.url)
    rename(touchpoint, people, "Renamed", django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert len(listener.requests) == 1 and (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    first_at = timezone.datetime.fromisoformat(delivery.log[0]["at"])
    assert abs((delivery.next_attempt_at - first_at).total_seconds() - base) < 0.01
    assert webhook_tasks.webhook_deliveries_sweep_task()["resent"] == 0 and len(listener.requests) == 1  # not due

    for expected in (2, 3):
        delivery.refresh_from_db()
        time.sleep(max(0.0, (delivery.next_attempt_at - timezone.now()).total_seconds()) + 0.05)
        assert webhook_tasks.webhook_deliveries_sweep_task()["resent"] == 1 and len(listener.requests) == expected
    delivery.refresh_from_db()
    times = [timezone.datetime.fromisoformat(entry["at"]) for entry in delivery.log]
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps[0] >= base and gaps[1] >= 2 * base, gaps
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.SUCCEEDED, 3, None)


def test_addresses_in_payloads_and_in_the_feed_are_built_on_site_url(
        listen, settings, org, people, touchpoint, api_for, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://plans.example.com"
    listener = listen(200)
    subscribe(org, people, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        api_for(people["editor"]).patch(f"/api/v1/touchpoints/{touchpoint.pk}/", {"name": "Tap"}, HTTP_IF_MATCH='"1"')
    [(_headers, body)] = listener.requests
    expected = f"https://plans.example.com/api/v1/touchpoints/{touchpoint.pk}/"
    assert json.loads(body)["data"]["url"] == expected
    feed = api_for(people["editor"]).get("/api/v1/changes/", {"page_size": 100})
    assert feed.status_code == 200, feed.content
    assert expected in {entry["url"] for entry in feed.data["results"]}  # the request came to "testserver"


# Redelivery by the id the receiver saw, and who may do it -----------------------------------------------------


@pytest.fixture
def two_organisations(org, people):
    ours = subscribe(org, people, "https://93.184.216.34/ours")
    theirs = services.subscription_create(organisation=people["other_org"], actor=people["outsider"],
                                          url="https://93.184.216.34/theirs", event_types=["plan.created"])
    mine = WebhookDelivery.objects.create(subscription=ours, event_id=EVENT_ID, event_type="touchpoint.updated",
                                          payload={"n": 1})
    other = WebhookDelivery.objects.create(subscription=theirs, event_id=uuid.uuid4(), event_type="plan.created",
                                           payload={"n": 2})
    return ours, theirs, mine, other


def test_redelivery_takes_the_ids_the_receiver_saw_and_nothing_else(api_for, people, two_organisations,
                                                                    django_capture_on_commit_callbacks):
    ours, theirs, mine, other = two_organisations
    api = api_for(people["admin"])
    base = f"/api/v1/webhook-subscriptions/{ours.pk}/deliveries/"
    with django_capture_on_commit_callbacks(execute=False):
        assert api.post(f"{base}{mine.event_id}/redeliver/").status_code == 202  # webhook-id
        assert api.post(f"{base}{mine.uuid}/redeliver/").status_code == 202  # deprecated X-JourneyPlanner-Delivery
        assert api.post(f"{base}{str(mine.event_id).upper()}/redeliver/").status_code == 202
        for unknown in (other.event_id, other.uuid, uuid.uuid4(), "not-a-uuid"):
            assert api.post(f"{base}{unknown}/redeliver/").status_code == 404, unknown
        theirs_url = f"/api/v1/webhook-subscriptions/{theirs.pk}/deliveries/{other.event_id}/redeliver/"
        assert api.post(theirs_url).status_code == 404
    assert WebhookDelivery.objects.filter(event_id=mine.event_id).count() == 4
    assert WebhookDelivery.objects.filter(subscription=theirs).count() == 1


API_WRITE = [401, 404, 403, 403, 200, 200]


@pytest.mark.parametrize("role, expected", list(zip(ROLES, API_WRITE, strict=True)))
def test_redeliver_and_rotate_are_for_owners_and_admins(api_for, people, two_organisations, role, expected,
                                                        django_capture_on_commit_callbacks):
    ours, _theirs, mine, _other = two_organisations
    api = api_for(people[role])
    base = f"/api/v1/webhook-subscriptions/{ours.pk}/"
    with django_capture_on_commit_callbacks(execute=False):
        redeliver = api.post(f"{base}deliveries/{mine.event_id}/redeliver/")
    rotate = api.post(f"{base}rotate-secret/")
    assert redeliver.status_code == (202 if expected == 200 else expected)
    assert rotate.status_code == expected
    ours_before = ours.secret
    ours.refresh_from_db()
    assert WebhookDelivery.objects.filter(subscription=ours).count() == (2 if expected == 200 else 1)
    assert (ours.secret != ours_before) is (expected == 200)
    if expected == 200:
        assert rotate.data["secret"] == ours.secret and redeliver.data["event_id"] == EVENT_ID


PAGE = [302, 404, 403, 403, 200, 200]


@pytest.mark.parametrize("role, expected", list(zip(ROLES, PAGE, strict=True)))
def test_the_rotation_page_is_for_owners_and_admins(client_for, people, org, two_organisations, role, expected):
    ours = two_organisations[0]
    before = ours.secret
    response = client_for(people[role]).post(reverse("webhook_rotate_secret", args=[org.pk, ours.pk]))
    ours.refresh_from_db()
    assert response.status_code == expected and (ours.secret != before) is (expected == 200)


# Secrets made before Standard Webhooks ---------------------------------------------------------------------------


def test_a_secret_made_before_the_standard_keeps_verifying_after_the_migration(
        listen, org, people, touchpoint, django_capture_on_commit_callbacks):
    listener = listen(200)
    subscription = subscribe(org, people, listener.url)
    before = "whsec_" + secrets.token_urlsafe(32)  # how secrets were made until now
    WebhookSubscription.objects.filter(pk=subscription.pk).update(secret=before, legacy_secret="")

    MIGRATION.to_standard(django_apps, None)
    subscription.refresh_from_db()
    assert subscription.secret == "whsec_" + base64.b64encode(before.encode()).decode()
    assert subscription.legacy_secret == before

    rename(touchpoint, people, "Renamed", django_capture_on_commit_callbacks)
    [(headers, body)] = listener.requests
    assert documented("verify_legacy_signature")(before, headers, body)  # receivers as they are: unchanged
    assert verifies(before.encode(), headers, body)  # the same key, with the library
    assert verifies(subscription.secret, headers, body)  # or its converted form

    MIGRATION.to_own_scheme(django_apps, None)
    subscription.refresh_from_db()
    assert (subscription.secret, subscription.legacy_secret) == (before, "")


def test_the_rotation_speaks_french(client_for, people, org, api_for):
    subscription = subscribe(org, people, "https://93.184.216.34/hook")
    client = client_for(people["admin"])
    html = client.post(reverse("webhook_rotate_secret", args=[org.pk, subscription.pk]),
                       HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Nouveau secret de signature" in html and "Renouveler le secret" in html
    assert "chaque livraison est signée à la fois avec le secret" in html
    later = client.get(reverse("webhook_detail", args=[org.pk, subscription.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Le secret précédent signe aussi les livraisons jusqu’au" in later.content.decode()
    assert "Les en-têtes X-JourneyPlanner-* sont obsolètes" in later.content.decode()
    missing = api_for(people["admin"]).post(
        f"/api/v1/webhook-subscriptions/{subscription.pk}/deliveries/{uuid.uuid4()}/redeliver/",
        HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.status_code == 404 and "Cette livraison n’existe pas." in missing.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_web_process_without_beat_makes_the_retry_in_a_timer_when_it_is_due(listen, settings, org, people):
    """`make run` without Redis: no Celery beat, so a timer of the process runs the sweep once the retry is due."""
    settings.WEBHOOKS_SWEEP_IN_THREAD = True
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0.3
    listener = listen(500, 200)
    subscription = subscribe(org, people, listener.url)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event_id=EVENT_ID,
                                              event_type="touchpoint.updated", payload={"n": 1})
    started = time.monotonic()
    assert webhook_tasks.webhook_deliver_task.delay(delivery.pk).get() == 0.3  # eager: one attempt, the wait
    assert len(listener.requests) == 1

    while len(listener.requests) < 2 and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert len(listener.requests) == 2 and time.monotonic() - started >= 0.3
    deadline = time.monotonic() + 5
    while WebhookDelivery.objects.get().status == DeliveryStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, [e["response_code"] for e in delivery.log]) == (
        DeliveryStatus.SUCCEEDED, 2, [500, 200])
    assert {headers["webhook-id"] for headers, _body in listener.requests} == {EVENT_ID}
