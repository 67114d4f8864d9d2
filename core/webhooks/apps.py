from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "core.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from core.webhooks.services import activities_recorded
        from tenancy.activity import on_recorded

        on_recorded(activities_recorded)  # every tracked write may become an event (sent after its commit)
