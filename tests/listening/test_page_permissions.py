"""Permission matrix of the listening pages (anonymous, outsider, viewer, editor, admin, owner), in the style of
tests/planning/test_page_permissions.py, and of their two writes (competitors)."""

import pytest
from django.urls import reverse

from listening import services
from listening.models import Competitor
from tests.conftest import ROLES

LOGIN = 302
READ = [LOGIN, 404, 200, 200, 200, 200]
EDIT = [LOGIN, 404, 403, 200, 200, 200]
GET_PAGES = [("listening", READ), ("listening_volume", READ), ("listening_sentiment", READ),
             ("listening_themes", READ), ("listening_competitors", READ), ("listening_authors", READ),
             ("listening_import", EDIT), ("listening_mentions", READ)]


@pytest.mark.parametrize(("name", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, org, plan, name, expected, role_index):
    response = client_for(people[ROLES[role_index]]).get(reverse(name, args=[plan.pk]))
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert plan.name in body
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 404:
        assert plan.name not in body


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_competitors_are_added_and_removed_by_editors(client_for, people, plan, role, expected):
    client = client_for(people[role])
    added = client.post(reverse("listening_competitor_add", args=[plan.pk]), {"name": "Go Sport"})
    assert added.status_code == expected
    assert Competitor.objects.filter(plan=plan, name="Go Sport").exists() == (expected == 302 and role != "anon")
    existing = services.competitor_create(plan=plan, actor=None, name="Decathlon")
    removed = client.post(reverse("listening_competitor_remove", args=[plan.pk, existing.pk]))
    assert removed.status_code == expected
    assert Competitor.objects.filter(pk=existing.pk).exists() == (expected != 302 or role == "anon")
