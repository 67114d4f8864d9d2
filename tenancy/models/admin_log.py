"""The organisation's admin log: who gave whom access, when and from where. Rows are only ever inserted (and purged
after ADMIN_LOG_RETENTION_DAYS): tenancy.admin_log is the one writer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancy.models.organisations import Organisation


class AdminAction(models.TextChoices):
    ORGANISATION_CHANGED = "organisation.changed", _("Organisation settings changed")
    MEMBERSHIP_CREATED = "membership.created", _("Member added")
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed", _("Member's role changed")
    MEMBERSHIP_REMOVED = "membership.removed", _("Member removed")
    TEAM_CREATED = "team.created", _("Team created")
    TEAM_CHANGED = "team.changed", _("Team changed")
    TEAM_DELETED = "team.deleted", _("Team deleted")
    TEAM_MEMBER_ADDED = "team.member_added", _("Added to a team")
    TEAM_MEMBER_REMOVED = "team.member_removed", _("Removed from a team")
    PLAN_SHARED = "plan.shared", _("Plan shared")
    PLAN_UNSHARED = "plan.unshared", _("Plan sharing revoked")
    PLAN_DELETED = "plan.deleted", _("Plan deleted")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation withdrawn")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    WEBHOOK_CREATED = "webhook.created", _("Webhook created")
    WEBHOOK_CHANGED = "webhook.changed", _("Webhook changed")
    WEBHOOK_DELETED = "webhook.deleted", _("Webhook deleted")
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated", _("Webhook secret rotated")
    EXPORT_REQUESTED = "export.requested", _("Export requested")
    MFA_POLICY_CHANGED = "mfa.policy_changed", _("Two-factor requirement changed")
    MFA_ENABLED = "mfa.enabled", _("Two-factor authentication added")
    MFA_DISABLED = "mfa.disabled", _("Two-factor authentication removed")
    SSO_CHANGED = "sso.changed", _("Single sign-on settings changed")


class Channel(models.TextChoices):
    SESSION = "session", _("Signed-in session")
    API_TOKEN = "api_token", _("API token")
    SCRIPT_TOKEN = "script_token", _("Script token")
    SYSTEM = "system", _("System")


class AdminLogEntry(models.Model):
    """One administrative change: who, when, from where (address, user agent, session or token), what, before/after."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("who"))
    actor_name = models.CharField(_("who"), max_length=150, blank=True)  # kept when the account is deleted
    action = models.CharField(_("action"), max_length=40, choices=AdminAction.choices)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    target_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    channel = models.CharField(_("through"), max_length=20, choices=Channel.choices, default=Channel.SYSTEM)
    api_token_id = models.BigIntegerField(_("API token id"), null=True, blank=True)  # sync.ApiToken is a floor up
    api_token_name = models.CharField(_("API token"), max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("admin log entry")
        verbose_name_plural = _("admin log")
        indexes = [models.Index(fields=["organisation", "-created_at", "-id"], name="admin_log_recent"),
                   models.Index(fields=["created_at"], name="admin_log_age")]
        constraints = [models.CheckConstraint(condition=models.Q(action__in=AdminAction.values),
                                              name="admin_log_action_valid")]

    def __str__(self):
        return f"{self.actor_name or '-'} {self.action} {self.target_repr}"
