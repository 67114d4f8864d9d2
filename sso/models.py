"""An organisation's OpenID Connect configuration, the e-mail domains it owns and its group mappings."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from tenancy.models import Organisation, Role, Team

# Just-in-time members never become owners: ownership is given by an owner, by hand.
JIT_ROLES = (Role.ADMIN, Role.EDITOR, Role.VIEWER)
JIT_ROLE_CHOICES = [(role.value, role.label) for role in JIT_ROLES]


class SsoConfiguration(TimeStampedModel):
    """One organisation's identity provider; its allauth SocialApp holds the client id and the secret."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="sso_configuration")
    social_app = models.OneToOneField(SocialApp, on_delete=models.PROTECT, related_name="sso_configuration",
                                      editable=False)
    issuer = models.URLField(_("issuer URL"), max_length=500)
    client_id = models.CharField(_("client ID"), max_length=191)
    extra_scopes = models.CharField(_("extra scopes"), max_length=200, blank=True)
    default_role = models.CharField(_("default role"), max_length=10, default=Role.VIEWER,
                                    choices=JIT_ROLE_CHOICES)
    groups_claim = models.CharField(_("groups claim"), max_length=100, blank=True)
    sso_required = models.BooleanField(_("SSO required"), default=False)

    class Meta:
        ordering = ["organisation_id"]
        verbose_name = _("SSO configuration")
        verbose_name_plural = _("SSO configurations")
        constraints = [
            models.CheckConstraint(condition=Q(default_role__in=[role.value for role in JIT_ROLES]),
                                   name="sso_default_role_not_owner"),
        ]

    def __str__(self):
        return f"SSO · {self.organisation}"

    @property
    def provider_id(self) -> str:
        return self.social_app.provider_id


class SsoDomain(models.Model):
    """An e-mail domain an organisation owns: its people are sent to that organisation's provider."""

    configuration = models.ForeignKey(SsoConfiguration, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("SSO domain")
        verbose_name_plural = _("SSO domains")
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="sso_domain_unique_everywhere"),
            models.CheckConstraint(condition=Q(domain=Lower("domain")), name="sso_domain_lower_case"),
        ]

    def __str__(self):
        return self.domain


class SsoGroupMapping(models.Model):
    """A group of the groups claim gives a role (the highest mapped wins) and/or a place in a team."""

    configuration = models.ForeignKey(SsoConfiguration, on_delete=models.CASCADE, related_name="group_mappings")
    group = models.CharField(_("group"), max_length=200)
    role = models.CharField(_("role"), max_length=10, blank=True,
                            choices=JIT_ROLE_CHOICES)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("SSO group mapping")
        verbose_name_plural = _("SSO group mappings")
        constraints = [
            models.UniqueConstraint(fields=["configuration", "group"], name="sso_group_once_per_configuration"),
            models.CheckConstraint(condition=~Q(role="") | Q(team__isnull=False), name="sso_group_maps_something"),
            models.CheckConstraint(condition=Q(role__in=["", *[role.value for role in JIT_ROLES]]),
                                   name="sso_group_role_not_owner"),
        ]

    def __str__(self):
        return self.group
