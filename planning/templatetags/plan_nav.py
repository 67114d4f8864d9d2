"""`{% plan_sections plan as sections %}`: the sections of a plan in the order of its tab bar, the current one marked.

The tab bar (templates/partials/plan_nav.html) is the one navigation of a plan. A page belongs to the section its
URL name is listed under in PAGE_SECTIONS; a template may say otherwise with a `plan_section` context variable. The
names are only strings: this module imports no higher app, and tests/planning/test_plan_nav.py checks that every
plan page is listed.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# key, tab label, the URL name the tab opens (every one takes the plan's pk)
SECTIONS = [
    ("overview", _("Overview"), "plan_detail"),
    ("personas", _("Personas"), "personas"),
    ("journeys", _("Journeys"), "journey_list"),
    ("evaluations", _("Evaluations"), "plan_evaluations"),
    ("feedback", _("Customer feedback"), "plan_feedback"),
    ("maturity", _("Maturity"), "maturity"),
    ("audits", _("Audits"), "audits"),
    ("roadmap", _("Roadmap"), "roadmap"),
    ("kpis", _("KPIs"), "kpis"),
    ("workshop", _("Workshop"), "workshop"),
    ("exports", _("Exports"), "plan_exports"),
    ("history", _("History"), "plan_activity"),
    ("versions", _("Versions"), "plan_versions"),
]

_PAGES = {
    # Stakeholders and the plan's own settings are reached from the overview.
    "overview": ["plan_detail", "plan_edit", "plan_delete", "plan_access", "plan_revoke_access", "share_links",
                 "plan_save_template",
                 "share_link_revoke",
                 "stakeholders", "stakeholder_create", "stakeholder_edit", "stakeholder_delete"],
    "personas": ["personas", "persona_create", "persona_copy", "persona_edit", "persona_delete",
                 "plan_library"],  # the organisation library (its journeys page says "journeys" itself)
    "journeys": ["journey_list", "journey_create", "journey_map", "journey_edit", "journey_delete", "touchpoint_edit",
                 "touchpoint_delete", "lane_edit", "lane_delete", "lane_card_create", "lane_card_edit",
                 "lane_card_delete", "emotion_edit", "pain_create", "pain_edit", "pain_delete", "opportunity_create",
                 "opportunity_edit", "opportunity_delete", "journey_ideas"],
    "evaluations": ["plan_evaluations", "plan_heatmap", "touchpoint_evaluations", "evaluation_card", "evaluation_edit",
                    "evaluation_delete", "agreement_set", "agreement_clear", "data_item_create", "data_item_edit",
                    "data_item_delete"],
    "feedback": ["plan_feedback", "feedback_import", "feedback_import_result", "touchpoint_feedback", "feedback_add",
                 # Social listening (listening/views/pages.py), linked from the feedback page.
                 "listening", "listening_competitor_add", "listening_competitor_remove", "listening_import",
                 "listening_import_result", "listening_volume", "listening_sentiment", "listening_themes",
                 "listening_competitors", "listening_authors", "listening_mentions", "listening_mention_edit",
                 "listening_mention_delete", "listening_theme_suggestions"],
    "maturity": ["maturity", "maturity_create", "maturity_detail", "maturity_vote", "maturity_edit", "maturity_delete"],
    "audits": ["audits", "audit_create", "audit_edit", "audit_delete", "audit_to_roadmap"],
    "roadmap": ["roadmap", "roadmap_item_create", "roadmap_item_edit", "roadmap_item_delete",
                "roadmap_item_use_suggestion", "opportunity_to_roadmap", "roadmap_board", "roadmap_timeline",
                "roadmap_matrix",
                "roadmap_scoring", "roadmap_criterion_create", "roadmap_criterion_edit", "roadmap_criterion_delete",
                "roadmap_item_kpis", "roadmap_item_kpi_link_create"],
    "kpis": ["kpis", "kpi_create", "kpi_detail", "kpi_edit", "kpi_delete", "kpi_compute", "plan_kpis_compute",
             "measurement_create", "measurement_edit", "measurement_delete", "kpi_link_create", "kpi_link_edit",
             "kpi_link_delete"],
    "workshop": ["workshop", "comments", "comment_moderation"],
    "exports": ["plan_exports"],
    "history": ["plan_activity"],
    "versions": ["plan_versions", "version_compare", "version_detail", "version_restore", "plan_duplicate",
                 "version_json", "version_pdf"],
}
PAGE_SECTIONS = {name: section for section, names in _PAGES.items() for name in names}


def section_of(url_name: str | None) -> str | None:
    return PAGE_SECTIONS.get(url_name or "")


@register.simple_tag(takes_context=True)
def plan_sections(context, plan) -> list[dict]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = context.get("plan_section") or section_of(match.url_name if match else None)
    return [{"key": key, "label": label, "url": reverse(url_name, args=[plan.pk]), "current": key == current}
            for key, label, url_name in SECTIONS]
