from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from roadmaps.charts import quadrant
from roadmaps.scoring import rank, score_item, suggest_value


def item(**fields):
    base = {"value": None, "effort": None, "reach": None, "impact": None, "confidence": None, "business_value": None,
            "time_criticality": None, "risk_reduction": None, "job_size": None, "criteria_scores": {},
            "manual_rank": None, "title": "x", "pk": 0}
    return SimpleNamespace(**{**base, **fields})


def test_value_effort():
    score = score_item(item(value=8, effort=4), "value_effort")
    assert score.value == 2.0 and [t.effect for t in score.terms] == ["× 8", "÷ 4"] and not score.missing


def test_missing_inputs_are_named_and_give_no_score():
    score = score_item(item(value=8), "value_effort")
    assert score.value is None and score.missing == ["effort"]


def test_rice():
    score = score_item(item(reach=2000, impact=Decimal("1.5"), confidence=80, effort=4), "rice")
    assert score.value == 600.0  # 2000 × 1.5 × 0.8 ÷ 4
    assert score.terms[2].effect == "× 0.8"


def test_wsjf_terms_add_up_to_the_score():
    score = score_item(item(business_value=8, time_criticality=5, risk_reduction=3, job_size=4), "wsjf")
    assert score.value == 4.0
    assert [t.contribution for t in score.terms[:3]] == [2.0, 1.25, 0.75]
    assert sum(t.contribution for t in score.terms[:3]) == score.value


def test_custom_criteria_with_direction():
    criteria = [SimpleNamespace(pk=1, name="Customer value", weight=Decimal("2"), direction="higher"),
                SimpleNamespace(pk=2, name="Cost", weight=Decimal("1.5"), direction="lower")]
    score = score_item(item(criteria_scores={"1": 4, "2": 2}), "custom", criteria)
    # 2 × 4 + 1.5 × (6 − 2) = 8 + 6 = 14
    assert score.value == 14.0 and [t.contribution for t in score.terms] == [8.0, 6.0]
    assert score_item(item(criteria_scores={"1": 4}), "custom", criteria).missing == ["Cost"]


def test_scores_are_absolute_adding_an_item_changes_no_other_score():
    a, b = item(value=8, effort=4, pk=1), item(value=3, effort=3, pk=2)
    before = score_item(a, "value_effort").value
    rank([(a, score_item(a, "value_effort")), (b, score_item(b, "value_effort"))])
    assert score_item(a, "value_effort").value == before == 2.0


def test_rank_puts_manual_ranks_in_place_and_unscored_last():
    a = item(value=9, effort=1, pk=1, title="a")
    b = item(value=5, effort=1, pk=2, title="b")
    c = item(value=1, effort=1, pk=3, title="c", manual_rank=1)
    d = item(pk=4, title="d")
    ranked = rank([(x, score_item(x, "value_effort")) for x in (d, b, c, a)])
    assert [p[0].title for p in ranked] == ["c", "a", "b", "d"]


def test_value_suggestion_from_gaps_and_objectives():
    value, explanation = suggest_value(gaps=[50.0, 30.0, None, -10.0], objectives=2)
    # positive gaps add up: 50 + 30 + 0 = 80 -> 1 + 9 × 0.8 + 0.5 × 2 = 9.2 -> 9
    assert value == 9 and explanation == "1 + 9 × gaps 80 ÷ 100 + 0.5 × 2 objectives = 9.2"
    assert suggest_value(gaps=[], objectives=0)[0] is None
    assert suggest_value(gaps=[100.0], objectives=10)[0] == 10
    assert suggest_value(gaps=[50.0], objectives=0)[0] == 6  # 5.5 rounds up


def test_value_suggestion_is_on_the_scale_people_rate_on():
    # The demo CRM: four touchpoints 18.8, 41.7, -16.7 and 12.5 points behind their potential, two objectives; the
    # steering committee rated its value 9. The old mean-based formula suggested 3.
    assert suggest_value(gaps=[18.8, 41.7, -16.7, 12.5], objectives=2)[0] == 9
    assert suggest_value(gaps=[47.9, 0.0], objectives=0)[0] == 5  # the reviews item, rated 5


def test_no_value_suggestion_from_objectives_alone():
    value, explanation = suggest_value(gaps=[None], objectives=2)
    assert value is None and "evaluated" in explanation


def test_the_value_suggestion_writes_its_numbers_for_french_readers():
    with translation.override("fr"):
        value, explanation = suggest_value(gaps=[50.0, 30.0], objectives=1)
    assert value == 9 and "0,5 × 1" in explanation and "= 8,7" in explanation and "0.5" not in explanation


@pytest.mark.parametrize("value", range(1, 11))
@pytest.mark.parametrize("effort", range(1, 11))
def test_an_item_worth_its_effort_is_a_quick_win_or_a_big_bet(value, effort):
    worth = score_item(item(value=value, effort=effort), "value_effort").value >= 1
    assert (quadrant(value, effort) in ("quick_win", "big_bet")) == worth
    assert (quadrant(value, effort) in ("big_bet", "money_pit")) == (effort >= 6)


def test_the_best_scored_item_is_not_a_fill_in():
    assert quadrant(5, 2) == "quick_win"  # score 2.5, was a "fill-in" (value under the middle)
    assert quadrant(6, 9) == "money_pit"  # score 0.67, was a "big bet"


@pytest.mark.parametrize("method", ["value_effort", "rice", "wsjf"])
def test_every_method_shows_its_formula(method):
    assert "score" in str(score_item(item(), method).formula)
