"""The router adds the sync layer to plain viewsets without hiding what they declare."""

from planning.api.journeys import JourneyViewSet, TouchpointViewSet
from sync.api.compose import with_sync
from sync.api.idempotency import IdempotentWritesMixin, is_idempotent_operation
from sync.api.upsert import UpsertMixin
from tenancy.api.views import MembershipViewSet


def test_a_viewset_with_an_upsert_scope_gets_upserts_and_keeps_its_settings():
    synced = with_sync(JourneyViewSet)
    assert issubclass(synced, IdempotentWritesMixin) and issubclass(synced, UpsertMixin)
    assert synced.__name__ == "JourneyViewSet" and synced.__module__ == "planning.api.journeys"
    assert synced.upsert_create_only == ("template",)  # not UpsertMixin's empty default
    assert synced.upsert_select_related == JourneyViewSet.upsert_select_related == ("plan",)
    assert with_sync(TouchpointViewSet).upsert_scope == TouchpointViewSet.upsert_scope


def test_the_upsert_put_is_idempotent_and_a_plain_viewset_only_gets_idempotent_writes():
    view = with_sync(JourneyViewSet)()
    view.action = "by_external_id"
    assert is_idempotent_operation(view, "PUT")
    plain = with_sync(MembershipViewSet)
    assert issubclass(plain, IdempotentWritesMixin) and not issubclass(plain, UpsertMixin)
    assert not is_idempotent_operation(plain(), "PATCH")
    assert not issubclass(JourneyViewSet, IdempotentWritesMixin)  # the app's own class stays plain
