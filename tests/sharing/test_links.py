"""Share links as stored: the token only as a hash, the password hashed, scope rules, who may create and revoke."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sharing import services
from sharing.models import ShareLink, ShareScope

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_the_token_is_stored(make_link):
    link, token = make_link(password="trail-2027")
    stored = ShareLink.objects.filter(pk=link.pk).values().get()
    assert token.startswith(f"jps_{link.prefix}_") and len(token) > 40
    assert token not in str(stored) and token.split("_", 2)[2] not in str(stored)
    assert stored["token_hash"] == services.token_hash(token)
    assert "trail-2027" not in str(stored) and stored["password_hash"].startswith(("pbkdf2", "argon2", "md5"))
    assert services.share_link_by_token(token) == link


def test_two_links_get_different_tokens(make_link):
    (_first, one), (_second, two) = make_link(), make_link()
    assert one != two


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_create_links(world, people, role):
    link, _token = services.share_link_create(plan=world["plan"], actor=people[role], scope=ShareScope.ROADMAP,
                                              expires_at=timezone.now() + timedelta(days=1))
    assert link.created_by == people[role] and link.organisation_id == world["plan"].organisation_id


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_others_may_not_create_links(world, people, role):
    with pytest.raises(PermissionDenied):
        services.share_link_create(plan=world["plan"], actor=people[role], scope=ShareScope.PLAN,
                                   expires_at=timezone.now() + timedelta(days=1))
    assert not ShareLink.objects.exists()


def test_a_journey_link_needs_a_journey_of_its_plan(world):
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.share_link_create(plan=world["plan"], actor=world["owner"], scope=ShareScope.JOURNEY,
                                   expires_at=soon)
    with pytest.raises(ValidationError) as error:
        services.share_link_create(plan=world["plan"], actor=world["owner"], scope=ShareScope.JOURNEY,
                                   journey=world["elsewhere"], expires_at=soon)
    assert "journey" in error.value.message_dict


@pytest.mark.parametrize("days", [-1, 400])
def test_the_expiry_is_in_the_future_and_within_a_year(world, days):
    with pytest.raises(ValidationError):
        services.share_link_create(plan=world["plan"], actor=world["owner"], scope=ShareScope.PLAN,
                                   expires_at=timezone.now() + timedelta(days=days))


def test_revoking_keeps_the_row_and_closes_the_link(world, make_link, people):
    link, token = make_link()
    with pytest.raises(PermissionDenied):
        services.share_link_revoke(link=link, actor=people["editor"])
    services.share_link_revoke(link=link, actor=people["admin"])
    first = ShareLink.objects.get(pk=link.pk).revoked_at
    services.share_link_revoke(link=link, actor=people["owner"])
    assert first is not None and ShareLink.objects.get(pk=link.pk).revoked_at == first
    assert services.share_link_by_token(token) is None


def test_managers_list_the_links_of_their_plans_only(world, make_link, people, other_plan):
    link, _token = make_link()
    services.share_link_create(plan=other_plan, actor=people["outsider"], scope=ShareScope.PLAN,
                               expires_at=timezone.now() + timedelta(days=1))
    assert list(services.share_link_list(user=people["admin"])) == [link]
    assert not services.share_link_list(user=people["editor"]).exists()
    assert not services.share_link_list(user=people["viewer"]).exists()
    assert link not in services.share_link_list(user=people["outsider"])
