"""Schemathesis over every operation of /api/schema/, as an editor and as a viewer of a seeded organisation: the
schema's examples, then generated valid and invalid requests (fuzzing), then sequences of calls chained by the links
schemathesis infers from the schema (stateful). No answer may be a server error; the status code and content type
must be documented ones.

Deterministic (hypothesis derandomized, no example database) and bounded (MAX_EXAMPLES per operation and role,
STATEFUL_EXAMPLES sequences) so it runs in about a minute. The conformance of the bodies to their schemas is
checked, for valid requests, by tests/core/test_schemathesis.py.
"""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from assessments import services as assessment_services
from config.wsgi import application
from planning import services
from planning.models import Channel
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Role
from tests.api_fuzzing import connection_kept_open, point_at_real_objects  # noqa: F401  (fixture)
from tests.factories import OrganisationFactory, PlanFactory, member, team_with

# A deeper run by hand: SCHEMATHESIS_MAX_EXAMPLES=25 pytest tests/faults/test_schemathesis_roles.py
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 2))
STATEFUL_EXAMPLES = int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", 8))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
FAST = {"deadline": None, "derandomize": True, "database": None,
        "suppress_health_check": list(HealthCheck)}

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
# The schema's examples and MAX_EXAMPLES generated cases; the coverage phase's hundreds of boundary cases per
# operation would take many minutes for 198 operations.
schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """An organisation with a bit of everything, an editor and a viewer with a token each; created once for the
    module (each test's writes roll back)."""
    with django_db_blocker.unblock():
        org = OrganisationFactory(name="Fuzzed Outfitters")
        owner = member(org, Role.OWNER, username="fz-owner")
        editor = member(org, Role.EDITOR, username="fz-editor")
        viewer = member(org, Role.VIEWER, username="fz-viewer")
        team = team_with(org, editor, name="Store staff")
        plan = PlanFactory(organisation=org, name="Fuzzed plan")
        tenancy_services.plan_grant(plan=plan, actor=None, team=team, access=Access.EDIT)
        tenancy_services.plan_grant(plan=plan, actor=None, user=viewer, access=Access.VIEW)
        channel = Channel.objects.create(organisation=org, name="Shop", kind="offline")
        persona = services.persona_create(plan=plan, actor=owner, name="Busy Bea", preferred_channels=[channel])
        stakeholder = services.stakeholder_create(plan=plan, actor=owner, name="Sol", team=team)
        journey = services.journey_create(plan=plan, actor=owner, name="Return", persona=persona,
                                          template="purchase")
        stage = journey.stages.first()
        touchpoint = services.touchpoint_create(stage=stage, channel=channel, actor=owner, name="Till", team=team)
        assessment_services.feedback_create(touchpoint=touchpoint, actor=owner, kind="nps", score=3,
                                            responded_on="2027-04-01", verbatim="Slow")
        tokens = {role: Token.objects.create(user=user).key for role, user in (("editor", editor),
                                                                                ("viewer", viewer))}
        ids = {"organisation": org.pk, "plan": plan.pk, "channel": channel.pk, "persona": persona.pk,
               "stakeholder": stakeholder.pk, "journey": journey.pk, "stage": stage.pk,
               "touchpoint": touchpoint.pk, "team": team.pk}
    try:
        yield {"headers": {role: {"Authorization": f"Token {key}"} for role, key in tokens.items()}, "ids": ids}
    finally:
        with django_db_blocker.unblock():
            plan.delete()
            org.delete()
            get_user_model().objects.filter(pk__in=[owner.pk, editor.pk, viewer.pk]).delete()
            Group.objects.filter(pk=team.group_id).delete()


@pytest.mark.parametrize("role", ["editor", "viewer"])
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, **FAST)
def test_every_operation_answers_without_a_server_error(case, role, seeded, db):
    point_at_real_objects(case, seeded["ids"])
    case.call_and_validate(headers=seeded["headers"][role], checks=CHECKS)


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_chained_calls_answer_without_a_server_error(role, seeded, db):
    machine = schema.as_state_machine()  # links: core.api.openapi.document_links
    headers = seeded["headers"][role]
    calls = []

    class Chained(machine):
        def get_call_kwargs(self, case):
            point_at_real_objects(case, seeded["ids"])
            return {"headers": headers}

        def after_call(self, response, case):
            calls.append((case.method.upper(), case.operation.path, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    # The machine's moves follow the schema's links (core.api.openapi.document_links): a create leads to its item.
    # Which moves a short derandomised run takes changes whenever an operation is added, so the links are checked
    # here, on the machine, rather than by hoping the run walks one.
    moves = [name for name in dir(Chained) if name.startswith(("GET_", "POST_", "PUT_", "PATCH_", "DELETE_"))]
    assert any(move.startswith("POST_api_v1_touchpoints___201") and move.endswith("GET_api_v1_touchpoints_id_")
               for move in moves), moves[:20]
    Chained.run(settings=settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, **FAST))
    assert len(calls) >= 2 * STATEFUL_EXAMPLES  # every sequence is at least two calls


def test_each_create_links_to_the_operations_on_what_it_created(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    links = paths["/api/v1/touchpoints/"]["post"]["responses"]["201"]["links"]
    item = paths["/api/v1/touchpoints/{id}/"]
    assert {link["operationId"] for link in links.values()} == {item[m]["operationId"] for m in
                                                                 ("get", "put", "patch", "delete")}
    assert {str(link["parameters"]) for link in links.values()} == {"{'id': '$response.body#/id'}"}
    assert "415" in paths["/api/v1/touchpoints/"]["post"]["responses"]  # a body in another format
