"""Rates: per API token, per user and per anonymous client address; 429 with Retry-After; X-Forwarded-For only
counts when NUM_PROXIES says how many proxies to trust."""

import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from sync import tokens


@pytest.fixture(autouse=True)
def own_cache():
    """A cache of this test's own, so counters from other tests (or a shared Redis) never interfere."""
    location = f"throttle-{uuid.uuid4()}"
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "LOCATION": location}}):
        yield


def bearer(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def _statuses(api, count, url="/api/v1/plans/", **extra):
    return [api.get(url, **extra).status_code for _ in range(count)]


@override_settings(API_THROTTLE_USER="3/min")
def test_a_user_over_their_rate_gets_429_with_retry_after(api_for, people, plan):
    api = api_for(people["editor"])
    assert _statuses(api, 3) == [200, 200, 200]
    response = api.get("/api/v1/plans/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Request was throttled" in response.data["detail"]
    assert api_for(people["viewer"]).get("/api/v1/plans/").status_code == 200  # someone else is not affected


@override_settings(API_THROTTLE_TOKEN="2/min", API_THROTTLE_USER="100/min")
def test_each_api_token_has_its_own_rate(people, org, plan, api_for):
    _first, first_key = tokens.api_token_create(organisation=org, user=people["editor"], name="CRM")
    _second, second_key = tokens.api_token_create(organisation=org, user=people["editor"], name="BI")
    assert _statuses(bearer(first_key), 3) == [200, 200, 429]
    assert _statuses(bearer(second_key), 2) == [200, 200]
    assert api_for(people["editor"]).get("/api/v1/plans/").status_code == 200  # the script token is not a token


@override_settings(API_THROTTLE_TOKEN="100/min", API_THROTTLE_USER="3/min")
def test_the_user_rate_covers_all_their_tokens(people, org, plan, api_for):
    _first, first_key = tokens.api_token_create(organisation=org, user=people["editor"], name="CRM")
    _second, second_key = tokens.api_token_create(organisation=org, user=people["editor"], name="BI")
    assert _statuses(bearer(first_key), 2) == [200, 200]
    assert _statuses(bearer(second_key), 2) == [200, 429]
    assert api_for(people["editor"]).get("/api/v1/plans/").status_code == 429


@override_settings(API_THROTTLE_ANON="2/min")
def test_anonymous_calls_are_limited_per_address(people):
    api = APIClient()
    body = {"username": "eddie", "password": "wrong"}
    statuses = [api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.2").status_code == 400


@override_settings(API_THROTTLE_ANON="1/min")
def test_x_forwarded_for_is_ignored_without_trusted_proxies(people):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    api = APIClient()
    body = {"username": "eddie", "password": "wrong"}
    first = api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    spoofed = api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert (first.status_code, spoofed.status_code) == (400, 429)


@override_settings(API_THROTTLE_ANON="1/min")
def test_with_one_trusted_proxy_the_address_it_saw_counts(people):
    api = APIClient()
    body = {"username": "eddie", "password": "wrong"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        # The proxy (REMOTE_ADDR) appends the address it saw; whatever the client wrote before it is ignored.
        one = api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
        other = api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2")
        spoofed = api.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR="9.9.9.9, 1.1.1.1")
    assert (one.status_code, other.status_code, spoofed.status_code) == (400, 400, 429)


@override_settings(API_THROTTLE_USER="", API_THROTTLE_TOKEN="", API_THROTTLE_ANON="")
def test_an_empty_rate_switches_throttling_off(api_for, people, plan):
    assert set(_statuses(api_for(people["editor"]), 5)) == {200}
