"""The figures of the gap ranking link to what they summarise: maturity and gap to the touchpoint's evaluations,
NPS / CES / CSAT to the touchpoint's customer feedback."""

from datetime import date

from django.urls import reverse

from assessments import services
from tests.assessments.test_api_permissions import make_touchpoints


def test_the_ranked_figures_link_to_their_detail(client_for, people, plan, team):
    (touchpoint,) = make_touchpoints(plan, ["Pays online"])
    services.evaluation_create(touchpoint=touchpoint, team=team, actor=None, maturity=2, potential_customer=5,
                               potential_brand=4)
    for kind, score in (("nps", 9), ("ces", 2), ("csat", 4)):
        services.feedback_create(touchpoint=touchpoint, actor=None, kind=kind, score=score,
                                 responded_on=date(2026, 3, 1))

    body = client_for(people["viewer"]).get(reverse("plan_heatmap", args=[plan.pk])).content.decode()

    feedback = reverse("touchpoint_feedback", args=[touchpoint.pk])
    evaluations = reverse("touchpoint_evaluations", args=[touchpoint.pk])
    assert body.count(f'<a class="figurelink" href="{feedback}"><span class="estimate-value">') == 3
    assert f'<a class="figurelink" href="{feedback}"><span class="estimate-value">100</span></a>' in body  # the NPS
    assert f'<a class="figurelink" href="{evaluations}"><span class="level level-' in body  # the maturity
    assert f'<a class="figurelink" href="{evaluations}"><svg class="gapbar"' in body  # the gap
