"""A plan's evaluations at a glance, and where to put effort: the heatmap and the touchpoints ranked by gap.

Both pages run a fixed number of queries whatever the number of touchpoints, evaluations or feedback responses:
every figure comes from a selector that groups in the database or in one pass over already-loaded rows.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from assessments import selectors, voice
from assessments.models import DataCaptureItem
from assessments.views._evaluation_helpers import disputed_fields, is_htmx, short_level
from assessments.views._heatmap import dress, heatmap_layout, level_of, ranked, storage_summary
from planning import selectors as planning_selectors
from tenancy.access import Access, plan_access, plan_for
from tenancy.models import Team

OVERVIEW_ROWS = 150  # touchpoint rows the evaluations overview shows at first (whole journeys; at least one)
RANKED_PAGE = 50  # rows of the ranked list a page shows, and each "show more" adds
TOUCHPOINT_ORDER = ("journey__name", "journey_id", "stage__position", "channel__kind", "channel__position",
                    "position", "id")


def _level(summary) -> int | None:
    maturity = summary["agreed"]["maturity"]
    return level_of(maturity) if maturity is not None else None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _overview_rows(touchpoints, summaries: dict) -> list[dict]:
    rows = []
    for touchpoint in touchpoints:
        summary = summaries[touchpoint.pk]
        rows.append({"tp": touchpoint, "summary": summary, "count": len(summary["evaluations"]),
                     "maturity": short_level(summary["agreed"]["maturity"]), "disputed": disputed_fields(summary),
                     "level": _level(summary)})
    return rows


def _journey_rows(request, plan, journey_ids, summaries: dict) -> dict[int, list[dict]]:
    """The table rows of these journeys, {journey id: rows}, in one query."""
    touchpoints = (planning_selectors.touchpoint_list(user=request.user, plan=plan)
                   .filter(journey_id__in=journey_ids).order_by(*TOUCHPOINT_ORDER))
    by_journey: dict[int, list] = {pk: [] for pk in journey_ids}
    for touchpoint in touchpoints:
        by_journey[touchpoint.journey_id].append(touchpoint)
    return {pk: _overview_rows(group, summaries) for pk, group in by_journey.items()}


@login_required
@require_GET
def plan_evaluations(request, pk):
    """Each journey's touchpoints: how many teams evaluated them, the agreed maturity, the disagreement flag.

    Every journey shows its figures; the tables of the first journeys (OVERVIEW_ROWS rows or so) and of the one
    asked for (`journey`) are on the page, the others open on demand (htmx; without JavaScript, a link to this page
    with that journey's table). A fixed number of queries whatever the plan's size."""
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    team_count = Team.objects.filter(organisation_id=plan.organisation_id).count()
    wanted = request.GET.get("journey", "")
    if is_htmx(request) and wanted.isdigit():  # one journey's table, opened on the page
        journey = get_object_or_404(planning_selectors.journey_list(user=request.user, plan=plan), pk=wanted)
        ids = list(planning_selectors.touchpoint_list(user=request.user, plan=plan, journey=journey)
                   .values_list("pk", flat=True))
        summaries = selectors.assessment_summaries(plan=plan, touchpoint_ids=ids)
        return render(request, "assessments/evaluations/_journey_table.html", {
            "rows": _journey_rows(request, plan, [journey.pk], summaries)[journey.pk], "team_count": team_count})
    journeys = {j.pk: j for j in planning_selectors.journey_list(user=request.user, plan=plan)}
    touchpoints = list(planning_selectors.touchpoint_list(user=request.user, plan=plan).order_by(*TOUCHPOINT_ORDER)
                       .values_list("pk", "journey_id", named=True))
    summaries = selectors.assessment_summaries(plan=plan, touchpoint_ids=[t.pk for t in touchpoints])
    groups: dict[int, dict] = {}
    for touchpoint in touchpoints:
        group = groups.setdefault(touchpoint.journey_id, {"journey": journeys[touchpoint.journey_id], "total": 0,
                                                          "evaluated": 0, "rows": None})
        group["total"] += 1
        group["evaluated"] += bool(summaries[touchpoint.pk]["evaluations"])
    shown, budget = [], OVERVIEW_ROWS
    for journey_id, group in groups.items():
        group["share"] = _share(group["evaluated"], group["total"])
        fits = budget > 0 and (not shown or group["total"] <= budget)
        budget = budget - group["total"] if fits else 0  # whole journeys, in order, until the budget is spent
        if fits or str(journey_id) == wanted:
            shown.append(journey_id)
    for journey_id, rows in _journey_rows(request, plan, shown, summaries).items():
        groups[journey_id]["rows"] = rows
    evaluated = sum(group["evaluated"] for group in groups.values())
    complete = sum(1 for s in summaries.values() if team_count and len(s["evaluations"]) >= team_count)
    return render(request, "assessments/evaluations/overview.html", {
        "plan": plan, "organisation": plan.organisation, "journeys": list(groups.values()),
        "team_count": team_count, "total": len(touchpoints), "evaluated": evaluated, "complete": complete,
        "share": _share(evaluated, len(touchpoints)),
        "disagreements": sum(1 for s in summaries.values() if s["disagreement"] and s["agreement"] is None),
        "journey_count": len(journeys), "can_edit": plan_access(request.user, plan) >= Access.EDIT,
    })


def _storages(plan, touchpoint_ids) -> dict:
    rows = (DataCaptureItem.objects.filter(plan=plan, evaluation__touchpoint_id__in=touchpoint_ids)
            .values("evaluation__touchpoint_id", "storage").annotate(n=Count("id"))
            .order_by("evaluation__touchpoint_id", "-n", "storage"))
    return storage_summary((row["evaluation__touchpoint_id"], row["storage"], row["n"]) for row in rows)


def _count(request, name: str, default: int, top: int) -> int:
    """A row number from the query string, within 0–top (a wrong one: the default)."""
    value = request.GET.get(name, "")
    return max(0, min(int(value), top)) if value.isdigit() else default


def _ranked_part(request, plan, rows: list[dict], start: int, stop: int) -> list[dict]:
    """Rows start–stop of the ranked list, with their touchpoints' places and data places (2 queries)."""
    shown = rows[start:stop]
    ids = [row["tp"].pk for row in shown]
    touchpoints = planning_selectors.touchpoint_list(user=request.user, plan=plan).select_related("journey") \
        .in_bulk(ids)
    dress(shown, _storages(plan, ids), touchpoints)
    for row in shown:
        row["disputed"] = disputed_fields(row["summary"])
    return shown


@login_required
@require_GET
def plan_heatmap(request, pk):
    """The chosen journey's stages × channels coloured by agreed maturity, and the touchpoints ranked by gap: the
    first RANKED_PAGE rows (`shown` more without JavaScript; `start` with htmx for the next ones alone), all of them
    in the print view. Whatever the plan's size, a fixed number of queries and a page of rows."""
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    journeys = list(planning_selectors.journey_list(user=request.user, plan=plan).order_by("name", "id"))
    wanted = request.GET.get("journey", "")
    journey = next((j for j in journeys if str(j.pk) == wanted), journeys[0] if journeys else None)
    touchpoints = list(planning_selectors.touchpoint_list(user=request.user, plan=plan)
                       .values_list("pk", "name", named=True))
    summaries = selectors.assessment_summaries(plan=plan, touchpoint_ids=[t.pk for t in touchpoints])
    rows = ranked(touchpoints, summaries, selectors.feedback_statistics_by_touchpoint(plan=plan),
                  voice.negative_share_by_touchpoint(plan=plan))
    printing = request.GET.get("print") == "1"
    query = {"journey": journey.pk} if journey is not None else {}
    if is_htmx(request) and "start" in request.GET:  # "Show more": the next rows alone
        start = _count(request, "start", 0, len(rows))
        stop = min(start + RANKED_PAGE, len(rows))
        return render(request, "assessments/evaluations/_ranked_rows.html", {
            "plan": plan, "rows": _ranked_part(request, plan, rows, start, stop), "total": len(rows),
            "more": _more(query, stop, len(rows)), "autofocus": True, "oob": True})
    heatmap = None
    if journey is not None:
        journey.plan = plan
        heatmap = heatmap_layout(planning_selectors.journey_map(journey=journey), summaries)
    stop = len(rows) if printing else max(RANKED_PAGE, _count(request, "shown", RANKED_PAGE, len(rows)))
    return render(request, "assessments/evaluations/heatmap.html", {
        "plan": plan, "organisation": plan.organisation, "journeys": journeys, "journey": journey,
        "heatmap": heatmap, "ranked": _ranked_part(request, plan, rows, 0, stop), "total": len(rows),
        "more": None if printing else _more(query, stop, len(rows)), "printing": printing,
    })


def _more(query: dict, stop: int, total: int) -> dict | None:
    """The "show more" link after row `stop`: the page with more rows, or (htmx) the next rows alone."""
    if stop >= total:
        return None
    count = min(RANKED_PAGE, total - stop)
    return {"count": count, "left": total - stop, "next": stop + 1,
            "page": "?" + urlencode(query | {"shown": stop + count}) + f"#rank-{stop + 1}",
            "part": "?" + urlencode(query | {"start": stop})}


urlpatterns = [
    path("plans/<int:pk>/evaluations/", plan_evaluations, name="plan_evaluations"),
    path("plans/<int:pk>/heatmap/", plan_heatmap, name="plan_heatmap"),
]
