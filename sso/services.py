"""Writes: an organisation's SSO configuration (with its allauth SocialApp) and just-in-time membership.

Every configuration change goes to the organisation's admin log with before/after; the client secret appears there
masked ("••••" and its last four characters), never in full.
"""

import re

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versioning import versioned_save
from sso.models import JIT_ROLES, SsoConfiguration, SsoDomain, SsoGroupMapping
from tenancy.access import require_manager
from tenancy.admin_log import admin_log_record
from tenancy.models import AdminAction, Membership, Role, Team

PROVIDER = "openid_connect"
DEFAULT_SCOPES = ["openid", "profile", "email"]
LOG_TARGET = "sso.ssoconfiguration"
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def mask_secret(secret: str) -> str:
    """What may be shown of a client secret: "" when none, else "••••" and, for a long one, its last four."""
    if not secret:
        return ""
    return "••••" + (secret[-4:] if len(secret) >= 16 else "")


def provider_id_for(organisation) -> str:
    """The allauth provider id, part of the redirect URI: /accounts/oidc/<provider_id>/login/callback/."""
    return f"org-{organisation.pk}"


def normalise_domains(domains) -> list[str]:
    cleaned = sorted({(domain or "").strip().lower().lstrip("@").rstrip(".") for domain in domains} - {""})
    wrong = [domain for domain in cleaned if not DOMAIN_PATTERN.match(domain)]
    if wrong:
        raise ValidationError({"domains": _("Not an e-mail domain: %s") % ", ".join(wrong)})
    return cleaned


def configuration_values(configuration: SsoConfiguration | None) -> dict | None:
    """The configuration as the admin log and the API show it (the secret masked)."""
    if configuration is None:
        return None
    return {
        "issuer": configuration.issuer, "client_id": configuration.client_id,
        "client_secret": mask_secret(configuration.social_app.secret),
        "domains": sorted(domain.domain for domain in configuration.domains.all()),
        "default_role": configuration.default_role, "groups_claim": configuration.groups_claim,
        "group_mappings": [{"group": m.group, "role": m.role, "team": m.team.name if m.team else None}
                           for m in configuration.group_mappings.all()],
        "extra_scopes": configuration.extra_scopes, "sso_required": configuration.sso_required,
    }


def _check_mappings(organisation, group_mappings) -> list[dict]:
    checked, seen = [], set()
    for mapping in group_mappings or []:
        group, role, team = (mapping.get("group") or "").strip(), mapping.get("role") or "", mapping.get("team")
        if not group:
            raise ValidationError({"group_mappings": _("Each mapping needs a group name.")})
        if group in seen:
            raise ValidationError({"group_mappings": _("The group “%s” is mapped twice.") % group})
        if role and role not in [r.value for r in JIT_ROLES]:
            raise ValidationError({"group_mappings": _("A group can give the admin, editor or viewer role.")})
        if team is not None and not isinstance(team, Team):
            team = Team.objects.filter(pk=team, organisation=organisation).first() if str(team).isdigit() else None
            if team is None:
                raise ValidationError({"group_mappings": _("No such team in this organisation.")})
        if team is not None and team.organisation_id != organisation.pk:
            raise ValidationError({"group_mappings": _("No such team in this organisation.")})
        if not role and team is None:
            raise ValidationError({"group_mappings": _("The group “%s” gives neither a role nor a team.") % group})
        seen.add(group)
        checked.append({"group": group, "role": role, "team": team})
    return checked


def _app_settings(issuer: str, extra_scopes: str) -> dict:
    scopes = DEFAULT_SCOPES + [scope for scope in extra_scopes.split() if scope not in DEFAULT_SCOPES]
    return {"server_url": issuer, "scope": scopes, "oauth_pkce_enabled": True}


