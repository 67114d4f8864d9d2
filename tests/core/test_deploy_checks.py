"""Production refuses to start without REDIS_URL unless in-process tasks are accepted; `check --deploy` says so."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from core.checks import redis_configured


def _production(command: list[str], **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL",
                                                                                 "ALLOW_IN_PROCESS_TASKS")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="k" * 30 + "x!9" * 12,
                       DJANGO_ALLOWED_HOSTS="plans.example.com", DATABASE_URL="sqlite:///unused.sqlite3", **env)
    return subprocess.run([sys.executable, "manage.py", *command], cwd=django_settings.BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_without_redis_refuses_to_start():
    result = _production(["check"])
    assert result.returncode != 0
    assert "REDIS_URL is required in production" in result.stderr


def test_production_accepting_in_process_tasks_starts_and_the_deploy_check_warns():
    result = _production(["check", "--deploy", "--fail-level", "WARNING"], ALLOW_IN_PROCESS_TASKS="true")
    assert result.returncode != 0
    assert "(core.W001) REDIS_URL is not set" in result.stderr + result.stdout


@pytest.mark.parametrize(("redis_url", "allowed", "ids"), [
    ("redis://127.0.0.1:6379/0", False, []),
    ("", True, ["core.W001"]),
    ("", False, ["core.E001"]),
])
def test_the_deploy_check_reports_a_missing_redis(redis_url, allowed, ids):
    with override_settings(REDIS_URL=redis_url, ALLOW_IN_PROCESS_TASKS=allowed):
        assert [message.id for message in redis_configured(None)] == ids
