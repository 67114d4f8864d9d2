"""Journey-mapping API: permission matrix, filters, validation, ETag / If-Match / 412 and query counts."""

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planning import services
from planning.models import Channel, Journey, Persona, Stage, StageTemplate, Stakeholder, Touchpoint
from tenancy.models import Activity, Membership, Role
from tests.conftest import ROLES
from tests.factories import PlanFactory, team_with
from tests.support import fields

PLAN_WRITE = [401, 404, 403, 200, 200, 200]
MANAGER_WRITE = [401, 404, 403, 403, 200, 200]


@pytest.fixture
def channels(org):
    services.channels_seed(org)
    return {channel.name: channel for channel in Channel.objects.filter(organisation=org)}


@pytest.fixture
def mapped(plan, people, team, channels):
    """A persona, a stakeholder, a journey with the purchase stages and one touchpoint, made by the owner."""
    owner = people["owner"]
    persona = services.persona_create(plan=plan, actor=owner, name="Active Alex",
                                      preferred_channels=[channels["Website"]])
    stakeholder = services.stakeholder_create(plan=plan, actor=owner, name="Sam Service", team=team,
                                              title="Head of customer service", objective="Agents who upsell")
    journey = services.journey_create(plan=plan, actor=owner, name="First purchase", persona=persona,
                                      template="purchase")
    stages = list(journey.stages.order_by("position"))
    touchpoint = services.touchpoint_create(stage=stages[0], channel=channels["Online ad"], actor=owner,
                                            name="Click an online ad", team=team)
    return SimpleNamespace(persona=persona, stakeholder=stakeholder, journey=journey, stages=stages,
                           stage=stages[0], touchpoint=touchpoint, channel=channels["Website"], channels=channels)


def _object(resource, m):
    return {"channels": m.channel, "personas": m.persona, "stakeholders": m.stakeholder, "journeys": m.journey,
            "stages": m.stage, "touchpoints": m.touchpoint}[resource]


def _create_body(resource, m, org, plan, team):
    return {
        "channels": {"organisation": org.pk, "name": "Pop-up store", "kind": "offline"},
        "personas": {"plan": plan.pk, "name": "Busy Bea", "preferred_channels": [m.channel.pk], "evidence": "observed"},
        "stakeholders": {"plan": plan.pk, "name": "Dana Smith", "title": "VP of marketing", "team": team.pk},
        "journeys": {"plan": plan.pk, "name": "Lifecycle", "persona": m.persona.pk, "template": "lifecycle"},
        "stages": {"journey": m.journey.pk, "name": "Loyalty", "position": 1},
        "touchpoints": {"stage": m.stage.pk, "channel": m.channel.pk, "name": "Read a targeted email",
                        "customer_action": "Opens the email", "team": team.pk},
    }[resource]


# The field an outsider's create is refused on: the parent they may not see.
PARENT_FIELD = {"channels": "organisation", "personas": "plan", "stakeholders": "plan", "journeys": "plan",
                "stages": "journey", "touchpoints": "stage"}
RESOURCES = list(PARENT_FIELD)
MODELS = {"channels": Channel, "personas": Persona, "stakeholders": Stakeholder, "journeys": Journey,
          "stages": Stage, "touchpoints": Touchpoint}


def _expected_write(resource):
    return MANAGER_WRITE if resource == "channels" else PLAN_WRITE


