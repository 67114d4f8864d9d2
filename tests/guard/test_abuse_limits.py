"""Password-reset requests and invitation links are limited per address (and per e-mail), with no enumeration."""

import itertools

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

_addresses = itertools.count(1)


@pytest.fixture
def address():
    return f"198.51.101.{next(_addresses) % 250 + 1}"


def reset(client, email, address):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_reset_request_answers_the_same_whether_the_address_has_an_account(db, client, address):
    UserFactory(email="known-reset@example.com")
    known = reset(client, "known-reset@example.com", address)
    unknown = reset(client, "unknown-reset@example.com", address)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1  # only the real account gets an e-mail


def test_reset_requests_for_one_email_are_limited_from_any_address(db, client, address):
    UserFactory(email="target-reset@example.com")
    answers = [reset(client, "target-reset@example.com", f"203.0.113.{n}") for n in range(1, 5)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many password reset requests" in answers[-1].content.decode()
    assert len(mail.outbox) == 3


def test_reset_requests_from_one_address_are_limited_whatever_the_email(db, client, address):
    answers = [reset(client, f"someone-{n}@example.com", address) for n in range(11)]
    assert answers[9].status_code == 302 and answers[10].status_code == 429
    # an unknown address over the limit gets the same page as a known one would
    UserFactory(email="late@example.com")
    assert reset(client, "late@example.com", address).status_code == 429


def test_guessing_invitation_tokens_is_stopped(db, client, address, org, people):
    from tenancy import services

    invitation = services.invitation_create(organisation=org, actor=people["owner"], email="new@example.com",
                                            role="editor")
    for n in range(20):
        assert client.get(reverse("invitation_accept", args=[f"guess-{n}"]), REMOTE_ADDR=address).status_code == 404
    assert client.get(reverse("invitation_accept", args=["guess-x"]), REMOTE_ADDR=address).status_code == 429
    blocked = client.get(reverse("invitation_accept", args=[invitation.token]), REMOTE_ADDR=address)
    assert blocked.status_code == 429
    assert "Too many invitation links" in blocked.content.decode()
    # someone else, with the real link, is not affected
    assert client.get(reverse("invitation_accept", args=[invitation.token]), REMOTE_ADDR="192.0.2.1").status_code == 200


def test_a_new_way_in_reuses_the_limiter_per_user_and_per_address(rf, settings, address):
    """What one-time codes (MFA) will do: name a scope, give its rates, count attempts per user and per address."""
    from core import ratelimits

    settings.ABUSE_RATES = {**settings.ABUSE_RATES, "one_time_code": {"user": "3/h", "address": "5/h"}}
    request = rf.post("/", REMOTE_ADDR=address)
    assert [ratelimits.attempt(request, "one_time_code", user="7") for _n in range(4)] == [False, False, False, True]
    assert ratelimits.blocked(request, "one_time_code", user="7")
    assert not ratelimits.blocked(request, "one_time_code", user="8")  # another person, same address: 4 of 5
    assert ratelimits.attempt(request, "one_time_code", user="8") is False
    assert ratelimits.attempt(request, "one_time_code", user="9") is True  # the address's sixth
