from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """The workshop layer on top of the plan: comments, notifications, dot voting, the timer and live pages."""

    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from tenancy.activity import on_recorded
        from workshops.live.broadcast import broadcast_activities

        on_recorded(broadcast_activities)  # every tracked write reaches the plan's live page (after its commit)
