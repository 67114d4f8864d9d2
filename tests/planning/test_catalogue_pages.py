"""Pages for personas, stakeholders, channels and the plan history: permissions, stale saves, copies, queries."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from core.versioning import StaleVersion
from planning import services
from planning.models import Channel, Persona, Stakeholder
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Activity, Role
from tests.conftest import ROLES
from tests.factories import MembershipFactory, PlanFactory

LOGIN = 302


@pytest.fixture
def channels(org):
    services.channels_seed(org)
    return {c.name: c for c in org.channels.all()}


@pytest.fixture
def persona(plan, people, channels):
    return services.persona_create(plan=plan, actor=people["owner"], name="Sporty Sam",
                                   description="Runs twice a week.", goals="Find the right shoes fast.",
                                   quote="I want to try before I buy.",
                                   segment_size=12000, evidence="observed",
                                   preferred_channels=[channels["Website"], channels["Physical store"]])


@pytest.fixture
def stakeholder(plan, people, team):
    return services.stakeholder_create(plan=plan, actor=people["owner"], name="Claire Dubois",
                                       title="Head of customer service", team=team,
                                       objective="More productive agents who can also upsell.")


@pytest.fixture
def custom_channel(org, people):
    return services.channel_create(organisation=org, actor=people["owner"], name="Pop-up van", kind="offline")


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _persona_data(channels, **overrides):
    data = {"name": "Sporty Sam", "description": "Runs twice a week.", "goals": "", "frustrations": "",
            "preferred_channels": [channels["Website"].pk], "quote": "", "segment_size": "", "revenue_share": "",
            "evidence": "assumed"}
    return {**data, **overrides}


# Permission matrix: pages -------------------------------------------------------------------------------------

READ = [LOGIN, 404, 200, 200, 200, 200]
EDIT = [LOGIN, 404, 403, 200, 200, 200]
MANAGE_ORG = [LOGIN, 404, 403, 403, 200, 200]
# route name, args from (org, plan, persona, stakeholder, channel), expected per role, text a 200 must show
GET_PAGES = [
    ("personas", lambda o, p, pe, s, c: [p.pk], READ, "Sporty Sam"),
    ("persona_create", lambda o, p, pe, s, c: [p.pk], EDIT, "Preferred channels"),
    ("persona_edit", lambda o, p, pe, s, c: [p.pk, pe.pk], EDIT, "Runs twice a week."),
    ("persona_delete", lambda o, p, pe, s, c: [p.pk, pe.pk], EDIT, "Delete “Sporty Sam”?"),
    ("stakeholders", lambda o, p, pe, s, c: [p.pk], READ, "Head of customer service"),
    ("stakeholder_create", lambda o, p, pe, s, c: [p.pk], EDIT, "Objective"),
    ("stakeholder_edit", lambda o, p, pe, s, c: [p.pk, s.pk], EDIT, "More productive agents"),
    ("stakeholder_delete", lambda o, p, pe, s, c: [p.pk, s.pk], EDIT, "Delete “Claire Dubois”?"),
    ("channels", lambda o, p, pe, s, c: [o.pk], READ, "Pop-up van"),
    ("channel_edit", lambda o, p, pe, s, c: [o.pk, c.pk], MANAGE_ORG, "Pop-up van"),
    ("channel_delete", lambda o, p, pe, s, c: [o.pk, c.pk], MANAGE_ORG, "Delete “Pop-up van”?"),
    ("plan_activity", lambda o, p, pe, s, c: [p.pk], READ, "Sporty Sam"),
]


@pytest.mark.parametrize(("name", "args", "expected", "text"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, org, plan, persona, stakeholder, custom_channel, name, args, expected, text,
                     role_index):
    url = reverse(name, args=args(org, plan, persona, stakeholder, custom_channel))
    response = client_for(people[ROLES[role_index]]).get(url)
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert text in body
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code in (403, 404):
        assert text not in body
    if response.status_code == 404:
        assert org.name not in body and plan.name not in body


def test_a_viewer_reads_the_catalogue_without_edit_buttons(client_for, people, org, plan, persona, stakeholder,
                                                           custom_channel):
    client = client_for(people["viewer"])
    personas_page = client.get(reverse("personas", args=[plan.pk])).content.decode()
    assert "Sporty Sam" in personas_page and "Website" in personas_page and "12,000" in personas_page
    assert reverse("persona_edit", args=[plan.pk, persona.pk]) not in personas_page
    assert reverse("persona_create", args=[plan.pk]) not in personas_page
    assert reverse("persona_copy", args=[plan.pk]) not in personas_page
    stakeholders_page = client.get(reverse("stakeholders", args=[plan.pk])).content.decode()
    assert "Claire Dubois" in stakeholders_page
    assert reverse("stakeholder_edit", args=[plan.pk, stakeholder.pk]) not in stakeholders_page
    channels_page = client.get(reverse("channels", args=[org.pk])).content.decode()
    assert "Pop-up van" in channels_page and "Owners and admins of the organisation add" in channels_page
    assert reverse("channel_edit", args=[org.pk, custom_channel.pk]) not in channels_page


def test_an_editor_sees_the_edit_buttons(client_for, people, plan, persona):
    body = client_for(people["editor"]).get(reverse("personas", args=[plan.pk])).content.decode()
    assert reverse("persona_edit", args=[plan.pk, persona.pk]) in body
    assert reverse("persona_delete", args=[plan.pk, persona.pk]) in body


# Permission matrix: writes ------------------------------------------------------------------------------------

PLAN_WRITE = list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True))
ORG_WRITE = list(zip(ROLES, [LOGIN, 404, 403, 403, 302, 302], strict=True))


def _applied(role, expected):
    return expected == 302 and role != "anon"


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_creating_a_persona_needs_edit_access(client_for, people, plan, channels, role, expected):
    data = _persona_data(channels, name="Busy Bea")
    response = client_for(people[role]).post(reverse("persona_create", args=[plan.pk]), data)
    assert response.status_code == expected
    assert Persona.objects.filter(plan=plan, name="Busy Bea").exists() == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_editing_a_persona_needs_edit_access(client_for, people, plan, persona, channels, role, expected):
    data = _persona_data(channels, name="Renamed Sam", version=persona.version)
    response = client_for(people[role]).post(reverse("persona_edit", args=[plan.pk, persona.pk]), data)
    assert response.status_code == expected
    persona.refresh_from_db()
    assert (persona.name == "Renamed Sam") == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_deleting_a_persona_needs_edit_access(client_for, people, plan, persona, role, expected):
    url = reverse("persona_delete", args=[plan.pk, persona.pk])
    response = client_for(people[role]).post(url, {"version": persona.version})
    assert response.status_code == expected
    assert Persona.objects.filter(pk=persona.pk).exists() != _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_copying_a_persona_needs_edit_access(client_for, people, org, plan, persona, role, expected):
    target = PlanFactory(organisation=org, name="Second plan")
    tenancy_services.plan_grant(plan=target, actor=None, user=people["editor"], access=Access.EDIT)
    tenancy_services.plan_grant(plan=target, actor=None, user=people["viewer"], access=Access.VIEW)
    response = client_for(people[role]).post(reverse("persona_copy", args=[target.pk]), {"persona": persona.pk})
    assert response.status_code == expected
    assert target.personas.filter(name="Sporty Sam").exists() == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_adding_a_stakeholder_needs_edit_access(client_for, people, plan, team, role, expected):
    data = {"name": "Marc Lefèvre", "title": "VP of marketing", "team": team.pk, "objective": "Traffic."}
    response = client_for(people[role]).post(reverse("stakeholder_create", args=[plan.pk]), data)
    assert response.status_code == expected
    assert Stakeholder.objects.filter(plan=plan, name="Marc Lefèvre").exists() == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_editing_a_stakeholder_needs_edit_access(client_for, people, plan, stakeholder, role, expected):
    data = {"name": "Claire Dubois", "title": "Director of service", "team": "", "objective": "",
            "version": stakeholder.version}
    url = reverse("stakeholder_edit", args=[plan.pk, stakeholder.pk])
    response = client_for(people[role]).post(url, data)
    assert response.status_code == expected
    stakeholder.refresh_from_db()
    assert (stakeholder.title == "Director of service") == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_removing_a_stakeholder_needs_edit_access(client_for, people, plan, stakeholder, role, expected):
    url = reverse("stakeholder_delete", args=[plan.pk, stakeholder.pk])
    response = client_for(people[role]).post(url, {"version": stakeholder.version})
    assert response.status_code == expected
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists() != _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), ORG_WRITE)
def test_adding_a_channel_needs_an_admin(client_for, people, org, role, expected):
    response = client_for(people[role]).post(reverse("channel_create", args=[org.pk]),
                                             {"name": "Drive-through", "kind": "offline"})
    assert response.status_code == expected
    assert Channel.objects.filter(organisation=org, name="Drive-through").exists() == _applied(role, expected)


@pytest.mark.parametrize(("role", "expected"), ORG_WRITE)
def test_editing_a_channel_needs_an_admin(client_for, people, org, custom_channel, role, expected):
    url = reverse("channel_edit", args=[org.pk, custom_channel.pk])
    response = client_for(people[role]).post(url, {"name": "Pop-up truck", "kind": "online",
                                                   "version": custom_channel.version})
    assert response.status_code == expected
    custom_channel.refresh_from_db()
    assert (custom_channel.name, custom_channel.kind == "online") == (
        ("Pop-up truck", True) if _applied(role, expected) else ("Pop-up van", False))


@pytest.mark.parametrize(("role", "expected"), ORG_WRITE)
def test_deleting_a_channel_needs_an_admin(client_for, people, org, custom_channel, role, expected):
    response = client_for(people[role]).post(reverse("channel_delete", args=[org.pk, custom_channel.pk]))
    assert response.status_code == expected
    assert Channel.objects.filter(pk=custom_channel.pk).exists() != _applied(role, expected)


# Personas ------------------------------------------------------------------------------------------------------


def test_creating_a_persona_with_channels_shows_its_card(client_for, people, plan, channels):
    data = _persona_data(channels, name="Busy Bea", revenue_share="35", evidence="measured",
                         preferred_channels=[channels["Mobile app"].pk, channels["Checkout"].pk])
    response = client_for(people["editor"]).post(reverse("persona_create", args=[plan.pk]), data, follow=True)
    body = response.content.decode()
    assert "Persona “Busy Bea” created." in body
    assert "BB" in body  # initials avatar, no photo
    assert "evidence-measured" in body and "35 %" in body
    assert "Mobile app" in body and "Checkout" in body
    bea = plan.personas.get(name="Busy Bea")
    assert set(bea.preferred_channels.values_list("name", flat=True)) == {"Mobile app", "Checkout"}


def test_preferred_channels_come_from_the_organisation_only(client_for, people, plan, channels):
    foreign = services.channel_create(organisation=people["other_org"], actor=people["outsider"], name="Telex",
                                      kind="offline")
    data = _persona_data(channels, name="Busy Bea", preferred_channels=[foreign.pk])
    response = client_for(people["editor"]).post(reverse("persona_create", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not plan.personas.filter(name="Busy Bea").exists()
    form_page = client_for(people["editor"]).get(reverse("persona_create", args=[plan.pk])).content.decode()
    assert "Telex" not in form_page and "Physical store" in form_page


def test_a_stale_persona_save_keeps_what_was_typed_and_shows_theirs(client_for, people, plan, persona, channels):
    services.persona_update(persona=Persona.objects.get(pk=persona.pk), actor=people["admin"],
                            quote="Saved by the admin", evidence="measured")
    data = _persona_data(channels, name="Sporty Sam", description="My long description", quote="Typed by the editor",
                         version=1)
    response = client_for(people["editor"]).post(reverse("persona_edit", args=[plan.pk, persona.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved meanwhile by someone else" in body
    assert "Saved by the admin" in body and "Measured" in body  # theirs, with the evidence label
    assert "Typed by the editor" in body and "My long description" in body  # mine, still in the form
    assert 'name="version" value="2"' in body
    persona.refresh_from_db()
    assert persona.quote == "Saved by the admin" and persona.version == 2
    refused = Activity.objects.get(target_id=persona.pk, verb="refused")
    assert refused.actor == people["editor"] and refused.changes["quote"] == ["Saved by the admin",
                                                                              "Typed by the editor"]
    response = client_for(people["editor"]).post(reverse("persona_edit", args=[plan.pk, persona.pk]),
                                                 {**data, "version": 2})
    persona.refresh_from_db()
    assert response.status_code == 302 and persona.quote == "Typed by the editor" and persona.version == 3


def test_a_persona_photo_must_be_an_image(client_for, people, plan, channels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("sam.png", b"not an image at all", content_type="image/png")
    data = _persona_data(channels, name="Busy Bea", photo=fake)
    response = client_for(people["editor"]).post(reverse("persona_create", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not plan.personas.filter(name="Busy Bea").exists()
    assert not list(tmp_path.rglob("*.png"))


def test_a_persona_photo_is_at_most_2_mb(client_for, people, plan, channels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (2 * 1024 * 1024), content_type="image/png")
    response = client_for(people["editor"]).post(reverse("persona_create", args=[plan.pk]),
                                                 _persona_data(channels, name="Busy Bea", photo=big))
    assert response.status_code == 200
    assert "the limit is 2 MB" in response.content.decode()
    assert not plan.personas.filter(name="Busy Bea").exists()


def test_a_photo_uploaded_on_edit_is_stored_and_shown(client_for, people, plan, persona, channels, settings,
                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("sam.png", _png(), content_type="image/png")
    client = client_for(people["editor"])
    response = client.post(reverse("persona_edit", args=[plan.pk, persona.pk]),
                           _persona_data(channels, photo=photo, version=persona.version))
    assert response.status_code == 302
    persona.refresh_from_db()
    assert persona.photo.name.startswith("personas/") and (tmp_path / persona.photo.name).is_file()
    body = client.get(reverse("personas", args=[plan.pk])).content.decode()
    assert f'src="{persona.photo.url}"' in body
    update = Activity.objects.filter(target_id=persona.pk, verb="updated").latest("id")
    assert update.changes["photo"] == ["", persona.photo.name]
    edit_page = client.get(reverse("persona_edit", args=[plan.pk, persona.pk])).content.decode()
    assert "Remove the current photo" in edit_page
    client.post(reverse("persona_edit", args=[plan.pk, persona.pk]),
                _persona_data(channels, remove_photo="on", version=persona.version))
    persona.refresh_from_db()
    assert persona.photo.name == ""
    assert ">SS</span>" in client.get(reverse("personas", args=[plan.pk])).content.decode()


def test_copying_a_persona_from_another_plan_of_the_organisation(client_for, people, org, plan, persona):
    target = PlanFactory(organisation=org, name="Second plan")
    tenancy_services.plan_grant(plan=target, actor=None, user=people["editor"], access=Access.EDIT)
    client = client_for(people["editor"])
    page = client.get(reverse("personas", args=[target.pk])).content.decode()
    assert "Omnichannel 2027 › Sporty Sam" in page  # offered in the select
    response = client.post(reverse("persona_copy", args=[target.pk]), {"persona": persona.pk}, follow=True)
    body = response.content.decode()
    assert "Persona “Sporty Sam” copied from “Omnichannel 2027”." in body
    copy = target.personas.get()
    assert copy.pk != persona.pk and copy.quote == persona.quote and copy.evidence == "observed"
    assert set(copy.preferred_channels.all()) == set(persona.preferred_channels.all())
    assert plan.personas.count() == 1  # the original stays where it was


def test_copying_from_a_plan_the_user_cannot_see_is_404(client_for, people, org, plan, persona):
    hidden = PlanFactory(organisation=org, name="Secret plan")
    secret = services.persona_create(plan=hidden, actor=people["owner"], name="Secret Sue")
    response = client_for(people["editor"]).post(reverse("persona_copy", args=[plan.pk]), {"persona": secret.pk})
    assert response.status_code == 404
    assert not plan.personas.filter(name="Secret Sue").exists()
    assert "Secret Sue" not in client_for(people["editor"]).get(reverse("personas", args=[plan.pk])).content.decode()


def test_copying_from_another_organisations_plan_is_404(client_for, people, plan, other_plan):
    # The owner also belongs to the other organisation, so they can see its plan, but copies stay within one.
    MembershipFactory(organisation=people["other_org"], user=people["owner"], role=Role.OWNER)
    foreign = services.persona_create(plan=other_plan, actor=people["outsider"], name="Foreign Fay")
    client = client_for(people["owner"])
    assert "Foreign Fay" not in client.get(reverse("personas", args=[plan.pk])).content.decode()
    response = client.post(reverse("persona_copy", args=[plan.pk]), {"persona": foreign.pk})
    assert response.status_code == 404
    assert not plan.personas.filter(name="Foreign Fay").exists()


def test_deleting_a_persona_goes_through_a_confirmation_and_is_recorded(client_for, people, plan, persona):
    client = client_for(people["editor"])
    url = reverse("persona_delete", args=[plan.pk, persona.pk])
    confirm = client.get(url).content.decode()
    assert "Delete “Sporty Sam”?" in confirm and 'name="version" value="1"' in confirm
    assert Persona.objects.filter(pk=persona.pk).exists()
    response = client.post(url, {"version": 1}, follow=True)
    assert "Persona “Sporty Sam” deleted." in response.content.decode()
    deleted = Activity.objects.get(target_id=persona.pk, verb="deleted", target_type="planning.persona")
    assert deleted.actor == people["editor"] and deleted.changes["name"] == ["Sporty Sam", None]


def test_a_stale_delete_asks_again(client_for, people, plan, persona):
    services.persona_update(persona=Persona.objects.get(pk=persona.pk), actor=people["admin"], name="Sam the runner")
    response = client_for(people["editor"]).post(reverse("persona_delete", args=[plan.pk, persona.pk]),
                                                 {"version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this persona meanwhile" in body and "Sam the runner" in body
    assert 'name="version" value="2"' in body
    assert Persona.objects.filter(pk=persona.pk).exists()


# Stakeholders --------------------------------------------------------------------------------------------------


def test_plan_page_links_to_the_stakeholders_personas_and_history(client_for, people, plan, stakeholder):
    body = client_for(people["viewer"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("stakeholders", args=[plan.pk]) in body
    assert reverse("personas", args=[plan.pk]) in body
    assert reverse("plan_activity", args=[plan.pk]) in body
    assert "More productive agents" not in body  # the table moved to its own page


def test_a_stale_stakeholder_save_shows_their_team(client_for, people, org, plan, stakeholder):
    marketing = tenancy_services.team_create(organisation=org, actor=people["owner"], name="Marketing",
                                     department="marketing")
    services.stakeholder_update(stakeholder=Stakeholder.objects.get(pk=stakeholder.pk), actor=people["admin"],
                                team=marketing)
    data = {"name": "Claire Dubois", "title": "Typed title", "team": stakeholder.team_id, "objective": "Mine",
            "version": 1}
    response = client_for(people["editor"]).post(reverse("stakeholder_edit", args=[plan.pk, stakeholder.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<dd>Marketing</dd>" in body and "Typed title" in body and 'name="version" value="2"' in body


# Channels ------------------------------------------------------------------------------------------------------


def test_channels_are_grouped_online_then_offline(client_for, people, org, channels, custom_channel):
    body = client_for(people["editor"]).get(reverse("channels", args=[org.pk])).content.decode()
    online, offline = body.index(">Online <"), body.index(">Offline <")
    assert online < body.index("Website") < offline < body.index("Pop-up van")
    assert "Channels</a>" in body  # the organisation tab


def test_a_channel_name_is_unique_in_the_organisation(client_for, people, org, channels):
    response = client_for(people["admin"]).post(reverse("channel_create", args=[org.pk]),
                                                {"name": "website", "kind": "online"})
    assert response.status_code == 200
    assert "already has a channel called “website”" in response.content.decode()
    assert org.channels.filter(name__iexact="website").count() == 1


def test_a_channel_used_by_touchpoints_cannot_be_deleted(client_for, people, org, plan, channels):
    store = channels["Physical store"]
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Buy shoes", template="purchase")
    stage = journey.stages.first()
    services.touchpoint_create(stage=stage, channel=store, actor=people["owner"], name="Try shoes on")
    client = client_for(people["admin"])
    url = reverse("channel_delete", args=[org.pk, store.pk])
    confirm = client.get(url).content.decode()
    assert "One touchpoint uses this channel" in confirm and 'type="submit">Delete' not in confirm
    response = client.post(url, follow=True)
    assert "Touchpoints still use this channel (1)" in response.content.decode()
    assert Channel.objects.filter(pk=store.pk).exists()


def test_a_stale_channel_rename_shows_their_name(client_for, people, org, custom_channel):
    services.channel_update(channel=Channel.objects.get(pk=custom_channel.pk), actor=people["owner"],
                            name="Pop-up truck")
    response = client_for(people["admin"]).post(reverse("channel_edit", args=[org.pk, custom_channel.pk]),
                                                {"name": "Market stall", "kind": "offline", "version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<dd>Pop-up truck</dd>" in body and 'value="Market stall"' in body
    custom_channel.refresh_from_db()
    assert custom_channel.name == "Pop-up truck"


def test_a_stale_channel_delete_asks_again(client_for, people, org, custom_channel):
    services.channel_update(channel=Channel.objects.get(pk=custom_channel.pk), actor=people["owner"],
                            name="Pop-up truck")
    response = client_for(people["admin"]).post(reverse("channel_delete", args=[org.pk, custom_channel.pk]),
                                                {"version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this channel meanwhile" in body and "Pop-up truck" in body
    assert 'name="version" value="2"' in body
    assert Channel.objects.filter(pk=custom_channel.pk).exists()


# Activity ------------------------------------------------------------------------------------------------------


def test_the_history_shows_field_changes_and_refused_attempts(client_for, people, org, plan, stakeholder):
    marketing = tenancy_services.team_create(organisation=org, actor=people["owner"], name="Marketing",
                                     department="marketing")
    services.stakeholder_update(stakeholder=Stakeholder.objects.get(pk=stakeholder.pk), actor=people["admin"],
                                title="Director of service", team=marketing)
    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.stakeholder_update(stakeholder=stale, actor=people["editor"], title="Chief of agents")
    body = client_for(people["viewer"]).get(reverse("plan_activity", args=[plan.pk])).content.decode()
    assert body.count("activity-item") == 3  # created, updated, refused
    assert "Head of customer service" in body and "Director of service" in body  # title: before → after
    assert "Customer service" in body and "Marketing" in body  # team ids shown by name
    assert "verb-refused" in body and "Not applied" in body and "Chief of agents" in body
    assert "Attempted (not applied)" in body


def test_the_history_filters_by_object_type(client_for, people, plan, persona, stakeholder):
    client = client_for(people["editor"])
    body = client.get(reverse("plan_activity", args=[plan.pk]), {"type": "planning.persona"}).content.decode()
    assert "Sporty Sam" in body and "Claire Dubois" not in body
    assert '<option value="planning.stakeholder">Stakeholder</option>' in body


def test_the_history_has_an_empty_state(client_for, people, plan):
    body = client_for(people["viewer"]).get(reverse("plan_activity", args=[plan.pk])).content.decode()
    assert "Nothing has changed yet" in body


def test_the_history_is_paginated(client_for, people, plan, team):
    for i in range(55):
        services.stakeholder_create(plan=plan, actor=people["owner"], name=f"Person {i:02d}", team=team)
    client = client_for(people["viewer"])
    first = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()
    assert first.count("activity-item") == 50 and "Page 1 of 2" in first and "Person 54" in first
    second = client.get(reverse("plan_activity", args=[plan.pk]), {"page": 2}).content.decode()
    assert second.count("activity-item") == 5 and "Person 00" in second


# Query counts --------------------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_rows(plan, people, teams, channels, count, start=0):
    """Personas with channels, and stakeholders created then moved to another team (ids the history resolves)."""
    team, marketing = teams
    for i in range(start, start + count):
        services.persona_create(plan=plan, actor=people["owner"], name=f"Persona {i}",
                                preferred_channels=[channels["Website"], channels["Checkout"]])
        person = services.stakeholder_create(plan=plan, actor=people["owner"], name=f"Person {i}", team=team)
        services.stakeholder_update(stakeholder=person, actor=people["owner"], title="Lead", team=marketing)


@pytest.mark.parametrize("page", ["personas", "stakeholders", "plan_activity"])
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_catalogue_pages_query_count_does_not_grow(client_for, people, org, plan, team, channels, page, role):
    client = client_for(people[role])
    url = reverse(page, args=[plan.pk])
    teams = (team, tenancy_services.team_create(organisation=org, actor=people["owner"], name="Marketing",
                                        department="marketing"))
    _add_rows(plan, people, teams, channels, 2)
    few = _queries(client, url)
    _add_rows(plan, people, teams, channels, 20, start=2)
    assert _queries(client, url) == few


def test_channels_page_query_count_does_not_grow(client_for, people, org, channels):
    client = client_for(people["admin"])
    url = reverse("channels", args=[org.pk])
    few = _queries(client, url)
    for i in range(20):
        services.channel_create(organisation=org, actor=people["owner"], name=f"Channel {i}", kind="online")
    assert _queries(client, url) == few
