"""The demo plan's KPIs for seed_demo: three typed KPIs with twelve months of measurements (2026) and an NPS
computed from the demo feedback, each tied to the roadmap items expected to move it.

Idempotent: nothing happens if the plan already has KPIs. Links to items missing from the plan are skipped.
"""

from datetime import date
from decimal import Decimal

from kpis import services
from roadmaps.models import RoadmapItem

BASELINE, TARGET = date(2026, 1, 1), date(2027, 12, 31)
# name, unit, direction, baseline, target, owner team, description, twelve monthly values (January … December 2026),
# and the roadmap items expected to move it with by how much.
KPIS = [
    ("Repeat purchase rate", "percent", "higher", "24", "32", "Marketing",
     "Share of customers who bought again within twelve months.",
     ["24", "24.3", "24.1", "24.8", "25.2", "25", "25.6", "26.1", "26", "26.7", "27.2", "27.5"],
     [("One loyalty programme across channels", "4"), ("Customer app: notifications and loyalty wallet", "2")]),
    ("Churn (érosion)", "percent", "lower", "18", "12", "Customer service",
     "Share of active customers who did not buy for a year.",
     ["18", "18.2", "17.9", "17.6", "17.8", "17.1", "16.9", "16.5", "16.6", "16.2", "15.8", "15.5"],
     [("CRM with one customer id across store and web", "-3"), ("One loyalty programme across channels", "-2")]),
    ("Cost of acquisition", "currency", "lower", "42", "30", "Marketing",
     "Marketing spend divided by new customers, in euros.",
     ["42", "41.5", "43", "40.8", "40.2", "39.5", "39.9", "38.7", "38", "37.2", "36.9", "36.1"],
     [("DMP for online data and media", "-8")]),
]


def seed(*, plan, teams) -> None:
    if plan.kpis.exists():
        return
    items = {item.title: item for item in RoadmapItem.objects.filter(plan=plan)}
    for name, unit, direction, baseline, target, team, description, values, links in KPIS:
        kpi = services.kpi_create(plan=plan, actor=None, name=name, unit=unit, direction=direction,
                                  description=description, baseline_value=Decimal(baseline), baseline_date=BASELINE,
                                  target_value=Decimal(target), target_date=TARGET, owner_team=teams.get(team))
        for month, value in enumerate(values, start=1):
            services.measurement_create(kpi=kpi, actor=None, measured_on=date(2026, month, 28), value=Decimal(value),
                                        note="Monthly report" if month % 3 == 0 else "")
        for title, change in links:
            if title in items:
                services.kpi_link_create(kpi=kpi, item=items[title], actor=None, expected_change=Decimal(change))
    nps = services.kpi_create(plan=plan, actor=None, name="NPS", source="nps", baseline_value=Decimal("10"),
                              baseline_date=BASELINE, target_value=Decimal("35"), target_date=TARGET,
                              owner_team=teams.get("Customer service"),
                              description="Net promoter score of the feedback responses, computed each month.")
    services.kpi_compute(kpi=nps, actor=None)
    for title in ("Customer reviews on product pages and in store", "CRM with one customer id across store and web"):
        if title in items:
            services.kpi_link_create(kpi=nps, item=items[title], actor=None, expected_change=Decimal("5"))
