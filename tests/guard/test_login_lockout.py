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
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


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


def test_the_lockout_message_is_in_french(client, person, address):
    for n in range(10):
        answer = sign_in(client, person.username, f"faux-{n}", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 429
    assert "Trop de tentatives de connexion" in answer.content.decode()
