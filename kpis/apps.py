from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    """The indicators a plan is measured by: KPIs with baseline and target, measurements, roadmap item links."""

    name = "kpis"
    verbose_name = _("KPIs")
