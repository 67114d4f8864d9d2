"""Every read of roadmaps, limited to the plans the user may see; scores computed without extra queries."""

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from assessments.selectors import touchpoint_assessments
from experience.models import PainPoint
from roadmaps.models import Export, RoadmapItem, ScoringCriterion, ScoringSettings
from roadmaps.scoring import rank, score_item, suggest_value
from tenancy.access import plans_for


def roadmap_item_list(*, user, plan=None) -> QuerySet[RoadmapItem]:
    qs = RoadmapItem.objects.filter(plan_id__in=plans_for(user).values("pk"))
    if plan is not None:
        qs = qs.filter(plan=plan)
    return with_item_links(qs)


def with_item_links(qs: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
    """Items with what the roadmap pages show of them (their owner and every link), prefetched."""
    return qs.select_related("owner").prefetch_related(
        "teams", "touchpoints", "objectives", "audit_gaps", "opportunities",
        Prefetch("dependencies", queryset=RoadmapItem.objects.only("id", "title", "plan_id")))


ITEM_LINKS = ("teams", "touchpoints", "objectives", "audit_gaps", "opportunities", "dependencies")


def roadmap_item_links(*, item_ids) -> dict[int, dict[str, list[int]]]:
    """The ids each item links to, {item id: {"teams": [...], "touchpoints": [...], ...}}, each list in the linked
    model's order: one query over the five link tables (UNION ALL), without building the linked objects.

    What the API lists; the pages, which show the linked objects, prefetch them (roadmap_item_list). The caller has
    limited `item_ids` to what the user may see.
    """
    item_ids = list(item_ids)
    links = {pk: {name: [] for name in ITEM_LINKS} for pk in item_ids}
    if not item_ids:
        return links
    # On PostgreSQL, one array parameter per branch instead of a hundred: binding and compiling the ids cost more
    # than the query.
    page = RawSQL("SELECT unnest(%s::bigint[])", (item_ids,)) if connection.vendor == "postgresql" else item_ids
    branches = []
    for index, name in enumerate(ITEM_LINKS):
        field = RoadmapItem._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        order = [F(f"{target}__{key[1:]}").desc() if key.startswith("-") else F(f"{target}__{key}").asc()
                 for key in field.related_model._meta.ordering]
        # Each branch numbers its rows in the linked model's order; a UNION ALL keeps no order of its own.
        branches.append(
            field.remote_field.through.objects.filter(**{f"{source}_id__in": page}).order_by()
            .annotate(link=Value(index), position=Window(RowNumber(), order_by=order))
            .values_list("link", f"{source}_id", f"{target}_id", "position")
        )
    rows = sorted(branches[0].union(*branches[1:], all=True), key=lambda row: (row[0], row[3]))
    for index, item_id, linked_id, _position in rows:
        links[item_id][ITEM_LINKS[index]].append(linked_id)
    return links


def item_answers(item: RoadmapItem) -> dict | None:
    """What a roadmap item answers on the journey maps: its opportunities, their pain points (with how many
    verbatims support each) and the touchpoints, each with where it is, for links back to the map."""
    opportunities = list(item.opportunities.select_related("journey", "stage").prefetch_related(
        Prefetch("pain_points", queryset=PainPoint.objects.select_related("stage").annotate(
            verbatim_count=Count("verbatims")))))
    touchpoints = list(item.touchpoints.select_related("journey", "stage", "channel"))
    if not opportunities and not touchpoints:
        return None
    pains = {pain.pk: pain for opportunity in opportunities for pain in opportunity.pain_points.all()}
    return {"opportunities": opportunities, "pain_points": list(pains.values()), "touchpoints": touchpoints}


def export_list(*, user, plan=None) -> QuerySet[Export]:
    qs = Export.objects.filter(plan_id__in=plans_for(user).values("pk")).select_related("requested_by", "plan")
    return qs.filter(plan=plan) if plan is not None else qs


def scored_roadmap(*, plan, items) -> dict:
    """The plan's method, its criteria, and every item with its score, in rank order (manual ranks in place).

    `items` is a queryset from roadmap_item_list (prefetched); scoring itself runs no query.
    """
    settings = ScoringSettings.objects.filter(plan=plan).first() or ScoringSettings(plan=plan)  # default
    method = settings.method
    criteria = list(ScoringCriterion.objects.filter(plan=plan))
    pairs = [(item, score_item(item, method, criteria)) for item in items]
    return {"method": method, "criteria": criteria, "ranked": rank(pairs)}


def value_suggestions(*, plan, items) -> dict[int, tuple]:
    """Suggested value per item from its touchpoints' gaps and its stakeholder objectives (two queries)."""
    touchpoints = {t.pk: t for item in items for t in item.touchpoints.all()}
    summaries = touchpoint_assessments(plan=plan, touchpoints=list(touchpoints.values()))
    return {
        item.pk: suggest_value(gaps=[summaries[t.pk]["gap"] for t in item.touchpoints.all()],
                               objectives=len(item.objectives.all()))
        for item in items
    }
