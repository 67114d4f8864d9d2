"""Filters of the experience API: by plan, journey, lane and stage (plus `updated_since`)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from experience import selectors
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning import selectors as planning_selectors
from tenancy.api.filters import PlanChildFilterSet, request_user


def _journeys(request):
    return planning_selectors.journey_list(user=request_user(request))


def _stages(request):
    return planning_selectors.stage_list(user=request_user(request))


class _JourneyChildFilter(PlanChildFilterSet):
    journey = filters.ModelChoiceFilter(queryset=_journeys, help_text=_("Only objects of this journey."))


class LaneFilter(_JourneyChildFilter):
    class Meta:
        model = Lane
        fields = ("plan", "journey", "kind", "updated_since")


class LaneCardFilter(_JourneyChildFilter):
    lane = filters.ModelChoiceFilter(queryset=lambda request: selectors.lane_list(user=request_user(request)),
                                     help_text=_("Only cards of this lane."))
    stage = filters.ModelChoiceFilter(queryset=_stages, help_text=_("Only cards at this stage."))

    class Meta:
        model = LaneCard
        fields = ("plan", "journey", "lane", "stage", "updated_since")


class EmotionScoreFilter(_JourneyChildFilter):
    stage = filters.ModelChoiceFilter(queryset=_stages, help_text=_("Only scores at this stage."))

    class Meta:
        model = EmotionScore
        fields = ("plan", "journey", "stage", "updated_since")


class PainPointFilter(_JourneyChildFilter):
    stage = filters.ModelChoiceFilter(queryset=_stages, help_text=_("Only pain points at this stage."))

    class Meta:
        model = PainPoint
        fields = ("plan", "journey", "stage", "severity", "evidence", "updated_since")


class OpportunityFilter(_JourneyChildFilter):
    stage = filters.ModelChoiceFilter(queryset=_stages, help_text=_("Only opportunities at this stage."))

    class Meta:
        model = Opportunity
        fields = ("plan", "journey", "stage", "evidence", "updated_since")
