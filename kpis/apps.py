from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    """The indicators a plan is measured by: KPIs with baseline and target, measurements, roadmap item links."""

    name = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        # Imported here: the plan's JSON export (roadmaps, a lower floor) takes the KPIs through its registry of
        # sections, filled once apps are loaded.
        from kpis.exports import KEY, export_kpis, import_kpis
        from roadmaps.exports.sections import JsonSection, register

        register(JsonSection(KEY, export_kpis, import_kpis))