# Permission matrix ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api_for, people, mapped, resource, role):
    target = _object(resource, mapped)
    response = api_for(people[role]).get(f"/api/v1/{resource}/")
    if role == "anon":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    names = {row["name"] for row in response.data["results"]}
    if role == "outsider":
        assert target.name not in names and response.data["count"] == 0
    else:
        assert target.name in names
        row = next(r for r in response.data["results"] if r["id"] == target.pk)
        assert {"id", "version", "created_at", "updated_at"} <= set(row)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_detail_matrix(api_for, people, mapped, resource, role):
    target = _object(resource, mapped)
    response = api_for(people[role]).get(f"/api/v1/{resource}/{target.pk}/")
    assert response.status_code == dict(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True))[role]
    if response.status_code == 200:
        assert response.data["name"] == target.name and response.data["id"] == target.pk
        assert response["ETag"] == f'"{target.version}"' == f'"{response.data["version"]}"'
    else:
        assert target.name not in response.content.decode() and "detail" in response.json()


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_update_matrix(api_for, people, mapped, resource, role):
    target = _object(resource, mapped)
    expected = dict(zip(ROLES, _expected_write(resource), strict=True))[role]
    response = api_for(people[role]).patch(f"/api/v1/{resource}/{target.pk}/", {"name": "Renamed by API"})
    assert response.status_code == expected, response.content
    fresh = MODELS[resource].objects.get(pk=target.pk)
    if expected == 200:
        assert response.data["name"] == fresh.name == "Renamed by API"
        assert fresh.version == target.version + 1 and response["ETag"] == f'"{fresh.version}"'
        if resource != "channels":
            entry = Activity.objects.filter(target_id=target.pk, verb="updated").latest("id")
            assert entry.actor == people[role] and entry.changes == {"name": [target.name, "Renamed by API"]}
    else:
        assert (fresh.name, fresh.version) == (target.name, target.version)
        assert "detail" in response.json()


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(api_for, people, mapped, resource, role):
    target = _object(resource, mapped)
    expected = dict(zip(ROLES, _expected_write(resource), strict=True))[role]
    expected = 204 if expected == 200 else expected
    response = api_for(people[role]).delete(f"/api/v1/{resource}/{target.pk}/")
    assert response.status_code == expected, response.content
    exists = MODELS[resource].objects.filter(pk=target.pk).exists()
    assert exists == (expected != 204)
    if expected == 204 and resource != "channels":
        entry = Activity.objects.get(target_id=target.pk, target_type=target._meta.label_lower, verb="deleted")
        assert entry.actor == people[role] and entry.changes["name"] == [target.name, None]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(api_for, people, org, plan, team, mapped, resource, role):
    body = _create_body(resource, mapped, org, plan, team)
    write = _expected_write(resource)
    expected = dict(zip(ROLES, [write[0], 400, *write[2:]], strict=True))[role]
    expected = 201 if expected == 200 else expected
    response = api_for(people[role]).post(f"/api/v1/{resource}/", body)
    assert response.status_code == expected, response.content
    created = MODELS[resource].objects.filter(name=body["name"])
    assert created.exists() == (expected == 201)
    if expected == 201:
        row = created.get()
        assert response.data["id"] == row.pk and response.data["version"] == row.version
        assert response["ETag"] == f'"{row.version}"' and response.data["name"] == body["name"]
    elif expected == 400:
        # the outsider is told the parent does not exist, exactly as for an id that never existed
        assert "does not exist" in str(fields(response)[PARENT_FIELD[resource]])


@pytest.mark.parametrize("role", ROLES)
def test_plan_activity_matrix(api_for, people, plan, mapped, role):
    response = api_for(people[role]).get(f"/api/v1/plans/{plan.pk}/activity/")
    assert response.status_code == dict(zip(ROLES, [401, 404, 200, 200, 200, 200], strict=True))[role]
    if response.status_code != 200:
        assert "Click an online ad" not in response.content.decode()
        return
    entries = response.data["results"]
    assert set(response.data) == {"count", "next", "previous", "results"}
    newest = entries[0]
    assert newest["target_repr"] == "Click an online ad" and newest["verb"] == "created"
    assert newest["actor"] == {"id": people["owner"].pk, "username": "olivia"}
    assert newest["target_type"] == "planning.touchpoint" and newest["target_id"] == mapped.touchpoint.pk
    assert newest["changes"]["name"] == [None, "Click an online ad"] and newest["version"] == 1
    created = [e["created_at"] for e in entries]
    assert created == sorted(created, reverse=True)


def test_creating_in_a_plan_of_another_organisation_is_refused_like_a_missing_one(api_for, people, other_plan):
    editor = api_for(people["editor"])
    foreign = editor.post("/api/v1/personas/", {"plan": other_plan.pk, "name": "Spy"})
    missing = editor.post("/api/v1/personas/", {"plan": 999_999, "name": "Spy"})
    assert foreign.status_code == missing.status_code == 400
    assert str(fields(foreign)["plan"]).replace(str(other_plan.pk), "N") == str(fields(missing)["plan"]).replace(
        "999999", "N")
    assert not Persona.objects.filter(name="Spy").exists()


