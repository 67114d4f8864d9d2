from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """Plan templates (built-in and saved from a plan), the gallery of journey ideas, and the organisation's library
    of personas and journeys that plans pick from."""

    name = "library"
    verbose_name = _("Library")
