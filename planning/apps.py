from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from .activity import on_recorded
        from .live.broadcast import broadcast_activities

        on_recorded(broadcast_activities)  # every tracked write reaches the plan's live page (after its commit)
