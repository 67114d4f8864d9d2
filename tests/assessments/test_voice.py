"""Where people already look: negative themes per touchpoint, stage and persona (hand-computed), their example
verbatims, constant query counts, and the pages that show them (touchpoint feedback, journey map, personas)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services, services_themes, voice
from assessments.models import AssignedBy, FeedbackResponse, VerbatimTheme
from experience import services as experience
from listening import services as listening
from listening.models import MentionTheme
from planning import services as planning
from planning.models import Persona


@pytest.fixture
def world(org, plan, people):
    owner = people["owner"]
    planning.channels_seed(org)
    persona = Persona.objects.create(plan=plan, name="Clara the commuter")
    journey = planning.journey_create(plan=plan, actor=owner, name="Buy boots", template="purchase", persona=persona)
    stages = list(journey.stages.order_by("position"))
    channel = org.channels.first()
    a = planning.touchpoint_create(stage=stages[0], channel=channel, actor=owner, name="Store visit")
    b = planning.touchpoint_create(stage=stages[1], channel=channel, actor=owner, name="Checkout")
    service = services_themes.theme_create(organisation=org, actor=owner, name="Service client")
    waiting = services_themes.theme_create(organisation=org, actor=owner, name="Temps d'attente", parent=service)
    offer = services_themes.theme_create(organisation=org, actor=owner, name="Offre")
    price = services_themes.theme_create(organisation=org, actor=owner, name="Prix", parent=offer)
    return {"persona": persona, "journey": journey, "stages": stages, "a": a, "b": b, "channel": channel,
            "waiting": waiting, "price": price, "offer": offer}


def say(touchpoint, owner, text, sentiment, themes, day, score=5):
    """A response with a verbatim, its sentiment and themes set as given (not computed: the test fixes them)."""
    response = services.feedback_create(touchpoint=touchpoint, actor=owner, kind="nps", score=score,
                                        responded_on=date(2026, 10, day), verbatim=text)
    FeedbackResponse.objects.filter(pk=response.pk).update(sentiment=sentiment)
    VerbatimTheme.objects.filter(response=response).delete()
    for theme in themes:
        VerbatimTheme.objects.create(response=response, theme=theme, assigned_by=AssignedBy.HAND)
    return response


@pytest.fixture
def said(world, people):
    owner, a, b, waiting, price, offer = (people["owner"], world["a"], world["b"], world["waiting"], world["price"],
                                          world["offer"])
    return {
        "r1": say(a, owner, "Une heure d'attente au magasin", "negative", [waiting], 1),
        "r2": say(a, owner, "Attente interminable et trop cher", "negative", [waiting, price], 2),
        "r3": say(a, owner, "Prix correct", "positive", [price], 3),
        "r4": say(a, owner, "Rien à dire sur l'attente", "neutral", [waiting], 4),
        "r5": say(b, owner, "Way too expensive at the till", "negative", [price], 5),
        "r6": say(b, owner, "Lovely new offer", "positive", [offer], 6),
    }


def _summary(found):
    return {place: [(row["name"], row["negative"], row["n"], [e["id"] for e in row["examples"]]) for row in rows]
            for place, rows in found.items()}


def test_negative_themes_of_a_touchpoint_by_negative_count_with_newest_examples(world, said):
    found = voice.negative_themes(voice.verbatim_themes(FeedbackResponse.objects.filter(touchpoint=world["a"])))
    # Waiting: r1, r2, r4 (2 negative of 3); price: r2, r3 (1 of 2). Examples newest first.
    assert _summary(found) == {None: [("Service client › Temps d'attente", 2, 3, [said["r2"].pk, said["r1"].pk]),
                                      ("Offre › Prix", 1, 2, [said["r2"].pk])]}
    assert found[None][0]["negative_share"] == pytest.approx(2 / 3)


def test_negative_themes_per_stage_leave_out_themes_without_a_negative_verbatim(world, said):
    found = voice.negative_themes(VerbatimTheme.objects.filter(response__plan=world["journey"].plan),
                                  group="response__touchpoint__stage_id", top=1, examples=1)
    first, second = world["stages"][0].pk, world["stages"][1].pk
    # Stage 2: price 1 of 1 negative; the offer theme (only positive) is absent. top=1 keeps waiting on stage 1.
    assert _summary(found) == {first: [("Service client › Temps d'attente", 2, 3, [said["r2"].pk])],
                               second: [("Offre › Prix", 1, 1, [said["r5"].pk])]}


def test_ties_on_negative_count_go_to_the_higher_share_then_the_name(world, said):
    found = voice.negative_themes(VerbatimTheme.objects.filter(response__plan=world["journey"].plan), examples=0)
    # Plan-wide: waiting 2 of 3 and price 2 of 3 (r2, r5 negative; r3 positive): same share, so by name.
    assert [(r["name"], r["negative"], r["n"]) for r in found[None]] == [
        ("Offre › Prix", 2, 3), ("Service client › Temps d'attente", 2, 3)]


def test_negative_themes_take_two_queries_whatever_the_number_of_touchpoints(world, said, people):
    assigned = VerbatimTheme.objects.filter(response__plan=world["journey"].plan)
    with CaptureQueriesContext(connection) as small:
        voice.negative_themes(assigned, group="response__touchpoint_id")
    for index in range(8):
        touchpoint = planning.touchpoint_create(stage=world["stages"][2], channel=world["channel"],
                                                actor=people["owner"], name=f"Extra {index}")
        for day in (7, 8):
            say(touchpoint, people["owner"], f"Attente {index}", "negative", [world["waiting"], world["price"]], day)
    with CaptureQueriesContext(connection) as large:
        found = voice.negative_themes(assigned, group="response__touchpoint_id")
    assert len(small) == len(large) == 2
    assert len(found) == 10


def test_negative_share_per_touchpoint_counts_only_verbatims_with_a_sentiment(world, said):
    shares = voice.negative_share_by_touchpoint(plan=world["journey"].plan)
    assert shares[world["a"].pk] == {"n": 4, "negative": 2, "share": 0.5}
    assert shares[world["b"].pk] == {"n": 2, "negative": 1, "share": 0.5}


# Pages -----------------------------------------------------------------------------------------------------------


def test_the_touchpoint_feedback_page_shows_its_negative_themes_linked_to_the_filtered_list(client_for, people,
                                                                                             world, said):
    body = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[world["a"].pk])).content.decode()
    section = body.split('id="negative-themes"', 1)[1].split("</section>", 1)[0]
    assert "What customers complain about here" in body
    assert section.index("Temps d&#x27;attente") < section.index("Prix")
    assert "2 negative of 3" in section and "Attente interminable et trop cher" in section
    assert f'{reverse("plan_feedback", args=[world["journey"].plan.pk])}?theme={world["waiting"].pk}' \
           f'&amp;sentiment=negative#verbatims' in section
    assert "Lovely new offer" not in section  # another touchpoint, and positive


def test_the_feedback_list_a_theme_links_to_shows_that_themes_negative_verbatims(client_for, people, world, said):
    url = f'{reverse("plan_feedback", args=[world["journey"].plan.pk])}?theme={world["waiting"].pk}&sentiment=negative'
    body = client_for(people["viewer"]).get(url).content.decode()
    assert "Une heure d&#x27;attente au magasin" in body and "Attente interminable" in body
    assert "Rien à dire" not in body and "Way too expensive" not in body


def test_the_touchpoint_page_without_negative_themes_shows_no_empty_section(client_for, people, world, said):
    body = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[world["b"].pk])).content.decode()
    assert 'id="negative-themes"' in body  # price is negative there
    VerbatimTheme.objects.filter(response__touchpoint=world["b"]).delete()
    body = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[world["b"].pk])).content.decode()
    assert 'id="negative-themes"' not in body


def test_the_metrics_lane_shows_each_stages_negative_themes_of_verbatims_and_mentions(client_for, people, world,
                                                                                     said):
    owner = people["owner"]
    experience.lane_create(journey=world["journey"], actor=owner, kind="metrics")
    mention = listening.mention_create(plan=world["journey"].plan, actor=owner, channel=world["channel"],
                                       mentioned_on=date(2026, 10, 9), text="Queue was endless at the store",
                                       touchpoint=world["a"])
    type(mention).objects.filter(pk=mention.pk).update(sentiment="negative")
    MentionTheme.objects.filter(mention=mention).delete()
    MentionTheme.objects.create(mention=mention, theme=world["waiting"], assigned_by=AssignedBy.HAND)
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    cells = body.split('class="xlane xlane-metrics"', 1)[1].split("</tr>", 1)[0].split("<td")[1:]
    assert "Negative themes" in cells[0] and "2 of 3 verbatims" in cells[0]
    assert "Attente interminable et trop cher" in cells[0]  # the newest negative example
    assert "Negative themes online" in cells[0] and "1 of 1 mention" in cells[0]
    assert "Queue was endless" in cells[0]
    assert "Way too expensive at the till" in cells[1] and "Offre › Prix" in cells[1]
    assert "Negative themes" not in cells[2]


def test_the_persona_card_shows_what_they_complain_about_with_a_constant_query_count(client_for, people, world,
                                                                                     said):
    viewer = client_for(people["viewer"])
    url = reverse("personas", args=[world["journey"].plan.pk])
    viewer.get(url)
    with CaptureQueriesContext(connection) as small:
        body = viewer.get(url).content.decode()
    card = body.split(f'id="persona-{world["persona"].pk}"', 1)[1].split("</li>\n", 1)[0]
    assert "What they complain about" in card and "In their feedback" in card
    assert "Offre › Prix" in card and "2 negative of 3" in card and "Way too expensive at the till" in card
    for index in range(5):
        other = Persona.objects.create(plan=world["journey"].plan, name=f"Persona {index}")
        journey = planning.journey_create(plan=world["journey"].plan, actor=people["owner"], name=f"J{index}",
                                          template="purchase", persona=other)
        touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=world["channel"],
                                                actor=people["owner"], name=f"T{index}")
        say(touchpoint, people["owner"], f"Attente {index}", "negative", [world["waiting"]], 9)
    with CaptureQueriesContext(connection) as large:
        body = viewer.get(url).content.decode()
    assert body.count("What they complain about") == 6
    assert len(large) == len(small), [q["sql"][:100] for q in large.captured_queries]


def test_another_organisations_complaints_never_show(client_for, people, world, said, other_plan):
    outsider = people["outsider"]
    planning.channels_seed(other_plan.organisation)
    persona = Persona.objects.create(plan=other_plan, name="Their persona")
    journey = planning.journey_create(plan=other_plan, actor=outsider, name="Theirs", template="purchase",
                                      persona=persona)
    touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=other_plan.organisation.channels
                                            .first(), actor=outsider, name="Their kiosk")
    theirs = services_themes.theme_create(organisation=other_plan.organisation, actor=outsider, name="Secret theme")
    say(touchpoint, outsider, "Their secret complaint", "negative", [theirs], 3)
    viewer = client_for(people["viewer"])
    experience.lane_create(journey=world["journey"], actor=people["owner"], kind="metrics")
    plan_pk = world["journey"].plan.pk
    for url in (reverse("personas", args=[plan_pk]), reverse("journey_map", args=[world["journey"].pk]),
                reverse("touchpoint_feedback", args=[world["a"].pk]), reverse("plan_heatmap", args=[plan_pk])):
        body = viewer.get(url).content.decode()
        assert "Secret theme" not in body and "Their secret complaint" not in body, url
    # And they see theirs, not ours.
    body = client_for(outsider).get(reverse("personas", args=[other_plan.pk])).content.decode()
    assert "Secret theme" in body and "Temps d&#x27;attente" not in body
