"""The demo organisation (seed_demo) plus what it leaves empty, and the address of one page of every type in it.

The accessibility, phone-width and screenshot tests walk the same list, so a page type added here is checked by all.
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from experience.models import LaneCard, Opportunity, PainPoint
from listening.models import Mention
from planning.models import Journey, Touchpoint
from planning.services import touchpoint_update
from roadmaps.models import Export, RoadmapItem
from tenancy.models import Organisation
from versions.models import PlanVersion
from versions.services import version_freeze
from workshops.services.comments import comment_create

ORGANISATION = "Northern Trail Outfitters"
PASSWORD = "journey-demo"  # seed_demo's


@dataclass(frozen=True)
class DemoPlan:
    organisation: Organisation
    plan: object
    journey: Journey
    touchpoint: Touchpoint


def demo_plan() -> DemoPlan:
    """seed_demo's organisation, with comments (one mentioning the owner, so the bell has a badge) and an export in
    each state."""
    call_command("seed_demo", stdout=StringIO())
    organisation = Organisation.objects.get(name=ORGANISATION)
    plan = organisation.plans.get()
    journey = Journey.objects.filter(plan=plan).order_by("pk").first()
    touchpoint = Touchpoint.objects.filter(stage__journey=journey).order_by("pk").first()
    editor = organisation.memberships.get(user__username="editor").user
    owner = organisation.memberships.get(user__username="owner").user
    comment_create(plan=plan, actor=editor, target_type="touchpoint", target_id=touchpoint.pk,
                   body="@owner should the store team answer this one?")
    comment_create(plan=plan, actor=owner, target_type="touchpoint", target_id=touchpoint.pk,
                   body="Yes, within a day.")
    for status, progress, error in [("succeeded", 100, ""), ("running", 40, ""), ("queued", 0, ""),
                                    ("failed", 20, "The PDF could not be drawn.")]:
        Export.objects.create(plan=plan, format="pdf", requested_by=owner, status=status, progress=progress,
                              error=error)
    return DemoPlan(organisation=organisation, plan=plan, journey=journey, touchpoint=touchpoint)


def open_touchpoint_form(page) -> None:
    """The touchpoint form opens inside the map, in place of the card (htmx), from the card's ✎ button."""
    page.locator(".tp .tp-edit").first.click()
    page.locator("form.tp-form").first.wait_for()


def open_add_form(page) -> None:
    page.locator(".tp-addbtn").first.click()
    page.locator(".tp-addform form.tp-form").first.wait_for()


def open_comments(page) -> None:
    """The comments drawer of the first card (live.js adds the card's comment button)."""
    page.locator(".tp .live-comments-btn").first.click()
    page.locator("#comments-form").wait_for()


def open_menus(page) -> None:
    """The stage's actions and the user's menu, open."""
    page.locator(".stage-menu summary").first.click()
    page.locator(".usermenu summary").click()


