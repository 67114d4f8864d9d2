"""Every read of assessments, limited to the plans the user may see; statistics computed by database aggregates
(over the pre-aggregated rollups where the filters allow: see feedback_statistics)."""

import threading
from collections import OrderedDict
from statistics import median

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth

from assessments import rollups
from assessments.models import (
    SCALES,
    AuditItem,
    DataCaptureItem,
    FeedbackKind,
    FeedbackResponse,
    FeedbackTotal,
    MaturityAssessment,
    TouchpointAgreement,
    TouchpointEvaluation,
    VerbatimTag,
    VerbatimTheme,
)
from assessments.statistics import compare, mean_with_interval, nps_with_interval
from tenancy.selectors import in_plans

DISAGREEMENT_SPREAD = 2  # teams two or more maturity levels (or potential points) apart: discuss it


def evaluation_list(*, user, plan=None) -> QuerySet[TouchpointEvaluation]:
    qs = in_plans(TouchpointEvaluation.objects.all(), user, plan)
    return qs.select_related("team", "touchpoint").prefetch_related("data_items")


def sentiment_disagrees() -> Q:
    """Responses whose text says the opposite of their score: a promoter (NPS 9–10, CSAT 4–5, CES 1–2) with a
    negative text, or a detractor (NPS 0–6, CSAT 1–2, CES 6–7) with a positive one."""
    happy = Q(kind="nps", score__gte=9) | Q(kind="csat", score__gte=4) | Q(kind="ces", score__lte=2)
    unhappy = Q(kind="nps", score__lte=6) | Q(kind="csat", score__lte=2) | Q(kind="ces", score__gte=6)
    return (happy & Q(sentiment="negative")) | (unhappy & Q(sentiment="positive"))


def feedback_list(*, user, plan=None) -> QuerySet[FeedbackResponse]:
    return in_plans(FeedbackResponse.objects.all(), user, plan)


def with_voice(responses: QuerySet[FeedbackResponse]) -> QuerySet[FeedbackResponse]:
    """Responses with their themes (and the rule that set each) and tags: three queries whatever the count."""
    return responses.prefetch_related(
        Prefetch("themes", VerbatimTheme.objects.select_related("theme__parent", "rule").order_by("theme__name")),
        Prefetch("tags", VerbatimTag.objects.select_related("tag").order_by("tag__name")),
    )


def feedback_with_voice() -> QuerySet[FeedbackResponse]:
    """For the changes feed: every response, with what the serializer reads of its themes and tags."""
    return with_voice(FeedbackResponse.objects.all())


def maturity_assessment_list(*, user, plan=None) -> QuerySet[MaturityAssessment]:
    return in_plans(MaturityAssessment.objects.all(), user, plan).prefetch_related("votes__participant")


def audit_item_list(*, user, plan=None) -> QuerySet[AuditItem]:
    return in_plans(AuditItem.objects.all(), user, plan).prefetch_related("touchpoints")


def data_item_list(*, user, plan=None) -> QuerySet[DataCaptureItem]:
    return in_plans(DataCaptureItem.objects.all(), user, plan).select_related("evaluation")


def agreement_list(*, user, plan=None) -> QuerySet[TouchpointAgreement]:
    return in_plans(TouchpointAgreement.objects.all(), user, plan)


# Feedback statistics -------------------------------------------------------------------------------------------


def _aggregates(prefix=""):
    """Aggregate expressions for every figure, so one query (or one GROUP BY) computes all three kinds."""
    kind, score = f"{prefix}kind", f"{prefix}score"
    nps = Q(**{kind: FeedbackKind.NPS})
    expressions = {
        "promoters": Count("pk", filter=nps & Q(**{f"{score}__gte": 9})),
        "passives": Count("pk", filter=nps & Q(**{f"{score}__in": (7, 8)})),
        "detractors": Count("pk", filter=nps & Q(**{f"{score}__lte": 6})),
    }
    for name in ("ces", "csat"):
        only = Q(**{kind: name})
        expressions[f"{name}_n"] = Count("pk", filter=only)
        expressions[f"{name}_sum"] = Sum(score, filter=only)
        expressions[f"{name}_sumsq"] = Sum(F(score) * F(score), filter=only)
    return expressions


def statistics_from(row: dict) -> dict:
    """Turn one aggregate row into the three estimates."""
    result = {"nps": nps_with_interval(row["promoters"] or 0, row["passives"] or 0, row["detractors"] or 0)}
    for name in ("ces", "csat"):
        result[name] = mean_with_interval(row[f"{name}_n"] or 0, row[f"{name}_sum"] or 0,
                                          row[f"{name}_sumsq"] or 0, SCALES[name])
    return result


