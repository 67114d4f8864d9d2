"""Brute-force protection of the sign-in page (django-axes, counted in the cache per account and per address)."""

import itertools
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "right-horse-battery-staple"
_addresses = itertools.count(1)


@pytest.fixture
def address():
    """A client address of its own for each test: the counters live in the shared cache and outlive a test."""
    return f"198.51.100.{next(_addresses) % 250 + 1}"


@pytest.fixture
def person(db):
    user = UserFactory(username=f"lock-{next(_addresses)}")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, **meta):
    return client.post(reverse("login"), {"login": username, "password": password}, **meta)


def page(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # without the CSRF tokens


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client, person, address):
    answers = [sign_in(client, person.username, f"wrong-{n}", REMOTE_ADDR=address) for n in range(20)]
    assert answers[0].status_code == 200  # the form again, with "wrong username or password"
    assert answers[-1].status_code == 429
    body = answers[-1].content.decode()
    assert "Too many failed sign-in attempts" in body and "15 minutes" in body
    right = sign_in(client, person.username, PASSWORD, REMOTE_ADDR=address)
    assert right.status_code == 429 and not signed_in(client)


def test_the_account_stays_locked_from_another_address(client, person, address):
    for n in range(10):
        sign_in(client, person.username, f"wrong-{n}", REMOTE_ADDR=address)
    right = sign_in(client, person.username, PASSWORD, REMOTE_ADDR="203.0.113.77")
    assert right.status_code == 429 and not signed_in(client)


def test_an_unknown_username_gets_the_same_answers_as_a_real_one(client, person, address):
    real = [sign_in(client, person.username, "nope", REMOTE_ADDR=address) for _n in range(10)]
    ghost = [sign_in(client, "nobody-at-all", "nope", REMOTE_ADDR="192.0.2.200") for _n in range(10)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost]
    assert page(real[-1]).replace(person.username, "X") == page(ghost[-1]).replace("nobody-at-all", "X")


def test_one_address_is_locked_whatever_usernames_it_tries(client, person, address):
    for n in range(10):
        sign_in(client, f"guess-{n}", "nope", REMOTE_ADDR=address)
    right = sign_in(client, person.username, PASSWORD, REMOTE_ADDR=address)
    assert right.status_code == 429 and not signed_in(client)


def test_spoofed_x_forwarded_for_does_not_reset_the_count_without_proxies(db, client, address):
    for n in range(10):
        sign_in(client, f"spoof-{n}", "nope", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    assert sign_in(client, "spoof-x", "nope", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 429


@override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1})
def test_spoofed_x_forwarded_for_does_not_reset_the_count_behind_one_proxy(db, client, address):
    # The proxy appends the real client address: what the client sent itself is further left and ignored.
    for n in range(10):
        sign_in(client, f"proxied-{n}", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, {address}")
    locked = sign_in(client, "proxied-x", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}")
    assert locked.status_code == 429
    other = sign_in(client, "proxied-y", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert other.status_code == 200  # another real client behind the same proxy is not locked


def test_the_right_password_before_the_limit_signs_in_and_clears_the_count(client, person, address):
    for n in range(9):
        sign_in(client, person.username, f"wrong-{n}", REMOTE_ADDR=address)
    assert sign_in(client, person.username, PASSWORD, REMOTE_ADDR=address).status_code == 302
    assert signed_in(client)
    client.logout()
    for n in range(9):  # the account starts again from nothing (from another address: this one's count stays)
        assert sign_in(client, person.username, f"again-{n}", REMOTE_ADDR="192.0.2.60").status_code == 200


def test_signing_in_to_ones_own_account_does_not_reset_the_address_count(client, person, address):
    for n in range(9):
        sign_in(client, f"sprayed-{n}", "nope", REMOTE_ADDR=address)
    assert sign_in(client, person.username, PASSWORD, REMOTE_ADDR=address).status_code == 302
    client.logout()
    assert sign_in(client, "sprayed-x", "nope", REMOTE_ADDR=address).status_code == 429


def test_the_lockout_message_is_in_french(client, person, address):
    for n in range(10):
        answer = sign_in(client, person.username, f"faux-{n}", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 429
    assert "Trop de tentatives de connexion" in answer.content.decode()


def test_the_api_token_endpoint_shares_the_lock(client, person, address):
    """`POST /api/v1/auth/token/` takes passwords too: the same count, and no token while locked."""
    for n in range(10):
        sign_in(client, person.username, f"wrong-{n}", REMOTE_ADDR=address)
    answer = client.post("/api/v1/auth/token/", {"username": person.username, "password": PASSWORD},
                         content_type="application/json", REMOTE_ADDR="192.0.2.50")
    assert answer.status_code == 429 and "token" not in answer.json()
    assert answer["Retry-After"] == str(15 * 60) and answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["code"] == "sign_in_locked" and body["status"] == 429 and body["wait"] == 15 * 60
    assert "Too many failed sign-in attempts" in body["detail"]


def test_the_api_token_endpoint_answers_429_from_the_failure_that_locks(client, person, address):
    answers = [client.post("/api/v1/auth/token/", {"username": person.username, "password": f"wrong-{n}"},
                           content_type="application/json", REMOTE_ADDR=address) for n in range(11)]
    assert [a.status_code for a in answers[:9]] == [400] * 9
    assert answers[9].status_code == answers[10].status_code == 429
    assert answers[10].json()["code"] == "sign_in_locked" and answers[10].has_header("Retry-After")


def test_api_token_failures_count_towards_the_lock(client, person, address):
    for n in range(10):
        client.post("/api/v1/auth/token/", {"username": person.username, "password": f"wrong-{n}"},
                    content_type="application/json", REMOTE_ADDR=address)
    assert sign_in(client, person.username, PASSWORD, REMOTE_ADDR="192.0.2.51").status_code == 429
    assert not signed_in(client)


def test_with_the_cache_unreachable_sign_in_still_answers_and_still_locks(client, person, address):
    """A Redis that does not answer (nothing listens on the port): no 500, the counts go on in this process."""
    import socket

    from django.core.cache import caches
    from django.test import override_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free: nothing will answer there
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/0",
                        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    with override_settings(CACHES=down):
        try:
            answers = [sign_in(client, person.username, f"wrong-{n}", REMOTE_ADDR=address).status_code
                       for n in range(10)]
            right = sign_in(client, person.username, PASSWORD, REMOTE_ADDR=address)
            reset = client.post(reverse("password_reset"), {"email": "x@example.com"}, REMOTE_ADDR=address)
        finally:
            caches["default"].close()
    assert answers[:9] == [200] * 9 and answers[9] == 429
    assert right.status_code == 429 and not signed_in(client)
    assert reset.status_code == 302  # the reset limit is lifted meanwhile, not a 500
