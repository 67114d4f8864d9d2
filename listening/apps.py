from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    """Social listening: mentions of the brand imported from listening tools, competitors, and the indicators."""

    name = "listening"
    verbose_name = _("Social listening")

    def ready(self):
        # Imported here: the persona cards show what customers say through planning's registry, filled once apps
        # are loaded.
        from listening.persona_voice import persona_voice_panels
        from planning.persona_panels import register

        register(persona_voice_panels)
