"""The gap ranking raised by poor feedback (assessments.priority): the weighting on hand-computed figures, the
order it gives, and the reason written in words on the heatmap page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import FeedbackResponse
from assessments.priority import feedback_boost, priority
from assessments.statistics import Estimate
from assessments.views._heatmap import ranked
from planning import services as planning


def estimate(value, n=30):
    return Estimate(value, None, None, n, False)


def test_each_signal_adds_its_weight_times_its_badness():
    # NPS −20: 20 × 0.2 = 4; 62 % negative: 20 × (0.62 − 1/3) / (2/3) = 8.6; CSAT 2: 15 × 0.5 = 7.5;
    # CES 5.5: 15 × 0.5 = 7.5.
    assert feedback_boost({"nps": estimate(-20)}, None).points == 4.0
    assert feedback_boost(None, {"n": 50, "negative": 31, "share": 0.62}).points == 8.6
    assert feedback_boost({"csat": estimate(2.0)}, None).points == 7.5
    assert feedback_boost({"ces": estimate(5.5)}, None).points == 7.5
    both = feedback_boost({"nps": estimate(-20)}, {"n": 50, "negative": 31, "share": 0.62})
    assert both.points == 12.6
    assert both.text == "ranked up: 62 % negative verbatims, NPS −20"  # the weightier reason first


def test_good_feedback_and_thin_samples_add_nothing():
    assert feedback_boost({"nps": estimate(35), "csat": estimate(4.2), "ces": estimate(2.1)},
                          {"n": 40, "negative": 10, "share": 0.25}).points == 0
    assert feedback_boost({"nps": estimate(-100, n=4)}, {"n": 4, "negative": 4, "share": 1.0}).points == 0
    assert feedback_boost(None, None).text == ""


def test_the_worst_feedback_is_capped_at_fifty_points():
    worst = feedback_boost({"nps": estimate(-100), "csat": estimate(1.0), "ces": estimate(7.0)},
                           {"n": 9, "negative": 9, "share": 1.0})
    assert worst.points == 50.0 and len(worst.reasons) == 4
    assert priority(None, worst) is None and priority(10, worst) == 60.0


class Tp:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


def _summary(gap, maturity=2):
    return {"gap": gap, "agreed": {"maturity": maturity, "potential_customer": 4, "potential_brand": 4}}


def test_poor_feedback_lifts_a_touchpoint_above_a_larger_gap():
    touchpoints = [Tp(1, "Calm"), Tp(2, "Angry"), Tp(3, "Unevaluated angry"), Tp(4, "Unevaluated calm")]
    summaries = {1: _summary(30.0), 2: _summary(20.0), 3: _summary(None, None), 4: _summary(None, None)}
    feedback = {2: {"nps": estimate(-20)}, 3: {"nps": estimate(-50)}}
    negative = {2: {"n": 50, "negative": 31, "share": 0.62}}
    rows = ranked(touchpoints, summaries, feedback, negative)
    # Angry: 20 + 12.6 = 32.6 > Calm: 30 + 0. Unevaluated ones last, the worse feedback (NPS −50: +10) first.
    assert [(row["tp"].name, row["priority"], row["boost"].points) for row in rows] == [
        ("Angry", 32.6, 12.6), ("Calm", 30.0, 0), ("Unevaluated angry", None, 10.0), ("Unevaluated calm", None, 0)]
    assert [row["rank"] for row in rows] == [1, 2, 3, 4]


@pytest.fixture
def two_touchpoints(org, plan, people, team):
    owner = people["owner"]
    planning.channels_seed(org)
    journey = planning.journey_create(plan=plan, actor=owner, name="Buy boots", template="purchase")
    stage, channel = journey.stages.first(), org.channels.first()
    calm = planning.touchpoint_create(stage=stage, channel=channel, actor=owner, name="Calm kiosk")
    angry = planning.touchpoint_create(stage=stage, channel=channel, actor=owner, name="Angry checkout")
    services.evaluation_create(touchpoint=calm, team=team, actor=owner, maturity=1, potential_customer=3,
                               potential_brand=3)  # gap 50
    services.evaluation_create(touchpoint=angry, team=team, actor=owner, maturity=2, potential_customer=4,
                               potential_brand=4)  # gap 75 − 33.3 = 41.7
    for index, score in enumerate((0, 0, 0, 2, 3, 9, 10, 10, 7, 8)):  # NPS (3 − 5) / 10 = −20
        response = services.feedback_create(touchpoint=angry, actor=owner, kind="nps", score=score,
                                            responded_on=date(2026, 10, 1 + index), verbatim=f"Comment {index}")
        FeedbackResponse.objects.filter(pk=response.pk).update(
            sentiment="negative" if index < 7 else "positive")  # 70 % negative: 20 × (0.7 − ⅓) ÷ ⅔ = 11
    return {"calm": calm, "angry": angry}


def test_the_heatmap_ranks_the_angry_touchpoint_first_and_says_why(client_for, people, plan, two_touchpoints):
    body = client_for(people["viewer"]).get(reverse("plan_heatmap", args=[plan.pk])).content.decode()
    table = body.split('class="table rankedtable"', 1)[1]
    # Angry: 41.7 + 11 + 4 = 56.7 beats Calm's 50.
    assert table.index("Angry checkout") < table.index("Calm kiosk")
    assert "ranked up: 70 % negative verbatims, NPS −20" in table
    assert "Rank</strong> = gap + feedback boost" in body
    with translation.override("fr"):
        french = client_for(people["viewer"]).get(reverse("plan_heatmap", args=[plan.pk]),
                                                  HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "classé plus haut : 70 % de verbatims négatifs, NPS −20" in french