def test_a_persona_can_be_copied_into_another_plan_of_the_organisation(api_for, people, org, mapped):
    target = PlanFactory(organisation=org, name="Second plan")
    response = api_for(people["admin"]).post(f"/api/v1/personas/{mapped.persona.pk}/copy/", {"plan": target.pk})
    assert response.status_code == 201, response.content
    assert response.data["plan"] == target.pk and response.data["name"] == "Active Alex"
    assert response.data["preferred_channels"] == [mapped.channel.pk] and response.data["id"] != mapped.persona.pk
    # the editor may only reach the first plan: copying into the second is refused as a missing plan
    refused = api_for(people["editor"]).post(f"/api/v1/personas/{mapped.persona.pk}/copy/", {"plan": target.pk})
    assert refused.status_code == 400 and "plan" in fields(refused)


# Filtering and ordering ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_updated_since_returns_only_recent_changes(api_for, people, mapped, resource):
    model = MODELS[resource]
    long_ago = timezone.now() - timedelta(days=30)
    model.objects.update(updated_at=long_ago)
    target = _object(resource, mapped)
    api = api_for(people["admin"])
    assert api.patch(f"/api/v1/{resource}/{target.pk}/", {"name": "Fresh"}).status_code == 200
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = api.get(f"/api/v1/{resource}/", {"updated_since": since})
    assert response.status_code == 200
    assert [row["name"] for row in response.data["results"]] == ["Fresh"]
    everything = api.get(f"/api/v1/{resource}/", {"updated_since": (long_ago - timedelta(seconds=1)).isoformat()})
    assert everything.data["count"] == model.objects.count()


def test_updated_since_must_be_a_date_and_time(api_for, people, mapped):
    response = api_for(people["admin"]).get("/api/v1/touchpoints/", {"updated_since": "last tuesday"})
    assert response.status_code == 400 and "updated_since" in fields(response)


def test_touchpoints_filter_by_plan_journey_stage_and_channel(api_for, people, plan, team, mapped):
    owner, channels = people["owner"], mapped.channels
    other = services.journey_create(plan=plan, actor=owner, name="Return an item", template=["Request", "Refund"])
    request_stage = other.stages.get(position=0)
    services.touchpoint_create(stage=request_stage, channel=channels["Physical store"], actor=owner,
                               name="Return in store")
    services.touchpoint_create(stage=mapped.stages[1], channel=channels["Online ad"], actor=owner,
                               name="Compare on the website")
    api = api_for(people["viewer"])

    def names(**params):
        response = api.get("/api/v1/touchpoints/", params)
        assert response.status_code == 200, response.content
        return sorted(row["name"] for row in response.data["results"])

    assert names(plan=plan.pk) == ["Click an online ad", "Compare on the website", "Return in store"]
    assert names(journey=other.pk) == ["Return in store"]
    assert names(stage=mapped.stage.pk) == ["Click an online ad"]
    assert names(channel=channels["Online ad"].pk) == ["Click an online ad", "Compare on the website"]
    assert names(channel=channels["Online ad"].pk, stage=mapped.stages[1].pk) == ["Compare on the website"]
    stage_names = [row["name"] for row in api.get("/api/v1/stages/", {"journey": other.pk}).data["results"]]
    assert stage_names == ["Request", "Refund"]
    journeys = api.get("/api/v1/journeys/", {"persona": mapped.persona.pk}).data["results"]
    assert [j["name"] for j in journeys] == ["First purchase"]


def test_filtering_by_another_tenants_plan_is_refused_like_a_missing_one(api_for, people, other_plan, mapped):
    api = api_for(people["editor"])
    foreign = api.get("/api/v1/touchpoints/", {"plan": other_plan.pk})
    missing = api.get("/api/v1/touchpoints/", {"plan": 999_999})
    assert foreign.status_code == missing.status_code == 400 and "plan" in fields(foreign)


def test_ordering_is_applied_and_unknown_fields_are_refused(api_for, people, mapped, plan):
    owner = people["owner"]
    for name in ("Alpha", "Zulu"):
        services.touchpoint_create(stage=mapped.stage, channel=mapped.channel, actor=owner, name=name)
    api = api_for(people["viewer"])
    ordered = [row["name"] for row in api.get("/api/v1/touchpoints/", {"ordering": "-name"}).data["results"]]
    assert ordered == ["Zulu", "Click an online ad", "Alpha"]
    # an unknown ordering field answers 400 with the allowed ones (neither ignored nor a database error)
    refused = api.get("/api/v1/touchpoints/", {"ordering": "plan__organisation__name"})
    assert refused.status_code == 400 and "stage__position" in str(fields(refused)["ordering"])


