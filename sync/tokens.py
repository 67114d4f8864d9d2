"""API tokens: creation (the key is returned once and only its SHA-256 is kept), lookup, listing and revocation.

A key reads `jp_<prefix>_<secret>`: the 8-character prefix is stored in clear so people can tell their tokens
apart; the secret (32 random bytes) never is. SHA-256 is enough here (no slow hash): the key is random, not a
password someone chose.

Who may do what: any member creates tokens for themselves, in an organisation they belong to, acting as
themselves (their role and plan access still apply). Everyone sees and revokes their own tokens; owners and
admins also see and revoke every token of their organisation.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sync.models import ApiToken, ApiTokenScope
from tenancy.access import membership_for, memberships_of
from tenancy.admin_log import admin_log_record
from tenancy.models import MANAGING_ROLES, AdminAction

KEY_PREFIX = "jp_"
# "last used" is written at most this often per token, so a busy client does not cost a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_api_key(value: str) -> bool:
    return value.startswith(KEY_PREFIX) and value.count("_") >= 2


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(*, organisation, user, name: str, scope: str = ApiTokenScope.READ_ONLY,
                     expires_at=None) -> tuple[ApiToken, str]:
    """A new token for `user` in `organisation`; returns (token, key). The key cannot be recovered later."""

    if membership_for(user, organisation.pk) is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    for _attempt in range(5):  # an 8-hex prefix clash is rare, but the column is unique
        prefix, key = _new_key()
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken(organisation=organisation, user=user, name=name.strip(), scope=scope, expires_at=expires_at,
                     prefix=prefix, key_hash=key_hash(key))
    token.full_clean()
    token.save()
    admin_log_record(organisation=organisation, actor=user, action=AdminAction.API_TOKEN_CREATED, target=token,
                     after=_token_values(token))
    return token, key


def _token_values(token: ApiToken) -> dict:
    return {"name": token.name, "scope": token.scope, "user": token.user.get_username(),
            "expires_at": token.expires_at, "revoked_at": token.revoked_at}


def api_token_authenticate(key: str) -> ApiToken | None:
    """The token this key belongs to (with its user and organisation), usable or not; None if unknown."""
    return ApiToken.objects.select_related("user", "organisation").filter(key_hash=key_hash(key)).first()


def api_token_touch(token: ApiToken, *, now=None) -> None:
    """Record the use, at most once per LAST_USED_RESOLUTION (one conditional UPDATE, skipped when recent)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    recent = Q(last_used_at__gte=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(pk=token.pk).exclude(recent).update(last_used_at=now)
    token.last_used_at = now


def api_token_list(*, user, organisation=None) -> QuerySet[ApiToken]:
    """Your own tokens in your organisations, and every token of the organisations you own or administer."""

    if not user.is_authenticated:
        return ApiToken.objects.none()
    memberships = memberships_of(user)
    managed = memberships.filter(role__in=MANAGING_ROLES).values("organisation_id")
    qs = ApiToken.objects.filter(
        Q(organisation_id__in=managed) | Q(user=user, organisation_id__in=memberships.values("organisation_id"))
    ).select_related("user", "organisation")
    return qs.filter(organisation=organisation) if organisation is not None else qs


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke for good (the row stays, so the list shows when). Revoking twice is harmless."""
    if not api_token_list(user=actor).filter(pk=token.pk).exists():
        raise PermissionDenied(_("Only its creator or an owner or admin of the organisation may revoke this token."))
    if token.revoked_at is None:
        before = _token_values(token)
        token.revoked_at = timezone.now()
        with transaction.atomic():
            if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at):
                admin_log_record(organisation=token.organisation_id, actor=actor,
                                 action=AdminAction.API_TOKEN_REVOKED, target=token, before=before,
                                 after=_token_values(token))
    return token