def page_types(demo: DemoPlan) -> list[tuple[str, str, Callable | None]]:
    """(name, path, what to do there first) of one page of every type a signed-in owner reaches."""
    org, plan, tp = demo.organisation.pk, demo.plan.pk, demo.touchpoint.pk
    persona = demo.plan.personas.order_by("pk").first()
    stakeholder = demo.plan.stakeholders.order_by("pk").first()
    assessment = demo.plan.maturity_assessments.order_by("pk").first()
    audit = demo.plan.audit_items.order_by("pk").first()
    item = RoadmapItem.objects.filter(plan=demo.plan).order_by("pk").first()
    team = demo.organisation.teams.order_by("pk").first()
    journey = demo.journey
    lane = journey.lanes.filter(kind="thoughts").first() or journey.lanes.order_by("pk").first()
    card = LaneCard.objects.filter(journey=journey).order_by("pk").first()
    pain = PainPoint.objects.filter(journey=journey).order_by("pk").first()
    opportunity = Opportunity.objects.filter(journey=journey).order_by("pk").first()
    stage = journey.stages.order_by("position").first()
    return [
        ("dashboard", reverse("home"), None),
        ("organisation", reverse("organisation_detail", args=[org]), None),
        ("organisation settings", reverse("organisation_settings", args=[org]), None),
        ("members", reverse("members", args=[org]), None),
        ("teams", reverse("teams", args=[org]), None),
        ("team form", reverse("team_edit", args=[org, team.pk]), None),
        ("channels", reverse("channels", args=[org]), None),
        ("themes", reverse("organisation_themes", args=[org]), None),
        ("api tokens", reverse("api_tokens", args=[org]), None),
        ("webhooks", reverse("webhooks", args=[org]), None),
        ("admin log", reverse("admin_log", args=[org]), None),
        ("sign-in security", reverse("organisation_security", args=[org]), None),
        ("two-factor authentication", reverse("mfa_index"), None),
        ("password confirmation", reverse("mfa_activate_totp"), None),  # asks for the password before the QR code
        ("profile", reverse("profile"), None),
        ("plan overview", reverse("plan_detail", args=[plan]), None),
        ("plan form", reverse("plan_edit", args=[plan]), None),
        ("plan access", reverse("plan_access", args=[plan]), None),
        ("share links", reverse("share_links", args=[plan]), None),
        ("personas", reverse("personas", args=[plan]), None),
        ("persona form", reverse("persona_edit", args=[plan, persona.pk]), None),
        ("stakeholders", reverse("stakeholders", args=[plan]), None),
        ("stakeholder form", reverse("stakeholder_edit", args=[plan, stakeholder.pk]), None),
        ("journeys", reverse("journey_list", args=[plan]), None),
        ("journey form", reverse("journey_create", args=[plan]), None),
        ("journey map", reverse("journey_map", args=[demo.journey.pk]), None),
        ("touchpoint form", reverse("journey_map", args=[demo.journey.pk]), open_touchpoint_form),
        ("new touchpoint form", reverse("journey_map", args=[demo.journey.pk]), open_add_form),
        ("comments drawer", reverse("journey_map", args=[demo.journey.pk]), open_comments),
        ("open menus", reverse("journey_map", args=[demo.journey.pk]), open_menus),
        ("lane form", reverse("lane_edit", args=[lane.pk]), None),
        ("lane card form", reverse("lane_card_edit", args=[card.pk]), None),
        ("emotion form", reverse("emotion_edit", args=[journey.pk, stage.pk]), None),
        ("pain point form", reverse("pain_edit", args=[pain.pk]), None),
        ("opportunity form", reverse("opportunity_edit", args=[opportunity.pk]), None),
        ("touchpoint evaluations", reverse("touchpoint_evaluations", args=[tp]), None),
        ("evaluations", reverse("plan_evaluations", args=[plan]), None),
        ("heatmap", reverse("plan_heatmap", args=[plan]), None),
        ("feedback", reverse("plan_feedback", args=[plan]), None),
        ("touchpoint feedback", reverse("touchpoint_feedback", args=[tp]), None),
        ("feedback import", reverse("feedback_import", args=[plan]), None),
        *listening_pages(demo),
        ("maturity", reverse("maturity", args=[plan]), None),
        ("maturity assessment", reverse("maturity_detail", args=[plan, assessment.pk]), None),
        ("audits", reverse("audits", args=[plan]), None),
        ("audit form", reverse("audit_edit", args=[plan, audit.pk]), None),
        ("roadmap list", reverse("roadmap", args=[plan]), None),
        ("roadmap board", reverse("roadmap_board", args=[plan]), None),
        ("roadmap timeline", reverse("roadmap_timeline", args=[plan]), None),
        ("roadmap matrix", reverse("roadmap_matrix", args=[plan]), None),
        ("roadmap scoring", reverse("roadmap_scoring", args=[plan]), None),
        ("roadmap item form", reverse("roadmap_item_edit", args=[plan, item.pk]), None),
        ("exports", reverse("plan_exports", args=[plan]), None),
        ("history", reverse("plan_activity", args=[plan]), None),
        *version_pages(demo),
        ("workshop", reverse("workshop", args=[plan]), None),
        ("comments", reverse("comments", args=[plan]), None),
        ("notifications", reverse("notifications"), None),
        ("error page", "/plans/987654/", None),
    ]


def listening_pages(demo: DemoPlan) -> list[tuple[str, str, Callable | None]]:
    """The social listening pages of the mentions and themes (with their suggestions, loaded after the page)."""
    plan = demo.plan.pk
    mention = Mention.objects.filter(plan_id=plan).order_by("-mentioned_on", "-pk").first()
    return [
        ("listening overview", reverse("listening", args=[plan]), None),
        ("mentions", reverse("listening_mentions", args=[plan]), None),
        ("mention form", reverse("listening_mention_edit", args=[plan, mention.pk]), None),
        ("listening themes", reverse("listening_themes", args=[plan]), wait_for_suggestions),
        ("theme suggestions", reverse("listening_theme_suggestions", args=[plan]), None),
    ]


def wait_for_suggestions(page) -> None:
    page.locator("#suggestions-list").wait_for()


def version_pages(demo: DemoPlan) -> list[tuple[str, str, Callable | None]]:
    """The versions pages, with a version frozen before one change (so the comparison has a row to restore)."""
    owner = demo.organisation.memberships.get(user__username="owner").user
    version = PlanVersion.objects.filter(plan=demo.plan).first() or version_freeze(
        plan=demo.plan, actor=owner, name="After workshop 2", note="Agreed with the store teams")
    touchpoint = Touchpoint.objects.select_related("journey__plan").get(pk=demo.touchpoint.pk)
    if touchpoint.name == demo.touchpoint.name:
        touchpoint_update(touchpoint=touchpoint, actor=owner, name=f"{touchpoint.name} (renamed)")
    plan = demo.plan.pk
    return [
        ("versions", reverse("plan_versions", args=[plan]), None),
        ("version", reverse("version_detail", args=[plan, version.pk]), None),
        ("version comparison", reverse("version_compare", args=[plan]) + f"?a={version.pk}&b=now", None),
        ("version restore", reverse("version_restore", args=[plan, version.pk, "touchpoint", touchpoint.pk]), None),
    ]