# Validation -----------------------------------------------------------------------------------------------------


def test_touchpoint_moved_to_a_stage_of_another_plan_is_a_400_naming_stage(api_for, people, org, mapped):
    admin = people["admin"]
    elsewhere = PlanFactory(organisation=org, name="Another plan")
    foreign_stage = services.journey_create(plan=elsewhere, actor=admin, name="Elsewhere",
                                            template="purchase").stages.first()
    response = api_for(admin).patch(f"/api/v1/touchpoints/{mapped.touchpoint.pk}/", {"stage": foreign_stage.pk})
    assert response.status_code == 400 and list(fields(response)) == ["stage"]
    assert "another plan" in str(fields(response)["stage"])
    assert Touchpoint.objects.get(pk=mapped.touchpoint.pk).stage_id == mapped.stage.pk


def test_touchpoint_moved_to_a_stage_of_another_journey_is_a_400_naming_stage(api_for, people, plan, mapped):
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Other", template=["Only stage"])
    response = api_for(people["editor"]).patch(f"/api/v1/touchpoints/{mapped.touchpoint.pk}/",
                                               {"stage": journey.stages.get().pk})
    assert response.status_code == 400 and "another journey" in str(fields(response)["stage"])


def test_touchpoint_with_a_channel_of_another_organisation_is_a_400_naming_channel(api_for, people, mapped):
    admin, other_org = people["admin"], people["other_org"]
    Membership.objects.create(organisation=other_org, user=admin, role=Role.EDITOR)  # admin sees both catalogues
    services.channels_seed(other_org)
    foreign = Channel.objects.filter(organisation=other_org).first()
    body = {"stage": mapped.stage.pk, "channel": foreign.pk, "name": "Cross-tenant"}
    response = api_for(admin).post("/api/v1/touchpoints/", body)
    assert response.status_code == 400 and list(fields(response)) == ["channel"]
    assert "another organisation" in str(fields(response)["channel"])
    response = api_for(admin).patch(f"/api/v1/touchpoints/{mapped.touchpoint.pk}/", {"channel": foreign.pk})
    assert response.status_code == 400 and list(fields(response)) == ["channel"]
    # someone who cannot see that catalogue is told the channel does not exist
    response = api_for(people["editor"]).post("/api/v1/touchpoints/", body)
    assert response.status_code == 400 and "does not exist" in str(fields(response)["channel"])
    assert not Touchpoint.objects.filter(name="Cross-tenant").exists()


def test_other_cross_object_rules_name_their_field(api_for, people, org, team, mapped):
    admin = people["admin"]
    api = api_for(admin)
    other_plan = PlanFactory(organisation=org, name="Second plan")
    other_persona = services.persona_create(plan=other_plan, actor=admin, name="Elsewhere Ella")
    response = api.patch(f"/api/v1/journeys/{mapped.journey.pk}/", {"persona": other_persona.pk})
    assert response.status_code == 400 and "another plan" in str(fields(response)["persona"])
    response = api.patch(f"/api/v1/personas/{mapped.persona.pk}/", {"plan": other_plan.pk})
    assert response.status_code == 400 and list(fields(response)) == ["plan"]
    sibling = services.journey_create(plan=mapped.journey.plan, actor=admin, name="Sibling")
    response = api.patch(f"/api/v1/stages/{mapped.stage.pk}/", {"journey": sibling.pk})
    assert response.status_code == 400 and "another journey" in str(fields(response)["journey"])
    Membership.objects.create(organisation=people["other_org"], user=admin, role=Role.ADMIN)
    foreign_team = team_with(people["other_org"], name="Their team")
    response = api.patch(f"/api/v1/stakeholders/{mapped.stakeholder.pk}/", {"team": foreign_team.pk})
    assert response.status_code == 400 and "another organisation" in str(fields(response)["team"])
    response = api.post("/api/v1/channels/", {"organisation": org.pk, "name": "Website", "kind": "online"})
    assert response.status_code == 400 and list(fields(response)) == ["name"]


