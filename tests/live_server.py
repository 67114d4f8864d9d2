"""A real ASGI server (daphne) in a subprocess, serving HTTP and websockets against this test's database.

pytest-django's `live_server` is WSGI only, so pages that open a websocket need this instead. Like tests/worker.py,
the subprocess reads the test database, so it needs PostgreSQL (the SQLite test database lives in this process's
memory) and committed rows (`transactional_db`). Its channel layer and cache are its own, in memory: every page
and every write of the test goes through it.

Fixture (registered in tests/browser/conftest.py): `asgi_server`, with `.url` (http://127.0.0.1:<port>) and
`.log()`.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support import postgres_in_use, require

READY_TIMEOUT = 30

SERVER_SETTINGS = """\
from config.settings.test import *  # noqa: F403

DATABASES = {{"default": {database!r}}}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}}
CHANNEL_LAYERS = {{"default": {{"BACKEND": "channels.layers.InMemoryChannelLayer"}}}}
WHITENOISE_USE_FINDERS = True  # static files straight from the source folders, no collectstatic
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = {media_root!r}
"""


@dataclass
class AsgiServer:
    process: subprocess.Popen
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def daphne(port: int) -> list[str]:
    return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]


def start_asgi_server(directory: Path, *, command=daphne, extra_settings: str = "",
                      environment: dict | None = None) -> AsgiServer:
    """Start `command(port)` (daphne by default) with settings for this test's database, plus `extra_settings`."""
    settings_dir = directory / "asgi-settings"
    settings_dir.mkdir(exist_ok=True)
    database = {key: connection.settings_dict[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    (settings_dir / "asgi_server_settings.py").write_text(
        SERVER_SETTINGS.format(database=database, media_root=str(directory / "media")) + extra_settings)
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asgi_server_settings",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(settings.BASE_DIR)]),
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
        **(environment or {}),
    }
    log_path = directory / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command(port), cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=log)
    server = AsgiServer(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)
    deadline = time.monotonic() + READY_TIMEOUT
    while not _answers(server.url):
        if process.poll() is not None:
            pytest.fail(f"The server exited ({process.returncode}):\n{server.log()}")
        if time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"The server did not answer within {READY_TIMEOUT}s:\n{server.log()}")
        time.sleep(0.1)
    return server


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def asgi_server(transactional_db, tmp_path):
    """daphne serving config.asgi on a free port of 127.0.0.1, against this test's (committed) database."""
    require(postgres_in_use(), "The ASGI server reads the test database from another process: set "
                               "DATABASE_URL=postgres://…")
    server = start_asgi_server(tmp_path)
    try:
        yield server
    finally:
        stop(server.process)
