"""One world for a whole test module: an organisation, its people, a plan, and at least one row in every list of the
API router, created once for the module instead of once a test (about two seconds each on the CI machine, for some
270 tests).

The rows are made inside a transaction opened for the module and rolled back after its last test; each test runs in
a savepoint inside it (pytest-django's `db`), so what a test writes is undone before the next, as with Django's
TestCase.setUpTestData. A module takes them with

    from tests.sync import world

    world_data, world_everything = world.FIXTURES

and reads the world's people, organisation and plan from `everything` (the usual `people`, `org` and `plan`
fixtures are another organisation's, made for each test as always).
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from assessments import services as assessments
from assessments import services_themes as themes
from experience import services as experience
from kpis import services as kpis
from library import services as library
from listening import services as listening
from planning import services as planning
from roadmaps import services as roadmaps
from roadmaps.models import Export
from sharing import services as sharing
from sso import services as sso
from sync.webhooks import services as webhooks
from tests.conftest import make_org, make_people, make_plan, make_team
from versions import services as versions
from workshops.services.comments import comment_create
from workshops.services.external import external_comment_create


@pytest.fixture(scope="module", name="_world")
def world_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        org = make_org("World Outfitters")
        people = make_people(org, "-world")  # beside the tests' own olivia, eddie… (tests/conftest.py)
        team = make_team(org, people)
        plan = make_plan(org, people, team)
        fill_everything(org, plan, team, people)
        yield {"org": org, "people": people, "team": team, "plan": plan}
        transaction.set_rollback(True)


@pytest.fixture(name="everything")
def world_everything(_world, db):
    """The module's world: {"org", "people", "team", "plan"}, with at least one row its owner sees in every list of
    the router."""
    return _world


FIXTURES = (world_data, world_everything)


def fill_everything(org, plan, team, people) -> None:
    """At least one row the owner sees in every list of the router."""
    editor = people["editor"]
    channel = planning.channel_create(organisation=org, actor=people["owner"], name="Website", kind="online")
    persona = planning.persona_create(plan=plan, actor=editor, name="Alex")
    planning.stakeholder_create(plan=plan, actor=editor, name="Claire")
    journey = planning.journey_create(plan=plan, actor=editor, name="Purchase", persona=persona, template="purchase")
    touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=editor, name="Ad")
    comment_create(plan=plan, actor=editor, target_type="touchpoint", target_id=touchpoint.pk, body="Really?")
    link, _token = sharing.share_link_create(plan=plan, actor=people["owner"], scope="plan",
                                             expires_at=timezone.now() + timedelta(days=7), allow_comments=True)
    external_comment_create(link=link, target_type="touchpoint", target_id=touchpoint.pk, name="Visitor",
                            body="Held for moderation")
    evaluation = assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=editor, maturity=2,
                                               potential_customer=4, potential_brand=3)
    assessments.data_item_create(evaluation=evaluation, actor=editor, data="Email address")
    assessments.agreement_set(touchpoint=touchpoint, actor=editor, reason="Workshop", maturity=2,
                              potential_customer=4, potential_brand=4)
    assessments.feedback_create(touchpoint=touchpoint, actor=editor, kind="nps", score=9,
                                responded_on=date(2027, 3, 2))
    assessments.maturity_assessment_create(plan=plan, actor=editor, assessed_on=date(2027, 3, 15))
    assessments.audit_item_create(plan=plan, actor=editor, kind="data", step="need", title="One customer id")
    lane = experience.lane_create(journey=journey, actor=editor, kind="thoughts")
    experience.lane_card_create(lane=lane, stage=touchpoint.stage, actor=editor, text="Is it waterproof?")
    experience.emotion_set(journey=journey, stage=touchpoint.stage, actor=editor, score=-1)
    pain = experience.pain_point_create(journey=journey, stage=touchpoint.stage, actor=editor, title="Wrong stock")
    experience.opportunity_create(journey=journey, stage=touchpoint.stage, actor=editor, title="Live stock",
                                  pain_points=[pain])
    item = roadmaps.roadmap_item_create(plan=plan, actor=editor, title="Store stock API")
    kpi = kpis.kpi_create(plan=plan, actor=editor, name="Churn", direction="lower")
    kpis.measurement_create(kpi=kpi, actor=editor, measured_on=date(2027, 3, 1), value=8)
    kpis.kpi_link_create(kpi=kpi, item=item, actor=editor, expected_change=-1)
    roadmaps.criterion_create(plan=plan, actor=editor, name="Customer value")
    Export.objects.create(plan=plan, format="json", requested_by=editor)
    webhooks.subscription_create(organisation=org, actor=people["owner"], url="https://93.184.216.34/hook",
                                 event_types=["plan.updated"])
    theme = themes.theme_create(organisation=org, actor=people["owner"], name="Waiting time")
    themes.rule_create(theme=theme, actor=people["owner"], phrase="queue")
    themes.tag_create(organisation=org, actor=people["owner"], name="Priority")
    versions.version_freeze(plan=plan, actor=editor, name="After workshop 2")
    versions.duplication_request(actor=editor, source_plan=plan, kind="journey", source_journey=journey, name="")
    template = library.template_save(plan=plan, actor=people["owner"], name="Starter")
    library.template_use_request(actor=editor, organisation=org, template=template, name="")
    library.library_publish(plan=plan, actor=people["owner"], persona=persona)
    competitor = listening.competitor_create(plan=plan, actor=editor, name="Decathlon")
    listening.mention_create(plan=plan, actor=editor, channel=channel, mentioned_on=date(2027, 3, 3), text="Top",
                             competitor=competitor, touchpoint=touchpoint, persona=persona, tags=["store"])
    sso.configuration_save(organisation=org, actor=people["owner"], issuer="https://login.example.com",
                           client_id="journey-planner", client_secret="s3cret", domains=["example.com"])