@transaction.atomic
def configuration_save(*, organisation, actor, issuer: str, client_id: str, client_secret: str | None = None,
                       domains=(), default_role: str = Role.VIEWER, groups_claim: str = "", group_mappings=(),
                       sso_required: bool = False, extra_scopes: str = "") -> SsoConfiguration:
    """Create or replace the organisation's configuration. A blank or None `client_secret` keeps the stored one
    (it is required when there is none). Domains already owned by another organisation are refused."""
    require_manager(actor, organisation)
    configuration = (SsoConfiguration.objects.select_for_update().select_related("social_app")
                     .filter(organisation=organisation).first())
    before = configuration_values(configuration)
    domains = normalise_domains(domains)
    if not domains:
        raise ValidationError({"domains": _("Name at least one e-mail domain your organisation owns.")})
    taken = sorted(SsoDomain.objects.filter(domain__in=domains).exclude(configuration__organisation=organisation)
                   .values_list("domain", flat=True))
    if taken:
        raise ValidationError({"domains": _("Already used by another organisation: %s") % ", ".join(taken)})
    mappings = _check_mappings(organisation, group_mappings)
    if mappings and not groups_claim.strip():
        raise ValidationError({"groups_claim": _("Name the groups claim that the group mappings read.")})
    if not client_secret and configuration is None:
        raise ValidationError({"client_secret": _("This field is required.")})
    extra_scopes = " ".join(extra_scopes.split())
    issuer = issuer.strip().rstrip("/")  # allauth appends /.well-known/openid-configuration
    app = configuration.social_app if configuration else SocialApp(provider=PROVIDER,
                                                                   provider_id=provider_id_for(organisation))
    app.name = organisation.name[:40]
    app.client_id = client_id.strip()
    # A new secret that happens to end like the old one masks the same: the entry says it changed all the same.
    secret_replaced = bool(client_secret) and configuration is not None and client_secret.strip() != app.secret
    if client_secret:
        app.secret = client_secret.strip()
    app.settings = _app_settings(issuer, extra_scopes)
    app.full_clean()
    app.save()
    configuration = configuration or SsoConfiguration(organisation=organisation, social_app=app)
    configuration.issuer, configuration.client_id = issuer, app.client_id
    configuration.default_role, configuration.groups_claim = default_role, groups_claim.strip()
    configuration.sso_required, configuration.extra_scopes = sso_required, extra_scopes
    configuration.full_clean()
    configuration.save()
    configuration.domains.exclude(domain__in=domains).delete()
    existing = set(configuration.domains.values_list("domain", flat=True))
    SsoDomain.objects.bulk_create([SsoDomain(configuration=configuration, domain=domain)
                                   for domain in domains if domain not in existing])
    configuration.group_mappings.all().delete()
    SsoGroupMapping.objects.bulk_create([SsoGroupMapping(configuration=configuration, **mapping)
                                         for mapping in mappings])
    after = configuration_values(configuration)
    if secret_replaced and before["client_secret"] == after["client_secret"]:
        after["client_secret_replaced"] = True
    if after != before:
        admin_log_record(organisation=organisation, actor=actor, action=AdminAction.SSO_CHANGED,
                         target=configuration, target_repr=_("Single sign-on (OpenID Connect)"),
                         before=before, after=after)
    return configuration


@transaction.atomic
def configuration_delete(*, configuration: SsoConfiguration, actor) -> None:
    """Switch SSO off: the provider goes (its SocialApp with it, sso.receivers), the accounts stay (with their
    passwords, if they had any)."""
    require_manager(actor, configuration.organisation)
    before = configuration_values(configuration)
    admin_log_record(organisation=configuration.organisation, actor=actor, action=AdminAction.SSO_CHANGED,
                     target=configuration, target_repr=_("Single sign-on (OpenID Connect)"),
                     before=before, after=None)
    configuration.delete()


# Just-in-time membership ----------------------------------------------------------------------------------------


def groups_from_claims(configuration: SsoConfiguration, *claim_sets) -> list[str]:
    """The values of the configured groups claim, from the first claim set (userinfo, ID token) that has it."""
    claim = configuration.groups_claim
    if not claim:
        return []
    for claims in claim_sets:
        value = (claims or {}).get(claim)
        if value is None:
            continue
        if isinstance(value, str):
            value = re.split(r"[\s,]+", value)
        return [str(group) for group in value if str(group).strip()]
    return []


def mapped_access(configuration: SsoConfiguration, groups) -> tuple[str | None, list[Team]]:
    """(the highest role the groups map to, or None; the teams they map to), from the configuration's mappings."""
    groups = set(groups)
    matched = [mapping for mapping in configuration.group_mappings.all() if mapping.group in groups]
    roles = [mapping.role for mapping in matched if mapping.role]
    role = max(roles, key=ROLE_RANK.get) if roles else None
    teams = {mapping.team.pk: mapping.team for mapping in matched if mapping.team is not None}
    return role, [teams[pk] for pk in sorted(teams)]


@transaction.atomic
def sso_membership_apply(*, configuration: SsoConfiguration, user, groups) -> Membership:
    """On each SSO sign-in: a newcomer joins with the role the groups map to (else the default role); a member's
    role follows the mapped role when one matches (an owner stays an owner); mapped teams are joined. Each change
    is logged, with the person signing in as the actor."""
    organisation = configuration.organisation
    role, teams = mapped_access(configuration, groups)
    membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
    if membership is None:
        membership = Membership.objects.create(organisation=organisation, user=user,
                                               role=role or configuration.default_role)
        admin_log_record(organisation=organisation, actor=user, action=AdminAction.MEMBERSHIP_CREATED,
                         target=membership, after={"user": user.get_username(), "role": membership.role,
                                                   "via": "sso", "groups": sorted(groups)})
    elif role and membership.role != Role.OWNER and membership.role != role:
        before = {"user": user.get_username(), "role": membership.role}
        membership.role = role
        versioned_save(membership, fields=["role"])
        admin_log_record(organisation=organisation, actor=user, action=AdminAction.MEMBERSHIP_ROLE_CHANGED,
                         target=membership, before=before,
                         after={"user": user.get_username(), "role": role, "via": "sso", "groups": sorted(groups)})
    joined = set(user.groups.filter(team__in=teams).values_list("team__pk", flat=True))
    for team in teams:
        if team.pk not in joined:
            team.group.user_set.add(user)
            in_team = {"team": team.name, "user": user.get_username(), "via": "sso"}
            admin_log_record(organisation=organisation, actor=user, action=AdminAction.TEAM_MEMBER_ADDED,
                             target=team, after=in_team)
    return membership