def test_journey_templates_build_the_first_stages(api_for, people, org, plan, mapped):
    api = api_for(people["editor"])

    def stages_of(body):
        response = api.post("/api/v1/journeys/", {"plan": plan.pk, **body})
        assert response.status_code == 201, response.content
        names = list(Stage.objects.filter(journey_id=response.data["id"]).order_by("position")
                     .values_list("name", flat=True))
        assert response.data["stage_count"] == len(names) and "template" not in response.data
        return names

    assert stages_of({"name": "A", "template": "purchase"}) == ["Discovery", "Research", "Conversion", "After-sales"]
    assert stages_of({"name": "B", "template": ["Sign up", "Welcome email"]}) == ["Sign up", "Welcome email"]
    saved = services.stage_template_save(journey=mapped.journey, actor=people["editor"], name="Ours")
    assert stages_of({"name": "C", "template": saved.pk}) == list(saved.stages)
    assert stages_of({"name": "D"}) == []
    for bad in ("waterfall", [], 999_999, {"stages": 1}):
        response = api.post("/api/v1/journeys/", {"plan": plan.pk, "name": "Bad", "template": bad})
        assert response.status_code == 400 and list(fields(response)) == ["template"], bad
    foreign = StageTemplate.objects.create(organisation=people["other_org"], name="Theirs", stages=["X"])
    response = api.post("/api/v1/journeys/", {"plan": plan.pk, "name": "Bad", "template": foreign.pk})
    assert response.status_code == 400 and "template" in fields(response)
    response = api.patch(f"/api/v1/journeys/{mapped.journey.pk}/", {"template": "purchase"})
    assert response.status_code == 400 and "template" in fields(response)


def test_a_channel_in_use_cannot_be_deleted(api_for, people, mapped):
    used = mapped.channels["Online ad"]
    response = api_for(people["admin"]).delete(f"/api/v1/channels/{used.pk}/")
    assert response.status_code == 400 and "Touchpoints still use this channel" in str(response.data)
    assert Channel.objects.filter(pk=used.pk).exists()


def _png(name="alex.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_persona_photo_is_uploaded_as_multipart_to_its_own_address(api_for, people, plan, mapped, tmp_path,
                                                                      settings):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/personas/{mapped.persona.pk}/photo/"
    response = api_for(people["editor"]).put(url, {"photo": _png()}, format="multipart")
    assert response.status_code == 200, response.content
    stored = Persona.objects.get(pk=mapped.persona.pk).photo
    assert stored.name.endswith(".png") and stored.storage.exists(stored.name)
    assert response.data["photo"].endswith(stored.name.rsplit("/", 1)[-1])
    assert response["ETag"] == f'"{response.data["version"]}"'
    removed = api_for(people["editor"]).delete(url, HTTP_IF_MATCH=response["ETag"])
    assert removed.status_code == 200 and removed.data["photo"] is None
    assert Persona.objects.get(pk=mapped.persona.pk).photo.name == ""


@pytest.mark.parametrize(("role", "expected"), [("anon", 401), ("outsider", 404), ("viewer", 403), ("editor", 200),
                                                ("admin", 200), ("owner", 200)])
def test_the_photo_upload_permission_matrix(api_for, people, mapped, tmp_path, settings, role, expected):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/personas/{mapped.persona.pk}/photo/"
    response = api_for(people[role]).put(url, {"photo": _png()}, format="multipart")
    assert response.status_code == expected
    assert bool(Persona.objects.get(pk=mapped.persona.pk).photo) == (expected == 200)
    services.persona_update(persona=Persona.objects.get(pk=mapped.persona.pk), actor=people["owner"],
                            photo="personas/kept.png")
    removed = api_for(people[role]).delete(url)
    assert removed.status_code == expected
    assert Persona.objects.get(pk=mapped.persona.pk).photo.name == ("" if expected == 200 else "personas/kept.png")


