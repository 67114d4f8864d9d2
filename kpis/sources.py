"""Where a computed KPI's values come from: a registry of sources, each computing a KPI's value per month.

A source is named by its `key` (Kpi.source). This app registers the feedback sources (NPS, CES, CSAT of the plan's
feedback responses, narrowed to the KPI's touchpoint, channel or persona when set), computed with the same
aggregates as the feedback page (assessments.selectors), so the numbers match it. A higher app (e.g. social
listening's mention volume or sentiment) adds its own with `register(Source(...))` in its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from assessments import selectors as assessment_selectors
from assessments.models import FeedbackKind, FeedbackResponse
from kpis.models import Direction, Unit


@dataclass(frozen=True)
class Monthly:
    """One month's computed value and how many data points it rests on."""

    value: Decimal
    sample_size: int


@dataclass(frozen=True)
class Source:
    """A way to compute a KPI from the data. `monthly(kpi, since)` -> {first day of month: Monthly}, months without
    data left out; `since` (a first day of month, or None for all) limits the months computed."""

    key: str
    label: str
    unit: str
    direction: str
    monthly: Callable[..., dict[date, Monthly]]
    filters: tuple[str, ...] = ()  # the KPI fields that narrow it: "touchpoint", "channel", "persona"


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    _sources[source.key] = source
    return source


def get(key: str) -> Source | None:
    return _sources.get(key)


def all_sources() -> list[Source]:
    return list(_sources.values())


def feedback_responses(kpi, kind: str):
    """The responses a feedback KPI is computed from: its plan's, of one kind, narrowed by its filters."""
    responses = FeedbackResponse.objects.filter(plan_id=kpi.plan_id, kind=kind)
    if kpi.touchpoint_id:
        responses = responses.filter(touchpoint_id=kpi.touchpoint_id)
    if kpi.channel_id:
        responses = responses.filter(touchpoint__channel_id=kpi.channel_id)
    if kpi.persona_id:
        responses = responses.filter(touchpoint__journey__persona_id=kpi.persona_id)
    return responses


def _feedback_monthly(kind: str) -> Callable[..., dict[date, Monthly]]:
    def monthly(kpi, since: date | None = None) -> dict[date, Monthly]:
        responses = feedback_responses(kpi, kind)
        if since is not None:
            responses = responses.filter(responded_on__gte=since)
        result = {}
        for month, figures in assessment_selectors.feedback_statistics_by_month(responses).items():
            estimate = figures[kind]
            if estimate.value is not None:
                result[month] = Monthly(Decimal(str(estimate.value)), estimate.n)
        return result

    return monthly


FILTERS = ("touchpoint", "channel", "persona")
register(Source("nps", _("NPS of the feedback responses"), Unit.SCORE, Direction.HIGHER,
                _feedback_monthly(FeedbackKind.NPS), FILTERS))
register(Source("ces", _("CES of the feedback responses (mean effort)"), Unit.SCORE, Direction.LOWER,
                _feedback_monthly(FeedbackKind.CES), FILTERS))
register(Source("csat", _("CSAT of the feedback responses (mean)"), Unit.SCORE, Direction.HIGHER,
                _feedback_monthly(FeedbackKind.CSAT), FILTERS))
