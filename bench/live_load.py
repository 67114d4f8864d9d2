"""Benchmark: live delivery to 50 participants of one plan, on PostgreSQL and Redis, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/journeys REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/live_load.py [--participants 50] [--duration 60] [--interval 3] [--servers 2] \\
        [--api-workers 2]

Creates a scratch database next to DATABASE_URL's (`<name>_live_bench`, dropped and created again; dropped at the
end unless --keep), one organisation, one plan, one journey and one touchpoint per participant, then starts
`--servers` daphne processes on 127.0.0.1 (the production ASGI application with the Redis channel layer, so an
event often crosses from one server process to another through Redis). Every participant opens the plan's
websocket (signed in by a session cookie, like a browser) and, for `--duration` seconds, changes its own
touchpoint through the REST API (`PATCH /api/v1/touchpoints/<id>/`, token authentication) every `--interval`
seconds, starting at a random moment of the first interval. With --api-workers the edits go to gunicorn (WSGI)
workers instead, and every event crosses from the writing process to the sockets' processes through Redis.

Measured, for every successful edit and every OTHER participant: when the change event arrived, against the time
the server recorded the change (the Activity row's timestamp; same machine, same clock) and against the moment the
edit request was sent. Reported: delivery latency p50/p95/p99/max, events lost (an edit some participant never
heard of within the grace period after the run) and duplicated (heard twice), and the API's own response times.
Not a test: the figures depend on the machine.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first.


import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
GRACE_SECONDS = 5


def scratch_database(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must be PostgreSQL (postgres://…): the benchmark is about PostgreSQL and Redis.")
    name = parts.path.lstrip("/") or "journeys"
    return urlunsplit(parts._replace(path=f"/{name}_live_bench"))


def recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def environment(database: str, redis_url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false",
            "DATABASE_URL": database, "REDIS_URL": redis_url, "DJANGO_ALLOWED_HOSTS": LOOPBACK,
            "DATABASE_CONN_MAX_AGE": "60", "DJANGO_LOG_LEVEL": "WARNING",
            "API_THROTTLE_USER": "100000/min", "API_THROTTLE_TOKEN": "100000/min"}


def build(participants: int) -> dict:
    """The plan, its participants (session cookies and API tokens) and one touchpoint each."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from planning import services
    from planning.models import Channel
    from tenancy.access import Access
    from tenancy.models import Membership, Role

    call_command("migrate", verbosity=0)
    users = get_user_model()
    owner = users.objects.create(username="facilitator", first_name="Fran", last_name="Facilitator")
    organisation = services.organisation_create(user=owner, name="Load test")
    plan = services.plan_create(organisation=organisation, actor=owner, name="Fifty people")
    journey = services.journey_create(plan=plan, actor=owner, name="Busy journey", template="purchase")
    stages = list(journey.stages.order_by("position"))
    channel = Channel.objects.filter(organisation=organisation).order_by("position").first()
    people = []
    for index in range(participants):
        user = users.objects.create(username=f"p{index:02d}", first_name=f"Person {index}", last_name="Load")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(organisation=organisation, user=user, role=Role.EDITOR)
        services.plan_grant(plan=plan, actor=owner, user=user, access=Access.EDIT)
        touchpoint = services.touchpoint_create(stage=stages[index % len(stages)], channel=channel, actor=owner,
                                                name=f"Touchpoint of {user.username}")
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"user": user.pk, "cookie": session.session_key, "token": Token.objects.create(user=user).key,
                       "touchpoint": touchpoint.pk})
    return {"plan": plan.pk, "people": people}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def start_servers(count: int, env: dict, log_dir: Path) -> list[tuple[subprocess.Popen, int]]:
    servers = []
    for number in range(count):
        port = free_port()
        log = (log_dir / f"daphne-{number}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", LOOPBACK, "-p", str(port),
                                    "config.asgi:application"], cwd=BASE_DIR, env=env, stdout=log, stderr=log)
        servers.append((process, port))
    for process, port in servers:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/accounts/login/", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stop_servers(servers)
                    sys.exit(f"daphne on port {port} did not start; see {log_dir}")
                time.sleep(0.2)
    return servers


