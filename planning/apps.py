from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """The journey map: stakeholders, personas, channels, journeys, stages and touchpoints."""

    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from planning.services.journeys import channels_seed
        from tenancy.services import on_organisation_created

        on_organisation_created(channels_seed)  # a new organisation starts with the usual channels
