"""The organisation library of personas and journeys: managers publish from a plan (reached from its personas and
journeys pages), editors of another plan of the organisation add a copy (structure only), the pages follow the
permission matrix, another organisation's library is 404, and items are in the changes feed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessments
from assessments.models import TouchpointEvaluation
from experience import services as experience
from experience.models import Lane, LaneCard
from library import services
from library.documents import journey_document
from library.models import LibraryItem
from planning import services as planning
from planning.models import Channel, Journey, Persona, Touchpoint
from tenancy import services as tenancy
from tenancy.access import Access
from tests.factories import PlanFactory
from tests.sync.test_changes_feed import drain

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]
READ = {"anon": 302, "outsider": 404, "viewer": 200, "editor": 200, "admin": 200, "owner": 200}


@pytest.fixture
def source(plan, team, people):
    planning.channels_seed(plan.organisation)
    website = Channel.objects.get(organisation=plan.organisation, name="Website")
    persona = planning.persona_create(plan=plan, actor=None, name="Léa", goals="Good boots",
                                      preferred_channels=[website])
    journey = planning.journey_create(plan=plan, actor=None, name="Buys boots", persona=persona, template="purchase")
    stage = journey.stages.order_by("position").first()
    touchpoint = planning.touchpoint_create(stage=stage, channel=website, actor=None, name="Reads the guide")
    assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=2, potential_customer=4,
                                  potential_brand=3)
    lane = experience.lane_create(journey=journey, actor=None, kind="thoughts")
    experience.lane_card_create(lane=lane, stage=stage, actor=None, text="Will they fit?")
    experience.emotion_set(journey=journey, stage=stage, actor=None, score=-1)
    return {"persona": persona, "journey": journey}


@pytest.fixture
def target(org, people, team):
    other = PlanFactory(organisation=org, name="Stores 2028")
    tenancy.plan_grant(plan=other, actor=None, team=team, access=Access.EDIT)
    tenancy.plan_grant(plan=other, actor=None, user=people["viewer"], access=Access.VIEW)
    return other


def test_a_journey_published_by_an_admin_is_picked_into_another_plan_by_an_editor(
        client_for, people, plan, source, target):
    admin = client_for(people["admin"])
    journeys_page = admin.get(reverse("journey_list", args=[plan.pk])).content.decode()
    library_url = reverse("plan_library", args=[plan.pk, "journeys"])
    assert library_url in journeys_page
    assert reverse("library_publish", args=[plan.pk, "journeys"]) in admin.get(library_url).content.decode()
    admin.post(reverse("library_publish", args=[plan.pk, "journeys"]), {"source": source["journey"].pk})
    item = LibraryItem.objects.get(kind="journey")
    assert item.name == "Buys boots" and item.source_plan == plan
    again = admin.post(reverse("library_publish", args=[plan.pk, "journeys"]), {"source": source["journey"].pk})
    assert again.status_code == 302 and LibraryItem.objects.count() == 1  # the same name twice: refused

    editor = client_for(people["editor"])
    page = editor.get(reverse("plan_library", args=[target.pk, "journeys"])).content.decode()
    pick = reverse("library_pick", args=[target.pk, item.pk])
    assert "Buys boots" in page and pick in page
    response = editor.post(pick)
    copy = Journey.objects.get(plan=target)
    assert response["Location"] == reverse("journey_map", args=[copy.pk])
    assert list(copy.stages.order_by("position").values_list("name", flat=True)) == [
        "Discovery", "Research", "Conversion", "After-sales"]
    assert list(Touchpoint.objects.filter(plan=target).values_list("name", flat=True)) == ["Reads the guide"]
    assert list(LaneCard.objects.filter(plan=target).values_list("text", flat=True)) == ["Will they fit?"]
    assert Lane.objects.filter(plan=target).count() == 1
    assert copy.persona.name == "Léa" and copy.persona.plan == target  # a copy of its persona came along
    assert not TouchpointEvaluation.objects.filter(plan=target).exists()
    assert not copy.emotions.exists() if hasattr(copy, "emotions") else True
    # The library keeps it whatever happens to the source
    planning.journey_delete(journey=source["journey"], actor=None)
    editor.post(pick)
    assert Journey.objects.filter(plan=target, name="Buys boots").count() == 2
    assert Persona.objects.filter(plan=target, name="Léa").count() == 1  # the second copy reuses it


def test_a_persona_is_published_from_the_personas_page_and_picked(client_for, people, plan, source, target):
    owner = client_for(people["owner"])
    assert reverse("plan_library", args=[plan.pk, "personas"]) in owner.get(
        reverse("personas", args=[plan.pk])).content.decode()
    owner.post(reverse("library_publish", args=[plan.pk, "personas"]), {"source": source["persona"].pk,
                                                                         "description": "Weekend hiker"})
    item = LibraryItem.objects.get(kind="persona")
    client_for(people["editor"]).post(reverse("library_pick", args=[target.pk, item.pk]))
    copy = Persona.objects.get(plan=target)
    assert (copy.name, copy.goals) == ("Léa", "Good boots")
    assert list(copy.preferred_channels.values_list("name", flat=True)) == ["Website"]


@pytest.mark.parametrize("role", ROLES)
def test_the_library_follows_the_permission_matrix(client_for, people, plan, source, target, role):
    item = services.library_publish(plan=plan, actor=people["owner"], persona=source["persona"])
    client = client_for(people[role])
    assert client.get(reverse("plan_library", args=[target.pk, "personas"])).status_code == READ[role]
    assert client.get(reverse("plan_library", args=[target.pk, "journeys"])).status_code == READ[role]
    published = client.post(reverse("library_publish", args=[plan.pk, "journeys"]), {"source": source["journey"].pk})
    assert published.status_code == {"anon": 302, "outsider": 404, "viewer": 403, "editor": 403}.get(role, 302)
    assert LibraryItem.objects.filter(kind="journey").exists() == (role in ("admin", "owner"))
    picked = client.post(reverse("library_pick", args=[target.pk, item.pk]))
    assert picked.status_code == {"anon": 302, "outsider": 404, "viewer": 403}.get(role, 302)
    assert Persona.objects.filter(plan=target).exists() == (role in ("editor", "admin", "owner"))
    removed = client.post(reverse("library_remove", args=[target.pk, item.pk]))
    assert removed.status_code == {"anon": 302, "outsider": 404, "viewer": 403, "editor": 403}.get(role, 302)


def test_another_organisations_library_is_404_and_in_no_feed_of_mine(client_for, api_for, people, plan, source,
                                                                      other_plan):
    theirs_persona = planning.persona_create(plan=other_plan, actor=None, name="Their persona")
    theirs = services.library_publish(plan=other_plan, actor=people["outsider"], persona=theirs_persona)
    client = client_for(people["owner"])
    assert "Their persona" not in client.get(reverse("plan_library", args=[plan.pk, "personas"])).content.decode()
    assert client.post(reverse("library_pick", args=[plan.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("library_remove", args=[plan.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("plan_library", args=[plan.pk, "nothing"])).status_code == 404
    api = api_for(people["owner"])
    _entries, cursor = drain(api)
    mine = services.library_publish(plan=plan, actor=people["owner"], persona=source["persona"])
    entries, _cursor = drain(api, cursor)
    assert [(e["type"], e["id"], e["verb"]) for e in entries] == [("library-item", mine.pk, "created")]
    assert not [e for e in drain(api_for(people["outsider"]))[0] if e["id"] == mine.pk and e["type"] == "library-item"]


def test_the_library_in_french(client_for, people, plan, source):
    page = client_for(people["owner"]).get(reverse("plan_library", args=[plan.pk, "journeys"]),
                                           HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Bibliothèque de l’organisation" in page and "Publier dans la bibliothèque" in page


@pytest.mark.parametrize("role", ROLES)
def test_the_library_api_follows_the_permission_matrix(api_for, people, plan, source, role):
    item = services.library_publish(plan=plan, actor=people["owner"], journey=source["journey"])
    api = api_for(people[role])
    listed = api.get("/api/v1/library-items/")
    detail = api.get(f"/api/v1/library-items/{item.pk}/")
    if role == "anon":
        assert listed.status_code == detail.status_code == 401
        return
    assert [row["name"] for row in listed.data["results"]] == ([] if role == "outsider" else ["Buys boots"])
    assert detail.status_code == (404 if role == "outsider" else 200)
    if role != "outsider":
        assert [t["name"] for t in detail.data["document"]["touchpoints"]] == ["Reads the guide"]
        assert "evaluations" not in detail.data["document"]


def test_publishing_a_journey_reads_that_journey_alone(plan, source, people):
    """Publishing gathered the whole plan (6.5 s at 5,000 touchpoints): it reads the journey's own rows, in the same
    number of queries however many other journeys, touchpoints and lanes the plan has, and keeps only its own."""
    def document():
        with CaptureQueriesContext(connection) as queries:
            found = journey_document(Journey.objects.select_related("plan").get(pk=source["journey"].pk))
        read = " ".join(query["sql"] for query in queries)
        for table in ("assessments_touchpointevaluation", "assessments_feedbackresponse", "roadmaps_roadmapitem",
                      "listening_mention", "experience_emotionscore"):
            assert table not in read  # nothing of what people measured or decided is read
        return found, len(queries)

    alone, few = document()
    store = Channel.objects.get(organisation=plan.organisation, name="Physical store")
    for number in range(3):
        other = planning.journey_create(plan=plan, actor=None, name=f"Returns {number}", template="purchase")
        stage = other.stages.first()
        planning.touchpoint_create(stage=stage, channel=store, actor=None, name=f"Brings back {number}")
        experience.lane_create(journey=other, actor=None, kind="thoughts")
    crowded, many = document()
    assert many == few
    assert crowded == alone
    assert [t["name"] for t in crowded["touchpoints"]] == ["Reads the guide"]
    assert [j["name"] for j in crowded["journeys"]] == ["Buys boots"] and len(crowded["lanes"]) == 1
    assert [c["name"] for c in crowded["channels"]] == ["Website"] and [p["name"] for p in crowded["personas"]] == [
        "Léa"]
