from datetime import date
from decimal import Decimal

import pytest

from kpis import services
from roadmaps import services as roadmaps
from tests.assessments.test_api_permissions import make_touchpoints


@pytest.fixture
def world(org, plan, team, other_plan, people):
    """A plan with two touchpoints, a churn KPI (lower is better) with three measurements, a repeat purchase KPI
    (higher is better) with none, a roadmap item linked to churn; another organisation's KPI."""
    touchpoint, store = make_touchpoints(plan, ["Buys online", "Returns in store"])
    churn = services.kpi_create(plan=plan, actor=None, name="Churn", unit="percent", direction="lower",
                                baseline_value=Decimal("10"), baseline_date=date(2026, 1, 1),
                                target_value=Decimal("5"), target_date=date(2026, 12, 31), owner_team=team)
    measurements = [services.measurement_create(kpi=churn, actor=None, measured_on=day, value=Decimal(value))
                    for day, value in ((date(2026, 2, 1), "9.5"), (date(2026, 4, 1), "8"), (date(2026, 3, 1), "9"))]
    repeat = services.kpi_create(plan=plan, actor=None, name="Repeat purchase rate", unit="percent",
                                 direction="higher", baseline_value=Decimal("20"), baseline_date=date(2026, 1, 1),
                                 target_value=Decimal("30"), target_date=date(2027, 1, 1))
    item = roadmaps.roadmap_item_create(plan=plan, actor=None, title="Loyalty programme", category="offer_loyalty")
    link = services.kpi_link_create(kpi=churn, item=item, actor=None, expected_change=Decimal("-2"),
                                    note="Members leave less")
    foreign = services.kpi_create(plan=other_plan, actor=None, name="Their KPI")
    return {"plan": plan, "touchpoint": touchpoint, "store": store, "churn": churn, "repeat": repeat,
            "measurements": measurements, "item": item, "link": link, "foreign": foreign,
            "foreign_measurement": services.measurement_create(kpi=foreign, actor=None, measured_on=date(2026, 1, 1),
                                                               value=1)}
