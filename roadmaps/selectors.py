"""Every read of roadmaps, limited to the plans the user may see; scores computed without extra queries."""

from django.db.models import Prefetch, QuerySet

from planning.access import plans_for

from .models import Export, RoadmapItem, ScoringCriterion
from .scoring import rank, score_item, suggest_value


def roadmap_item_list(*, user, plan=None) -> QuerySet[RoadmapItem]:
    qs = RoadmapItem.objects.filter(plan_id__in=plans_for(user).values("pk")).select_related("owner")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.prefetch_related("teams", "touchpoints", "objectives", "audit_gaps",
                               Prefetch("dependencies", queryset=RoadmapItem.objects.only("id", "title", "plan_id")))


def export_list(*, user, plan=None) -> QuerySet[Export]:
    qs = Export.objects.filter(plan_id__in=plans_for(user).values("pk")).select_related("requested_by", "plan")
    return qs.filter(plan=plan) if plan is not None else qs


def scored_roadmap(*, plan, items) -> dict:
    """The plan's method, its criteria, and every item with its score, in rank order (manual ranks in place).

    `items` is a queryset from roadmap_item_list (prefetched); scoring itself runs no query.
    """
    from .services import scoring_settings_for

    method = scoring_settings_for(plan).method
    criteria = list(ScoringCriterion.objects.filter(plan=plan))
    pairs = [(item, score_item(item, method, criteria)) for item in items]
    return {"method": method, "criteria": criteria, "ranked": rank(pairs)}


def value_suggestions(*, plan, items) -> dict[int, tuple]:
    """Suggested value per item from its touchpoints' gaps and its stakeholder objectives (two queries)."""
    from assessments.selectors import touchpoint_assessments

    touchpoints = {t.pk: t for item in items for t in item.touchpoints.all()}
    summaries = touchpoint_assessments(plan=plan, touchpoints=list(touchpoints.values()))
    return {
        item.pk: suggest_value(gaps=[summaries[t.pk]["gap"] for t in item.touchpoints.all()],
                               objectives=len(item.objectives.all()))
        for item in items
    }
