from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from assessments import rollups
        from planning.models import Touchpoint

        # Derived data, not a business rule: the plan × day rollup cells lose a deleted touchpoint's responses,
        # whichever service (or cascade from a journey or stage) deletes it.
        pre_delete.connect(rollups.touchpoint_removed, sender=Touchpoint, dispatch_uid="feedback_rollup_touchpoint")
