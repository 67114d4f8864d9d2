"""The plan's one tab bar (templates/partials/plan_nav.html): every page of a plan shows it with exactly one tab
marked as the current page, the right one, for every role that may open the page; and every plan URL is listed."""

import re
from datetime import date

import pytest
from django.urls import URLPattern, get_resolver, reverse

from assessments import services as assessments
from kpis import services as kpis
from listening import services as listening
from planning import services as planning
from planning.templatetags.plan_nav import PAGE_SECTIONS, SECTIONS
from roadmaps import services as roadmaps
from tests.assessments.test_api_permissions import make_touchpoints
from versions import services as versions

SECTION_URLS = {key: url_name for key, _label, url_name in SECTIONS}
NAV = re.compile(r'<nav class="tabs plantabs" aria-label="Plan sections">(.*?)</nav>', re.S)
CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')

# url name, how to build its args from the world, the section whose tab is current
PAGES = [
    ("plan_detail", lambda w: [w["plan"].pk], "overview"),
    ("plan_edit", lambda w: [w["plan"].pk], "overview"),
    ("plan_delete", lambda w: [w["plan"].pk], "overview"),
    ("plan_access", lambda w: [w["plan"].pk], "overview"),
    ("share_links", lambda w: [w["plan"].pk], "overview"),
    ("plan_save_template", lambda w: [w["plan"].pk], "overview"),
    ("journey_ideas", lambda w: [w["plan"].pk], "journeys"),
    ("plan_library", lambda w: [w["plan"].pk, "personas"], "personas"),
    ("stakeholders", lambda w: [w["plan"].pk], "overview"),
    ("stakeholder_create", lambda w: [w["plan"].pk], "overview"),
    ("stakeholder_edit", lambda w: [w["plan"].pk, w["stakeholder"].pk], "overview"),
    ("stakeholder_delete", lambda w: [w["plan"].pk, w["stakeholder"].pk], "overview"),
    ("personas", lambda w: [w["plan"].pk], "personas"),
    ("persona_create", lambda w: [w["plan"].pk], "personas"),
    ("persona_edit", lambda w: [w["plan"].pk, w["persona"].pk], "personas"),
    ("persona_delete", lambda w: [w["plan"].pk, w["persona"].pk], "personas"),
    ("journey_list", lambda w: [w["plan"].pk], "journeys"),
    ("journey_create", lambda w: [w["plan"].pk], "journeys"),
    ("journey_map", lambda w: [w["journey"].pk], "journeys"),
    ("journey_edit", lambda w: [w["journey"].pk], "journeys"),
    ("journey_delete", lambda w: [w["journey"].pk], "journeys"),
    ("plan_evaluations", lambda w: [w["plan"].pk], "evaluations"),
    ("plan_heatmap", lambda w: [w["plan"].pk], "evaluations"),
    ("touchpoint_evaluations", lambda w: [w["touchpoint"].pk], "evaluations"),
    ("plan_feedback", lambda w: [w["plan"].pk], "feedback"),
    ("feedback_import", lambda w: [w["plan"].pk], "feedback"),
    ("touchpoint_feedback", lambda w: [w["touchpoint"].pk], "feedback"),
    ("listening", lambda w: [w["plan"].pk], "feedback"),
    ("listening_import", lambda w: [w["plan"].pk], "feedback"),
    ("listening_volume", lambda w: [w["plan"].pk], "feedback"),
    ("listening_sentiment", lambda w: [w["plan"].pk], "feedback"),
    ("listening_themes", lambda w: [w["plan"].pk], "feedback"),
    ("listening_competitors", lambda w: [w["plan"].pk], "feedback"),
    ("listening_authors", lambda w: [w["plan"].pk], "feedback"),
    ("listening_mentions", lambda w: [w["plan"].pk], "feedback"),
    ("listening_mention_edit", lambda w: [w["plan"].pk, w["mention"].pk], "feedback"),
    ("listening_mention_delete", lambda w: [w["plan"].pk, w["mention"].pk], "feedback"),
    ("listening_theme_suggestions", lambda w: [w["plan"].pk], "feedback"),
    ("maturity", lambda w: [w["plan"].pk], "maturity"),
    ("maturity_create", lambda w: [w["plan"].pk], "maturity"),
    ("maturity_detail", lambda w: [w["plan"].pk, w["assessment"].pk], "maturity"),
    ("maturity_edit", lambda w: [w["plan"].pk, w["assessment"].pk], "maturity"),
    ("maturity_delete", lambda w: [w["plan"].pk, w["assessment"].pk], "maturity"),
    ("audits", lambda w: [w["plan"].pk], "audits"),
    ("audit_create", lambda w: [w["plan"].pk], "audits"),
    ("audit_edit", lambda w: [w["plan"].pk, w["audit"].pk], "audits"),
    ("audit_delete", lambda w: [w["plan"].pk, w["audit"].pk], "audits"),
    ("roadmap", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_item_create", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_item_edit", lambda w: [w["plan"].pk, w["item"].pk], "roadmap"),
    ("roadmap_item_delete", lambda w: [w["plan"].pk, w["item"].pk], "roadmap"),
    ("roadmap_board", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_timeline", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_matrix", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_scoring", lambda w: [w["plan"].pk], "roadmap"),
    ("roadmap_criterion_edit", lambda w: [w["plan"].pk, w["criterion"].pk], "roadmap"),
    ("roadmap_criterion_delete", lambda w: [w["plan"].pk, w["criterion"].pk], "roadmap"),
    ("roadmap_item_kpis", lambda w: [w["plan"].pk, w["item"].pk], "roadmap"),
    ("roadmap_item_kpi_link_create", lambda w: [w["plan"].pk, w["item"].pk], "roadmap"),
    ("kpis", lambda w: [w["plan"].pk], "kpis"),
    ("kpi_create", lambda w: [w["plan"].pk], "kpis"),
    ("kpi_detail", lambda w: [w["plan"].pk, w["kpi"].pk], "kpis"),
    ("kpi_edit", lambda w: [w["plan"].pk, w["kpi"].pk], "kpis"),
    ("kpi_delete", lambda w: [w["plan"].pk, w["kpi"].pk], "kpis"),
    ("measurement_create", lambda w: [w["plan"].pk, w["kpi"].pk], "kpis"),
    ("measurement_edit", lambda w: [w["plan"].pk, w["measurement"].pk], "kpis"),
    ("measurement_delete", lambda w: [w["plan"].pk, w["measurement"].pk], "kpis"),
    ("kpi_link_create", lambda w: [w["plan"].pk, w["kpi"].pk], "kpis"),
    ("kpi_link_edit", lambda w: [w["plan"].pk, w["kpi_link"].pk], "kpis"),
    ("kpi_link_delete", lambda w: [w["plan"].pk, w["kpi_link"].pk], "kpis"),
    ("workshop", lambda w: [w["plan"].pk], "workshop"),
    ("comments", lambda w: [w["plan"].pk], "workshop"),
    ("comment_moderation", lambda w: [w["plan"].pk], "workshop"),
    ("plan_exports", lambda w: [w["plan"].pk], "exports"),
    ("plan_activity", lambda w: [w["plan"].pk], "history"),
    ("plan_versions", lambda w: [w["plan"].pk], "versions"),
    ("version_detail", lambda w: [w["plan"].pk, w["version"].pk], "versions"),
    ("version_compare", lambda w: [w["plan"].pk], "versions"),
    ("version_restore", lambda w: [w["plan"].pk, w["version"].pk, "touchpoint", w["touchpoint"].pk], "versions"),
]
# Plan URLs that are not pages a person lands on: posts that redirect, htmx fragments, files.
NOT_PAGES = {
    "plan_revoke_access", "share_link_revoke", "persona_copy", "feedback_import_result", "feedback_template_csv",
    "feedback_touchpoints_csv", "maturity_vote", "audit_to_roadmap", "roadmap_item_use_suggestion",
    "roadmap_board_columns", "roadmap_item_move", "roadmap_criterion_create", "workshop_state", "workshop_vote",
    "workshop_timer", "voting_start", "voting_reveal", "voting_close", "plan_duplicate", "version_json", "version_pdf",
    "kpi_compute", "plan_kpis_compute", "journey_from_idea", "library_publish",
    "library_pick", "library_remove",
    "listening_import_result", "listening_competitor_add", "listening_competitor_remove", "listening_rule_run",
    "listening_rule_run_status", "listening_theme_suggestion_accept",
}
# Full-screen pages without the tabs, each reached by a button of the plan overview and leading back to it.
FULL_SCREEN = {"plan_present": "Present"}
QUERIES = {"audit_create": lambda w: "?kind=data&step=need",
           "comments": lambda w: f"?on=touchpoint:{w['touchpoint'].pk}",
           "version_compare": lambda w: f"?a={w['version'].pk}&b=now"}
# Who may not open a page (403): viewers may not open editing pages, editors may not share or delete the plan.
MANAGE_PAGES = {"plan_delete", "plan_access", "share_links", "plan_save_template"}
VIEW_ROLES = ["viewer", "editor", "admin", "owner"]


@pytest.fixture
def world(plan, team):
    (touchpoint,) = make_touchpoints(plan, ["Buys online"])
    assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=2, potential_customer=4,
                                  potential_brand=4)
    item = roadmaps.roadmap_item_create(plan=plan, actor=None, title="CRM", category="crm", horizon="now", value=9,
                                        effort=3)
    kpi = kpis.kpi_create(plan=plan, actor=None, name="Churn", direction="lower")
    return {
        "kpi": kpi, "kpi_link": kpis.kpi_link_create(kpi=kpi, item=item, actor=None),
        "measurement": kpis.measurement_create(kpi=kpi, actor=None, measured_on=date(2026, 3, 1), value=8),
        "plan": plan, "touchpoint": touchpoint, "journey": touchpoint.journey,
        "persona": planning.persona_create(plan=plan, actor=None, name="Sophie"),
        "stakeholder": planning.stakeholder_create(plan=plan, actor=None, name="Claire Dubois"),
        "assessment": assessments.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2026, 3, 1),
                                                             channel_level=1, engagement_level=2),
        "audit": assessments.audit_item_create(plan=plan, actor=None, kind="data", step="need", title="One id"),
        "item": item,
        "criterion": roadmaps.criterion_create(plan=plan, actor=None, name="Customer value"),
        "version": versions.version_freeze(plan=plan, actor=None, name="After workshop 2"),
        "mention": listening.mention_create(plan=plan, actor=None, channel=touchpoint.channel,
                                            mentioned_on=date(2026, 3, 2), text="Queue too long"),
    }