def _rollup_aggregates():
    """The same figures as _aggregates(), summed from rollup cells (assessments.models.rollups)."""
    expressions = {"promoters": Sum("promoters"), "passives": Sum("passives"), "detractors": Sum("detractors")}
    for name in ("ces", "csat"):
        only = Q(kind=name)
        expressions[f"{name}_n"] = Sum("n", filter=only)
        expressions[f"{name}_sum"] = Sum("total", filter=only)
        expressions[f"{name}_sumsq"] = Sum("total_of_squares", filter=only)
    return expressions


def feedback_statistics(queryset, *, raw: bool = False) -> dict:
    """NPS, CES and CSAT of any set of responses, in one aggregate query.

    Read from the rollups when the queryset's filters allow it (plan, organisation, touchpoint, journey, stage,
    kind, dates: see rollups.rollup_for), so a million responses cost a few thousand cells; from the responses
    themselves when a filter the rollups lack is used (verbatim text, sentiment, source, themes, tags, score,
    exclude/OR), or with `raw=True`. Both give exactly the same numbers.
    """
    cells = None if raw else rollups.rollup_for(queryset)
    if cells is None:
        return statistics_from(queryset.aggregate(**_aggregates()))
    return statistics_from(cells.aggregate(**_rollup_aggregates()))


def feedback_verbatim_count(responses) -> int | None:
    """How many of `responses` have a verbatim, from the rollups in one small query; None when a filter needs the
    responses themselves (then count them)."""
    cells = rollups.rollup_for(responses)
    return None if cells is None else cells.aggregate(n=Sum("verbatims"))["n"] or 0


def _grouped(cells, raw_rows, group: str, raw: bool) -> dict[int, dict]:
    """Per `group` (a touchpoint, journey or stage id), from the all-time cells or from the responses."""
    rows = (raw_rows.values(group).annotate(**_aggregates()) if raw
            else cells.values(group).annotate(**_rollup_aggregates()))
    return {row[group]: statistics_from(row) for row in rows.order_by()}


def feedback_statistics_by_month(queryset, *, raw: bool = False) -> dict:
    """Per calendar month (its first day) of any set of responses, in one GROUP BY query; months without a response
    are absent. The same figures as feedback_statistics for each month's responses (KPIs computed from feedback)."""
    cells = None if raw else rollups.rollup_for(queryset, by_day=True)
    if cells is None:  # a filter the rollups lack (a persona, say): the responses themselves
        rows = queryset.annotate(month=TruncMonth("responded_on")).values("month").annotate(**_aggregates())
    else:
        rows = cells.annotate(month=TruncMonth("day")).values("month").annotate(**_rollup_aggregates())
    return {row["month"]: statistics_from(row) for row in rows.order_by("month")}


def feedback_statistics_by_touchpoint(*, plan, raw: bool = False, touchpoint_ids=None) -> dict[int, dict]:
    """Per touchpoint of a plan (with feedback), in one GROUP BY query over the all-time cells (or the responses);
    only the touchpoints `touchpoint_ids` names when given (a page of a long list)."""
    cells, responses = FeedbackTotal.objects.filter(plan=plan), FeedbackResponse.objects.filter(plan=plan)
    if touchpoint_ids is not None:
        cells, responses = (cells.filter(touchpoint_id__in=touchpoint_ids),
                            responses.filter(touchpoint_id__in=touchpoint_ids))
    return _grouped(cells, responses, "touchpoint_id", raw)


def feedback_statistics_by_journey(*, plan, raw: bool = False) -> dict[int, dict]:
    """Per journey of a plan, in one GROUP BY query: the cells of each touchpoint joined to where it is now."""
    return _grouped(FeedbackTotal.objects.filter(plan=plan), FeedbackResponse.objects.filter(plan=plan),
                    "touchpoint__journey_id", raw)


def feedback_statistics_by_stage(*, journey, raw: bool = False) -> dict[int, dict]:
    """Per stage of a journey (the responses of the touchpoints in it now), in one GROUP BY query."""
    return _grouped(FeedbackTotal.objects.filter(plan_id=journey.plan_id, touchpoint__journey=journey),
                    FeedbackResponse.objects.filter(plan_id=journey.plan_id, touchpoint__journey=journey),
                    "touchpoint__stage_id", raw)


def feedback_comparison(queryset, *, earlier: tuple, later: tuple, raw: bool = False) -> dict:
    """Compare two date ranges (inclusive): per kind, the two estimates and whether the change beats the noise."""
    first = feedback_statistics(queryset.filter(responded_on__range=earlier), raw=raw)
    second = feedback_statistics(queryset.filter(responded_on__range=later), raw=raw)
    return {kind: {"earlier": first[kind], "later": second[kind], "comparison": compare(first[kind], second[kind])}
            for kind in first}


# Evaluations: agreed values, spread and gap --------------------------------------------------------------------


def _agreed(values: list[int], override):
    if override is not None:
        return override
    return median(values) if values else None


