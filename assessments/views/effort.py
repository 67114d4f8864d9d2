"""A plan's evaluations at a glance, and where to put effort: the heatmap and the touchpoints ranked by gap.

Both pages run a fixed number of queries whatever the number of touchpoints, evaluations or feedback responses:
every figure comes from a selector that groups in the database or in one pass over already-loaded rows.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from assessments import selectors, voice
from assessments.models import DataCaptureItem
from assessments.views._evaluation_helpers import disputed_fields, short_level
from assessments.views._heatmap import heatmap_layout, level_of, ranked, storage_summary
from planning import selectors as planning_selectors
from tenancy.access import Access, plan_access, plan_for
from tenancy.models import Team

TOUCHPOINT_ORDER = ("journey__name", "journey_id", "stage__position", "channel__kind", "channel__position",
                    "position", "id")


def _plan_touchpoints(user, plan) -> list:
    return list(planning_selectors.touchpoint_list(user=user, plan=plan).select_related("journey")
                .order_by(*TOUCHPOINT_ORDER))


def _level(summary) -> int | None:
    maturity = summary["agreed"]["maturity"]
    return level_of(maturity) if maturity is not None else None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@login_required
@require_GET
def plan_evaluations(request, pk):
    """Each journey's touchpoints: how many teams evaluated them, the agreed maturity, the disagreement flag."""
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    touchpoints = _plan_touchpoints(request.user, plan)
    summaries = selectors.touchpoint_assessments(plan=plan, touchpoints=touchpoints)
    team_count = Team.objects.filter(organisation_id=plan.organisation_id).count()
    journeys: dict[int, dict] = {}
    for touchpoint in touchpoints:
        summary = summaries[touchpoint.pk]
        group = journeys.setdefault(touchpoint.journey_id, {"journey": touchpoint.journey, "rows": [],
                                                            "evaluated": 0})
        group["evaluated"] += bool(summary["evaluations"])
        group["rows"].append({"tp": touchpoint, "summary": summary, "count": len(summary["evaluations"]),
                              "maturity": short_level(summary["agreed"]["maturity"]),
                              "disputed": disputed_fields(summary), "level": _level(summary)})
    for group in journeys.values():
        group["share"] = _share(group["evaluated"], len(group["rows"]))
    evaluated = sum(group["evaluated"] for group in journeys.values())
    complete = sum(1 for s in summaries.values() if team_count and len(s["evaluations"]) >= team_count)
    return render(request, "assessments/evaluations/overview.html", {
        "plan": plan, "organisation": plan.organisation, "journeys": list(journeys.values()),
        "team_count": team_count, "total": len(touchpoints), "evaluated": evaluated, "complete": complete,
        "share": _share(evaluated, len(touchpoints)),
        "disagreements": sum(1 for s in summaries.values() if s["disagreement"] and s["agreement"] is None),
        "journey_count": planning_selectors.journey_list(user=request.user, plan=plan).count(),
        "can_edit": plan_access(request.user, plan) >= Access.EDIT,
    })


def _storages(plan) -> dict:
    rows = (DataCaptureItem.objects.filter(plan=plan).values("evaluation__touchpoint_id", "storage")
            .annotate(n=Count("id")).order_by("evaluation__touchpoint_id", "-n", "storage"))
    return storage_summary((row["evaluation__touchpoint_id"], row["storage"], row["n"]) for row in rows)


@login_required
@require_GET
def plan_heatmap(request, pk):
    """The chosen journey's stages × channels coloured by agreed maturity, and every touchpoint ranked by gap."""
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    journeys = list(planning_selectors.journey_list(user=request.user, plan=plan).order_by("name", "id"))
    wanted = request.GET.get("journey", "")
    journey = next((j for j in journeys if str(j.pk) == wanted), journeys[0] if journeys else None)
    touchpoints = _plan_touchpoints(request.user, plan)
    summaries = selectors.touchpoint_assessments(plan=plan, touchpoints=touchpoints)
    heatmap = None
    if journey is not None:
        journey.plan = plan
        heatmap = heatmap_layout(planning_selectors.journey_map(journey=journey), summaries)
    rows = ranked(touchpoints, summaries, selectors.feedback_statistics_by_touchpoint(plan=plan), _storages(plan),
                  voice.negative_share_by_touchpoint(plan=plan))
    for row in rows:
        row["disputed"] = disputed_fields(row["summary"])
    return render(request, "assessments/evaluations/heatmap.html", {
        "plan": plan, "organisation": plan.organisation, "journeys": journeys, "journey": journey,
        "heatmap": heatmap, "ranked": rows, "printing": request.GET.get("print") == "1",
    })


urlpatterns = [
    path("plans/<int:pk>/evaluations/", plan_evaluations, name="plan_evaluations"),
    path("plans/<int:pk>/heatmap/", plan_heatmap, name="plan_heatmap"),
]