def plan_nav(body: str) -> str:
    navs = NAV.findall(body)
    assert len(navs) == 1, "the page shows the plan's tab bar once"
    return navs[0]


@pytest.mark.parametrize(("name", "args", "section"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", VIEW_ROLES)
def test_every_plan_page_shows_the_tabs_with_its_section_current(client_for, people, world, name, args, section,
                                                                 role):
    query = QUERIES.get(name, lambda w: "")(world)
    response = client_for(people[role]).get(reverse(name, args=args(world)) + query)
    if response.status_code == 403:  # a page the role may not open: nothing to navigate
        assert role == "viewer" or (role == "editor" and name in MANAGE_PAGES)
        return
    assert response.status_code == 200
    nav = plan_nav(response.content.decode())
    plan = world["plan"]
    for key, label, url_name in SECTIONS:
        assert f'href="{reverse(url_name, args=[plan.pk])}"' in nav, f"the {key} tab is missing"
        assert str(label) in nav
    [(href, _label)] = CURRENT.findall(nav)
    assert href == reverse(SECTION_URLS[section], args=[plan.pk])


@pytest.mark.parametrize("section", list(SECTION_URLS))
@pytest.mark.parametrize("role", VIEW_ROLES)
def test_every_section_opens_for_every_role_that_sees_the_plan(client_for, people, world, section, role):
    response = client_for(people[role]).get(reverse(SECTION_URLS[section], args=[world["plan"].pk]))
    assert response.status_code == 200
    [(href, _label)] = CURRENT.findall(plan_nav(response.content.decode()))
    assert href == response.request["PATH_INFO"]


def test_the_tabs_are_translated(client_for, people, world):
    response = client_for(people["viewer"]).get(reverse("plan_feedback", args=[world["plan"].pk]),
                                                HTTP_ACCEPT_LANGUAGE="fr")
    nav = plan_nav(response.content.decode().replace('aria-label="Sections du plan"', 'aria-label="Plan sections"'))
    assert "Vue d’ensemble" in nav and "Parcours" in nav and "Feuille de route" in nav
    assert CURRENT.findall(nav)[0][1] == "Retours clients"


def _plan_url_names(resolver=None, prefix="") -> set[str]:
    """The names of the pages' URLs under plans/<pk>/ (the API's are not pages)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            if route.startswith("plans/<int:pk>/") and entry.name:
                names.add(entry.name)
        else:
            names |= _plan_url_names(entry, route)
    return names


def test_every_plan_url_is_a_checked_page_or_said_not_to_be_one():
    checked = {name for name, _args, _section in PAGES}
    assert _plan_url_names() - checked - NOT_PAGES - set(FULL_SCREEN) == set()
    assert checked <= set(PAGE_SECTIONS)


@pytest.mark.parametrize("name", list(FULL_SCREEN))
@pytest.mark.parametrize("role", VIEW_ROLES)
def test_full_screen_pages_open_from_the_overview_and_lead_back(client_for, people, world, name, role):
    client = client_for(people[role])
    plan = world["plan"]
    overview = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    url = reverse(name, args=[plan.pk])
    assert re.search(rf'<a class="btn" href="{re.escape(url)}">[^<]*{FULL_SCREEN[name]}</a>', overview)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert not NAV.findall(body) and f'href="{reverse("plan_detail", args=[plan.pk])}"' in body
