"""The plan's KPIs in the PDF: each KPI's baseline → current → target with its progress and trend, after the roadmap
(registered in kpis.apps through roadmaps.exports.pdf.sections.register_body). Two queries when the document's
sections are listed, none while they are laid out; no section for a plan without KPIs."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from kpis.models import Kpi
from kpis.progress import standing
from kpis.selectors import series_by_kpi
from roadmaps.exports.pdf.sections import Section, TocEntry


def kpi_rows(plan_id: int) -> list[dict]:
    kpis = list(Kpi.objects.filter(plan_id=plan_id).select_related("owner_team").order_by("name", "id"))
    series = series_by_kpi([k.pk for k in kpis])
    return [{"kpi": k, "standing": standing(k, series[k.pk]), "count": len(series[k.pk]),
             "unit": k.get_unit_display(), "direction": k.get_direction_display(),
             "owner": k.owner_team.name if k.owner_team else ""} for k in kpis]


def kpi_section(data) -> Iterator[Section]:
    rows = kpi_rows(data.plan["id"])
    if rows:
        title = _("KPIs: baseline, current value and target")
        yield Section("kpis", title, "kpis/pdf/_kpis.html", lambda: {"kpi_rows": rows}, weight=len(rows),
                      toc=[TocEntry(1, title, "kpis")], label=title)
