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


ITEM_LINKS = ("teams", "touchpoints", "objectives", "audit_gaps", "dependencies")


def roadmap_item_links(*, item_ids) -> dict[int, dict[str, list[int]]]:
    """The ids each item links to, {item id: {"teams": [...], "touchpoints": [...], ...}}, each list in the linked
    model's order: one query per link on its link table (five), without building the linked objects.

    What the API lists; the pages, which show the linked objects, prefetch them (roadmap_item_list). The caller has
    limited `item_ids` to what the user may see.
    """
    item_ids = list(item_ids)
    links = {pk: {name: [] for name in ITEM_LINKS} for pk in item_ids}
    if not item_ids:
        return links
    for name in ITEM_LINKS:
        field = RoadmapItem._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        order = [f"-{target}__{key[1:]}" if key.startswith("-") else f"{target}__{key}"
                 for key in field.related_model._meta.ordering]
        rows = field.remote_field.through.objects.filter(**{f"{source}_id__in": item_ids})
        for item_id, linked_id in rows.order_by(*order).values_list(f"{source}_id", f"{target}_id"):
            links[item_id][name].append(linked_id)
    return links


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
