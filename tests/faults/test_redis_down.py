"""Redis (cache and broker) stopped in the middle of API traffic: the API and the pages keep answering within 2 s,
throttles count locally with a warning, and a request that needs the broker answers 503 with Retry-After.

The test starts its own redis-server on a free port and stops it; the shared Redis is never touched.
"""

import shutil
import socket
import subprocess
import time

import kombu.pools
import pytest
import redis
from django.test import override_settings

from config import celery_app
from roadmaps import services
from roadmaps.models import Export, ExportStatus
from roadmaps.tasks import exports_sweep_task as export_sweep_task
from sync.models import IdempotencyRecord
from sync.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from sync.webhooks.tasks import webhook_deliveries_sweep_task
from tests.support import require

pytestmark = pytest.mark.django_db(transaction=True)

FAST = 2.0  # seconds any answer may take with Redis down


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of this test only, on its own port, without persistence."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        for _attempt in range(50):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        pytest.fail("the test's redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)


@pytest.fixture
def own_redis():
    require(shutil.which("redis-server") is not None, "the fault tests start their own redis-server")
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_broker_connections() -> None:
    """Forget the pooled broker connections, so the next task goes to the broker now configured."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_everywhere(own_redis):
    """The cache, the throttles' counters and the Celery broker all on the test's Redis (no worker needed)."""
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": own_redis.url,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, own_redis.url
    _reset_broker_connections()
    try:
        with override_settings(CACHES=caches, API_THROTTLE_USER="1000/min", API_THROTTLE_TOKEN="1000/min",
                               PLAN_EXPORTS_IN_THREAD=False):
            yield own_redis
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _reset_broker_connections()


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_with_redis_stopped_the_api_keeps_answering_and_the_export_answers_503(
        redis_everywhere, api_for, client_for, people, plan, caplog):
    api = api_for(people["editor"])
    assert api.get("/api/v1/plans/").status_code == 200
    assert redis_everywhere.client().keys("*throttle_user*")  # the counters were in the test's Redis

    redis_everywhere.stop()
    requests = [
        lambda: api.get("/api/v1/plans/"),
        lambda: api.get(f"/api/v1/plans/{plan.pk}/"),
        lambda: api.get("/api/v1/personas/", {"plan": plan.pk}),
        lambda: api.post("/api/v1/personas/", {"plan": plan.pk, "name": "Offline Olga"}, format="json"),
        lambda: api.get("/api/v1/changes/"),
    ]
    slow, failed = [], []
    for number in range(100):
        response, seconds = _timed(requests[number % len(requests)])
        if response.status_code >= 500:
            failed.append((number, response.status_code))
        if seconds > FAST:
            slow.append((number, round(seconds, 2)))
    assert failed == [] and slow == []
    assert "the cache is unreachable" in caplog.text

    response, seconds = _timed(lambda: api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "csv"},
                                                format="json"))
    assert response.status_code == 503 and seconds < FAST
    assert response["Retry-After"] == "30"
    assert "task queue is unavailable" in response.json()["detail"]
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED and "task queue was unavailable" in export.error

    page, seconds = _timed(lambda: client_for(people["editor"]).get(f"/plans/{plan.pk}/"))
    assert page.status_code == 200 and seconds < FAST


def test_once_redis_is_back_the_same_idempotent_request_queues_the_export(redis_everywhere, api_for, people, plan):
    api = api_for(people["editor"])
    url, key = f"/api/v1/plans/{plan.pk}/exports/", "export-during-outage"
    redis_everywhere.stop()
    assert api.post(url, {"format": "csv"}, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 503
    assert not IdempotencyRecord.objects.exists()  # the 503 is not replayed: the retry runs again

    redis_everywhere.start()
    response = api.post(url, {"format": "csv"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 202 and "Idempotent-Replayed" not in response
    assert Export.objects.filter(status=ExportStatus.QUEUED).count() == 1  # the first one failed with its reason
    assert redis_everywhere.client().llen("celery") == 1  # the task is waiting for a worker


def test_an_export_page_request_with_the_broker_down_answers_a_503_page(redis_everywhere, client_for, people, plan):
    redis_everywhere.stop()
    response = client_for(people["editor"]).post(f"/plans/{plan.pk}/exports/", {"format": "csv"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "task queue is unavailable" in response.content.decode()


def test_webhook_deliveries_of_writes_made_during_the_outage_are_sent_by_the_first_sweep_after_it(
        redis_everywhere, api_for, people, plan, org, settings):
    settings.JOBS_RESEND_SECONDS = 0  # one sweep interval, without waiting for it
    WebhookSubscription.objects.create(organisation=org, url="https://hooks.example.com/in", secret="s" * 40,
                                       event_types=["persona.created"])
    api = api_for(people["editor"])
    redis_everywhere.stop()
    for name in ("Offline Olga", "Offline Omar"):
        assert api.post("/api/v1/personas/", {"plan": plan.pk, "name": name}, format="json").status_code == 201
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
    assert pending.count() == 2  # kept, not lost with the broker

    assert webhook_deliveries_sweep_task() == {"failed": 0, "resent": 0}  # still down: nothing sent, nothing lost
    redis_everywhere.start()
    assert webhook_deliveries_sweep_task() == {"failed": 0, "resent": 2}
    assert redis_everywhere.client().llen("celery") == 2  # both attempts are waiting for a worker


def test_the_sweep_never_sends_a_second_message_for_an_export_still_waiting_in_the_queue(
        redis_everywhere, people, plan, settings, django_capture_on_commit_callbacks):
    settings.JOBS_RESEND_SECONDS = 0  # every queued export is old enough to be looked at
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(plan=plan, actor=people["editor"], format="csv")
    queue = redis_everywhere.client()
    assert queue.llen("celery") == 1 and Export.objects.get(pk=export.pk).sent_at is not None

    # No worker has taken it yet: the message is still in the queue, so it is not sent again.
    assert export_sweep_task() == {"failed": 0, "resent": 0}
    assert queue.llen("celery") == 1

    queue.delete("celery")  # the broker lost it (restarted without persistence)
    assert export_sweep_task() == {"failed": 0, "resent": 1}
    assert queue.llen("celery") == 1
    assert export_sweep_task() == {"failed": 0, "resent": 0}  # and once there, not a third time
    assert queue.llen("celery") == 1

