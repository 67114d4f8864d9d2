"""A plan to freeze, change and copy: build_plan's content (roadmaps' export tests) plus many touchpoints, added in
bulk (the services would take seconds for thousands), each with an evaluation."""

from assessments.models import TouchpointEvaluation
from planning.models import Channel, Touchpoint
from tests.roadmaps.test_export_support import build_plan


def big_plan(plan, *, team, touchpoints: int = 500) -> dict:
    world = build_plan(plan, team=team)
    journey = world["journey"]
    stages = list(journey.stages.order_by("position"))
    store = Channel.objects.get(organisation=plan.organisation, name="Physical store")
    extra = touchpoints - Touchpoint.objects.filter(plan=plan).count()
    made = Touchpoint.objects.bulk_create([
        Touchpoint(plan=plan, journey=journey, stage=stages[n % len(stages)], channel=store,
                   name=f"Extra touchpoint {n + 1}", position=10.0 + n) for n in range(extra)], batch_size=1000)
    TouchpointEvaluation.objects.bulk_create([
        TouchpointEvaluation(plan=plan, touchpoint=t, team=team, maturity=1 + n % 4, potential_customer=3,
                             potential_brand=3) for n, t in enumerate(made)], batch_size=1000)
    return dict(world, stages=stages, extra=made)
