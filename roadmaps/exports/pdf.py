"""The plan as a PDF a manager can read: HTML from templates/roadmaps/pdf/, laid out by WeasyPrint.

Pure: `plan_html` formats gathered data (no queries), `html_to_pdf` renders it with the locked-down fetcher as the
only way to load anything. User text reaches the HTML only through auto-escaping templates and format_html.
"""

import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint import HTML

from assessments.charts import maturity_grid_svg, position
from assessments.models import CHANNEL_AXIS, ENGAGEMENT_AXIS, OBJECTIVES
from roadmaps import charts as roadmap_charts
from roadmaps.exports import charts
from roadmaps.exports.fetcher import BASE_URL, StaticOnlyFetcher
from roadmaps.exports.gather import PlanExportData

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise

WIDE_JOURNEY_STAGES = 4  # more stages than this: the journey map gets a landscape page
TOP_GAPS = 10
LEVEL_KEYS = ("channel_level", "engagement_level", "target_channel_level", "target_engagement_level")


def css_string(text: str) -> str:
    """The inside of a CSS string literal for our own labels (page headers): every character but letters and
    digits escaped (six hex digits, so no whitespace is ever swallowed after an escape). It holds no quote,
    bracket or HTML-special character, and survives template auto-escaping unchanged."""
    return "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in str(text))


def document_context(data: PlanExportData) -> dict:
    """What the templates draw: the gathered data plus charts and a few derived lists."""
    journeys = [dict(j, wide=len(j["stages"]) > WIDE_JOURNEY_STAGES, heatmap=charts.heatmap_svg(j))
                for j in data.journeys]
    evaluated = [t for t in data.touchpoints if t["gap"] is not None]
    latest_maturity = data.maturity[-1] if data.maturity else None
    with_feedback = [t for t in data.touchpoints if t["feedback"] and any(
        e.n for e in t["feedback"].values())]
    timeline, not_on_timeline = roadmap_charts.timeline_rows(data.roadmap)
    columns = [(label, [i for i in data.roadmap if i["horizon"] == value])
               for value, label in (("now", _("Now")), ("next", _("Next")), ("later", _("Later")))]
    return {
        "data": data, "plan": data.plan, "organisation": data.organisation,
        "generated_on": timezone.localtime(data.generated_at).date(),
        "journeys": journeys,
        "top_gaps": sorted(evaluated, key=lambda t: (-t["gap"], t["ref"]))[:TOP_GAPS],
        "evaluated_count": len(evaluated),
        "touchpoints_with_feedback": with_feedback,
        "latest_maturity": latest_maturity,
        "maturity_grid": _maturity_grid(data.maturity) if data.maturity else "",
        "maturity_history": [dict(a, **{f"{key}_roman": charts.roman(a[key]) for key in LEVEL_KEYS})
                             for a in data.maturity],
        "evaluation_rows": _evaluation_rows(data),
        "data_item_rows": data.data_items,
        "maturity_levels": [{"roman": charts.ROMAN[level - 1], "channel": CHANNEL_AXIS[level],
                             "engagement": ENGAGEMENT_AXIS[level], "objective": OBJECTIVES[level]}
                            for level in range(1, 5)],
        "audit_groups": _audit_groups(data.audits),
        "roadmap_matrix": roadmap_charts.matrix_svg(data.roadmap) if data.roadmap else "",
        "roadmap_timeline": roadmap_charts.timeline_svg(timeline) if timeline else "",
        "not_on_timeline": not_on_timeline,
        "roadmap_columns": columns,
        "unplaced": [i for i in data.roadmap if not (i["value"] and i["effort"])],
        "css": {"page": css_string(_("Page") + " "), "of": css_string(" " + _("of") + " "),
                "generated": css_string(_("Generated on %(date)s") % {
                    "date": timezone.localtime(data.generated_at).strftime("%Y-%m-%d")})},
    }


def _maturity_grid(assessments: list[dict]):
    """The grid of the latest assessment, earlier agreed positions drawn faintly (assessments/charts.py)."""
    latest = assessments[-1]
    return maturity_grid_svg(
        votes=[(v["channel_level"], v["engagement_level"]) for v in latest["votes"]],
        current=position(latest["channel_level"], latest["engagement_level"]),
        target=position(latest["target_channel_level"], latest["target_engagement_level"]),
        history=[(a["assessed_on"], a["channel_level"], a["engagement_level"]) for a in assessments[:-1]
                 if position(a["channel_level"], a["engagement_level"])],
        caption=_("Digital maturity on %(date)s") % {"date": date_format(latest["assessed_on"])},
        id_prefix="pdf-maturity",
    )


def _evaluation_rows(data: PlanExportData) -> list[dict]:
    """Each evaluated touchpoint with its teams' evaluations and the workshop's agreement, in map order."""
    evaluations: dict[str, list] = {}
    for evaluation in data.evaluations:
        evaluations.setdefault(evaluation["touchpoint"], []).append(evaluation)
    agreements = {a["touchpoint"]: a for a in data.agreements}
    return [{"touchpoint": t, "evaluations": evaluations.get(t["ref"], []), "agreement": agreements.get(t["ref"])}
            for t in data.touchpoints if t["ref"] in evaluations or t["ref"] in agreements]


def _audit_groups(audits: list[dict]) -> list[dict]:
    """Audits grouped by kind then step, in the domain's order (have, need, wish)."""
    groups: dict[str, dict] = {}
    for item in audits:
        group = groups.setdefault(item["kind"], {"label": item["kind_label"], "steps": {}})
        group["steps"].setdefault(item["step"], {"label": item["step_label"], "items": []})["items"].append(item)
    order = {"have": 0, "need": 1, "wish": 2}
    return [{"label": g["label"], "steps": sorted(g["steps"].items(), key=lambda s: order.get(s[0], 9))}
            for _kind, g in sorted(groups.items())]


def plan_html(data: PlanExportData) -> str:
    return render_to_string("roadmaps/pdf/plan.html", document_context(data))


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """WeasyPrint on our HTML; every URL it meets (HTML, CSS, SVG, attachments) goes through the fetcher."""
    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def render(data: PlanExportData) -> bytes:
    return html_to_pdf(plan_html(data))
