"""Helpers for tests that need real services (PostgreSQL, Redis, Chromium).

Locally a missing service skips the test with the reason; in CI (CI=true) it fails it, so a broken
machine can never turn the suite green by skipping.
"""

import os
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = "/usr/bin/chromium"


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test unless `condition` holds; in CI, fail it instead."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required services must be present)", pytrace=False)
    pytest.skip(reason)


def redis_available() -> bool:
    """REDIS_URL is set and the server answers PING."""
    import redis
    from django.conf import settings

    url = getattr(settings, "REDIS_URL", "") or os.environ.get("REDIS_URL", "")
    if not url:
        return False
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


def postgres_in_use() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def chromium_path() -> str | None:
    """CHROMIUM_PATH if it names an executable, else Debian's /usr/bin/chromium, else None."""
    for candidate in (os.environ.get("CHROMIUM_PATH", ""), DEBIAN_CHROMIUM):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def fields(response) -> dict[str, list[str]]:
    """The field messages of an API error (a problem's `errors`), by top-level field; `non_field_errors` for the
    body as a whole. For tests that ask which field a 400 names."""
    body = response.json()
    by_field: dict[str, list[str]] = {}
    for entry in body.get("errors", []):
        name = (entry.get("field") or "non_field_errors").split(".")[0]
        by_field.setdefault(name, []).append(entry["detail"])
    return by_field
