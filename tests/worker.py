"""Real Celery worker processes that consume this test's tasks from Redis and write to the test database.

Fixtures (registered in tests/conftest.py):
- `celery_workers`: start workers on a queue of this test (several, one after another, to test redelivery after a
  worker is killed); they read `celery_worker_settings`, extra lines for their settings module (override that
  fixture in a test module to slow a renderer down, shorten the broker's visibility timeout…).
- `celery_worker_process`: one worker, already started.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
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
MEDIA_ROOT = {media_root!r}
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
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would: no warm shutdown, no ack."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)

    def sent_emails(self) -> list[EmailMessage]:
        """The messages the worker's file-based email backend wrote (one file per connection)."""
        separator = b"\n" + b"-" * 79 + b"\n"
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(separator):
                if raw.strip():
                    messages.append(BytesParser(policy=policy.default).parsebytes(raw))
        return messages


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


@dataclass
class CeleryWorkers:
    """Starts workers that all consume the same queue (this test's), with the same settings module."""

    queue: str
    directory: Path
    extra_settings: str = ""
    started: list[CeleryWorkerProcess] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return self.directory / "mail"

    @property
    def media_root(self) -> Path:
        """Where the workers store files (set MEDIA_ROOT to it in the test process to read them)."""
        return self.directory / "media"

    def _environment(self) -> dict[str, str]:
        settings_dir = self.directory / "settings"
        if not settings_dir.exists():
            settings_dir.mkdir()
            self.mail_dir.mkdir()
            self.media_root.mkdir()
            database = {key: connection.settings_dict[key]
                        for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
            source = WORKER_SETTINGS.format(
                database=database, mail_dir=str(self.mail_dir), site_url=settings.SITE_URL,
                broker_url=celery_app.conf.broker_url, media_root=str(self.media_root))
            (settings_dir / "celery_worker_settings.py").write_text(source + self.extra_settings)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "celery_worker_settings",
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(settings.BASE_DIR)]),
            "REDIS_URL": settings.REDIS_URL,
        }

    def start(self) -> CeleryWorkerProcess:
        number = len(self.started) + 1
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
            "--queues", self.queue, "--hostname", f"{self.queue}-{number}@%h", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        environment = self._environment()
        log_path = self.directory / f"worker-{number}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=log)
        worker = CeleryWorkerProcess(process=process, queue=self.queue, mail_dir=self.mail_dir, log_path=log_path)
        self.started.append(worker)
        worker.wait_until(lambda: " ready." in worker.log(), what="the worker to be ready", timeout=READY_TIMEOUT)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            _stop(worker.process)


@pytest.fixture
def celery_worker_settings() -> str:
    """Extra lines for the workers' settings module; override in a test module to change them."""
    return ""


@pytest.fixture
def celery_workers(transactional_db, tmp_path, celery_worker_settings):
    """Send this process's tasks to a queue of this test instead of running them eagerly; start workers with
    `celery_workers.start()`.

    Needs PostgreSQL (the SQLite test database is in memory, invisible to another process) and Redis. Rows must be
    committed for the workers to see them, hence `transactional_db`.
    """
    require(postgres_in_use(), "A real Celery worker needs the PostgreSQL test database: set DATABASE_URL=postgres://…")
    require(redis_available(), "A real Celery worker needs Redis: set REDIS_URL and start redis-server")
    queue = f"test-{uuid.uuid4().hex[:12]}"  # stray workers on the shared Redis never see this queue
    workers = CeleryWorkers(queue=queue, directory=tmp_path, extra_settings=celery_worker_settings)
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    try:
        conf.task_always_eager, conf.task_default_queue = False, queue
        yield workers
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        workers.stop_all()
        _forget_queue(queue)


@pytest.fixture
def celery_worker_process(celery_workers):
    """One worker on this test's queue, ready."""
    return celery_workers.start()
