from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    """Organisations, members, teams, invitations, plans as units of access, and the history of every write."""

    name = "tenancy"
    verbose_name = _("Organisations")
