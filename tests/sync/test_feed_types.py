"""The changes feed and webhooks cover assessments and roadmaps: every resource they serve is a feed type, its
writes appear with the current object or a tombstone, and another organisation never sees them."""

import json
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as assessments
from assessments.api.routes import ROUTES as ASSESSMENT_ROUTES
from planning import services as planning
from planning.models import Channel
from roadmaps import services as roadmaps
from roadmaps.api.routes import ROUTES as ROADMAP_ROUTES
from sync.api.changes import TYPES, feed_types
from sync.webhooks import services as webhooks
from sync.webhooks.events import event_types
from tests.sync.test_changes_feed import drain
from tests.sync.test_webhooks import Listener

SITE = django_settings.SITE_URL.rstrip("/")  # addresses use SITE_URL, not the request's host (core.site)


@pytest.fixture
def touchpoint(org, plan, people):
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = planning.journey_create(plan=plan, actor=people["editor"], name="Purchase", template="purchase")
    return planning.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=people["editor"],
                                      name="Click an online ad")


@pytest.fixture
def listener(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # it listens on 127.0.0.1
    listener = Listener([200])
    yield listener
    listener.stop()


def after_start(api):
    """The cursor after everything already in the feed."""
    return drain(api)[1]


def test_every_versioned_assessments_and_roadmaps_resource_is_a_feed_type():
    served = {viewset.serializer_class.Meta.model._meta.label_lower: basename
              for _prefix, viewset, basename in [*ASSESSMENT_ROUTES, *ROADMAP_ROUTES]
              if any(f.name == "version" for f in viewset.serializer_class.Meta.model._meta.concrete_fields)}
    assert served  # exports are jobs, not versioned objects: not in the feed
    assert {label: feed_types()[label].name for label in served if label in feed_types()} == served


def test_every_feed_type_loads_and_serializes_its_own_model():
    for feed_type in TYPES:
        assert feed_type.serializer_class.Meta.model._meta.label_lower == feed_type.label
        feed_type.objects().none().exists()  # the queryset and its prefetches are valid


def test_an_evaluation_appears_created_updated_then_deleted(api_for, people, team, touchpoint):
    api = api_for(people["editor"])
    cursor = after_start(api)
    evaluation = assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=people["editor"], maturity=1,
                                               potential_customer=4, potential_brand=3)
    item = assessments.data_item_create(evaluation=evaluation, actor=people["editor"], data="Email address")
    assessments.evaluation_update(evaluation=evaluation, actor=people["editor"], maturity=3)

    entries, cursor = drain(api, cursor)

    assert [(e["type"], e["id"], e["verb"], e["version"]) for e in entries] == [
        ("touchpoint-evaluation", evaluation.pk, "created", 1),
        ("touchpoint-data-item", item.pk, "created", 1),
        ("touchpoint-evaluation", evaluation.pk, "updated", 2),
    ]
    current = entries[0]["object"]
    assert current["maturity"] == 3 and current["version"] == 2  # the object as it is now
    assert [nested["data"] for nested in current["data_items"]] == ["Email address"]
    assert entries[0]["url"] == f"{SITE}/api/v1/touchpoint-evaluations/{evaluation.pk}/"
    assert entries[1]["url"] == f"{SITE}/api/v1/touchpoint-data-items/{item.pk}/"

    assessments.evaluation_delete(evaluation=evaluation, actor=people["editor"])

    entries, _ = drain(api, cursor)
    # The cascade's data item gets its own tombstone.
    assert {(e["type"], e["id"], e["verb"]) for e in entries} == {
        ("touchpoint-data-item", item.pk, "deleted"), ("touchpoint-evaluation", evaluation.pk, "deleted")}
    assert all(e["object"] == {"id": e["id"], "deleted": True} for e in entries)


def test_a_roadmap_item_appears_with_its_score_and_rank_then_as_a_tombstone(api_for, people, plan, touchpoint):
    api = api_for(people["viewer"])
    cursor = after_start(api)
    item = roadmaps.roadmap_item_create(plan=plan, actor=people["editor"], title="Store stock API", value=8,
                                        effort=2, touchpoints=[touchpoint])
    roadmaps.roadmap_item_move(item=item, actor=people["editor"], horizon="next")
    criterion = roadmaps.criterion_create(plan=plan, actor=people["editor"], name="Customer value")
    roadmaps.scoring_method_set(plan=plan, actor=people["editor"], method="custom")
    roadmaps.roadmap_item_delete(item=item, actor=people["editor"])

    entries, _ = drain(api, cursor)

    assert [(e["type"], e["verb"]) for e in entries] == [
        ("roadmap-item", "created"), ("roadmap-item", "updated"), ("scoring-criterion", "created"),
        ("scoring-settings", "updated"), ("roadmap-item", "deleted")]
    assert entries[0]["object"] == entries[1]["object"] == {"id": item.pk, "deleted": True}
    assert entries[2]["object"]["name"] == "Customer value" and entries[2]["id"] == criterion.pk
    settings = entries[3]
    assert settings["object"]["method"] == "custom" and settings["object"]["plan"] == plan.pk
    assert settings["url"] == f"{SITE}/api/v1/plans/{plan.pk}/scoring/"


