"""Shared by the feedback pages: loading with access checks, the statistics cards, periods and verbatim highlights.

Every figure comes from the selectors' aggregate queries; this module only lays them out (and computes where the
interval bars go in the SVG), so the number of queries never depends on the number of responses.
"""

import re
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.models import SCALES, FeedbackKind, Sentiment, Theme
from planning.models import Touchpoint
from tenancy.access import Access, plan_for

PERIODS = (30, 90, 180, 365)
DEFAULT_PERIOD = 90
PER_PAGE = 20
SEARCH_MAX_LENGTH = 200
KINDS = (FeedbackKind.NPS, FeedbackKind.CES, FeedbackKind.CSAT)
# How each figure is read: its axis, the number of decimals shown, and one line saying what it is.
DISPLAY = {
    FeedbackKind.NPS: {"label": "NPS", "axis": (-100, 100), "ticks": (-100, -50, 0, 50, 100), "digits": 0,
                       "hint": gettext_lazy("Share of promoters (9–10) minus share of detractors (0–6), "
                                            "from −100 to 100")},
    FeedbackKind.CES: {"label": "CES", "axis": SCALES[FeedbackKind.CES], "ticks": range(1, 8), "digits": 2,
                       "hint": gettext_lazy("Mean customer effort from 1 to 7 (a lower score means less effort)")},
    FeedbackKind.CSAT: {"label": "CSAT", "axis": SCALES[FeedbackKind.CSAT], "ticks": range(1, 6), "digits": 2,
                        "hint": gettext_lazy("Mean satisfaction from 1 to 5")},
}
BAR_WIDTH, BAR_PAD = 260, 12


class VerbatimPaginator(Paginator):
    """A page of verbatims whose total is given when it is already known (from the rollups, when nothing narrows
    the list by text, theme or sentiment), so no COUNT runs over every response of a plan."""

    def __init__(self, object_list, per_page, *, total: int | None = None):
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total if self.total is not None else super().count


def touchpoint_for(user, pk, access: Access = Access.VIEW) -> Touchpoint:
    """The touchpoint if the user sees its plan (else 404) with `access` on it (else 403); its plan is loaded."""
    touchpoint = Touchpoint.objects.select_related("journey", "stage", "channel").filter(pk=pk).first()
    if touchpoint is None:
        raise Http404(_("No such touchpoint."))
    touchpoint.plan = plan_for(user, touchpoint.plan_id, access)
    return touchpoint


def period_days(request) -> int:
    value = request.GET.get("days", "")
    return int(value) if value.isdigit() and int(value) in PERIODS else DEFAULT_PERIOD


def periods(days: int, today=None) -> dict:
    """The last `days` days up to today, and the `days` days before them (inclusive ranges)."""
    today = today or timezone.localdate()
    later = (today - timedelta(days=days - 1), today)
    earlier = (later[0] - timedelta(days=days), later[0] - timedelta(days=1))
    return {"earlier": earlier, "later": later}


def _x(value: float, axis: tuple) -> float:
    low, high = axis
    share = (min(max(value, low), high) - low) / (high - low)
    return round(BAR_PAD + share * (BAR_WIDTH - 2 * BAR_PAD), 1)


def interval_bar(estimate, kind) -> dict | None:
    """Where the value, its interval and the axis ticks go on the card's SVG (None without a value)."""
    if estimate.value is None:
        return None
    axis = DISPLAY[kind]["axis"]
    bar = {"value": _x(estimate.value, axis), "ticks": [(_x(t, axis), t) for t in DISPLAY[kind]["ticks"]],
           "start": BAR_PAD, "end": BAR_WIDTH - BAR_PAD, "width": BAR_WIDTH}
    if estimate.low is not None:
        bar["low"], bar["high"] = _x(estimate.low, axis), _x(estimate.high, axis)
        bar["span"] = round(bar["high"] - bar["low"], 1)
    return bar


def statistics_cards(queryset, *, days: int) -> dict:
    """The three figures of a set of responses with their intervals, and the period comparison: three queries."""
    stats = selectors.feedback_statistics(queryset)
    ranges = periods(days)
    comparison = selectors.feedback_comparison(queryset, **ranges)
    cards = []
    for kind in KINDS:
        compared = comparison[kind]
        cards.append({
            "kind": kind, **DISPLAY[kind], "estimate": stats[kind], "bar": interval_bar(stats[kind], kind),
            "earlier": compared["earlier"], "later": compared["later"], "comparison": compared["comparison"],
            "trend": trend(kind, compared["comparison"]),
        })
    return {"cards": cards, "responses": sum(stats[kind].n for kind in KINDS), "days": days, "periods": PERIODS,
            **ranges}


def trend(kind, comparison) -> str | None:
    """"better" or "worse" for a change beyond the noise (a lower effort score is better), else None."""
    if not comparison.beyond_noise:
        return None
    rising = comparison.change > 0
    return "better" if rising != (kind == FeedbackKind.CES) else "worse"


def rows_with_statistics(objects, statistics: dict) -> list[dict]:
    """Pair each object with its figures per kind (None where it has no response)."""
    return [{"object": obj, "figures": [(kind, DISPLAY[kind]["digits"], statistics.get(obj.pk, {}).get(kind))
                                        for kind in KINDS]} for obj in objects]


with_voice = selectors.with_voice


def theme_filter(request, themes) -> Theme | None:
    """The theme chosen in ?theme= among the organisation's themes (a macro theme also finds its micro themes)."""
    value = request.GET.get("theme", "")
    return next((theme for theme in themes if str(theme.pk) == value), None)


def filtered_by_theme(responses, theme: Theme | None):
    if theme is None:
        return responses
    return responses.filter(Q(themes__theme=theme) | Q(themes__theme__parent=theme)).distinct()


def sentiment_filters(request) -> dict:
    """?sentiment=negative|neutral|positive and ?disagree=1 (text against score), as read from the request."""
    value = request.GET.get("sentiment", "")
    return {"sentiment": value if value in Sentiment.values else "", "disagree": request.GET.get("disagree") == "1"}


def filtered_by_sentiment(responses, chosen: dict):
    if chosen["sentiment"]:
        responses = responses.filter(sentiment=chosen["sentiment"])
    if chosen["disagree"]:
        responses = responses.filter(selectors.sentiment_disagrees())
    return responses


def search_text(request) -> str:
    return request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]


def highlighted(text: str, query: str) -> list[tuple[str, bool]]:
    """The text cut into (part, is_a_match) pieces, so the template can mark the matches with auto-escaping on."""
    if not query:
        return [(text, False)]
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return [(part, index % 2 == 1) for index, part in enumerate(parts) if part]
