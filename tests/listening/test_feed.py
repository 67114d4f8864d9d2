"""Mentions and competitors in the changes feed (and so in webhooks): created, updated, deleted, with the current
object, one feed type each; a whole import appears too, one entry per mention."""

import io
from datetime import date

from listening import services
from listening.importers import mention_import
from planning.models import Channel
from sync.api.changes import feed_types
from tests.sync.test_changes_feed import drain


def test_mentions_and_competitors_are_feed_types():
    assert feed_types()["listening.mention"].name == "mention"
    assert feed_types()["listening.competitor"].name == "competitor"


def test_a_mention_appears_created_updated_then_deleted(api_for, people, plan, org):
    channel = Channel.objects.create(organisation=org, name="Forum", kind="online")
    api = api_for(people["editor"])
    cursor = drain(api)[1]
    competitor = services.competitor_create(plan=plan, actor=people["editor"], name="Decathlon")
    mention = services.mention_create(plan=plan, actor=people["editor"], channel=channel,
                                      mentioned_on=date(2027, 1, 2), text="Great staff", tags=["store"])
    services.mention_update(mention=mention, actor=people["editor"], competitor=competitor)
    entries, cursor = drain(api, cursor)
    assert [(e["type"], e["id"], e["verb"], e["version"]) for e in entries] == [
        ("competitor", competitor.pk, "created", 1), ("mention", mention.pk, "created", 1),
        ("mention", mention.pk, "updated", 2)]
    assert entries[1]["object"]["competitor"] == competitor.pk and entries[1]["object"]["tags"] == ["store"]
    services.mention_delete(mention=mention, actor=people["editor"])
    entries, cursor = drain(api, cursor)
    tombstone = {"id": mention.pk, "deleted": True}
    assert [(e["type"], e["verb"], e["object"]) for e in entries] == [("mention", "deleted", tombstone)]
    text = "date,channel,text,id\n2026-01-03,Forum,Nice,a1\n2026-01-04,Forum,Bad,a2\n"
    mention_import(plan=plan, actor=people["editor"], file=io.BytesIO(text.encode()), filename="x.csv")
    entries, cursor = drain(api, cursor)
    assert [(e["type"], e["verb"], e["object"]["external_id"]) for e in entries] == [
        ("mention", "created", "a1"), ("mention", "created", "a2")]
