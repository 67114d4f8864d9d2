"""The organisation's theme taxonomy in the changes feed and the webhooks: themes, rules and tags created and
deleted (by a service, a page or the API), a deleted macro theme taking its micro themes and rules with it, members
of the organisation seeing them and nobody else."""

import json

import pytest
from django.conf import settings as django_settings

from assessments import services_themes
from sync.webhooks import services as webhooks
from sync.webhooks.events import event_types
from tests.sync.test_changes_feed import drain
from tests.sync.test_webhooks import Listener

SITE = django_settings.SITE_URL.rstrip("/")


@pytest.fixture
def listener(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    listener = Listener([200])
    yield listener
    listener.stop()


def test_themes_rules_and_tags_appear_created_then_as_tombstones(api_for, people, org):
    api = api_for(people["viewer"])  # a viewer reads the taxonomy: it sees its changes (organisation-level)
    cursor = drain(api)[1]
    owner = people["owner"]
    service = services_themes.theme_create(organisation=org, actor=owner, name="Service client")
    waiting = services_themes.theme_create(organisation=org, actor=owner, name="Temps d'attente", parent=service)
    rule = services_themes.rule_create(theme=waiting, actor=owner, phrase="attente")
    tag = services_themes.tag_create(organisation=org, actor=owner, name="Prioritaire")

    entries, cursor = drain(api, cursor)

    assert [(e["type"], e["id"], e["verb"], e["plan"]) for e in entries] == [
        ("theme", service.pk, "created", None), ("theme", waiting.pk, "created", None),
        ("theme-rule", rule.pk, "created", None), ("tag", tag.pk, "created", None)]
    assert entries[1]["object"]["parent"] == service.pk
    assert entries[1]["object"]["rules"] == [{"id": rule.pk, "phrase": "attente"}]  # as it is now
    assert entries[1]["object"] == api.get(f"/api/v1/themes/{waiting.pk}/").data
    assert entries[2]["url"] == f"{SITE}/api/v1/theme-rules/{rule.pk}/"
    assert entries[3]["object"]["name"] == "Prioritaire"

    ids = {"service": service.pk, "waiting": waiting.pk, "rule": rule.pk, "tag": tag.pk}  # deleting clears pk
    services_themes.theme_delete(theme=service, actor=owner)
    services_themes.tag_delete(tag=tag, actor=owner)

    entries, _ = drain(api, cursor)
    assert {(e["type"], e["id"], e["verb"]) for e in entries} == {
        ("theme-rule", ids["rule"], "deleted"), ("theme", ids["waiting"], "deleted"),
        ("theme", ids["service"], "deleted"), ("tag", ids["tag"], "deleted")}
    assert all(e["object"] == {"id": e["id"], "deleted": True} for e in entries)


def test_themes_created_through_the_api_are_in_the_feed(api_for, people, org):
    api = api_for(people["editor"])
    cursor = drain(api)[1]
    created = api.post("/api/v1/themes/", {"organisation": org.pk, "name": "Offre"}, format="json")
    assert created.status_code == 201, created.content
    rule = api.post("/api/v1/theme-rules/", {"theme": created.data["id"], "phrase": "prix"}, format="json")
    assert rule.status_code == 201, rule.content
    assert api.delete(f"/api/v1/theme-rules/{rule.data['id']}/").status_code == 204

    entries, _ = drain(api, cursor)
    assert [(e["type"], e["verb"]) for e in entries] == [("theme", "created"), ("theme-rule", "created"),
                                                         ("theme-rule", "deleted")]


def test_another_organisation_sees_no_theme_change(api_for, people, org):
    outsider = api_for(people["outsider"])
    cursor = drain(outsider)[1]
    services_themes.theme_create(organisation=org, actor=people["owner"], name="Secret theme")
    entries, _ = drain(outsider, cursor)
    assert entries == []


def test_a_new_theme_reaches_a_subscribed_webhook(listener, people, org, django_capture_on_commit_callbacks):
    assert {"theme.created", "theme.deleted", "theme-rule.created", "tag.deleted"} <= set(event_types())
    webhooks.subscription_create(organisation=org, actor=people["admin"], url=listener.url,
                                 event_types=["theme.created"])
    with django_capture_on_commit_callbacks(execute=True):
        theme = services_themes.theme_create(organisation=org, actor=people["editor"], name="Livraison")
        services_themes.tag_create(organisation=org, actor=people["editor"], name="Urgent")  # not subscribed

    [(headers, body)] = listener.requests
    assert headers["X-JourneyPlanner-Event"] == "theme.created"
    data = json.loads(body)["data"]
    assert (data["type"], data["id"], data["verb"], data["object"]["name"]) == ("theme", theme.pk, "created",
                                                                                 "Livraison")