def test_a_photo_upload_on_a_stale_version_is_a_412(api_for, people, mapped, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = api_for(people["editor"]).put(f"/api/v1/personas/{mapped.persona.pk}/photo/", {"photo": _png()},
                                             format="multipart", HTTP_IF_MATCH=f'"{mapped.persona.version + 7}"')
    assert response.status_code == 412 and response.json()["current"]["photo"] is None
    assert not list(tmp_path.rglob("*.png"))  # the refused upload left no file behind


def test_a_photo_sent_in_a_json_write_is_not_stored(api_for, people, mapped):
    response = api_for(people["editor"]).patch(f"/api/v1/personas/{mapped.persona.pk}/",
                                               {"photo": "x.png", "quote": "Fast, please"}, format="json")
    assert response.status_code == 200 and response.data["photo"] is None and response.data["quote"] == "Fast, please"


@pytest.mark.parametrize("format_", ["multipart", "form"])
def test_a_write_that_is_not_json_answers_415_saying_so(api_for, people, mapped, format_):
    api = api_for(people["editor"])
    url = f"/api/v1/personas/{mapped.persona.pk}/"
    if format_ == "multipart":
        response = api.patch(url, {"quote": "Slow"}, format="multipart")
    else:
        response = api.generic("PATCH", url, "quote=Slow", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert "send application/json" in response.json()["detail"]
    assert Persona.objects.get(pk=mapped.persona.pk).quote != "Slow"


def test_a_json_body_sent_to_the_photo_upload_answers_415_naming_multipart(api_for, people, mapped):
    response = api_for(people["editor"]).put(f"/api/v1/personas/{mapped.persona.pk}/photo/", {"photo": "x"},
                                             format="json")
    assert response.status_code == 415 and "multipart/form-data" in response.json()["detail"]


# ETag, If-Match and 412 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_stale_if_match_returns_412_with_the_current_object(api_for, people, mapped, resource):
    target = _object(resource, mapped)
    url = f"/api/v1/{resource}/{target.pk}/"
    admin, owner = api_for(people["admin"]), api_for(people["owner"])
    etag = admin.get(url)["ETag"]
    assert etag == f'"{target.version}"'
    first = owner.patch(url, {"name": "Owner's name"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] == f'"{target.version + 1}"'
    stale = admin.patch(url, {"name": "Admin's name"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale["ETag"] == first["ETag"]
    assert stale.data["current"]["name"] == "Owner's name" and stale.data["current"]["version"] == target.version + 1
    assert MODELS[resource].objects.get(pk=target.pk).name == "Owner's name"
    assert admin.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert MODELS[resource].objects.filter(pk=target.pk).exists()
    assert admin.delete(url, HTTP_IF_MATCH=first["ETag"]).status_code == 204
    assert not MODELS[resource].objects.filter(pk=target.pk).exists()


def test_a_journey_conflict_shows_its_counts(api_for, people, mapped):
    url = f"/api/v1/journeys/{mapped.journey.pk}/"
    api = api_for(people["editor"])
    api.patch(url, {"description": "v2"})
    stale = api.patch(url, {"name": "x"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.data["current"]["stage_count"] == 4 and stale.data["current"]["touchpoint_count"] == 1


def test_a_stale_stage_move_is_refused_even_when_it_stays_put(api_for, people, mapped):
    url = f"/api/v1/stages/{mapped.stage.pk}/"
    api = api_for(people["editor"])
    assert api.patch(url, {"name": "Découverte"}).status_code == 200
    stale = api.patch(url, {"name": "Stale", "position": 0}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale.data["current"]["name"] == "Découverte"
    moved = api.patch(url, {"position": 2}, HTTP_IF_MATCH='"2"')
    assert moved.status_code == 200 and moved.data["position"] == 2 and moved["ETag"] == '"3"'
    assert [s.name for s in Stage.objects.filter(journey=mapped.journey).order_by("position")] == [
        "Research", "Conversion", "Découverte", "After-sales"]


def test_malformed_if_match_is_a_clear_400(api_for, people, mapped):
    response = api_for(people["editor"]).patch(f"/api/v1/touchpoints/{mapped.touchpoint.pk}/", {"name": "x"},
                                               HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400 and "If-Match" in response.data["detail"]
    assert Touchpoint.objects.get(pk=mapped.touchpoint.pk).name == "Click an online ad"


def test_a_viewer_is_refused_before_the_body_is_read(api_for, people, mapped):
    response = api_for(people["viewer"]).patch(f"/api/v1/touchpoints/{mapped.touchpoint.pk}/", {"stage": "nope"})
    assert response.status_code == 403


# Query counts -------------------------------------------------------------------------------------------------


def _grow(resource, m, plan, org, team, count):
    """Add rows with bulk_create until the list holds `count` of them (with the relations a list renders)."""
    channels = list(m.channels.values())
    have = MODELS[resource].objects.filter(**({"organisation": org} if resource == "channels" else {"plan": plan}))
    todo = range(have.count(), count)
    if resource == "touchpoints":
        cells = itertools.cycle([(stage, channel) for stage in m.stages for channel in channels])
        Touchpoint.objects.bulk_create([
            Touchpoint(plan=plan, journey=m.journey, stage=stage, channel=channel, team=team, name=f"Touchpoint {i}",
                       position=i) for i, (stage, channel) in zip(todo, cells, strict=False)])
    elif resource == "personas":
        personas = Persona.objects.bulk_create([Persona(plan=plan, name=f"Persona {i}") for i in todo])
        through = Persona.preferred_channels.through
        through.objects.bulk_create([through(persona=p, channel=c) for p in personas for c in channels[:3]])
    elif resource == "stakeholders":
        Stakeholder.objects.bulk_create([Stakeholder(plan=plan, name=f"Person {i}", team=team) for i in todo])
    elif resource == "journeys":
        journeys = Journey.objects.bulk_create([Journey(plan=plan, persona=m.persona, name=f"J {i}") for i in todo])
        stages = Stage.objects.bulk_create([Stage(plan=plan, journey=j, name="S", position=0) for j in journeys])
        Touchpoint.objects.bulk_create([Touchpoint(plan=plan, journey=s.journey, stage=s, channel=channels[0],
                                                   name="T") for s in stages])
    elif resource == "stages":
        Stage.objects.bulk_create([Stage(plan=plan, journey=m.journey, name=f"S {i}", position=i) for i in todo])
    elif resource == "channels":
        Channel.objects.bulk_create([Channel(organisation=org, name=f"Channel {i}", kind="online") for i in todo])


def _list_queries(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.data["count"]


@pytest.mark.parametrize(("resource", "few", "many"), [
    ("touchpoints", 5, 200), ("personas", 5, 60), ("stakeholders", 5, 60), ("journeys", 5, 60),
    ("stages", 5, 60), ("channels", 20, 80),
])
def test_list_query_count_is_the_same_for_few_and_many_rows(api_for, people, org, plan, team, mapped, resource,
                                                           few, many):
    api = api_for(people["editor"])
    _grow(resource, mapped, plan, org, team, few)
    queries_few, count_few = _list_queries(api, f"/api/v1/{resource}/")
    _grow(resource, mapped, plan, org, team, many)
    queries_many, count_many = _list_queries(api, f"/api/v1/{resource}/")
    assert (count_few, count_many) == (few, many)
    assert queries_many == queries_few


def test_activity_query_count_is_the_same_for_few_and_many_entries(api_for, people, plan, mapped):
    api = api_for(people["viewer"])
    few = _list_queries(api, f"/api/v1/plans/{plan.pk}/activity/")
    Activity.objects.bulk_create([
        Activity(organisation_id=plan.organisation_id, plan=plan, actor=people[("owner", "editor")[i % 2]],
                 verb="updated", target_type="planning.touchpoint", target_id=mapped.touchpoint.pk,
                 target_repr="Click an online ad", version=i, changes={"name": [str(i), str(i + 1)]})
        for i in range(150)])
    many = _list_queries(api, f"/api/v1/plans/{plan.pk}/activity/")
    assert many[1] == few[1] + 150 and many[0] == few[0]


def test_openapi_schema_documents_the_journey_endpoints(api_for, people):
    schema = api_for(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for resource in ("channels", "personas", "stakeholders", "journeys", "stages", "touchpoints"):
        assert f"/api/v1/{resource}/" in schema["paths"] and f"/api/v1/{resource}/{{id}}/" in schema["paths"]
        patch = schema["paths"][f"/api/v1/{resource}/{{id}}/"]["patch"]
        assert "If-Match" in {p["name"] for p in patch["parameters"]} and "412" in patch["responses"]
        params = {p["name"] for p in schema["paths"][f"/api/v1/{resource}/"]["get"]["parameters"]}
        assert {"updated_since", "ordering"} <= params
    touchpoint_filters = {p["name"] for p in schema["paths"]["/api/v1/touchpoints/"]["get"]["parameters"]}
    assert {"plan", "journey", "stage", "channel"} <= touchpoint_filters
    assert "/api/v1/plans/{id}/activity/" in schema["paths"]
