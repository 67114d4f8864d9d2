"""Whole plans' rankings, kept per process between requests: what the roadmap API (a page of a long list) and the
roadmap board, timeline and matrix need of every item of a plan, without scoring every item again on each request.

A ranking is every item of the plan in rank order as (id, column, score), with the method that scored them. It is
computed from what scoring reads of an item (ScoringRow: no item is built) and kept under a fingerprint: per table,
the plan's row count, latest update and sum of versions of its items, scoring settings and criteria. Every write
goes through versioned_save or creates or deletes a row, so it changes the fingerprint, and a kept ranking is used
only while it is still exact, whichever process wrote meanwhile. Reading rankings costs one query for any number
of plans while nothing was written.
"""

import threading
from collections import OrderedDict, namedtuple
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum, Value

from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringMethod, ScoringSettings
from roadmaps.scoring import rank, score_item

SCORING_FIELDS = ("value", "effort", "reach", "impact", "confidence", "business_value", "time_criticality",
                  "risk_reduction", "job_size", "criteria_scores")
# What scoring and ranking read of an item, and the column the board groups it in.
ScoringRow = namedtuple("ScoringRow", ("pk", "plan_id", "title", "horizon", "manual_rank", *SCORING_FIELDS))
CACHED_PLANS = 32

_RANKINGS: OrderedDict = OrderedDict()  # {plan id: (fingerprint, Ranking)}, the most recently used last
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Ranking:
    """A plan's items in rank order. Shared between requests: read it, never change it."""

    method: str
    entries: tuple[tuple[int, str, object], ...]  # (item id, horizon, score), rank order
    by_item: dict = field(default_factory=dict)  # {item id: (score, rank)}


def _fingerprints(plan_ids) -> dict[int, tuple]:
    """{plan id: fingerprint}, in one query whatever the number of plans."""
    def figures(model, table: int):
        return (model.objects.filter(plan_id__in=plan_ids).order_by().values("plan_id")
                .annotate(table=Value(table), n=Count("id"), last=Max("updated_at"), versions=Sum("version"))
                .values_list("plan_id", "table", "n", "last", "versions"))
    rows = figures(RoadmapItem, 0).union(figures(ScoringSettings, 1), figures(ScoringCriterion, 2), all=True)
    fingerprints: dict[int, list] = {pk: [] for pk in plan_ids}
    for plan_id, *row in rows:
        fingerprints[plan_id].append(tuple(row))
    return {pk: tuple(sorted(rows)) for pk, rows in fingerprints.items()}


def rankings(plan_ids) -> dict[int, Ranking]:
    """{plan id: its Ranking} for these plans: one query when every one is kept and unchanged, four more for those
    that must be scored again (whatever their number)."""
    plan_ids = set(plan_ids)
    if not plan_ids:
        return {}
    fingerprints = _fingerprints(plan_ids)
    found: dict[int, Ranking] = {}
    with _LOCK:
        for plan_id in plan_ids:
            cached = _RANKINGS.get(plan_id)
            if cached is not None and cached[0] == fingerprints[plan_id]:
                _RANKINGS.move_to_end(plan_id)
                found[plan_id] = cached[1]
    missing = plan_ids - set(found)
    if missing:
        scored = _score(missing)
        found.update(scored)
        with _LOCK:
            for plan_id, ranking in scored.items():
                _RANKINGS[plan_id] = (fingerprints[plan_id], ranking)
                _RANKINGS.move_to_end(plan_id)
            while len(_RANKINGS) > CACHED_PLANS:
                _RANKINGS.popitem(last=False)
    return found


def plan_ranking(plan) -> Ranking:
    return rankings([plan.pk])[plan.pk]


def _score(plan_ids: set[int]) -> dict[int, Ranking]:
    methods = dict(ScoringSettings.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "method"))
    criteria: dict[int, list] = {}
    for criterion in ScoringCriterion.objects.filter(plan_id__in=plan_ids):
        criteria.setdefault(criterion.plan_id, []).append(criterion)
    by_plan: dict[int, list] = {pk: [] for pk in plan_ids}
    for row in RoadmapItem.objects.filter(plan_id__in=plan_ids).values_list(*ScoringRow._fields):
        item = ScoringRow._make(row)
        by_plan[item.plan_id].append(item)
    result = {}
    for plan_id, items in by_plan.items():
        method = methods.get(plan_id, ScoringMethod.VALUE_EFFORT)
        ranked = rank([(item, score_item(item, method, criteria.get(plan_id, []))) for item in items])
        result[plan_id] = Ranking(method, tuple((item.pk, item.horizon, score) for item, score in ranked),
                                  {item.pk: (score, position) for position, (item, score) in enumerate(ranked, 1)})
    return result
