"""A real Celery worker process that consumes this test's tasks from Redis and writes to the test database."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config import celery_app
from tests.support import postgres_in_use, redis_available, require

READY_TIMEOUT = 30  # seconds for the worker to connect to Redis and start consuming
STOP_TIMEOUT = 15  # seconds for a warm shutdown before the worker is killed

# The worker runs the test settings, but mail goes to files (the locmem outbox lives in another process) and it
# reads the test database, whose name only this process knows.
WORKER_SETTINGS = """\
from config.settings.test import *  # noqa: F403

DATABASES = {{"default": {database!r}}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = {mail_dir!r}
CELERY_BROKER_URL = {broker_url!r}
CELERY_TASK_ALWAYS_EAGER = False
SITE_URL = {site_url!r}
"""


@dataclass
class CeleryWorkerProcess:
    """A running `celery worker` that consumes only `queue`; its mail lands in `mail_dir` as files."""

    process: subprocess.Popen
    queue: str
    mail_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_until(self, condition: Callable[[], bool], *, what: str, timeout: float = 30) -> None:
        """Poll `condition` until it holds; fail with the worker's log if it dies or time runs out."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(
                    f"The Celery worker exited ({self.process.returncode}) while waiting for {what}:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"Gave up after {timeout}s waiting for {what}. Worker log:\n{self.log()}")
            time.sleep(0.2)

    def sent_emails(self) -> list[EmailMessage]:
        """The messages the worker's file-based email backend wrote (one file per connection)."""
        separator = b"\n" + b"-" * 79 + b"\n"
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(separator):
                if raw.strip():
                    messages.append(BytesParser(policy=policy.default).parsebytes(raw))
        return messages


def _worker_environment(directory: Path, mail_dir: Path) -> dict[str, str]:
    """The environment of the worker: a settings module written for it, on its import path."""
    database = {key: connection.settings_dict[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    source = WORKER_SETTINGS.format(
        database=database, mail_dir=str(mail_dir), site_url=settings.SITE_URL, broker_url=celery_app.conf.broker_url
    )
    (directory / "celery_worker_settings.py").write_text(source)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "celery_worker_settings",
        "PYTHONPATH": os.pathsep.join([str(directory), str(settings.BASE_DIR)]),
        "REDIS_URL": settings.REDIS_URL,
    }


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # warm shutdown: finish the current task, then exit
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _forget_queue(queue: str) -> None:
    """Drop the queue and kombu's bindings for it, so runs leave nothing behind in a shared Redis."""
    with suppress(redis.RedisError), redis.Redis.from_url(celery_app.conf.broker_url) as client:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start a worker on a queue of its own and send this process's tasks there instead of running them eagerly.

    Needs PostgreSQL (the SQLite test database is in memory, invisible to another process) and Redis. Rows must be
    committed for the worker to see them, hence `transactional_db`.
    """
    require(postgres_in_use(), "A real Celery worker needs the PostgreSQL test database: set DATABASE_URL=postgres://…")
    require(redis_available(), "A real Celery worker needs Redis: set REDIS_URL and start redis-server")

    queue = f"test-{uuid.uuid4().hex[:12]}"  # stray workers on the shared Redis never see this queue
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
        "--queues", queue, "--hostname", f"{queue}@%h", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=_worker_environment(settings_dir, mail_dir), stdout=log, stderr=log
        )
    worker = CeleryWorkerProcess(process=process, queue=queue, mail_dir=mail_dir, log_path=log_path)
    try:
        worker.wait_until(lambda: " ready." in worker.log(), what="the worker to be ready", timeout=READY_TIMEOUT)
        conf.task_always_eager, conf.task_default_queue = False, queue
        yield worker
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        _stop(process)
        _forget_queue(queue)
