"""`Authorization: Bearer jp_…` (or `Token jp_…`): the organisation-scoped API tokens of sync.tokens.

`request.user` is the token's creator and `request.auth` the ApiToken. The user object of the request also
carries `api_token_organisation_id`, which tenancy.access.memberships_of honours, so every access helper and
selector sees only the token's organisation: another organisation's objects answer 404 and lists leave them out,
even for someone who belongs to both.

A `Token <key>` header without the jp_ prefix is left to DRF's TokenAuthentication (POST /api/v1/auth/token/).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from sync import tokens
from tenancy.models import Membership

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Organisation-scoped API tokens (`jp_<prefix>_<secret>`); expired, revoked or orphaned ones answer 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        is_bearer = parts[0].lower() == b"bearer"
        if len(parts) != 2:
            if not is_bearer:
                return None  # DRF's TokenAuthentication explains what is wrong with a `Token` header
            raise exceptions.AuthenticationFailed(_("Send the key as `Authorization: Bearer <key>`, with no spaces."))
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid API token.")) from error
        if not tokens.looks_like_api_key(key):
            if is_bearer:
                raise exceptions.AuthenticationFailed(_("Invalid API token."))
            return None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):

        token = tokens.api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid API token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("This API token has expired."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("The owner of this API token is disabled."))
        if not Membership.objects.filter(user=user, organisation_id=token.organisation_id).exists():
            raise exceptions.AuthenticationFailed(_("The owner of this API token left its organisation."))
        tokens.api_token_touch(token)
        user.api_token_organisation_id = token.organisation_id
        return user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sync.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An organisation API token (`jp_…`), created on the organisation's API tokens page or with "
                "`POST /api/v1/api-tokens/`; send `Authorization: Bearer <key>`. Requests made with it reach "
                "only that organisation; a read-only token answers 403 to every write."
            ),
        }
