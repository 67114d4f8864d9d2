from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import rollups, selectors, services
from assessments.models import FeedbackResponse
from planning import services as planning_services
from tests.factories import PlanFactory


@pytest.fixture
def touchpoints(plan, people, org):
    planning_services.channels_seed(org)
    journey = planning_services.journey_create(plan=plan, actor=people["editor"], name="J", template="purchase")
    stage, channel = journey.stages.first(), org.channels.first()
    return [planning_services.touchpoint_create(stage=stage, channel=channel, actor=people["editor"], name=f"T{i}")
            for i in range(3)]


def _responses(plan, touchpoint, kind, scores):
    rollups.record(added=FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan=plan, touchpoint=touchpoint, kind=kind, score=s, responded_on=date(2026, 3, 1))
        for s in scores
    ]))


def test_database_statistics_match_the_hand_computed_ones(plan, touchpoints):
    tp = touchpoints[0]
    _responses(plan, tp, "nps", [10] * 5 + [8] * 3 + [2] * 2)  # NPS = 50 - 20 = 30
    _responses(plan, tp, "ces", [2, 4, 4, 6])  # mean 4
    with CaptureQueriesContext(connection) as ctx:
        stats = selectors.feedback_statistics(FeedbackResponse.objects.filter(touchpoint=tp))
    assert len(ctx.captured_queries) == 1
    assert stats["nps"].value == 30.0 and stats["nps"].n == 10 and stats["nps"].indicative
    assert stats["ces"].value == 4.0 and stats["ces"].low == pytest.approx(1.402, abs=0.001)
    assert stats["csat"].value is None and stats["csat"].n == 0


def test_statistics_by_touchpoint_is_one_query(plan, touchpoints):
    for i, tp in enumerate(touchpoints):
        _responses(plan, tp, "nps", [10] * (i + 1))
    other = PlanFactory(organisation=plan.organisation)
    with CaptureQueriesContext(connection) as ctx:
        stats = selectors.feedback_statistics_by_touchpoint(plan=plan)
    assert len(ctx.captured_queries) == 1
    assert {pk: s["nps"].n for pk, s in stats.items()} == {tp.pk: i + 1 for i, tp in enumerate(touchpoints)}
    assert selectors.feedback_statistics_by_touchpoint(plan=other) == {}


def test_period_comparison_says_when_a_change_beats_the_noise(plan, touchpoints):
    tp = touchpoints[0]
    rollups.record(added=FeedbackResponse.objects.bulk_create(
        [FeedbackResponse(plan=plan, touchpoint=tp, kind="nps", score=2, responded_on=date(2026, 1, 10))] * 40
        + [FeedbackResponse(plan=plan, touchpoint=tp, kind="nps", score=10, responded_on=date(2026, 6, 10))] * 40
    ))
    result = selectors.feedback_comparison(FeedbackResponse.objects.filter(touchpoint=tp),
                                           earlier=(date(2026, 1, 1), date(2026, 3, 31)),
                                           later=(date(2026, 4, 1), date(2026, 6, 30)))
    assert result["nps"]["earlier"].value == -100 and result["nps"]["later"].value == 100
    assert result["nps"]["comparison"].beyond_noise and result["nps"]["comparison"].change == 200


def test_agreed_value_is_the_median_unless_overridden_and_disagreement_is_flagged(plan, touchpoints, people, org):
    from tests.factories import team_with

    tp = touchpoints[0]
    teams = [team_with(org, name=f"Team {i}") for i in range(3)]
    for team, maturity in zip(teams, [1, 2, 4], strict=True):
        services.evaluation_create(touchpoint=tp, team=team, actor=people["editor"], maturity=maturity,
                                   potential_customer=5, potential_brand=3)
    summary = selectors.touchpoint_assessments(plan=plan, touchpoints=touchpoints)[tp.pk]
    assert summary["agreed"]["maturity"] == 2 and summary["spread"]["maturity"] == 3 and summary["disagreement"]
    # potential (5+3)/2 = 4 -> (4-1)/4 = 75 %; maturity 2 -> (2-1)/3 = 33.3 %; gap 41.7 points
    assert summary["gap"] == pytest.approx(41.7, abs=0.05)
    services.agreement_set(touchpoint=tp, actor=people["editor"], reason="Workshop of 3 March", maturity=3)
    summary = selectors.touchpoint_assessments(plan=plan, touchpoints=touchpoints)[tp.pk]
    assert summary["agreed"]["maturity"] == 3 and summary["agreement"].reason == "Workshop of 3 March"
    assert selectors.touchpoint_assessments(plan=plan, touchpoints=touchpoints)[touchpoints[1].pk]["gap"] is None


def test_agreement_needs_a_reason(plan, touchpoints, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.agreement_set(touchpoint=touchpoints[0], actor=people["editor"], reason="  ", maturity=2)
    assert "reason" in error.value.message_dict


def test_one_evaluation_per_team(plan, touchpoints, people, team):
    from django.core.exceptions import ValidationError

    services.evaluation_create(touchpoint=touchpoints[0], team=team, actor=people["editor"], maturity=2,
                               potential_customer=3, potential_brand=3)
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(touchpoint=touchpoints[0], team=team, actor=people["editor"], maturity=3,
                                   potential_customer=3, potential_brand=3)
    assert "team" in error.value.message_dict


def test_a_score_outside_its_scale_is_refused(plan, touchpoints, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.feedback_create(touchpoint=touchpoints[0], actor=people["editor"], kind="ces", score=9,
                                 responded_on=date(2026, 1, 1))
    assert "1 to 7" in str(error.value)


def test_seed_demo_fills_the_assessments(db):
    from django.core.management import call_command

    from assessments.models import AuditItem, MaturityAssessment, TouchpointEvaluation

    call_command("seed_demo")
    call_command("seed_demo")
    assessment = MaturityAssessment.objects.get()
    assert (assessment.channel_level, assessment.engagement_level) == (1, 3) and assessment.votes.count() == 4
    assert TouchpointEvaluation.objects.values("team").distinct().count() == 4
    assert FeedbackResponse.objects.count() >= 200
    verbatims = FeedbackResponse.objects.exclude(verbatim="")
    assert verbatims.filter(verbatim__icontains="magasin").exists() and verbatims.filter(
        verbatim__icontains="store").exists()
    assert AuditItem.objects.filter(step="need").exists() and AuditItem.objects.filter(kind="content").exists()