def touchpoint_assessments(*, plan, touchpoints) -> dict[int, dict]:
    """Per touchpoint: each team's evaluation, the agreed values (override or median), the spread, a
    disagreement flag, and the gap between potential and maturity. Two queries whatever the number of rows."""
    ids = [t.pk for t in touchpoints]
    evaluations = TouchpointEvaluation.objects.filter(plan=plan, touchpoint_id__in=ids).select_related("team")
    agreements = {a.touchpoint_id: a for a in TouchpointAgreement.objects.filter(plan=plan, touchpoint_id__in=ids)}
    by_touchpoint: dict[int, list] = {pk: [] for pk in ids}
    for evaluation in evaluations:
        by_touchpoint[evaluation.touchpoint_id].append(evaluation)
    return {pk: summarise(evals, agreements.get(pk)) for pk, evals in by_touchpoint.items()}


# Summaries of whole plans, per process: {plan id: (fingerprint, {touchpoint id: summary})}, the most recently used
# plans last. A fingerprint is what any write of an evaluation or agreement changes (their count, latest update and
# the sum of their versions: every write goes through versioned_save or creates/deletes a row), so a cached entry is
# used only while it is still exact, whichever process or import wrote meanwhile.
_SUMMARIES: OrderedDict = OrderedDict()
_SUMMARIES_LOCK = threading.Lock()
SUMMARY_CACHE_PLANS = 16


def _assessments_fingerprint(plan) -> tuple:
    """One query: per table, the count, latest update and sum of versions of the plan's rows."""
    def figures(model, table: int):
        return (model.objects.filter(plan=plan).order_by().values("plan_id")
                .annotate(table=Value(table), n=Count("id"), last=Max("updated_at"), versions=Sum("version"))
                .values_list("table", "n", "last", "versions"))
    return tuple(sorted(figures(TouchpointEvaluation, 0).union(figures(TouchpointAgreement, 1), all=True)))


def _plan_summaries(plan) -> dict[int, dict]:
    """{touchpoint id: summary} of every touchpoint of the plan with an evaluation or an agreement."""
    by_touchpoint: dict[int, list] = {}
    rows = (TouchpointEvaluation.objects.filter(plan=plan).order_by()
            .values_list("touchpoint_id", "maturity", "potential_customer", "potential_brand", named=True))
    for row in rows:
        by_touchpoint.setdefault(row.touchpoint_id, []).append(row)
    agreements = {a.touchpoint_id: a for a in TouchpointAgreement.objects.filter(plan=plan)}
    return {pk: summarise(by_touchpoint.get(pk, []), agreements.get(pk)) for pk in by_touchpoint.keys() | agreements}


def assessment_summaries(*, plan, touchpoint_ids) -> dict[int, dict]:
    """touchpoint_assessments' summaries for a whole plan's worth of touchpoints, read cheaply: each evaluation as a
    row of its three figures (maturity and the two potentials; no team, no other column), so "evaluations" counts
    the teams without naming them. What the whole-plan pages rank, colour and count by.

    Cached per plan in the process and checked against the plan's evaluations and agreements on every call: one
    query while nothing was written, three after a write. The summaries are shared: read them, never change them."""
    fingerprint = _assessments_fingerprint(plan)
    with _SUMMARIES_LOCK:
        cached = _SUMMARIES.get(plan.pk)
        if cached is not None and cached[0] == fingerprint:
            _SUMMARIES.move_to_end(plan.pk)
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, _plan_summaries(plan))
        with _SUMMARIES_LOCK:
            _SUMMARIES[plan.pk] = cached
            _SUMMARIES.move_to_end(plan.pk)
            while len(_SUMMARIES) > SUMMARY_CACHE_PLANS:
                _SUMMARIES.popitem(last=False)
    summaries, empty = cached[1], None
    result = {}
    for pk in touchpoint_ids:
        summary = summaries.get(pk)
        if summary is None:
            summary = empty = empty or summarise([])
        result[pk] = summary
    return result


def summarise(evaluations: list, agreement=None) -> dict:
    fields = ("maturity", "potential_customer", "potential_brand")
    values = {f: [getattr(e, f) for e in evaluations] for f in fields}
    agreed = {f: _agreed(values[f], getattr(agreement, f, None) if agreement else None) for f in fields}
    spread = {f: (max(v) - min(v)) if v else None for f, v in values.items()}
    return {
        "evaluations": evaluations,
        "agreement": agreement,
        "agreed": agreed,
        "spread": spread,
        "disagreement": any(s is not None and s >= DISAGREEMENT_SPREAD for s in spread.values()),
        "gap": gap(agreed["maturity"], agreed["potential_customer"], agreed["potential_brand"]),
    }


def gap(maturity, potential_customer, potential_brand) -> float | None:
    """Potential minus maturity, both as a share of their scale, in points (−100 to 100).

    potential = mean of the two potentials on 1–5 → (p − 1) / 4; maturity on 1–4 → (m − 1) / 3.
    """
    if maturity is None or potential_customer is None or potential_brand is None:
        return None
    potential = ((potential_customer + potential_brand) / 2 - 1) / 4
    return round(100 * (potential - (maturity - 1) / 3), 1)
