"""The experience lanes on the journey map: permission matrix, the pages' round trips, stale edits, the map."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessments
from experience import services as experience
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning import services as planning
from roadmaps.models import RoadmapItem
from tenancy.models import Plan
from tests.conftest import ROLES
from tests.factories import team_with

LOGIN = 302
EDITORS = [LOGIN, 404, 403, 200, 200, 200]

GET_PAGES = [
    ("lane_edit", lambda w: [w["thoughts"].pk], "", EDITORS, "Thoughts"),
    ("lane_delete", lambda w: [w["thoughts"].pk], "", EDITORS, "Thoughts"),
    ("lane_card_create", lambda w: [w["thoughts"].pk], "?stage={s1}", EDITORS, "Research"),
    ("lane_card_edit", lambda w: [w["card"].pk], "", EDITORS, "Are these waterproof?"),
    ("lane_card_delete", lambda w: [w["card"].pk], "", EDITORS, "Are these waterproof?"),
    ("emotion_edit", lambda w: [w["journey"].pk, w["stages"][1].pk], "", EDITORS, "Research"),
    ("pain_create", lambda w: [w["journey"].pk], "?stage={s2}", EDITORS, "New pain point"),
    ("pain_edit", lambda w: [w["pain"].pk], "", EDITORS, "Card refused twice"),
    ("pain_delete", lambda w: [w["pain"].pk], "", EDITORS, "Card refused twice"),
    ("opportunity_create", lambda w: [w["journey"].pk], "", EDITORS, "New opportunity"),
    ("opportunity_edit", lambda w: [w["opportunity"].pk], "", EDITORS, "Offer PayPal"),
    ("opportunity_delete", lambda w: [w["opportunity"].pk], "", EDITORS, "Offer PayPal"),
]
POSTS = [
    ("lane_create", lambda w: [w["journey"].pk], {"lane-{j}-kind": "feelings"}),
    ("lane_move", lambda w: [w["thoughts"].pk], {"direction": "down"}),
    ("lane_show", lambda w: [w["thoughts"].pk], {}),
    ("pain_to_opportunity", lambda w: [w["pain"].pk], {}),
    ("opportunity_to_roadmap", lambda w: [w["opportunity"].pk], {}),
    ("journey_future_create", lambda w: [w["journey"].pk], {}),
]


@pytest.mark.parametrize(("name", "args", "query", "expected", "text"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client_for, people, world, name, args, query, expected, text, role):
    stages = world["stages"]
    url = reverse(name, args=args(world)) + query.format(s1=stages[1].pk, s2=stages[2].pk)
    response = client_for(people[role]).get(url)
    assert response.status_code == expected[ROLES.index(role)]
    body = response.content.decode()
    if response.status_code == 200:
        assert text in body
    if response.status_code == 404:
        assert world["journey"].name not in body and text not in body


@pytest.mark.parametrize(("name", "args", "data"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client_for, people, world, name, args, data, role):
    counts = (Lane.objects.count(), Opportunity.objects.count(), RoadmapItem.objects.count())
    data = {key.format(j=world["journey"].pk): value for key, value in data.items()}
    response = client_for(people[role]).post(reverse(name, args=args(world)), data)
    expected = {"anon": LOGIN, "outsider": 404, "viewer": 403}.get(role, 302)
    assert response.status_code == expected
    if expected != 302:
        assert (Lane.objects.count(), Opportunity.objects.count(), RoadmapItem.objects.count()) == counts


def test_the_map_draws_every_lane(client_for, people, world):
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    assert "Are these waterproof?" in body
    assert 'class="emo-svg"' in body and "<path d=\"M" in body
    assert body.count('class="emo-point') == 3
    assert re.search(r'class="emo-point is-lowest"[^>]*aria-label="Research: -2 · lowest point"', body, re.S)
    assert "Card refused twice" in body and "Offer PayPal" in body
    assert 'href="#pain-%d"' % world["pain"].pk in body  # the opportunity links to the pain it answers
    assert 'Answered by <a href="#opportunity-%d">Offer PayPal</a>' % world["opportunity"].pk in body  # and back
    assert "Add a lane" not in body and "✎" not in body.split("xlanes", 1)[1]  # a viewer cannot edit


def test_hidden_lanes_are_listed_to_show_them_again(client_for, people, world):
    experience.lane_update(lane=world["thoughts"], actor=people["owner"], hidden=True)
    body = client_for(people["editor"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    assert "Are these waterproof?" not in body
    assert "Show “Thoughts”" in body


def test_a_card_is_added_from_its_cell_and_a_stale_edit_keeps_both_texts(client_for, people, world):
    editor = client_for(people["editor"])
    lane, stage = world["thoughts"], world["stages"][1]
    response = editor.post(reverse("lane_card_create", args=[lane.pk]) + f"?stage={stage.pk}",
                           {"text": "  Which size am I?  "})
    assert response.status_code == 302 and response["Location"].endswith(f"#lane-{lane.pk}")
    card = LaneCard.objects.get(lane=lane, stage=stage)
    assert card.text == "Which size am I?"
    experience.lane_card_update(card=card, actor=people["owner"], text="Their text")
    response = editor.post(reverse("lane_card_edit", args=[card.pk]), {"text": "My text", "version": 1})
    body = response.content.decode()
    assert response.status_code == 200 and "Their text" in body and "My text" in body
    card.refresh_from_db()
    assert card.text == "Their text"


def test_emotion_is_set_changed_and_cleared_from_the_form_and_the_drag(client_for, people, world):
    editor = client_for(people["editor"])
    stage = world["stages"][3]
    url = reverse("emotion_edit", args=[world["journey"].pk, stage.pk])
    assert editor.post(url, {"score": "-1", "note": "Waiting for delivery"}).status_code == 302
    emotion = EmotionScore.objects.get(stage=stage, touchpoint=None)
    assert (emotion.score, emotion.note) == (-1, "Waiting for delivery")
    dragged = editor.post(url, {"score": "2", "version": emotion.version}, HTTP_X_REQUESTED_WITH="fetch")
    assert dragged.status_code == 200 and dragged.json() == {"ok": True}
    stale = editor.post(url, {"score": "0", "version": emotion.version}, HTTP_X_REQUESTED_WITH="fetch")
    assert stale.status_code == 412
    assert editor.post(url, {"score": "9"}, HTTP_X_REQUESTED_WITH="fetch").status_code == 400
    emotion.refresh_from_db()
    assert emotion.score == 2
    assert editor.post(url, {"score": "", "version": emotion.version}).status_code == 302
    assert not EmotionScore.objects.filter(stage=stage).exists()


def test_pain_becomes_opportunity_becomes_roadmap_item_and_the_item_links_back(client_for, people, world):
    editor = client_for(people["editor"])
    pain = world["pain"]
    response = editor.post(reverse("pain_to_opportunity", args=[pain.pk]))
    opportunity = Opportunity.objects.exclude(pk=world["opportunity"].pk).get()
    assert response["Location"] == reverse("opportunity_edit", args=[opportunity.pk])
    assert list(opportunity.pain_points.all()) == [pain] and list(opportunity.touchpoints.all()) == [world["tp2"]]
    response = editor.post(reverse("opportunity_to_roadmap", args=[opportunity.pk]))
    item = RoadmapItem.objects.get()
    assert response["Location"] == reverse("roadmap_item_edit", args=[world["plan"].pk, item.pk])
    assert list(item.opportunities.all()) == [opportunity]
    body = editor.get(response["Location"]).content.decode()
    assert f'#pain-{pain.pk}">Card refused twice</a>' in body
    assert f'#opportunity-{opportunity.pk}"' in body
    page = editor.get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    assert reverse("roadmap_item_edit", args=[world["plan"].pk, item.pk]) in page


def test_future_state_copies_the_map_and_draws_both_curves(client_for, people, world):
    editor = client_for(people["editor"])
    response = editor.post(reverse("journey_future_create", args=[world["journey"].pk]))
    future = world["journey"].futures.get()
    assert response["Location"] == reverse("journey_map", args=[future.pk])
    assert future.state == "future" and future.stages.count() == 4 and future.touchpoints.count() == 2
    assert [lane.kind for lane in future.lanes.order_by("position")] == ["thoughts", "emotion", "insights"]
    assert LaneCard.objects.filter(journey=future).get().text == "Are these waterproof?"
    assert EmotionScore.objects.filter(journey=future).count() == 3
    body = editor.get(response["Location"]).content.decode()
    assert body.count('class="emo-path') == 2 and "is-compared" in body
    assert world["journey"].name in body.split("emo-legend", 1)[1]


def test_another_plans_objects_are_refused(people, world, org, plan):
    other = Plan.objects.create(organisation=org, name="Other")
    journey = planning.journey_create(plan=other, actor=people["owner"], name="Other", template="purchase")
    with pytest.raises(ValidationError, match="another journey"):
        experience.pain_point_create(journey=journey, stage=world["stages"][0], actor=people["owner"], title="x")


def test_map_query_count_does_not_grow_with_lanes_and_cards(client_for, people, world):
    viewer = client_for(people["viewer"])
    url = reverse("journey_map", args=[world["journey"].pk])
    viewer.get(url)
    with CaptureQueriesContext(connection) as small:
        viewer.get(url)
    owner = people["owner"]
    for kind in ("actions", "feelings", "went_well", "fell_short", "backstage"):
        lane = experience.lane_create(journey=world["journey"], actor=owner, kind=kind)
        for stage in world["stages"]:
            experience.lane_card_create(lane=lane, stage=stage, actor=owner, text=f"{kind} {stage.name}")
    experience.lane_create(journey=world["journey"], actor=owner, kind="metrics")
    for index in range(6):
        pain = experience.pain_point_create(journey=world["journey"], stage=world["stages"][index % 4],
                                            actor=owner, title=f"Pain {index}", touchpoints=[world["tp"]])
        experience.opportunity_create(journey=world["journey"], stage=world["stages"][index % 4], actor=owner,
                                      title=f"Opp {index}", pain_points=[pain])
    with CaptureQueriesContext(connection) as large:
        body = viewer.get(url).content.decode()
    assert "fell_short Conversion" in body and "Opp 5" in body
    # The metrics lane adds its own fixed queries (feedback per stage, touchpoints, evaluations, agreements, and
    # the negative themes of the verbatims and of the mentions: two each, one when there are none).
    assert len(large) <= len(small) + 6, [q["sql"][:120] for q in large.captured_queries]
    assert PainPoint.objects.count() == 7


def test_the_metrics_lane_shows_feedback_and_agreed_maturity_per_stage(client_for, people, world, team):
    owner = people["owner"]
    experience.lane_create(journey=world["journey"], actor=owner, kind="metrics")
    other = team_with(world["org"], name="Marketing")
    assessments.evaluation_create(touchpoint=world["tp"], team=team, actor=owner, maturity=1,
                                  potential_customer=4, potential_brand=4)
    assessments.evaluation_create(touchpoint=world["tp"], team=other, actor=owner, maturity=3,
                                  potential_customer=4, potential_brand=4)
    assessments.evaluation_create(touchpoint=world["tp2"], team=team, actor=owner, maturity=1,
                                  potential_customer=4, potential_brand=4)
    assessments.agreement_set(touchpoint=world["tp2"], actor=owner, reason="Workshop", maturity=3)
    for score in (10, 9, 2):
        assessments.feedback_create(touchpoint=world["tp"], actor=owner, kind="nps", score=score,
                                    responded_on=date(2027, 3, 2))
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    row = body.split('class="xlane xlane-metrics"', 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td")[1:]
    assert "NPS" in cells[0] and "33" in cells[0] and "n=3" in cells[0] and "indicative" in cells[0]
    assert "2 · Managed" in cells[0]  # the median of 1 and 3
    assert "3 · Integrated" in cells[2]  # the workshop's override beats the team's 1
    assert "No feedback or agreed maturity yet" in cells[1]


def test_a_touchpoint_is_scored_from_its_edit_form(client_for, people, world):
    editor = client_for(people["editor"])
    tp = world["tp"]
    form = editor.get(reverse("touchpoint_edit", args=[tp.pk])).content.decode()
    url = reverse("emotion_edit", args=[world["journey"].pk, tp.stage_id]) + f"?touchpoint={tp.pk}"
    assert url.replace("&", "&amp;") in form or url in form
    assert editor.post(url, {"score": "-2"}).status_code == 302
    assert EmotionScore.objects.get(touchpoint=tp).score == -2
    body = editor.get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    assert 'class="emo-tp"' in body and "Clicks an online ad: -2" in body
