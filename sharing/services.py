"""Share links: create (the token is returned once; only its SHA-256 is kept), find by token, open, revoke.

A token reads `jps_<prefix>_<secret>`, like an API token (sync.tokens) but with its own prefix so neither is taken
for the other: the 8-character prefix is stored in clear to tell links apart and to address the shared pages
(/shared/<prefix>/...); the secret never is. A password, when set, is hashed with Django's password hashers.

Who may do what: the plan's managers (organisation owners and admins, and whoever was granted "manage" on the plan)
create, list and revoke its links (tenancy.access, Access.MANAGE).
"""

import hashlib
import logging
import secrets
import time
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sharing.models import ShareLink, ShareScope
from tenancy.access import Access, plans_for, require_plan_access

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "jps_"
PASSWORD_TRIES_PER_MINUTE = 5
MAX_VALID_DAYS = 366
LOCAL_COUNTERS = LocMemCache("sharing-password-tries-fallback", {})
CACHE_PAUSE = 5.0  # seconds the shared cache is left alone after it failed
_cache_failed_at = [0.0]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def share_link_create(*, plan, actor, scope: str, expires_at, journey=None, password: str = "",
                      hide_member_names: bool = False, allow_comments: bool = False) -> tuple[ShareLink, str]:
    """A new link; returns (link, token). The token cannot be recovered later."""
    require_plan_access(actor, plan, Access.MANAGE)
    if journey is not None and journey.plan_id != plan.pk:
        raise ValidationError({"journey": _("Choose a journey of this plan.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a time in the future.")})
    if expires_at is not None and expires_at > timezone.now() + timedelta(days=MAX_VALID_DAYS):
        raise ValidationError({"expires_at": _("A share link lasts at most a year.")})
    for _attempt in range(5):  # an 8-hex prefix clash is rare, but the column is unique
        prefix, token = _new_token()
        if not ShareLink.objects.filter(prefix=prefix).exists():
            break
    link = ShareLink(organisation_id=plan.organisation_id, plan=plan, scope=scope,
                     journey=journey if scope == ShareScope.JOURNEY else None, expires_at=expires_at,
                     password_hash=make_password(password) if password else "", hide_member_names=hide_member_names,
                     allow_comments=allow_comments, created_by=actor, prefix=prefix, token_hash=token_hash(token))
    link.full_clean()
    link.save()
    return link, token


def share_link_list(*, user, plan=None) -> QuerySet[ShareLink]:
    """The links of the plans the user manages."""
    qs = ShareLink.objects.filter(plan__in=plans_for(user, Access.MANAGE)).select_related("plan", "journey",
                                                                                          "created_by")
    return qs.filter(plan=plan) if plan is not None else qs


def share_link_revoke(*, link: ShareLink, actor) -> ShareLink:
    """The link answers 404 from now on; the row stays so the list shows when. Revoking twice is harmless."""
    require_plan_access(actor, link.plan, Access.MANAGE)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=link.revoked_at)
    return link


def share_link_by_token(token: str) -> ShareLink | None:
    """The usable link this token opens (not revoked, not expired), else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    link = ShareLink.objects.select_related("plan__organisation", "journey").filter(
        token_hash=token_hash(token)).first()
    return link if link is not None and link.is_usable() else None


def share_link_by_prefix(prefix: str) -> ShareLink | None:
    link = ShareLink.objects.select_related("plan__organisation", "journey").filter(prefix=prefix).first()
    return link if link is not None and link.is_usable() else None


def share_link_opened(link: ShareLink) -> None:
    """Count an entry through the link and remember when (one UPDATE)."""
    now = timezone.now()
    ShareLink.objects.filter(pk=link.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
    link.open_count += 1
    link.last_opened_at = now


def _tries_key(link: ShareLink, address: str) -> str:
    return f"sharing:password-tries:{link.pk}:{address}:{int(timezone.now().timestamp() // 60)}"


def _counters():
    """The shared cache, or this process's own counters while it cannot be reached (as the API's throttles do):
    a share link still opens, and wrong tries are still limited, per process meanwhile."""
    return LOCAL_COUNTERS if time.monotonic() - _cache_failed_at[0] < CACHE_PAUSE else cache


def _counted(operation):
    try:
        return operation(_counters())
    except Exception as error:  # noqa: BLE001  (whatever the cache backend raises: never fail the visitor)
        _cache_failed_at[0] = time.monotonic()
        logger.warning("Share link passwords: the cache is unreachable (%s); counting in this process", error)
        return operation(LOCAL_COUNTERS)


def password_tries_left(link: ShareLink, address: str) -> int:
    wrong = _counted(lambda counters: counters.get(_tries_key(link, address)) or 0)
    return max(0, PASSWORD_TRIES_PER_MINUTE - wrong)


def _count_wrong_try(counters, key: str) -> None:
    counters.add(key, 0, timeout=120)
    try:
        counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=120)


def share_link_check_password(link: ShareLink, password: str, address: str) -> bool:
    """Whether `password` opens the link. Each wrong try counts against the link and the address for the current
    minute; once PASSWORD_TRIES_PER_MINUTE are spent, nothing is checked until the next minute."""
    if password_tries_left(link, address) == 0:
        return False
    if link.has_password and check_password(password, link.password_hash):
        return True
    key = _tries_key(link, address)
    _counted(lambda counters: _count_wrong_try(counters, key))
    return False
