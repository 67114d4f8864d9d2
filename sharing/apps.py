from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Read-only share links: a plan, one journey or the roadmap shown to people without an account."""

    name = "sharing"
    verbose_name = _("Sharing")
