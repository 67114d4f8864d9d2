"""The whole organisation's rows as a member sees them (selectors: plans_for, guardian's team grants) against the
same query with a plain organisation filter. The member's team holds every plan of the organisation, so both
return the same rows; the difference is what the permission filter costs."""

from assessments import selectors as assessment_selectors
from assessments.models import FeedbackResponse
from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from planning import selectors
from planning.models import Touchpoint

TARGET_RATIO = 2.0


def run(ctx) -> list[Row]:
    org = ctx.data["organisations"][-1]
    member = ctx.member(org)

    def touchpoints_visible():
        return list(selectors.touchpoint_list(user=member))

    def touchpoints_plain():
        return list(Touchpoint.objects.filter(plan__organisation_id=org["id"]).select_related("stage", "channel",
                                                                                              "team"))

    def feedback_page(queryset):
        return queryset.count(), list(queryset.order_by("-responded_on", "-id")[:100])

    def feedback_visible():
        return feedback_page(assessment_selectors.feedback_list(user=member))

    def feedback_plain():
        return feedback_page(FeedbackResponse.objects.filter(plan__organisation_id=org["id"]))

    cases = [
        (f"Whole-organisation touchpoints as a member ({len(touchpoints_plain())} rows)", touchpoints_visible,
         touchpoints_plain, lambda rows: len(rows)),
        ("Whole-organisation feedback as a member (count + page of 100)", feedback_visible, feedback_plain,
         lambda result: result[0]),
    ]
    rows = []
    for case, visible, plain, size in cases:
        assert size(visible()) == size(plain()), f"{case}: the member does not see the whole organisation"
        timings = interleaved({"visible": visible, "plain": plain}, runs=ctx.runs)
        value = ratio(timings["visible"].p50, timings["plain"].p50)
        met = value is not None and value <= TARGET_RATIO
        if not met:
            ctx.explain_miss(case, visible)
        queries, _ = query_count(visible)
        rows.append(Row(
            case=case,
            figure=f"permission-filtered: {ms(timings['visible'].p50)} · p95 {ms(timings['visible'].p95)} · "
                   f"{queries} queries",
            baseline=f"organisation_id filter: {ms(timings['plain'].p50)}",
            ratio=value, target=f"≤ {TARGET_RATIO:g}×", met=met,
            details={"p50": timings["visible"].p50, "p95": timings["visible"].p95,
                     "baseline_p50": timings["plain"].p50, "queries": queries},
        ))
    return rows