def test_a_live_roadmap_item_entry_is_what_the_api_answers(api_for, people, plan, touchpoint):
    api = api_for(people["editor"])
    cursor = after_start(api)
    item = roadmaps.roadmap_item_create(plan=plan, actor=people["editor"], title="Store stock API", value=8,
                                        effort=2, touchpoints=[touchpoint])

    [entry], _ = drain(api, cursor)

    assert entry["object"] == api.get(f"/api/v1/roadmap-items/{item.pk}/").data
    assert entry["object"]["score"]["value"] == 4 and entry["object"]["rank"] == 1


def test_feedback_maturity_votes_audits_and_agreements_are_in_the_feed(api_for, people, plan, touchpoint):
    api = api_for(people["owner"])
    cursor = after_start(api)
    response = assessments.feedback_create(touchpoint=touchpoint, actor=people["editor"], kind="nps", score=9,
                                           responded_on=date(2027, 3, 2))
    assessment = assessments.maturity_assessment_create(plan=plan, actor=people["editor"],
                                                        assessed_on=date(2027, 3, 15))
    vote = assessments.maturity_vote_cast(assessment=assessment, actor=people["viewer"], channel_level=2,
                                          engagement_level=3)
    audit = assessments.audit_item_create(plan=plan, actor=people["editor"], kind="data", step="need",
                                          title="One customer id", touchpoints=[touchpoint])
    agreement = assessments.agreement_set(touchpoint=touchpoint, actor=people["editor"], reason="Workshop",
                                          maturity=2, potential_customer=4, potential_brand=4)

    entries, _ = drain(api, cursor)

    by_type = {e["type"]: e for e in entries}
    assert [e["type"] for e in entries] == ["feedback-response", "maturity-assessment", "maturity-vote",
                                            "audit-item", "touchpoint-agreement"]
    assert by_type["feedback-response"]["object"]["score"] == 9 and by_type["feedback-response"]["id"] == response.pk
    assert [v["id"] for v in by_type["maturity-assessment"]["object"]["votes"]] == [vote.pk]
    assert by_type["maturity-vote"]["object"]["engagement_level"] == 3 and by_type["maturity-vote"]["url"] is None
    assert by_type["audit-item"]["object"]["touchpoints"] == [touchpoint.pk] and audit.pk == by_type["audit-item"]["id"]
    assert by_type["touchpoint-agreement"]["object"]["reason"] == "Workshop"
    assert by_type["touchpoint-agreement"]["id"] == agreement.pk


def test_another_organisation_does_not_see_assessments_or_roadmap_changes(api_for, people, plan, team, touchpoint):
    outsider = api_for(people["outsider"])
    cursor = after_start(outsider)
    assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=people["editor"], maturity=1,
                                  potential_customer=4, potential_brand=3)
    item = roadmaps.roadmap_item_create(plan=plan, actor=people["editor"], title="Store stock API")
    roadmaps.roadmap_item_delete(item=item, actor=people["editor"])

    entries, _ = drain(outsider, cursor)

    assert entries == []


def test_a_page_of_assessments_and_roadmap_changes_costs_the_same_queries_for_3_or_15_objects(
        api_for, people, plan, touchpoint):
    api = api_for(people["owner"])

    def page_queries(count: int) -> int:
        cursor = after_start(api)
        for number in range(count):
            roadmaps.roadmap_item_create(plan=plan, actor=people["editor"], title=f"Item {count}-{number}", value=5,
                                         effort=2, touchpoints=[touchpoint])
            assessments.feedback_create(touchpoint=touchpoint, actor=people["editor"], kind="ces", score=3,
                                        responded_on=date(2027, 3, 2))
            assessments.audit_item_create(plan=plan, actor=people["editor"], kind="content", step="have",
                                          title=f"Audit {count}-{number}", touchpoints=[touchpoint])
        with CaptureQueriesContext(connection) as queries:
            entries, _ = drain(api, cursor, page_size=1000)
        assert len(entries) == 3 * count
        return len(queries)

    assert page_queries(3) == page_queries(15)


def test_the_new_types_are_webhook_events_and_can_be_subscribed(api_for, people, org):
    events = event_types()
    for name in ("touchpoint-evaluation", "touchpoint-data-item", "feedback-response", "maturity-assessment",
                 "audit-item", "roadmap-item", "scoring-criterion"):
        assert {f"{name}.created", f"{name}.updated", f"{name}.deleted"} <= set(events)
    response = api_for(people["admin"]).post("/api/v1/webhook-subscriptions/", {
        "organisation": org.pk, "url": "https://93.184.216.34/hook",
        "event_types": ["roadmap-item.updated", "touchpoint-evaluation.created", "export.finished"]}, format="json")
    assert response.status_code == 201, response.content
    assert response.data["event_types"] == ["roadmap-item.updated", "touchpoint-evaluation.created",
                                            "export.finished"]


def test_a_roadmap_item_update_reaches_a_subscribed_webhook(listener, people, org, plan,
                                                            django_capture_on_commit_callbacks):
    webhooks.subscription_create(organisation=org, actor=people["admin"], url=listener.url,
                                 event_types=["roadmap-item.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        item = roadmaps.roadmap_item_create(plan=plan, actor=people["editor"], title="Store stock API")
        roadmaps.roadmap_item_update(item=item, actor=people["editor"], title="Real-time stock API")

    [(headers, body)] = listener.requests  # not the creation: only updates were asked for
    assert headers["X-JourneyPlanner-Event"] == "roadmap-item.updated"
    data = json.loads(body)["data"]
    assert (data["type"], data["id"], data["verb"], data["version"]) == ("roadmap-item", item.pk, "updated", 2)
    assert data["object"]["title"] == "Real-time stock API"
