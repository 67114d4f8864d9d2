"""Every list endpoint of the router accepts `updated_since` and returns only the rows changed at or after it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.api_router import router
from sharing import services as sharing
from sharing.models import ShareLink
from sync import tokens
from sync.models import ApiToken
from tests.support import fields
from tests.sync import world

# The fixture `everything`: a row in every list, made once for the module (tests/sync/world.py).
world_data, world_everything = world.FIXTURES

# api-tokens: a token has no updated_at; its `updated_since` reads when it was created, last used or revoked (below).
# share-links: access to a plan, not its data; no updated_at.
NOT_SYNCED = {"api-tokens", "share-links"}
LIST_PREFIXES = [prefix for prefix, _viewset, _basename in router.registry if prefix not in NOT_SYNCED]
EVERY_LIST = [prefix for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")]


def model_of(prefix):
    [viewset] = [viewset for registered, viewset, _basename in router.registry if registered == prefix]
    return viewset.queryset.model


def listed(api, prefix, **params) -> list[int]:
    response = api.get(f"/api/v1/{prefix}/", {"page_size": 500, **params})
    assert response.status_code == 200, (prefix, response.content)
    return [row["id"] for row in response.data["results"]]


@pytest.mark.parametrize("prefix", LIST_PREFIXES)
def test_a_list_returns_only_what_changed_since(prefix, everything, api_for):
    api = api_for(everything["people"]["owner"])
    visible = listed(api, prefix)
    assert visible, f"nothing to list in {prefix}"
    model = model_of(prefix)
    now = timezone.now()
    since = (now - timedelta(days=1)).isoformat()
    model._base_manager.update(updated_at=now - timedelta(days=2))
    assert listed(api, prefix, updated_since=since) == []

    model._base_manager.filter(pk=visible[0]).update(updated_at=now)
    assert listed(api, prefix, updated_since=since) == [visible[0]]
    assert listed(api, prefix, updated_since=now.isoformat()) == [visible[0]]  # "at or after"
    assert set(listed(api, prefix, updated_since=(now - timedelta(days=3)).isoformat())) == set(visible)


@pytest.mark.parametrize("prefix", EVERY_LIST)
def test_an_unreadable_updated_since_answers_400(prefix, api_for, people, db):
    response = api_for(people["owner"]).get(f"/api/v1/{prefix}/", {"updated_since": "last tuesday"})
    assert response.status_code == 400, (prefix, response.status_code)
    assert "updated_since" in response.data or "updated_since" in str(response.data)


SYNC_FILTERED = ["organisations", "memberships", "teams", "plans", "exports", "webhook-subscriptions",
                 "touchpoint-evaluations", "touchpoint-data-items", "touchpoint-agreements", "feedback-responses",
                 "maturity-assessments", "audit-items", "sso-configurations"]


@pytest.mark.parametrize("prefix", SYNC_FILTERED)
def test_an_offset_postgresql_refuses_is_read_in_utc(prefix, everything, api_for):
    api = api_for(everything["people"]["owner"])
    # +21:27 is valid ISO 8601 but past PostgreSQL's ±15:59: read as 1171-02-17T02:07:55Z, not a 500.
    assert listed(api, prefix, updated_since="1171-02-17T23:34:55+21:27")
    response = api.get(f"/api/v1/{prefix}/", {"updated_since": "0001-01-01T00:00:00+21:27"})  # before year 1 in UTC
    assert response.status_code == 400 and "updated_since" in fields(response)


def test_the_tokens_list_returns_only_the_tokens_created_used_or_revoked_since(api_for, people, org):
    owner = people["owner"]
    now = timezone.now()
    old, _key = tokens.api_token_create(organisation=org, user=owner, name="Old")
    unused, _key = tokens.api_token_create(organisation=org, user=owner, name="Unused")
    used, _key = tokens.api_token_create(organisation=org, user=owner, name="Used")
    ApiToken.objects.update(created_at=now - timedelta(days=2))
    api, since = api_for(owner), (now - timedelta(days=1)).isoformat()
    assert listed(api, "api-tokens", updated_since=since) == []
    tokens.api_token_revoke(token=old, actor=owner)
    tokens.api_token_touch(used)
    assert sorted(listed(api, "api-tokens", updated_since=since)) == sorted([old.pk, used.pk])
    assert listed(api, "api-tokens", updated_since=(now - timedelta(days=3)).isoformat()) == [used.pk, unused.pk,
                                                                                               old.pk]


def test_the_share_links_list_returns_only_the_links_created_opened_or_revoked_since(api_for, people, plan):
    owner, now = people["owner"], timezone.now()
    week = now + timedelta(days=7)
    old, _token = sharing.share_link_create(plan=plan, actor=owner, scope="plan", expires_at=week)
    unopened, _token = sharing.share_link_create(plan=plan, actor=owner, scope="roadmap", expires_at=week)
    opened, _token = sharing.share_link_create(plan=plan, actor=owner, scope="plan", expires_at=week)
    ShareLink.objects.update(created_at=now - timedelta(days=2))
    api, since = api_for(owner), (now - timedelta(days=1)).isoformat()
    assert listed(api, "share-links", updated_since=since) == []
    sharing.share_link_revoke(link=old, actor=owner)
    sharing.share_link_opened(opened)
    assert sorted(listed(api, "share-links", updated_since=since)) == sorted([old.pk, opened.pk])
    assert sorted(listed(api, "share-links", updated_since=(now - timedelta(days=3)).isoformat())) == sorted(
        [old.pk, unopened.pk, opened.pk])
