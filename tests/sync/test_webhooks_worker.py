"""A webhook delivery through Redis and a real Celery worker: retried with growing delays until the listener
answers 200, every attempt in the log."""

import time

import pytest

from planning import services as planning_services
from planning.models import Channel
from sync.webhooks import services
from sync.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.sync.test_webhooks import Listener

pytestmark = pytest.mark.worker

BASE = 0.3  # seconds before the second attempt; then 0.6 before the third


@pytest.fixture
def celery_worker_settings():
    return f"WEBHOOKS_ALLOW_PRIVATE_TARGETS = True\nWEBHOOKS_RETRY_BASE_SECONDS = {BASE}\n"


def test_a_worker_retries_with_backoff_until_the_listener_accepts(celery_worker_process, settings, org, people,
                                                                 plan):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    listener = Listener([500, 500, 200])
    arrivals = []
    handler = listener.server.RequestHandlerClass
    original = handler.do_POST

    def timed(self):
        arrivals.append(time.monotonic())
        original(self)

    handler.do_POST = timed
    try:
        channel = Channel.objects.create(organisation=org, name="Website", kind="online")
        journey = planning_services.journey_create(plan=plan, actor=people["owner"], name="Buy", template="purchase")
        touchpoint = planning_services.touchpoint_create(stage=journey.stages.first(), channel=channel,
                                                         actor=people["owner"], name="Ad")
        services.subscription_create(organisation=org, actor=people["admin"], url=listener.url,
                                     event_types=["touchpoint.updated"])

        planning_services.touchpoint_update(touchpoint=touchpoint, actor=people["owner"], name="Tap an ad")

        celery_worker_process.wait_until(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(),
            what="the delivery to succeed", timeout=30)
    finally:
        listener.stop()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.response_code) == (3, 200)
    assert [entry["response_code"] for entry in delivery.log] == [500, 500, 200]
    assert len(listener.requests) == 3
    first_gap, second_gap = arrivals[1] - arrivals[0], arrivals[2] - arrivals[1]
    assert first_gap >= BASE * 0.9 and second_gap >= 2 * BASE * 0.9, (first_gap, second_gap)
