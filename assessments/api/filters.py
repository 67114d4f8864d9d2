"""Filters of the assessments API: by plan, touchpoint, journey, team…, and `updated_since` for sync clients.

Related-object filters only accept objects the caller may see, so another tenant's id answers the same
"Select a valid choice" as an id that does not exist.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from assessments import selectors
from assessments.models import (
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    MaturityAssessment,
    Sentiment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from core.api.filters import UpdatedSinceFilterSet
from planning import selectors as planning_selectors
from tenancy import selectors as tenancy_selectors
from tenancy.api.filters import VisiblePlanFilter


def _user(request):
    return getattr(request, "user", None) or AnonymousUser()


def _plans(request):
    return tenancy_selectors.plan_list(user=_user(request))


def _touchpoints(request):
    return planning_selectors.touchpoint_list(user=_user(request)).select_related(None)


def _journeys(request):
    return planning_selectors.journey_list(user=_user(request))


def _teams(request):
    return tenancy_selectors.team_list(user=_user(request)).prefetch_related(None)


def _evaluations(request):
    return selectors.evaluation_list(user=_user(request)).select_related(None).prefetch_related(None)


class PlanChildFilterSet(UpdatedSinceFilterSet):
    plan = VisiblePlanFilter(queryset=_plans, help_text=_("Only objects of this plan."))


class TouchpointChildFilterSet(PlanChildFilterSet):
    touchpoint = filters.ModelChoiceFilter(queryset=_touchpoints, help_text=_("Only objects of this touchpoint."))
    journey = filters.ModelChoiceFilter(queryset=_journeys, field_name="touchpoint__journey",
                                        help_text=_("Only objects of the touchpoints of this journey."))


class EvaluationFilter(TouchpointChildFilterSet):
    team = filters.ModelChoiceFilter(queryset=_teams, help_text=_("Only evaluations by this team."))

    class Meta:
        model = TouchpointEvaluation
        fields = ("plan", "journey", "touchpoint", "team", "maturity", "updated_since")


class DataItemFilter(PlanChildFilterSet):
    evaluation = filters.ModelChoiceFilter(queryset=_evaluations, help_text=_("Only data items of this evaluation."))
    touchpoint = filters.ModelChoiceFilter(queryset=_touchpoints, field_name="evaluation__touchpoint",
                                           help_text=_("Only data captured at this touchpoint (every team)."))

    class Meta:
        model = DataCaptureItem
        fields = ("plan", "evaluation", "touchpoint", "storage", "updated_since")


class AgreementFilter(TouchpointChildFilterSet):
    class Meta:
        model = TouchpointAgreement
        fields = ("plan", "journey", "touchpoint", "updated_since")


class FeedbackFilter(TouchpointChildFilterSet):
    responded_on = filters.DateFromToRangeFilter(
        help_text=_("Answers from `responded_on_after` to `responded_on_before` (YYYY-MM-DD, both inclusive, "
                    "either optional)."))
    search = filters.CharFilter(field_name="verbatim", lookup_expr="icontains",
                                help_text=_("Only responses whose verbatim contains this text."))
    has_verbatim = filters.BooleanFilter(method="filter_has_verbatim",
                                         help_text=_("true: only responses with a verbatim; false: only without."))

    sentiment = filters.ChoiceFilter(choices=Sentiment.choices, help_text=_("negative, neutral or positive."))
    sentiment_disagrees = filters.BooleanFilter(
        method="filter_sentiment_disagrees",
        help_text=_("true: only responses whose text says the opposite of their score; false: the others."))
    theme = filters.NumberFilter(
        method="filter_theme", help_text=_("A theme id: responses with it (a macro theme includes its micro themes)."))
    tag = filters.CharFilter(field_name="tags__tag__name", distinct=True,
                             help_text=_("Only responses with the tag of this name."))

    class Meta:
        model = FeedbackResponse
        fields = ("plan", "journey", "touchpoint", "kind", "responded_on", "search", "has_verbatim", "updated_since",
                  "sentiment", "sentiment_disagrees", "theme", "tag")

    def filter_has_verbatim(self, queryset, name, value):
        return queryset.exclude(verbatim="") if value else queryset.filter(verbatim="")

    def filter_sentiment_disagrees(self, queryset, name, value):
        disagrees = selectors.sentiment_disagrees()
        return queryset.filter(disagrees) if value else queryset.exclude(disagrees)

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Q(themes__theme_id=value) | Q(themes__theme__parent_id=value)).distinct()


class MaturityAssessmentFilter(PlanChildFilterSet):
    assessed_on = filters.DateFromToRangeFilter(
        help_text=_("Assessments from `assessed_on_after` to `assessed_on_before` (YYYY-MM-DD, inclusive)."))

    class Meta:
        model = MaturityAssessment
        fields = ("plan", "assessed_on", "updated_since")


class AuditItemFilter(PlanChildFilterSet):
    touchpoint = filters.ModelChoiceFilter(queryset=_touchpoints, field_name="touchpoints",
                                           help_text=_("Only items linked to this touchpoint."))

    class Meta:
        model = AuditItem
        fields = ("plan", "kind", "step", "touchpoint", "updated_since")