def start_api(workers: int, env: dict, log_dir: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn (WSGI) workers for the edits, apart from the websocket servers (a production layout too)."""
    port = free_port()
    log = (log_dir / "gunicorn.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{LOOPBACK}:{port}",
                                "--workers", str(workers)], cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/accounts/login/", timeout=2):
                return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_servers([(process, port)])
                sys.exit(f"gunicorn did not start; see {log_dir}")
            time.sleep(0.2)


def stop_servers(servers) -> None:
    for process, _port in servers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, _port in servers:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def patch(port: int, person: dict, text: str) -> tuple[int, int | None]:
    request = urllib.request.Request(
        f"http://{LOOPBACK}:{port}/api/v1/touchpoints/{person['touchpoint']}/", method="PATCH",
        data=json.dumps({"customer_action": text}).encode(),
        headers={"Authorization": f"Token {person['token']}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["version"]
    except urllib.error.HTTPError as error:
        return error.code, None


async def run(world: dict, ports: list[int], api_ports: list[int], args) -> dict:
    from websockets.asyncio.client import connect

    people = world["people"]
    received = defaultdict(list)  # (touchpoint, version) -> [(participant index, arrival, recorded at)]
    edits = []  # (participant index, touchpoint, version, sent, answered, status)
    pool = ThreadPoolExecutor(max_workers=min(64, len(people)))
    loop = asyncio.get_running_loop()
    sockets = []
    for index, person in enumerate(people):
        port = ports[index % len(ports)]
        sockets.append(await connect(
            f"ws://{LOOPBACK}:{port}/ws/plans/{world['plan']}/", origin=f"http://{LOOPBACK}:{port}",
            additional_headers={"Cookie": f"sessionid={person['cookie']}"}, proxy=None, compression=None,
            max_queue=None))
    for ws in sockets:
        await ws.send(json.dumps({"type": "hello", "page": "journey-map", "object": None}))

    async def listen(index, ws):
        async for raw in ws:
            arrival = time.time()
            message = json.loads(raw)
            if message.get("type") != "changes":
                continue
            for event in message["events"]:
                if event["target_type"] == "planning.touchpoint" and event["verb"] == "updated":
                    recorded = datetime.fromisoformat(event["at"]).timestamp()
                    received[(event["target_id"], event["version"])].append((index, arrival, recorded))

    listeners = [asyncio.create_task(listen(index, ws)) for index, ws in enumerate(sockets)]
    await asyncio.sleep(2)  # presence settles

    async def edit(index, person):
        port = api_ports[index % len(api_ports)]
        await asyncio.sleep(random.uniform(0, args.interval))
        end = time.monotonic() + args.duration
        count = 0
        while time.monotonic() < end:
            count += 1
            sent = time.time()
            status, version = await loop.run_in_executor(pool, patch, port, person, f"Edit {count} of p{index}")
            edits.append((index, person["touchpoint"], version, sent, time.time(), status))
            await asyncio.sleep(max(0.0, args.interval - (time.time() - sent)))

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "n/a"
    started = time.monotonic()
    await asyncio.gather(*(edit(index, person) for index, person in enumerate(people)))
    elapsed = time.monotonic() - started
    await asyncio.sleep(GRACE_SECONDS)
    for task in listeners:
        task.cancel()
    for ws in sockets:
        await ws.close()
    pool.shutdown()
    return {"received": received, "edits": edits, "elapsed": elapsed, "load": load}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(result: dict, args) -> None:
    received, edits = result["received"], result["edits"]
    ok = [edit for edit in edits if edit[5] == 200]
    from_record, from_send, lost, duplicated, expected = [], [], 0, 0, 0
    for index, touchpoint, version, sent, _answered, _status in ok:
        arrivals = defaultdict(list)
        for participant, arrival, recorded in received.get((touchpoint, version), []):
            arrivals[participant].append((arrival, recorded))
        for participant in range(args.participants):
            if participant == index:
                continue
            expected += 1
            heard = arrivals.get(participant, [])
            if not heard:
                lost += 1
                continue
            duplicated += len(heard) - 1
            arrival, recorded = heard[0]
            from_record.append((arrival - recorded) * 1000)
            from_send.append((arrival - sent) * 1000)
    api = [(answered - sent) * 1000 for _i, _t, _v, sent, answered, _s in ok]
    failed = len(edits) - len(ok)

    def row(name, values):
        if not values:
            return f"| {name} | — | — | — | — |"
        return (f"| {name} | {percentile(values, .5):.0f} ms | {percentile(values, .95):.0f} ms | "
                f"{percentile(values, .99):.0f} ms | {max(values):.0f} ms |")

    print(f"\n{args.participants} participants on one plan, {len(ok)} edits in {result['elapsed']:.0f} s "
          f"({len(ok) / result['elapsed']:.1f}/s; {failed} refused or failed), {args.servers} daphne processes"
          f"{f' for the sockets and {args.api_workers} gunicorn workers for the API' if args.api_workers else ''}, "
          f"Redis channel layer, PostgreSQL; load average before the run {result['load']}\n")
    print("| measured | p50 | p95 | p99 | max |")
    print("|---|---:|---:|---:|---:|")
    print(row("delivery, from the change recorded to the event at each other participant", from_record))
    print(row("delivery, from the edit request sent to the event at each other participant", from_send))
    print(row("the edit's API response (PATCH)", api))
    print(f"\nDeliveries expected: {expected}; received: {expected - lost}; lost: {lost}; duplicated: {duplicated}")


def main(args) -> None:
    database = args.database or scratch_database(os.environ.get("DATABASE_URL", ""))
    redis_url = args.redis or os.environ.get("REDIS_URL", "")
    if not redis_url:
        sys.exit("Set REDIS_URL (redis://127.0.0.1:6379/0): the channel layer under test is Redis.")
    env = environment(database, redis_url)
    os.environ.update({key: env[key] for key in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DATABASE_URL",
                                                  "REDIS_URL", "DJANGO_ALLOWED_HOSTS")})
    sys.path.insert(0, str(BASE_DIR))
    recreate(database)
    log_dir = Path(tempfile.mkdtemp(prefix="live-bench-"))
    servers = []
    try:
        started = time.perf_counter()
        world = build(args.participants)
        from django.db import connections

        connections.close_all()
        print(f"Built the plan and {args.participants} participants in {time.perf_counter() - started:.1f}s; "
              f"server logs in {log_dir}", file=sys.stderr)
        servers = start_servers(args.servers, env, log_dir)
        ports = [port for _process, port in servers]
        api_ports = ports
        if args.api_workers:
            servers.append(start_api(args.api_workers, env, log_dir))
            api_ports = [servers[-1][1]]
        result = asyncio.run(run(world, ports, api_ports, args))
        report(result, args)
    finally:
        stop_servers(servers)
        if not args.keep:
            recreate(database, drop_only=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of editing")
    parser.add_argument("--interval", type=float, default=3, help="seconds between a participant's edits")
    parser.add_argument("--servers", type=int, default=2, help="daphne processes sharing the Redis layer")
    parser.add_argument("--api-workers", type=int, default=0,
                        help="serve the edits from this many gunicorn workers instead of the daphne processes")
    parser.add_argument("--database", help="default: <DATABASE_URL's database>_live_bench, created and dropped")
    parser.add_argument("--redis", help="default: REDIS_URL")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    main(parser.parse_args())
