"""The production web command (config/gunicorn.conf.py: gunicorn with uvicorn workers serving config.asgi) runs
several processes, serves pages and the API, and carries live events between its processes through Redis.

The test starts it as the Dockerfile and docker-compose.yml do (same configuration file), against this test's
database, with WEB_CONCURRENCY=2 and the Redis channel layer on a prefix of its own.
"""

import asyncio
import json
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import websockets
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from config.settings import base
from planning import services
from planning.models import Channel
from tenancy import services as tenancy_services
from tests.factories import UserFactory
from tests.live_server import start_asgi_server, stop
from tests.support import postgres_in_use, redis_available, require

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 2


def production_command(port: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
            "config.asgi:application"]


@pytest.fixture
def production_server(transactional_db, tmp_path):
    require(postgres_in_use(), "The server reads the test database from other processes: set DATABASE_URL")
    require(redis_available(), "Live events cross the server's processes through Redis: set REDIS_URL")
    # The production layer's settings (base.py: among them a read timeout longer than channels-redis' 5 s blocking
    # pop, without which redis-py 8 dropped the sockets now and then), on a prefix of this test's own.
    production = base.CHANNEL_LAYERS["default"]
    require("channels_redis" in production["BACKEND"], "The production layer is Redis when REDIS_URL is set")
    layer = {**production, "CONFIG": {**production["CONFIG"], "prefix": f"test-{uuid.uuid4().hex[:12]}"}}
    server = start_asgi_server(tmp_path, command=production_command, environment={"WEB_CONCURRENCY": str(PROCESSES)},
                               extra_settings=f"CHANNEL_LAYERS = {{'default': {layer!r}}}\n")
    try:
        yield server
    finally:
        stop(server.process)


def worker_pids(master: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in listed.split()]


def api(server, method: str, path: str, token: str, body: dict | None = None, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{server.url}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def next_change(socket, touchpoint_id: int, timeout: float = 5) -> dict:
    """The next `changes` message about the touchpoint (presence and other chatter skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), deadline - time.monotonic()))
        if message["type"] == "changes" and any(event.get("target_id") == touchpoint_id for event in message["events"]):
            return message


def test_the_production_command_runs_several_processes_and_live_events_cross_them(production_server):
    owner = UserFactory(username="olivia")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    journey = services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase")
    touchpoint = services.touchpoint_create(stage=journey.stages.order_by("position").first(), actor=owner,
                                            channel=Channel.objects.get(organisation=organisation, name="Website"),
                                            name="Compares three models")
    token = Token.objects.create(user=owner).key
    browser = Client()
    browser.force_login(owner)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"

    assert len(worker_pids(production_server.process.pid)) == PROCESSES
    with urllib.request.urlopen(f"{production_server.url}/accounts/login/", timeout=10) as page:
        assert page.status == 200 and b"<form" in (body := page.read()) and b"csrfmiddlewaretoken" in body

    async def scenario() -> list[str]:
        # Several sockets, several writes: with two processes, some socket and some write land in different ones.
        sockets = [await websockets.connect(
            f"{production_server.url.replace('http', 'ws')}/ws/plans/{plan.pk}/",
            additional_headers={"Cookie": cookie, "Origin": production_server.url}) for _ in range(4)]
        names = []
        try:
            for socket in sockets:
                assert json.loads(await socket.recv())["type"] == "welcome"
                await socket.send(json.dumps({"type": "hello", "page": "journey-map", "object": None, "last": None}))
            path = f"/api/v1/touchpoints/{touchpoint.pk}/"
            for round_ in range(3):
                name = f"Compares three models, round {round_}"
                current = await asyncio.to_thread(api, production_server, "GET", path, token)
                await asyncio.to_thread(api, production_server, "PATCH", path, token, {"name": name},
                                        {"If-Match": f'"{current["version"]}"'})
                for socket in sockets:
                    await next_change(socket, touchpoint.pk)
                names.append(name)
        finally:
            for socket in sockets:
                await socket.close()
        return names

    names = asyncio.run(scenario())
    touchpoint.refresh_from_db()
    assert touchpoint.name == names[-1] and touchpoint.version == 4
