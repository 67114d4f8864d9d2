"""The whole-plan summaries (assessments.selectors.assessment_summaries) are cached per plan and follow every
write: a new, changed or removed evaluation, an agreement set or cleared, rows written in bulk (an import). While
nothing changes, one query reads them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors
from assessments import services as assessment_services
from assessments.models import TouchpointEvaluation
from planning import services
from tests.factories import team_with


def _summary(plan, touchpoint):
    summary = selectors.assessment_summaries(plan=plan, touchpoint_ids=[touchpoint.pk])[touchpoint.pk]
    exact = selectors.touchpoint_assessments(plan=plan, touchpoints=[touchpoint])[touchpoint.pk]
    assert summary["agreed"] == exact["agreed"] and summary["gap"] == exact["gap"]  # the same as computed afresh
    assert len(summary["evaluations"]) == len(exact["evaluations"])
    return summary


def test_the_cached_summaries_follow_every_write(org, plan, team):
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=None, name="Léa buys boots", template=["Discover"])
    touchpoint = services.touchpoint_create(stage=journey.stages.get(), channel=org.channels.first(), actor=None,
                                            name="Compares three models")
    assert _summary(plan, touchpoint)["agreed"]["maturity"] is None
    evaluation = assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=1,
                                                       potential_customer=5, potential_brand=5)
    assert _summary(plan, touchpoint)["agreed"]["maturity"] == 1 and _summary(plan, touchpoint)["gap"] == 100
    assessment_services.evaluation_update(evaluation=evaluation, actor=None, maturity=3)
    assert _summary(plan, touchpoint)["agreed"]["maturity"] == 3
    marketing = team_with(org, name="Marketing", department="marketing")
    TouchpointEvaluation.objects.bulk_create([TouchpointEvaluation(plan=plan, touchpoint=touchpoint, team=marketing,
                                                                   maturity=1, potential_customer=5,
                                                                   potential_brand=5)])  # as an import writes
    summary = _summary(plan, touchpoint)
    assert len(summary["evaluations"]) == 2 and summary["agreed"]["maturity"] == 2 and summary["disagreement"]
    assessment_services.agreement_set(touchpoint=touchpoint, actor=None, reason="Workshop", maturity=4)
    assert _summary(plan, touchpoint)["agreed"]["maturity"] == 4
    assessment_services.agreement_clear(touchpoint=touchpoint, actor=None)
    assert _summary(plan, touchpoint)["agreed"]["maturity"] == 2
    evaluation.refresh_from_db()
    assessment_services.evaluation_delete(evaluation=evaluation, actor=None)
    assert _summary(plan, touchpoint)["agreed"]["maturity"] == 1


def test_while_nothing_changes_one_query_reads_them(org, plan, team):
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=None, name="Léa buys boots", template=["Discover"])
    touchpoints = [services.touchpoint_create(stage=journey.stages.get(), channel=org.channels.first(), actor=None,
                                              name=f"Touchpoint {n}") for n in range(3)]
    for touchpoint in touchpoints:
        assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=2,
                                              potential_customer=3, potential_brand=3)
    ids = [t.pk for t in touchpoints]
    first = selectors.assessment_summaries(plan=plan, touchpoint_ids=ids)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.assessment_summaries(plan=plan, touchpoint_ids=ids)
    assert len(queries) == 1 and again == first
