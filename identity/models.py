"""An organisation's sign-in requirements (issue 20): whether its members must use a second factor."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancy.models import Organisation


class MfaPolicy(models.Model):
    """Whether an organisation requires its members to sign in with a second factor (TOTP or WebAuthn)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="mfa_policy",
                                        primary_key=True)
    required = models.BooleanField(_("require two-factor authentication"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")

    def __str__(self):
        return f"{self.organisation}: {'required' if self.required else 'optional'}"
