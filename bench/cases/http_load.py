"""HTTP load over loopback: gunicorn (2 sync workers, on a free 127.0.0.1 port, against the same database) serving
the journey map page and a list endpoint to a signed-in member at concurrency 4 and 16, beside the no-op request
at the same concurrency. The load generator is threads with http.client, bounded in requests and in time."""

import http.client
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from bench.measure import ms, percentile
from bench.report import RESULTS, Row

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CONCURRENCY = (4, 16)
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base_url: str, path: str, cookie: str = "", timeout: float = 60) -> int:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextmanager
def gunicorn(ctx, *, app: str = "config.wsgi:application", options: tuple = (), workers: int = WORKERS):
    """gunicorn on a free port with the bench settings (same DATABASE_URL); stopped (by its pid) afterwards.
    `options` adds command-line options (e.g. the production ASGI configuration file)."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "WEB_CONCURRENCY": str(workers)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *options, app, "--workers", str(workers), "--bind",
             f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(url, "/__bench__/noop/", timeout=5) == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        ctx.log(f"  gunicorn {app} ({workers} workers) on {url}")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def load(base_url: str, path: str, cookie: str, *, concurrency: int, requests: int, seconds: float) -> dict:
    """Send up to `requests` GETs from `concurrency` threads, stopping after `seconds`; one connection each."""
    issued = itertools.count()
    latencies: list[float] = []
    errors: list = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while next(issued) < requests and time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = _get(base_url, path, cookie)
            except OSError as error:
                status = repr(error)
            elapsed = time.perf_counter() - started
            with lock:
                (latencies.append(elapsed) if status == 200 else errors.append(status))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"rps": len(latencies) / wall if wall else 0, "count": len(latencies), "errors": len(errors),
            "error_sample": errors[:3], "p50": percentile(latencies, 50) if latencies else 0,
            "p95": percentile(latencies, 95) if latencies else 0}


def session_cookie(ctx) -> str:
    """The Cookie header of a signed-in member of the data set."""
    client = ctx.client()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def targets_of(ctx) -> list[tuple[str, str]]:
    """(name, path) of what the load cases ask for: the big journey map and a page of the touchpoints list."""
    data = ctx.data
    return [
        (f"journey map page ({data['spec']['map_touchpoints']} touchpoints)",
         reverse("journey_map", args=[data["map_journey"]])),
        ("API list /touchpoints/, page of 100",
         f"{reverse('touchpoint-list')}?plan={ctx.org['plan']}&page_size=100"),
    ]


def run(ctx) -> list[Row]:
    cookie, targets = session_cookie(ctx), targets_of(ctx)
    requests, seconds = (8, 3) if ctx.ci else (400, 20)
    if ctx.server_url:
        return _measure(ctx, ctx.server_url, cookie, targets, requests, seconds, "in-process test server")
    with gunicorn(ctx) as url:
        return _measure(ctx, url, cookie, targets, requests, seconds, f"gunicorn, {WORKERS} workers")


def _measure(ctx, url, cookie, targets, requests, seconds, server) -> list[Row]:
    rows = []
    for path in ["/__bench__/noop/", *(path for _name, path in targets)]:
        status = _get(url, path, cookie)
        assert status == 200, (path, status)
        load(url, path, cookie, concurrency=WORKERS * 2, requests=WORKERS * 4, seconds=seconds)  # warm-up
    for concurrency in CONCURRENCY:
        noop = load(url, "/__bench__/noop/", cookie, concurrency=concurrency, requests=requests * 2,
                    seconds=seconds)
        for name, path in targets:
            ctx.log(f"  HTTP c={concurrency}: {name}")
            result = load(url, path, cookie, concurrency=concurrency, requests=requests, seconds=seconds)
            errors = f" · {result['errors']} errors {result['error_sample']}" if result["errors"] else ""
            rows.append(Row(
                case=f"HTTP load ({server}), concurrency {concurrency}: {name}",
                figure=f"{result['rps']:.1f} req/s · p50 {ms(result['p50'])} · p95 {ms(result['p95'])} · "
                       f"{result['count']} requests{errors}",
                baseline=f"no-op: {noop['rps']:.0f} req/s · p95 {ms(noop['p95'])}",
                ratio=noop["rps"] / result["rps"] if result["rps"] else None,
                met=None if not result["errors"] else False,
                target="no errors" if result["errors"] else "—",
                details={"load": result, "noop": noop, "concurrency": concurrency},
            ))
    return rows
