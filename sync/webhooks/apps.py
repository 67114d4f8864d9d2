from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "sync.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from roadmaps.exports.jobs import on_export_finished
        from sync.webhooks.services import activities_recorded, export_finished
        from tenancy.activity import on_recorded

        on_recorded(activities_recorded)  # every tracked write may become an event (sent after its commit)
        on_export_finished(export_finished)  # and so does the end of an export
