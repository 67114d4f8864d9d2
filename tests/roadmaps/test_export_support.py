"""Shared by the export tests (no tests here): a plan with everything an export shows, PDF helpers, a slow
renderer for the worker tests, and a URL conf with the exports API for before config/api_router.py registers it.
"""

import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from assessments import services as assessments
from config import api_router
from config.urls import urlpatterns as project_urlpatterns
from experience import services as experience
from planning import services as planning
from planning.models import Channel
from roadmaps import services as roadmaps
from roadmaps.api.routes import ROUTES, URLS

# URL conf: the project's URLs plus the exports API (skipping whatever the lead has already registered) ----------

_registered = {prefix for prefix, _viewset, _basename in api_router.router.registry}
_named = {getattr(pattern, "name", None) for pattern in api_router.urlpatterns}
_router = SimpleRouter()
for _prefix, _viewset, _basename in ROUTES:
    if _prefix not in _registered:
        _router.register(_prefix, _viewset, basename=_basename)
urlpatterns = [path("api/v1/", include([u for u in URLS if u.name not in _named] + _router.urls)),
               *project_urlpatterns]
URLCONF = "tests.roadmaps.test_export_support"

# A plan with something in every section --------------------------------------------------------------------------

PERSONAS = ("Léa the weekend hiker", "Marc the trail runner")
TOUCHPOINT = "Checks stock in her store"
TOP_ITEM = "Real-time store stock API"
LANE_CARD = "Is my size in stock nearby?"
PAIN_POINT = "Stock shown online is wrong"


def build_plan(plan, *, team, actor=None, persona_description="", extra_touchpoints=0) -> dict:
    """Fill `plan` through the services: two personas, a journey of four stages, touchpoints, an evaluation,
    feedback, a maturity assessment, an audit gap and three roadmap items (TOP_ITEM ranks first)."""
    planning.channels_seed(plan.organisation)
    channels = {c.name: c for c in Channel.objects.filter(organisation=plan.organisation)}
    website, store = channels["Website"], channels["Physical store"]
    lea = planning.persona_create(plan=plan, actor=actor, name=PERSONAS[0], description=persona_description,
                                  goals="Find the right boots", preferred_channels=[website])
    planning.persona_create(plan=plan, actor=actor, name=PERSONAS[1], description="Loyal to a few brands")
    planning.stakeholder_create(plan=plan, actor=actor, name="Claire Dubois", title="Head of customer service",
                                team=team, objective="Agents who upsell")
    journey = planning.journey_create(plan=plan, actor=actor, name="Buys hiking boots", persona=lea,
                                      template="purchase")
    stages = list(journey.stages.order_by("position"))
    stock = planning.touchpoint_create(stage=stages[1], channel=website, actor=actor, name=TOUCHPOINT, team=team)
    visit = planning.touchpoint_create(stage=stages[2], channel=store, actor=actor, name="Tries the boots on")
    for number in range(extra_touchpoints):
        planning.touchpoint_create(stage=stages[number % len(stages)], channel=store, actor=actor,
                                   name=f"Extra touchpoint {number + 1}")
    assessments.evaluation_create(touchpoint=stock, team=team, actor=actor, maturity=1, potential_customer=5,
                                  potential_brand=4)
    for score in (9, 10, 3):
        assessments.feedback_create(touchpoint=stock, actor=actor, kind="nps", score=score,
                                    responded_on=date(2027, 2, 1), verbatim="Stock was wrong")
    assessments.maturity_assessment_create(plan=plan, actor=actor, assessed_on=date(2027, 1, 15), channel_level=1,
                                           engagement_level=3, target_channel_level=4, target_engagement_level=4)
    gap = assessments.audit_item_create(plan=plan, actor=actor, kind="data", step="need",
                                        title="One customer id across store and web", touchpoints=[stock])
    top = roadmaps.roadmap_item_create(plan=plan, actor=actor, title=TOP_ITEM, category="api", horizon="now",
                                       value=9, effort=3, touchpoints=[stock], audit_gaps=[gap], teams=[team])
    crm = roadmaps.roadmap_item_create(plan=plan, actor=actor, title="Unified customer id", category="crm",
                                       value=6, effort=6, touchpoints=[stock, visit])
    roadmaps.roadmap_item_create(plan=plan, actor=actor, title="Clienteling app", category="internal_app",
                                 value=4, effort=8, dependencies=[crm])
    _experience(journey, stages, stock, visit, top, actor)
    return {"journey": journey, "touchpoints": [stock, visit], "top": top}


def _experience(journey, stages, stock, visit, top, actor) -> None:
    """Lanes, emotions, a pain point citing two (identical) verbatims, an opportunity answered by TOP_ITEM."""
    thoughts = experience.lane_create(journey=journey, actor=actor, kind="thoughts")
    experience.lane_card_create(lane=thoughts, stage=stages[1], actor=actor, text=LANE_CARD)
    experience.lane_create(journey=journey, actor=actor, kind="emotion")
    experience.lane_create(journey=journey, actor=actor, kind="insights")
    experience.lane_create(journey=journey, actor=actor, kind="backstage", title="Nightly stock sync",
                           hidden=True)
    for stage, score in zip(stages, (1, -2, 0, 1), strict=True):
        experience.emotion_set(journey=journey, stage=stage, actor=actor, score=score, note=f"Stage {score}")
    experience.emotion_set(journey=journey, stage=stages[2], touchpoint=visit, actor=actor, score=2)
    verbatims = list(stock.feedback.exclude(verbatim="").order_by("pk"))[:2]
    pain = experience.pain_point_create(journey=journey, stage=stages[1], actor=actor, title=PAIN_POINT, severity=4,
                                        evidence="measured", touchpoints=[stock], verbatims=verbatims)
    opportunity = experience.opportunity_create(journey=journey, stage=stages[1], actor=actor,
                                                title="Live stock on the product page", expected_value=5,
                                                touchpoints=[stock], pain_points=[pain])
    roadmaps.roadmap_item_update(item=top, actor=actor, opportunities=[opportunity])


# PDF helpers ------------------------------------------------------------------------------------------------------


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / f"export-{time.monotonic_ns()}.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def embedded_files(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's attachments (embedded files and file-attachment annotations), as pdfdetach lists them."""
    source = tmp_path / f"attachments-{time.monotonic_ns()}.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(["pdfdetach", "-list", str(source)], capture_output=True, check=True, timeout=60)
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    return [line for line in lines[1:] if line.strip()]  # first line: "N embedded files"


def poppler_available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdfdetach"))


# A slow renderer for the worker tests (settings.PLAN_EXPORT_RENDERERS points the worker at it) -------------------

SLOW_SECONDS = 3.0


def slow_pdf_render(data) -> bytes:
    """The real PDF renderer, after a pause long enough for a test to kill the worker in the middle."""
    from roadmaps.exports.pdf import render

    time.sleep(SLOW_SECONDS)
    return render(data)
