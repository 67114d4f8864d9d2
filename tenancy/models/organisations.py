"""Organisations (the tenant), their members, teams and invitations."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    COMMENTER = "commenter", _("Commenter")
    VIEWER = "viewer", _("Viewer")


MANAGING_ROLES = (Role.OWNER, Role.ADMIN)
# Roles that change nothing in a plan: a viewer reads, a commenter also comments, votes and mentions.
READ_ONLY_ROLES = (Role.VIEWER, Role.COMMENTER)


class Organisation(VersionedModel):
    """The tenant: every other row reaches one organisation through its foreign keys."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")

    class Meta:
        db_table = "planning_organisation"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(VersionedModel):
    """A user's role in an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        db_table = "planning_membership"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["organisation_id", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user_per_org"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGING_ROLES


class Department(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    IT = "it", _("IT")
    PRODUCT = "product", _("Product")
    ECOMMERCE = "ecommerce", _("E-commerce")
    STORES = "stores", _("Stores")
    OTHER = "other", _("Other")


class Team(ExternalIdModel, VersionedModel):
    """A department of the organisation; its members are the users of its auth group (what guardian grants to)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, default=Department.OTHER)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="team", editable=False)

    class Meta:
        db_table = "planning_team"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_org"),
        ] + external_id_constraints("organisation", "team")

    def __str__(self):
        return self.name

    @property
    def member_list(self) -> list:
        """Members, from the selector's prefetch when there is one."""
        prefetched = getattr(self.group, "prefetched_members", None)
        return prefetched if prefetched is not None else list(self.group.user_set.order_by("username"))


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(VersionedModel):
    """An emailed offer to join an organisation with a role (and teams); expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    teams = models.ManyToManyField(Team, blank=True, related_name="invitations", verbose_name=_("teams"),
                                   db_table="planning_invitation_teams")
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        db_table = "planning_invitation"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and not self.is_expired
