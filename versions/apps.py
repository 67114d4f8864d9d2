from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    """Frozen plan versions (compare, restore one object, PDF of a version) and duplicating a journey or a plan."""

    name = "versions"
    verbose_name = _("Versions")
