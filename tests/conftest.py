"""Fixtures for the permission matrix: one organisation with a plan, and a person for every role.

- owner / admin: organisation roles that reach every plan;
- editor: editor role, edit access to the plan through a team;
- viewer: viewer role, view access to the plan given to them directly;
- outsider: owner of another organisation, which has its own plan;
- anon: nobody signed in.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tenancy import services
from tenancy.access import Access
from tenancy.models import Role
from tests.factories import OrganisationFactory, PlanFactory, member, team_with
from tests.worker import celery_worker_process, celery_worker_settings, celery_workers  # noqa: F401  (fixtures)

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]


def make_org(name="Northern Trail Outfitters"):
    return OrganisationFactory(name=name)


def make_people(org, suffix: str = "") -> dict:
    owner = member(org, Role.OWNER, username=f"olivia{suffix}")
    admin = member(org, Role.ADMIN, username=f"adam{suffix}")
    editor = member(org, Role.EDITOR, username=f"eddie{suffix}")
    viewer = member(org, Role.VIEWER, username=f"vera{suffix}")
    other_org = OrganisationFactory(name=f"Other Company{suffix}")
    outsider = member(other_org, Role.OWNER, username=f"oscar{suffix}")
    return {"owner": owner, "admin": admin, "editor": editor, "viewer": viewer, "outsider": outsider,
            "anon": None, "other_org": other_org}


def make_team(org, people):
    return team_with(org, people["editor"], name="Customer service", department="customer_service")


def make_plan(org, people, team):
    plan = PlanFactory(organisation=org, name="Omnichannel 2027")
    services.plan_grant(plan=plan, actor=None, team=team, access=Access.EDIT)
    services.plan_grant(plan=plan, actor=None, user=people["viewer"], access=Access.VIEW)
    return plan


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def people(org):
    return make_people(org)


@pytest.fixture
def team(org, people):
    return make_team(org, people)


@pytest.fixture
def plan(org, people, team):
    return make_plan(org, people, team)


@pytest.fixture
def other_plan(people):
    return PlanFactory(organisation=people["other_org"], name="Other plan")


@pytest.fixture
def client_for(client):
    """A Django test client signed in as the given person (or anonymous for None)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for():
    """A DRF client authenticated with the person's API token (or anonymous for None)."""
    from rest_framework.authtoken.models import Token

    def make(user):
        api = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return make


@pytest.fixture(scope="session", autouse=True)
def empty_cache_at_start():
    """Counters kept in the cache (sign-in and abuse limits, throttles) outlive a run in Redis: each run of the suite
    starts from an empty cache (the worker's own Redis database, config/settings/test.py), so an earlier run on the
    same machine never trips a limit."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English: a French request earlier in the same thread must not leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
