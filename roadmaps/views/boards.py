"""Three views of the roadmap besides the ranked list: the now/next/later board (drag and drop), the timeline and
the value/effort matrix. The charts are server-side SVG from roadmaps/charts.py, shared with the PDF export."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.versioning import StaleVersion
from roadmaps import charts, selectors, services
from roadmaps.forms import MoveForm
from roadmaps.models import Horizon, ItemStatus, RoadmapItem, ScoringMethod
from roadmaps.ranking import Ranking, plan_ranking
from roadmaps.views._common import page_context, roadmap_item_for
from tenancy.access import plan_for

BOARD_PAGE = 40  # cards a column shows at first, and each "show more" adds
CHART_PAGE = 50  # items the timeline and the matrix draw at first (the highest ranked), and each "show more" adds


def _shown(request, horizon: str, total: int) -> int:
    """How many cards of a column to show: `?now=80` (the "show more" link without JavaScript), else BOARD_PAGE."""
    value = request.GET.get(horizon, "")
    return min(total, max(BOARD_PAGE, int(value))) if value.isdigit() else min(total, BOARD_PAGE)


def _ranked_rows(plan) -> tuple[list[dict], Ranking]:
    """Every item's rank, column and score, in rank order, from the plan's kept ranking (roadmaps.ranking: one
    query while nothing was written); the pages load the items they show with `_with_items`."""
    ranking = plan_ranking(plan)
    rows = [{"rank": rank, "pk": pk, "horizon": horizon, "score": score}
            for rank, (pk, horizon, score) in enumerate(ranking.entries, start=1)]
    return rows, ranking


def _with_items(request, plan, rows: list[dict]) -> list[dict]:
    """The rows with their items (one query); a row whose item went meanwhile is left out."""
    items = (selectors.roadmap_item_list(user=request.user, plan=plan).select_related(None).prefetch_related(None)
             .in_bulk([row["pk"] for row in rows]))
    return [row | {"item": items[row["pk"]]} for row in rows if row["pk"] in items]


def _board_rows(plan) -> tuple[dict, Ranking]:
    """The ranked rows by column (the shown cards' items and teams are loaded by _with_teams)."""
    rows, ranking = _ranked_rows(plan)
    by_column: dict[str, list] = {value: [] for value in Horizon.values}
    for row in rows:
        by_column[row["horizon"]].append(row)
    return by_column, ranking


def _with_teams(request, plan, rows: list[dict]) -> list[dict]:
    rows = _with_items(request, plan, rows)
    prefetch_related_objects([row["item"] for row in rows], "teams")
    return rows


def _more(request, plan, horizon: str, stop: int, total: int) -> dict:
    """The column's "show more" link: the page with more cards of it, or (htmx) the next cards alone."""
    query = {value: request.GET[value] for value in Horizon.values if request.GET.get(value, "").isdigit()}
    count = min(BOARD_PAGE, total - stop)
    return {"horizon": horizon, "hidden": total - stop, "count": count,
            "page": "?" + urlencode(query | {horizon: stop + count}) + f"#rm-col-{horizon}",
            "part": reverse("roadmap_board_columns", args=[plan.pk]) + "?" + urlencode({"horizon": horizon,
                                                                                        "start": stop})}


def _board_context(request, plan) -> dict:
    """The three columns, each with its first cards in rank order (the number on a card is its rank in the ranked
    list, so a column reads 1, 2, 4, never 1, 4, 2), and how many more it holds. A card is moved to another column
    by drag and drop; its place in the column follows from its score or manual rank, which is where the order is
    decided. A fixed number of queries whatever the number of items."""
    by_column, ranking = _board_rows(plan)
    columns = []
    for value, label in Horizon.choices:
        rows = by_column[value]
        stop = _shown(request, value, len(rows))
        columns.append({"horizon": value, "label": label, "rows": rows[:stop], "total": len(rows),
                        "more": _more(request, plan, value, stop, len(rows)) if stop < len(rows) else None})
    shown = {row["pk"]: row for row in _with_teams(request, plan, [row for c in columns for row in c["rows"]])}
    for column in columns:
        column["rows"] = [shown[row["pk"]] for row in column["rows"] if row["pk"] in shown]
    count = sum(len(rows) for rows in by_column.values())
    return page_context(request, plan, tab="board", columns=columns, count=count,
                        method_label=ScoringMethod(ranking.method).label)


@login_required
@require_GET
def roadmap_board(request, pk):
    plan = plan_for(request.user, pk)
    context = _board_context(request, plan)
    context["script_messages"] = {
        "moved": _("Moved."), "moved_to": _("“{name}” moved to {column}."),
        "failed": _("The move could not be saved; the board shows the saved order again."),
        "forbidden": _("You may view this plan but not change it."),
        "gone": _("This item no longer exists; the board shows the saved order again."),
        "offline": _("The server could not be reached; the board shows the saved order again."),
    }
    return render(request, "roadmaps/board.html", context)


@login_required
@require_GET
def roadmap_board_columns(request, pk):
    """The columns alone, to redraw them after a refused move (as many cards of each as `?now=…&next=…&later=…`
    say); with `horizon` and `start`, the next cards of one column ("show more")."""
    plan = plan_for(request.user, pk)
    horizon, start = request.GET.get("horizon", ""), request.GET.get("start", "")
    if horizon in Horizon.values and start.isdigit():
        rows = _board_rows(plan)[0][horizon]
        start = min(int(start), len(rows))
        stop = min(start + BOARD_PAGE, len(rows))
        return render(request, "roadmaps/_board_cards.html", page_context(
            request, plan, horizon=horizon, rows=_with_teams(request, plan, rows[start:stop]),
            more=_more(request, plan, horizon, stop, len(rows)) if stop < len(rows) else None, oob=True))
    return render(request, "roadmaps/_board_columns.html", _board_context(request, plan))


@login_required
@require_POST
def roadmap_item_move(request, pk, item_pk):
    """A dropped card: its column, the card it now precedes (none: last) and its version. Answers JSON."""
    plan, item = roadmap_item_for(request.user, pk, item_pk)
    form = MoveForm(request.POST, item=item)
    if not form.is_valid():
        return JsonResponse({"detail": _("This move is not possible."), "errors": form.errors}, status=400)
    data = form.cleaned_data
    try:
        moved = services.roadmap_item_move(item=item, actor=request.user, horizon=data["horizon"],
                                           before=data["before"], version=data["version"])
    except StaleVersion as stale:
        current = stale.current
        return JsonResponse({
            "detail": _("Someone else changed “%s” meanwhile; the board now shows it as saved.") % current.title,
            "current": {"id": current.pk, "version": current.version, "horizon": current.horizon},
        }, status=412)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return JsonResponse({"id": moved.pk, "version": moved.version, "horizon": moved.horizon,
                         "board_position": moved.board_position})


def _chart_rows(request, plan) -> tuple[list[dict], dict]:
    """The highest-ranked items a chart draws (`?shown=`, CHART_PAGE more each time) and its "show more" links: a
    plan of 3,000 items drew them all (1.4 MB of HTML, 11× the time of a 300-item plan)."""
    rows, _ranking = _ranked_rows(plan)
    value = request.GET.get("shown", "")
    shown = min(len(rows), max(CHART_PAGE, int(value)) if value.isdigit() else CHART_PAGE)
    paging = {"shown": shown, "total": len(rows), "left": len(rows) - shown, "next": min(CHART_PAGE, len(rows) - shown),
              "more": "?" + urlencode({"shown": min(len(rows), shown + CHART_PAGE)}),
              "all": "?" + urlencode({"shown": len(rows)})}
    return _with_items(request, plan, rows[:shown]), paging


def _timeline_item(row) -> dict:
    item = row["item"]
    return {"id": item.pk, "rank": row["rank"], "title": item.title, "start_date": item.start_date,
            "end_date": item.end_date, "quarter": item.quarter, "status": item.status,
            "dependency_ids": [d.pk for d in item.dependencies.all()]}


@login_required
@require_GET
def roadmap_timeline(request, pk):
    plan = plan_for(request.user, pk)
    shown, paging = _chart_rows(request, plan)
    prefetch_related_objects([row["item"] for row in shown],
                             Prefetch("dependencies", queryset=RoadmapItem.objects.only("id", "title", "plan_id")))
    rows = {row["item"].pk: row for row in shown}
    placed, unplaced = charts.timeline_rows([_timeline_item(row) for row in shown])
    legend = [{"label": label, "colour": charts.STATUS_COLOURS[value]} for value, label in ItemStatus.choices]
    today = timezone.localdate()
    return render(request, "roadmaps/timeline.html", page_context(
        request, plan, tab="timeline", count=paging["total"], paging=paging,
        chart=charts.timeline_svg(placed, today=today), placed=placed,
        unplaced=[rows[item["id"]] for item in unplaced], legend=legend,
        from_quarter=any(row["from_quarter"] for row in placed)))


@login_required
@require_GET
def roadmap_matrix(request, pk):
    plan = plan_for(request.user, pk)
    shown, paging = _chart_rows(request, plan)
    points = [{"rank": row["rank"], "title": row["item"].title, "value": row["item"].value,
               "effort": row["item"].effort} for row in shown]
    placed = [row | {"quadrant": charts.quadrant_label(row["item"].value, row["item"].effort)}
              for row in shown if row["item"].value and row["item"].effort]
    unplaced = [row for row in shown if not (row["item"].value and row["item"].effort)]
    return render(request, "roadmaps/matrix.html", page_context(
        request, plan, tab="matrix", count=paging["total"], paging=paging, chart=charts.matrix_svg(points),
        placed=placed, unplaced=unplaced))


urlpatterns = [
    path("plans/<int:pk>/roadmap/board/", roadmap_board, name="roadmap_board"),
    path("plans/<int:pk>/roadmap/board/columns/", roadmap_board_columns, name="roadmap_board_columns"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/move/", roadmap_item_move, name="roadmap_item_move"),
    path("plans/<int:pk>/roadmap/timeline/", roadmap_timeline, name="roadmap_timeline"),
    path("plans/<int:pk>/roadmap/matrix/", roadmap_matrix, name="roadmap_matrix"),
]
