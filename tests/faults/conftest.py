"""Fixtures of the fault tests."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def demo(db):
    """The demo organisation (seed_demo: a bit of every resource) and API clients of its owner and viewer."""
    call_command("seed_demo", verbosity=0)
    clients = {}
    for username in ("owner", "viewer"):
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        clients[username] = api
    return clients
