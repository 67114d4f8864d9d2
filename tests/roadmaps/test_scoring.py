from decimal import Decimal
from types import SimpleNamespace

import pytest

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
    # mean positive gap (50 + 30 + 0) / 3 = 26.7 -> 1 + 1.87 + 1 = 3.87 -> 4
    assert value == 4 and "mean gap 27 %" in explanation
    assert suggest_value(gaps=[], objectives=0)[0] is None
    assert suggest_value(gaps=[100.0], objectives=10)[0] == 10


@pytest.mark.parametrize("method", ["value_effort", "rice", "wsjf"])
def test_every_method_shows_its_formula(method):
    assert "score" in str(score_item(item(), method).formula)
