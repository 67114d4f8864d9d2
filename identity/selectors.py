"""Reads about sign-in: is a second factor required of a user, and do they have one."""

from allauth.mfa.models import Authenticator

from core.limits_cache import FallbackCache
from identity.models import MfaPolicy
from tenancy.models import Membership, Organisation

_cache = FallbackCache()
_VERSION_KEY = "identity:mfa-policy-version"
DUE_SECONDS = 300


def mfa_policy_for(organisation: Organisation) -> MfaPolicy:
    return MfaPolicy.objects.filter(organisation=organisation).first() or MfaPolicy(organisation=organisation)


def mfa_enabled(user) -> bool:
    """A TOTP app or a WebAuthn key (recovery codes alone are no second factor)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]).exists()


def mfa_requiring_organisations(user):
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, organisation__mfa_policy__required=True)
        .values("organisation_id")).order_by("name", "id")


def _due_key(user) -> str:
    # date_joined as well as the id: a database that was created again (tests) reuses ids, and the cache outlives it.
    return f"identity:mfa-due:{_cache.get(_VERSION_KEY, 0)}:{user.pk}:{user.date_joined.timestamp()}"


def mfa_due(user) -> bool:
    """True when one of the user's organisations requires a second factor and the user has none. Remembered in the
    cache (no query on every page); mfa_due_forget and a policy change (mfa_policies_changed) make it read again."""
    key = _due_key(user)
    due = _cache.get(key)
    if due is None:
        due = mfa_requiring_organisations(user).exists() and not mfa_enabled(user)
        _cache.set(key, due, DUE_SECONDS)
    return due


def mfa_due_forget(user) -> None:
    _cache.delete(_due_key(user))


def mfa_policies_changed() -> None:
    """Every remembered answer is stale: the next request of each user reads the policies again."""
    try:
        _cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet
        _cache.set(_VERSION_KEY, 1, None)


def members_without_mfa(organisation: Organisation):
    """The organisation's members who have no second factor yet (they will be asked for one)."""
    with_mfa = Authenticator.objects.filter(type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
    return (Membership.objects.filter(organisation=organisation).exclude(user__in=with_mfa.values("user_id"))
            .select_related("user").order_by("user__username"))
