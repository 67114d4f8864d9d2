from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperienceConfig(AppConfig):
    """What the customer lives on a journey: experience lanes, the emotion curve, pain points and opportunities."""

    name = "experience"
    verbose_name = _("Customer experience")

    def ready(self):
        # Imported here: the map draws the experience lanes through planning's registry, filled once apps are loaded.
        from experience.map_rows import experience_rows
        from planning.map_rows import register

        register(experience_rows)
