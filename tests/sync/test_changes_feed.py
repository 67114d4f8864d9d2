"""The changes feed: order, current objects and tombstones, cursors, tenant isolation, query counts."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as assessment_services
from planning import services
from planning.models import Channel
from sync.api.changes import Position, _signer, decode_cursor, encode_cursor
from tenancy import services as tenancy_services
from tenancy.models import Activity, Membership, Role
from tests.conftest import ROLES
from tests.factories import OrganisationFactory, PlanFactory, member
from tests.support import fields

URL = "/api/v1/changes/"


@pytest.fixture
def channel(org, people):
    return services.channel_create(organisation=org, actor=people["owner"], name="Website", kind="online")


@pytest.fixture
def journey(plan, people):
    return services.journey_create(plan=plan, actor=people["editor"], name="First purchase", template="purchase")


def drain(api, cursor=None, page_size=100, **params):
    """Every entry from `cursor` to the end, and the last `next`."""
    entries = []
    while True:
        query = {"page_size": page_size, **params, **({"cursor": cursor} if cursor else {})}
        response = api.get(URL, query)
        assert response.status_code == 200, response.content
        entries += response.data["results"]
        cursor = response.data["next"]
        if not response.data["has_more"]:
            return entries, cursor


def test_feed_lists_creates_updates_and_deletes_in_order_with_current_objects(api_for, people, plan, channel,
                                                                               journey, settings):
    settings.SITE_URL = "https://plans.example.com/"  # the request comes to "testserver": addresses ignore it
    stage = journey.stages.order_by("position").first()
    touchpoint = services.touchpoint_create(stage=stage, channel=channel, actor=people["editor"], name="Ad")
    services.touchpoint_update(touchpoint=touchpoint, actor=people["editor"], name="Online ad")
    persona = services.persona_create(plan=plan, actor=people["editor"], name="Alex")
    services.persona_delete(persona=persona, actor=people["editor"])

    entries, _ = drain(api_for(people["editor"]))

    changes = [(e["type"], e["id"], e["verb"], e["version"]) for e in entries]
    assert changes == [
        ("channel", channel.pk, "created", 1),
        ("journey", journey.pk, "created", 1),
        *[("stage", s.pk, "created", 1) for s in journey.stages.order_by("position")],
        ("touchpoint", touchpoint.pk, "created", 1),
        ("touchpoint", touchpoint.pk, "updated", 2),
        ("persona", persona.pk, "created", 1),
        ("persona", persona.pk, "deleted", 1),
    ]
    assert [e["change"] for e in entries] == sorted(e["change"] for e in entries)
    created, updated = entries[-4], entries[-3]
    # The object is its CURRENT state: the creation entry already shows the later update (apply by version).
    assert created["object"]["name"] == updated["object"]["name"] == "Online ad"
    assert created["object"]["version"] == 2 and created["plan"] == plan.pk
    assert created["url"] == f"https://plans.example.com/api/v1/touchpoints/{touchpoint.pk}/"
    assert entries[-2]["object"] == entries[-1]["object"] == {"id": persona.pk, "deleted": True}
    assert entries[0]["plan"] is None and entries[0]["object"]["name"] == "Website"


def test_deleting_a_journey_gives_tombstones_for_its_stages_and_touchpoints(api_for, people, journey, channel):
    stages = list(journey.stages.all())
    touchpoint = services.touchpoint_create(stage=stages[0], channel=channel, actor=people["editor"], name="Ad")
    _, cursor = drain(api_for(people["editor"]))

    services.journey_delete(journey=journey, actor=people["editor"])

    entries, _ = drain(api_for(people["editor"]), cursor)
    gone = {(e["type"], e["id"]) for e in entries}
    assert gone == {("journey", journey.pk), ("touchpoint", touchpoint.pk), *(("stage", s.pk) for s in stages)}
    assert all(e["verb"] == "deleted" and e["object"]["deleted"] for e in entries)
    assert entries[-1]["type"] == "journey"  # the cascade first, then the object that was deleted


def test_an_empty_page_still_gives_a_cursor_to_poll_with(api_for, people, plan, channel):
    api = api_for(people["editor"])
    entries, cursor = drain(api)
    assert len(entries) == 1

    again = api.get(URL, {"cursor": cursor}).data
    assert again["results"] == [] and again["has_more"] is False and again["next"] == cursor

    services.stakeholder_create(plan=plan, actor=people["editor"], name="Sam")
    later = api.get(URL, {"cursor": cursor}).data
    assert [(e["type"], e["verb"]) for e in later["results"]] == [("stakeholder", "created")]
    assert later["next"] != cursor


def test_page_size_and_has_more(api_for, people, plan):
    for i in range(5):
        services.stakeholder_create(plan=plan, actor=people["editor"], name=f"S{i}")
    api = api_for(people["editor"])
    first = api.get(URL, {"page_size": 2}).data
    assert len(first["results"]) == 2 and first["has_more"] is True
    entries, _ = drain(api, first["next"], page_size=2)
    assert [e["object"]["name"] for e in first["results"] + entries] == ["S0", "S1", "S2", "S3", "S4"]
    for bad in ("0", "1001", "ten"):
        response = api.get(URL, {"page_size": bad})
        assert response.status_code == 400 and "page_size" in fields(response)


def test_refused_writes_are_not_changes(api_for, people, plan):
    from core.versioning import StaleVersion

    stakeholder = services.stakeholder_create(plan=plan, actor=people["editor"], name="Sam")
    with pytest.raises(StaleVersion):
        services.stakeholder_update(stakeholder=stakeholder, actor=people["editor"], version=7, name="Late")
    assert Activity.objects.filter(verb="refused").exists()
    entries, _ = drain(api_for(people["editor"]))
    assert [e["verb"] for e in entries] == ["created"]


@pytest.mark.parametrize("cursor", [
    "garbage", "!!!", base64.urlsafe_b64encode(b"c1.1.5:forged-signature").decode(),
    base64.urlsafe_b64encode(b"c1.1.5").decode(),
])
def test_a_bad_or_tampered_cursor_is_400(api_for, people, org, cursor):
    response = api_for(people["editor"]).get(URL, {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in fields(response)


def test_an_edited_cursor_id_breaks_its_signature(org):
    cursor = encode_cursor(org.pk, Position(7, 41))
    assert decode_cursor(cursor) == (org.pk, Position(7, 41))
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().replace(".41.", ".1.")
    with pytest.raises(ValueError):
        decode_cursor(base64.urlsafe_b64encode(raw.encode()).decode())


def test_a_cursor_of_the_first_version_reads_on_from_its_id(api_for, people, org, plan, channel):
    # Before the feed was ordered by transaction, a cursor held the last id seen ("c1"): clients may still hold one.
    services.stakeholder_create(plan=plan, actor=people["editor"], name="Seen before the upgrade")
    seen, _ = drain(api_for(people["editor"]))
    old = base64.urlsafe_b64encode(
        _signer.sign(f"c1.{org.pk}.{seen[-1]['change']}").encode()).decode().rstrip("=")
    services.stakeholder_create(plan=plan, actor=people["editor"], name="Made after")
    page = api_for(people["editor"]).get(URL, {"cursor": old}).json()
    assert [entry["object"]["name"] for entry in page["results"]] == ["Made after"]
    assert decode_cursor(page["next"])[1].floor == seen[-1]["change"]
    assert api_for(people["editor"]).get(URL, {"cursor": page["next"]}).json()["results"] == []


def test_another_organisations_changes_are_absent(api_for, people, org, plan, other_plan, channel):
    services.stakeholder_create(plan=other_plan, actor=people["outsider"], name="Their secret stakeholder")
    services.stakeholder_create(plan=plan, actor=people["editor"], name="Ours")

    ours, _ = drain(api_for(people["editor"]))
    theirs, _ = drain(api_for(people["outsider"]))

    assert {e["object"]["name"] for e in ours} == {"Website", "Ours"}
    assert [e["object"]["name"] for e in theirs] == ["Their secret stakeholder"]
    # Asking for our organisation, or replaying our cursor, gets the outsider nothing.
    assert api_for(people["outsider"]).get(URL, {"organisation": org.pk}).status_code == 404
    _, our_cursor = drain(api_for(people["editor"]))
    assert api_for(people["outsider"]).get(URL, {"cursor": our_cursor}).status_code == 404


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True)))
def test_feed_permission_matrix(api_for, people, org, plan, role, expected):
    services.stakeholder_create(plan=plan, actor=people["editor"], name="Sam")
    response = api_for(people[role]).get(URL, {"organisation": org.pk})
    assert response.status_code == expected
    if expected == 200:
        assert [e["object"]["name"] for e in response.data["results"]] == ["Sam"]


def test_a_viewer_sees_only_the_plans_shared_with_them_and_the_organisation_level_changes(api_for, people, org,
                                                                                         plan, channel):
    hidden = PlanFactory(organisation=org, name="Board only")
    services.stakeholder_create(plan=hidden, actor=people["owner"], name="Hidden")
    services.stakeholder_create(plan=plan, actor=people["owner"], name="Shared")

    viewer, _ = drain(api_for(people["viewer"]))
    owner, _ = drain(api_for(people["owner"]))

    assert [e["object"]["name"] for e in viewer] == ["Website", "Shared"]
    assert [e["object"]["name"] for e in owner] == ["Website", "Hidden", "Shared"]


def test_someone_in_several_organisations_says_which_and_the_cursor_remembers_it(api_for, people, org, plan):
    editor = people["editor"]
    second = OrganisationFactory(name="Second job")
    Membership.objects.create(organisation=second, user=editor, role=Role.OWNER)
    services.stakeholder_create(plan=plan, actor=editor, name="First org")
    api = api_for(editor)

    response = api.get(URL)
    assert response.status_code == 400 and "organisation" in fields(response)
    page = api.get(URL, {"organisation": org.pk}).data
    assert [e["object"]["name"] for e in page["results"]] == ["First org"]
    services.stakeholder_create(plan=plan, actor=editor, name="Later")
    assert [e["object"]["name"] for e in api.get(URL, {"cursor": page["next"]}).data["results"]] == ["Later"]
    mixed = api.get(URL, {"cursor": page["next"], "organisation": second.pk})
    assert mixed.status_code == 400 and "cursor" in fields(mixed)


def test_an_organisation_api_token_reads_its_own_organisations_feed(people, org, plan, other_plan):
    from rest_framework.test import APIClient

    from sync import tokens

    owner = people["owner"]
    Membership.objects.create(organisation=other_plan.organisation, user=owner, role=Role.VIEWER)
    services.stakeholder_create(plan=plan, actor=owner, name="Ours")
    services.stakeholder_create(plan=other_plan, actor=people["outsider"], name="Theirs")
    _token, key = tokens.api_token_create(organisation=org, user=owner, name="CRM", scope="read_only")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    page = api.get(URL).data  # no organisation needed: the token's
    assert [e["object"]["name"] for e in page["results"]] == ["Ours"]
    assert api.get(URL, {"organisation": other_plan.organisation_id}).status_code == 404


def test_a_page_costs_the_same_queries_for_5_and_50_changes(api_for, people, plan, journey, channel):
    stages = list(journey.stages.all())
    api = api_for(people["editor"])
    _, cursor = drain(api)

    def make(n):
        for i in range(n):
            touchpoint = services.touchpoint_create(stage=stages[i % len(stages)], channel=channel,
                                                    actor=people["editor"], name=f"T{i}")
            services.persona_create(plan=plan, actor=people["editor"], name=f"P{i}")
            services.touchpoint_update(touchpoint=touchpoint, actor=people["editor"], name=f"T{i}!")

    def count(cursor):
        with CaptureQueriesContext(connection) as ctx:
            page = api.get(URL, {"cursor": cursor, "page_size": 500}).data
        return len(ctx.captured_queries), page

    make(2)
    small_queries, small = count(cursor)
    make(17)
    large_queries, large = count(small["next"])
    assert len(small["results"]) == 6 and len(large["results"]) == 51
    assert small_queries == large_queries


def test_channel_writes_are_tracked(api_for, people, org):
    owner = people["owner"]
    channel = services.channel_create(organisation=org, actor=owner, name="Kiosk", kind="offline")
    services.channel_update(channel=channel, actor=owner, name="In-store kiosk")
    services.channel_delete(channel=Channel.objects.get(pk=channel.pk), actor=owner)

    history = list(Activity.objects.filter(target_type="planning.channel").order_by("id"))
    assert [(a.verb, a.plan_id, a.organisation_id) for a in history] == [
        ("created", None, org.pk), ("updated", None, org.pk), ("deleted", None, org.pk)]
    assert history[1].changes == {"name": ["Kiosk", "In-store kiosk"]}
    entries, _ = drain(api_for(people["viewer"]))
    assert [(e["type"], e["verb"], e["version"]) for e in entries] == [
        ("channel", "created", 1), ("channel", "updated", 2), ("channel", "deleted", 2)]


def test_a_new_organisations_built_in_channels_are_in_its_feed(db, api_for):
    owner = member(OrganisationFactory(), Role.OWNER)
    organisation = tenancy_services.organisation_create(user=owner, name="Fresh start")
    entries, _ = drain(api_for(owner), organisation=organisation.pk)
    assert len(entries) == Channel.objects.filter(organisation=organisation).count() == 16
    assert {e["type"] for e in entries} == {"channel"} and all(e["object"]["is_builtin"] for e in entries)


def test_a_bulk_feedback_import_records_one_change_per_response(people, plan, journey, channel):
    stage = journey.stages.first()
    touchpoint = services.touchpoint_create(stage=stage, channel=channel, actor=people["editor"], name="Ad")
    rows = [{"touchpoint_id": touchpoint.pk, "kind": "nps", "score": i % 11, "responded_on": "2027-03-01"}
            for i in range(25)]

    created = assessment_services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=rows, batch_size=10)

    history = Activity.objects.filter(target_type="assessments.feedbackresponse", verb="created")
    assert created == history.count() == 25
    first = history.order_by("id").first()
    assert first.plan_id == plan.pk and first.actor == people["editor"] and first.version == 1
    assert first.changes["score"] == [None, 0] and first.changes["touchpoint"] == [None, touchpoint.pk]
