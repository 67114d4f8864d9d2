"""Schemathesis against /api/schema/, signed in as an editor of a seeded organisation: every GET operation, and the
writes of a few resources, get generated requests; no answer may be a server error or break the schema (an
undocumented status code or content type, a body that does not match its schema)."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments import services as assessment_services
from config.wsgi import application
from planning import services
from planning.models import Channel
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Role
from tests.api_fuzzing import connection_kept_open, point_at_real_objects  # noqa: F401  (fixture)
from tests.factories import OrganisationFactory, PlanFactory, member, team_with

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Valid requests for the conformance checks; malformed ones are in test_malformed_requests_are_not_server_errors.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
negative = schemathesis.openapi.from_wsgi("/api/schema/", application)
negative.config.generation.update(modes=[schemathesis.GenerationMode.NEGATIVE])
for loaded in (schema, negative):
    # The schema's examples, then `max_examples` generated cases; the coverage phase's hundreds of boundary cases
    # per operation would take minutes.
    loaded.config.phases.update(phases=["examples", "fuzzing"])

CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FAST = {"deadline": None, "derandomize": True, "database": None,
        "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                  HealthCheck.filter_too_much, HealthCheck.data_too_large]}
WRITTEN = r"^/api/v1/(stakeholders|personas|touchpoints|channels|journeys|feedback-responses)/(\{id\}/)?$"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """A plan with a bit of everything, created once for the module (each test's own writes roll back), and where
    generated ids and bodies may point to real objects."""
    with django_db_blocker.unblock():
        org = OrganisationFactory(name="Schemathesis Outfitters")
        owner = member(org, Role.OWNER, username="st-owner")
        editor = member(org, Role.EDITOR, username="st-editor")
        team = team_with(org, editor, name="Customer service")
        plan = PlanFactory(organisation=org, name="Generated requests")
        tenancy_services.plan_grant(plan=plan, actor=None, team=team, access=Access.EDIT)
        channel = Channel.objects.create(organisation=org, name="Website", kind="online")
        persona = services.persona_create(plan=plan, actor=owner, name="Active Alex", preferred_channels=[channel])
        stakeholder = services.stakeholder_create(plan=plan, actor=owner, name="Sam", team=team)
        journey = services.journey_create(plan=plan, actor=owner, name="Purchase", persona=persona,
                                          template="purchase")
        stage = journey.stages.first()
        touchpoint = services.touchpoint_create(stage=stage, channel=channel, actor=owner, name="Ad", team=team)
        assessment_services.feedback_create(touchpoint=touchpoint, actor=owner, kind="nps", score=9,
                                            responded_on="2027-03-01", verbatim="Great")
        token = Token.objects.create(user=editor).key
        ids = {"organisation": org.pk, "plan": plan.pk, "channel": channel.pk, "persona": persona.pk,
               "stakeholder": stakeholder.pk, "journey": journey.pk, "stage": stage.pk,
               "touchpoint": touchpoint.pk, "team": team.pk}
    try:
        yield {"headers": {"Authorization": f"Token {token}"}, "ids": ids}
    finally:
        with django_db_blocker.unblock():
            plan.delete()  # its touchpoints first: they protect the channels the organisation would delete
            org.delete()
            get_user_model().objects.filter(pk__in=[owner.pk, editor.pk]).delete()
            Group.objects.filter(pk=team.group_id).delete()


@schema.include(method="GET").parametrize()
@settings(max_examples=4, **FAST)
def test_get_operations_answer_as_documented(case, seeded, db):
    point_at_real_objects(case, seeded["ids"])
    case.call_and_validate(headers=seeded["headers"], checks=CONFORMANCE)


@schema.include(method=["POST", "PATCH"], path_regex=WRITTEN).parametrize()
@settings(max_examples=10, **FAST)
def test_writes_answer_as_documented(case, seeded, db):
    point_at_real_objects(case, seeded["ids"])
    case.call_and_validate(headers=seeded["headers"], checks=CONFORMANCE)


@negative.include(path_regex=WRITTEN).parametrize()
@settings(max_examples=4, **FAST)
def test_malformed_requests_are_not_server_errors(case, seeded, db):
    point_at_real_objects(case, seeded["ids"])
    case.call_and_validate(headers=seeded["headers"], checks=[not_a_server_error])
