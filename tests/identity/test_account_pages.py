"""Which of allauth's /accounts/ pages answer. An invitation-only product keeps the sign-in (and its second-factor
step), second-factor management, re-authentication, the password change and reset (Django's, core.urls) and the SSO
way back; self sign-up, e-mail management, first-password, e-mailed codes, connected accounts and allauth's own
reset links answer 404 (identity.urls.NOT_OFFERED). Every /accounts/ route is listed here: a new one fails the test
until someone decides."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = {"uidb64": "MQ", "token": "set-password", "uidb36": "1", "key": "abc-def", "pk": "1",
          "provider_id": "org-999"}

# route -> status for a signed-in person (GET), then for a visitor who is not signed in.
ANSWER = {
    "accounts/login/": (302, 200),
    "accounts/logout/": (405, 405),  # Django's LogoutView: POST only
    "accounts/password/change/": (200, 302),
    "accounts/password/change/done/": (200, 302),
    "accounts/password/reset/": (200, 200),
    "accounts/password/reset/done/": (200, 200),
    "accounts/reset/<uidb64>/<token>/": (200, 200),  # "this link is no longer valid"
    "accounts/reset/done/": (200, 200),
    "accounts/profile/": (200, 302),
    "accounts/inactive/": (200, 200),
    "accounts/reauthenticate/": (200, 302),
    "accounts/2fa/": (200, 302),  # the second-factor pages: 404 for what one has not set up, else a re-authentication
    "accounts/2fa/authenticate/": (302, 302),
    "accounts/2fa/reauthenticate/": (302, 302),
    "accounts/2fa/totp/activate/": (302, 302),
    "accounts/2fa/totp/deactivate/": (404, 302),
    "accounts/2fa/recovery-codes/": (404, 302),
    "accounts/2fa/recovery-codes/generate/": (302, 302),
    "accounts/2fa/recovery-codes/download/": (404, 302),
    "accounts/2fa/webauthn/": (200, 302),  # was a 500 before django.contrib.humanize was installed
    "accounts/2fa/webauthn/add/": (302, 302),
    "accounts/2fa/webauthn/reauthenticate/": (302, 302),
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": (302, 302),
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": (302, 302),
    "accounts/2fa/webauthn/login/": (302, 302),
    "accounts/3rdparty/login/cancelled/": (200, 200),
    "accounts/3rdparty/login/error/": (401, 401),
    "accounts/3rdparty/signup/": (302, 302),  # only in the middle of an SSO sign-in
    "accounts/social/login/cancelled/": (301, 301),
    "accounts/social/login/error/": (301, 301),
    "accounts/social/signup/": (301, 301),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": (404, 404),  # no such provider
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": (404, 404),
    "accounts/sso/": (200, 200),
}
NOT_OFFERED = [
    "accounts/signup/", "accounts/email/", "accounts/confirm-email/", "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
    "accounts/password/set/", "accounts/password/reset/key/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", "accounts/login/code/confirm/",
    "accounts/reauthenticate/code/", "accounts/reauthenticate/code/confirm/", "accounts/3rdparty/",
    "accounts/social/connections/",
]


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("accounts/"):
            yield route


def _url(route: str) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE[m.group(1)], route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def test_every_accounts_route_is_decided():
    assert sorted(set(_routes())) == sorted(set(ANSWER) | set(NOT_OFFERED))


@pytest.mark.parametrize("route", NOT_OFFERED)
def test_the_pages_an_invitation_only_product_does_not_offer_are_404(client, route):
    assert client.get(_url(route)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(route)).status_code == 404
    assert client.post(_url(route), {"email": "new@example.com"}).status_code == 404


@pytest.mark.parametrize(("route", "expected"), ANSWER.items())
def test_the_pages_kept_answer(client, route, expected):
    signed_in, visitor = expected
    assert client.get(_url(route)).status_code == visitor, route
    client.force_login(UserFactory())
    assert client.get(_url(route)).status_code == signed_in, route

