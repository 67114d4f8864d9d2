"""Read-only feedback statistics of a touchpoint, a journey or a plan: NPS, CES and CSAT with their 95 % intervals,
the sample size and an `indicative` flag below 30 responses; optionally two periods compared.

Computed by database aggregates (assessments.selectors): the number of queries does not grow with the number of
responses.
"""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors
from planning import selectors as planning_selectors
from planning.models import Journey
from tenancy import selectors as tenancy_selectors
from tenancy.access import plan_for


class EstimateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="NPS in points (−100 to 100), or the mean score.")
    low = serializers.FloatField(allow_null=True, help_text="Lower bound of the 95 % interval (null below n = 2).")
    high = serializers.FloatField(allow_null=True, help_text="Upper bound of the 95 % interval.")
    n = serializers.IntegerField(help_text="Number of responses.")
    indicative = serializers.BooleanField(help_text="True below 30 responses: read as a hint, not a result.")
    standard_error = serializers.FloatField(allow_null=True, help_text="Standard error of the value.")


class EstimatesSerializer(serializers.Serializer):
    nps = EstimateSerializer(help_text="Net promoter score: % promoters (9–10) − % detractors (0–6).")
    ces = EstimateSerializer(help_text="Customer effort score, mean on 1–7.")
    csat = EstimateSerializer(help_text="Customer satisfaction, mean on 1–5.")


class ChangeSerializer(serializers.Serializer):
    change = serializers.FloatField(allow_null=True, help_text="Later minus earlier.")
    margin = serializers.FloatField(allow_null=True, help_text="95 % margin of the difference.")
    beyond_noise = serializers.BooleanField(help_text="True when |change| exceeds the margin.")


class PeriodComparisonSerializer(serializers.Serializer):
    earlier = EstimateSerializer()
    later = EstimateSerializer()
    comparison = ChangeSerializer()


class ComparisonSerializer(serializers.Serializer):
    earlier_period = serializers.ListField(child=serializers.DateField(), min_length=2, max_length=2)
    later_period = serializers.ListField(child=serializers.DateField(), min_length=2, max_length=2)
    nps = PeriodComparisonSerializer()
    ces = PeriodComparisonSerializer()
    csat = PeriodComparisonSerializer()


class StatisticsSerializer(serializers.Serializer):
    overall = EstimatesSerializer(help_text="Every response (of the period, if `from`/`to` are given).")
    comparison = ComparisonSerializer(required=False, help_text="Only with `earlier` and `later`.")


class TouchpointStatisticsSerializer(StatisticsSerializer):
    touchpoint = serializers.IntegerField()


class JourneyStatisticsSerializer(StatisticsSerializer):
    journey = serializers.IntegerField()


class TouchpointEstimatesSerializer(EstimatesSerializer):
    touchpoint = serializers.IntegerField()


class PlanStatisticsSerializer(StatisticsSerializer):
    plan = serializers.IntegerField()
    by_touchpoint = TouchpointEstimatesSerializer(
        many=True, help_text="Per touchpoint with feedback (all dates), ordered by touchpoint id.")


PERIOD = "YYYY-MM-DD..YYYY-MM-DD"
PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Only responses on or after this date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Only responses on or before this date."),
    OpenApiParameter("earlier", OpenApiTypes.STR, description=f"The earlier period to compare, {PERIOD} "
                     "(inclusive); give `later` too.", examples=[OpenApiExample("Q1", value="2027-01-01..2027-03-31")]),
    OpenApiParameter("later", OpenApiTypes.STR, description=f"The later period to compare, {PERIOD} (inclusive).",
                     examples=[OpenApiExample("Q2", value="2027-04-01..2027-06-30")]),
]
DESCRIPTION = ("NPS, CES and CSAT with 95 % intervals and sample sizes (`indicative` below 30 responses). With "
               "`earlier` and `later`, each score in both periods and whether the change is larger than the noise.")


def _date(name: str, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


def _period(name: str, text: str) -> tuple[datetime.date, datetime.date]:
    start, separator, end = text.partition("..")
    if not separator:
        raise ValidationError({name: [_("Give a period as YYYY-MM-DD..YYYY-MM-DD.")]})
    first, last = _date(name, start.strip()), _date(name, end.strip())
    if first > last:
        raise ValidationError({name: [_("The period ends before it starts.")]})
    return first, last


class StatisticsView(APIView):
    """Shared: the date filters and the optional comparison, over the responses `responses()` selects."""

    def statistics(self, request, responses) -> dict:
        params = request.query_params
        if params.get("from"):
            responses = responses.filter(responded_on__gte=_date("from", params["from"]))
        if params.get("to"):
            responses = responses.filter(responded_on__lte=_date("to", params["to"]))
        body = {"overall": _plain(selectors.feedback_statistics(responses))}
        earlier, later = params.get("earlier"), params.get("later")
        if earlier or later:
            if not (earlier and later):
                missing = "later" if earlier else "earlier"
                raise ValidationError({missing: [_("Give both periods, `earlier` and `later`, to compare them.")]})
            first, second = _period("earlier", earlier), _period("later", later)
            comparison = selectors.feedback_comparison(responses, earlier=first, later=second)
            body["comparison"] = {"earlier_period": list(first), "later_period": list(second), **{
                kind: {"earlier": value["earlier"].as_dict(), "later": value["later"].as_dict(),
                       "comparison": value["comparison"].as_dict()} for kind, value in comparison.items()}}
        return body


def _plain(estimates: dict) -> dict:
    return {str(kind): estimate.as_dict() for kind, estimate in estimates.items()}


class TouchpointStatisticsView(StatisticsView):
    @extend_schema(summary="Feedback statistics of a touchpoint", description=DESCRIPTION, parameters=PARAMETERS,
                   responses=TouchpointStatisticsSerializer)
    def get(self, request, pk: int):
        touchpoint = planning_selectors.touchpoint_list(user=request.user).select_related(None).filter(pk=pk).first()
        if touchpoint is None:
            raise Http404(_("No such touchpoint."))
        responses = selectors.feedback_list(user=request.user).filter(touchpoint_id=touchpoint.pk)
        return Response({"touchpoint": touchpoint.pk, **self.statistics(request, responses)})


class JourneyStatisticsView(StatisticsView):
    @extend_schema(summary="Feedback statistics of a journey (all its touchpoints)", description=DESCRIPTION,
                   parameters=PARAMETERS, responses=JourneyStatisticsSerializer)
    def get(self, request, pk: int):
        journey = _journey(request.user, pk)
        responses = selectors.feedback_list(user=request.user).filter(touchpoint__journey_id=journey.pk)
        return Response({"journey": journey.pk, **self.statistics(request, responses)})


def _journey(user, pk):
    journey = Journey.objects.filter(pk=pk, plan_id__in=tenancy_selectors.plan_list(user=user).values("pk")).first()
    if journey is None:
        raise Http404(_("No such journey."))
    return journey


class PlanStatisticsView(StatisticsView):
    @extend_schema(summary="Feedback statistics of a plan, overall and per touchpoint", description=DESCRIPTION,
                   parameters=PARAMETERS, responses=PlanStatisticsSerializer)
    def get(self, request, pk: int):
        plan = plan_for(request.user, pk)
        body = self.statistics(request, selectors.feedback_list(user=request.user, plan=plan))
        by_touchpoint = selectors.feedback_statistics_by_touchpoint(plan=plan)
        return Response({"plan": plan.pk, **body, "by_touchpoint": [
            {"touchpoint": touchpoint_id, **_plain(estimates)}
            for touchpoint_id, estimates in sorted(by_touchpoint.items())]})
