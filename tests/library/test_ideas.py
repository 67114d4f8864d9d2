"""The gallery of journey ideas: reached from the plan's journeys list, in English and French; editors start a
journey from an idea (stages and touchpoints on the organisation's channels, recorded in the history); the page and
the action follow the permission matrix."""

import pytest
from django.urls import reverse

from library import ideas
from planning import services as planning
from planning.models import Channel, Journey, Touchpoint
from tenancy.models import Activity

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]
READ = {"anon": 302, "outsider": 404, "viewer": 200, "editor": 200, "admin": 200, "owner": 200}
WRITE = {"anon": 302, "outsider": 404, "viewer": 403, "editor": 302, "admin": 302, "owner": 302}
GUIDE_IDEAS = {"welcome", "newsletter", "second-purchase", "app-adoption", "abandoned-browsing", "re-engagement",
               "service-callback"}


@pytest.fixture
def channels(org):
    planning.channels_seed(org)
    return Channel.objects.filter(organisation=org).count()


def test_the_gallery_holds_the_guides_ideas_each_with_stages_and_touchpoints():
    assert {idea.key for idea in ideas.IDEAS} == GUIDE_IDEAS
    for idea in ideas.IDEAS:
        assert len(idea.stages) >= 3 and len(idea.touchpoints) >= 4
        assert {t[0] for t in idea.touchpoints} == set(range(len(idea.stages))), idea.key  # every stage has one


def test_an_editor_starts_a_journey_from_an_idea_reached_from_the_journeys_list(client_for, people, plan, channels):
    persona = planning.persona_create(plan=plan, actor=None, name="Léa")
    client = client_for(people["editor"])
    journeys = client.get(reverse("journey_list", args=[plan.pk])).content.decode()
    gallery_url = reverse("journey_ideas", args=[plan.pk])
    assert gallery_url in journeys
    gallery = client.get(gallery_url).content.decode()
    assert "Call-back after a service call" in gallery and "Customer service / phone" in gallery
    start = reverse("journey_from_idea", args=[plan.pk, "service-callback"])
    assert start in gallery
    response = client.post(start, {"name": "", "persona": persona.pk})
    journey = Journey.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == reverse("journey_map", args=[journey.pk])
    assert journey.name == "Call-back after a service call" and journey.persona == persona
    assert list(journey.stages.order_by("position").values_list("name", flat=True)) == [
        "Service call", "Resolution", "Call-back", "Feedback"]
    touchpoints = Touchpoint.objects.filter(journey=journey)
    assert touchpoints.count() == 5
    assert set(touchpoints.values_list("channel__name", flat=True)) == {"Customer service / phone",
                                                                        "Email / mailing", "Website"}
    assert Channel.objects.filter(organisation=plan.organisation).count() == channels  # none added
    assert Activity.objects.filter(plan=plan, target_type="planning.touchpoint", verb="created").count() == 5
    again = client.post(start, {"name": "Second call-back"})
    assert again.status_code == 302 and Journey.objects.filter(plan=plan).count() == 2


def test_the_gallery_in_french_on_french_channels(client_for, people, plan, org):
    from django.utils import translation
    with translation.override("fr"):
        planning.channels_seed(org)
    people["editor"].preferred_language = "fr"
    people["editor"].save()
    client = client_for(people["editor"])
    page = client.get(reverse("journey_ideas", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Idées de parcours" in page and "Accueillir les nouveaux clients" in page
    assert "Démarrer un parcours à partir de cette idée" in page
    client.post(reverse("journey_from_idea", args=[plan.pk, "welcome"]), {"name": ""}, HTTP_ACCEPT_LANGUAGE="fr")
    journey = Journey.objects.get(plan=plan)
    assert journey.name == "Accueillir les nouveaux clients"
    assert "Reçoit l’e-mail de bienvenue" in set(Touchpoint.objects.filter(journey=journey)
                                                 .values_list("name", flat=True))
    assert not Channel.objects.filter(organisation=org, name="Email / mailing").exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_gallery_follows_the_permission_matrix(client_for, people, plan, channels, role):
    client = client_for(people[role])
    assert client.get(reverse("journey_ideas", args=[plan.pk])).status_code == READ[role]
    response = client.post(reverse("journey_from_idea", args=[plan.pk, "newsletter"]), {"name": ""})
    assert response.status_code == WRITE[role]
    assert Journey.objects.filter(plan=plan).exists() == (WRITE[role] == 302 and role != "anon")


def test_an_unknown_idea_or_a_persona_of_another_plan_is_refused(client_for, people, plan, other_plan, channels):
    theirs = planning.persona_create(plan=other_plan, actor=None, name="Theirs")
    client = client_for(people["editor"])
    assert client.post(reverse("journey_from_idea", args=[plan.pk, "nope"])).status_code == 404
    client.post(reverse("journey_from_idea", args=[plan.pk, "welcome"]), {"persona": theirs.pk})
    assert not Journey.objects.filter(plan=plan).exists()
