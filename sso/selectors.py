"""Reads of the SSO configurations: the one an owner/admin manages, the one an e-mail address is sent to."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sso.models import SsoConfiguration, SsoDomain
from tenancy.access import memberships_of, organisation_for, require_manager
from tenancy.models import MANAGING_ROLES, Membership, Role


def email_domain(email: str) -> str:
    """The lower-case domain of an address ("" when it has none)."""
    _local, at, domain = (email or "").strip().rpartition("@")
    return domain.strip().lower().rstrip(".") if at else ""


def configuration_for_email(email: str) -> SsoConfiguration | None:
    """The configuration owning the address's domain, or None. It answers from the domain alone: whether an
    account exists for the address plays no part (no account enumeration)."""
    domain = email_domain(email)
    if not domain:
        return None
    found = (SsoDomain.objects.select_related("configuration__social_app", "configuration__organisation")
             .filter(domain=domain).first())
    return found.configuration if found else None


def configuration_for_provider(provider_id: str) -> SsoConfiguration | None:
    return (SsoConfiguration.objects.select_related("organisation", "social_app")
            .prefetch_related("domains", "group_mappings__team")
            .filter(social_app__provider="openid_connect", social_app__provider_id=provider_id).first())


def configuration_of(*, user, organisation_pk) -> tuple:
    """(organisation, membership, configuration or None) for an owner/admin; another organisation 404, a member 403."""
    organisation, membership = organisation_for(user, organisation_pk, manage=True)
    configuration = (SsoConfiguration.objects.select_related("social_app")
                     .prefetch_related("domains", "group_mappings__team")
                     .filter(organisation=organisation).first())
    return organisation, membership, configuration


def configuration_list(*, user) -> QuerySet[SsoConfiguration]:
    """The configurations of the organisations the user owns or administers (an API token: its organisation's)."""
    if not user.is_authenticated:
        return SsoConfiguration.objects.none()
    managed = memberships_of(user).filter(role__in=MANAGING_ROLES).values("organisation_id")
    return (SsoConfiguration.objects.filter(organisation_id__in=managed)
            .select_related("organisation", "social_app").prefetch_related("domains", "group_mappings__team"))


def configuration_for(*, user, pk) -> SsoConfiguration:
    """The configuration if it belongs to one of the user's organisations (else 404), for an owner or admin of it
    (else 403)."""
    if not user.is_authenticated or not str(pk).isdigit():
        raise Http404(_("No such SSO configuration."))
    member_of = memberships_of(user).values("organisation_id")
    configuration = (SsoConfiguration.objects.select_related("organisation", "social_app")
                     .prefetch_related("domains", "group_mappings__team")
                     .filter(pk=pk, organisation_id__in=member_of).first())
    if configuration is None:
        raise Http404(_("No such SSO configuration."))
    require_manager(user, configuration.organisation)
    return configuration


def password_sign_in_refusal(user) -> str | None:
    """core.signin's check: a password sign-in is refused for an address of a domain whose organisation requires
    SSO, except for that organisation's owners (their recovery path when the identity provider fails)."""
    domain = email_domain(user.email)
    if not domain:
        return None
    found = (SsoDomain.objects.filter(domain=domain, configuration__sso_required=True)
             .values("configuration__organisation_id").first())
    if found is None:
        return None
    organisation_id = found["configuration__organisation_id"]
    if Membership.objects.filter(organisation_id=organisation_id, user=user, role=Role.OWNER).exists():
        return None
    return _("Your organisation requires single sign-on for this address: use “Sign in with your company account "
             "(SSO)” below.")
