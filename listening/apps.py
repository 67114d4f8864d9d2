from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    """Social listening: mentions of the brand imported from listening tools, competitors, and the indicators."""

    name = "listening"
    verbose_name = _("Social listening")
