from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    """The indicators a plan is measured by: KPIs with baseline and target, measurements, roadmap item links."""

    name = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        # Imported here: the plan's JSON export and PDF (roadmaps, a lower floor) take the KPIs through their
        # registries of sections, filled once apps are loaded.
        from kpis.exports import KEY, export_kpis, import_kpis
        from kpis.pdf import kpi_section
        from roadmaps.exports.pdf.sections import register_body
        from roadmaps.exports.sections import JsonSection, register

        register(JsonSection(KEY, export_kpis, import_kpis))
        register_body(kpi_section)  # the PDF's KPI table, after the roadmap
