"""Assessments API: touchpoint evaluations and their data items, agreed values, customer feedback (with a bulk
upload), digital maturity assessments (with a vote action) and audit items.

Thin viewsets over assessments.selectors and assessments.services, with the same rules as the journey-mapping
API (planning/api/journeys.py): another organisation's rows are absent (404), a read-only plan answers 403 on
write, and every write is optimistic (`If-Match`, 412 with the current object when stale).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from assessments import selectors, services
from assessments.api import filters
from assessments.api.serializers import (
    AuditItemSerializer,
    BulkFeedbackErrorSerializer,
    BulkFeedbackItemSerializer,
    BulkFeedbackResultSerializer,
    DataCaptureItemSerializer,
    FeedbackResponseSerializer,
    MaturityAssessmentSerializer,
    MaturityVoteInputSerializer,
    SentimentCorrectionSerializer,
    TouchpointAgreementSerializer,
    TouchpointEvaluationSerializer,
)
from assessments.models import (
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    MaturityAssessment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from core.api.parsers import JSONParser
from planning import selectors as planning_selectors
from planning.api.journeys import JourneyMappingViewSet, documented
from tenancy.access import require_plan_access

BULK_LIMIT = 10_000


class AssessmentViewSet(JourneyMappingViewSet):
    """Write access is checked on the object before its body; stale writes answer 412 (see JourneyMappingViewSet)."""

    ordering_fields = ("created_at", "updated_at")


@documented(TouchpointEvaluationSerializer, "touchpoint evaluation", "touchpoint evaluations",
            {"touchpoint": 12, "team": 2, "maturity": 2, "potential_customer": 5, "potential_brand": 4,
             "information_pushed": ["transactional_email"], "feedback_mode": "pulled",
             "notes": "Confirmation email only; no follow-up."})
class TouchpointEvaluationViewSet(AssessmentViewSet):
    """Each team's view of a touchpoint: maturity 1–4, potential for the customer and the brand 1–5, what is pushed
    to the customer, the feedback mode. The data captured is nested read-only; write it via touchpoint-data-items."""

    queryset = TouchpointEvaluation.objects.none()  # for the schema; requests use get_queryset
    serializer_class = TouchpointEvaluationSerializer
    filterset_class = filters.EvaluationFilter
    ordering_fields = ("maturity", "potential_customer", "potential_brand", "created_at", "updated_at")

    def get_queryset(self):
        evaluations = selectors.evaluation_list(user=self.request.user)
        # A read reports the touchpoint and team by id: no joined rows to build (writes check them), and reads the
        # data items of the whole page as rows (NestedDataItemListSerializer) rather than prefetching objects.
        if self.request.method in SAFE_METHODS:
            return evaluations.select_related(None).prefetch_related(None)
        return evaluations

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.evaluation_create(touchpoint=data.pop("touchpoint"), team=data.pop("team"),
                                                         actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.evaluation_update(evaluation=serializer.instance, actor=self.request.user,
                                   version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.evaluation_delete(evaluation=instance, actor=self.request.user, version=self.expected_version())


@documented(DataCaptureItemSerializer, "data item", "data items",
            {"evaluation": 31, "data": "Email address", "source": "Newsletter sign-up form", "storage": "crm",
             "completeness": "good", "accessibility": "partial"})
class DataCaptureItemViewSet(AssessmentViewSet):
    """The data captured at a touchpoint, as one team sees it (the items nested in touchpoint-evaluations)."""

    queryset = DataCaptureItem.objects.none()
    serializer_class = DataCaptureItemSerializer
    filterset_class = filters.DataItemFilter
    ordering_fields = ("position", "data", "created_at", "updated_at")

    def get_queryset(self):
        return selectors.data_item_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("position", None)  # a new item goes at the end; move it with a PATCH of `position`
        serializer.instance = services.data_item_create(evaluation=data.pop("evaluation"), actor=self.request.user,
                                                        **data)

    def perform_update(self, serializer):
        services.data_item_update(item=serializer.instance, actor=self.request.user, version=self.expected_version(),
                                  **serializer.validated_data)

    def perform_destroy(self, instance):
        services.data_item_delete(item=instance, actor=self.request.user, version=self.expected_version())


@documented(TouchpointAgreementSerializer, "agreed value", "agreed values",
            {"touchpoint": 12, "maturity": 2, "potential_customer": 4, "potential_brand": 4,
             "reason": "Service and IT convinced marketing: the confirmation email is not personalised yet."})
class TouchpointAgreementViewSet(AssessmentViewSet):
    """What the workshop agreed for a touchpoint, instead of the teams' median (one per touchpoint)."""

    ordering = ("touchpoint_id", "id")
    queryset = TouchpointAgreement.objects.none()
    serializer_class = TouchpointAgreementSerializer
    filterset_class = filters.AgreementFilter

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.agreement_set(touchpoint=data.pop("touchpoint"), actor=self.request.user,
                                                     **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", serializer.instance.reason)
        serializer.instance = services.agreement_set(touchpoint=serializer.instance.touchpoint,
                                                     actor=self.request.user, reason=reason,
                                                     version=self.expected_version(), **data)

    def perform_destroy(self, instance):
        services.agreement_clear(touchpoint=instance.touchpoint, actor=self.request.user,
                                 version=self.expected_version())


# One element of the list (the schema shows it inside the list).
BULK_EXAMPLE = {"touchpoint": 12, "kind": "nps", "score": 9, "responded_on": "2027-03-02",
                "source": "Post-purchase survey", "verbatim": "Super conseil en magasin."}


@documented(FeedbackResponseSerializer, "feedback response", "feedback responses",
            {"touchpoint": 12, "kind": "nps", "score": 9, "responded_on": "2027-03-02",
             "source": "Post-purchase survey", "verbatim": "Great advice from the store team."})
class FeedbackResponseViewSet(AssessmentViewSet):
    """Raw customer feedback at a touchpoint: NPS (0–10), CES (1–7), CSAT (1–5), with date, source and verbatim."""

    queryset = FeedbackResponse.objects.none()
    serializer_class = FeedbackResponseSerializer
    filterset_class = filters.FeedbackFilter
    ordering_fields = ("responded_on", "score", "created_at", "updated_at")

    def get_queryset(self):
        return selectors.with_voice(selectors.feedback_list(user=self.request.user))

    @extend_schema(summary="Correct the sentiment of a response's verbatim",
                   description='{"sentiment": "negative" | "neutral" | "positive"} sets it by hand (it then wins over '
                               'the computed one); {"sentiment": ""} goes back to the computed one.',
                   request=SentimentCorrectionSerializer, responses={200: FeedbackResponseSerializer},
                   examples=[OpenApiExample("A correction", value={"sentiment": "negative"}, request_only=True)])
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, parser_classes=[JSONParser])
    def sentiment(self, request, pk=None):
        response = self.get_object()
        correction = SentimentCorrectionSerializer(data=request.data)
        correction.is_valid(raise_exception=True)
        services.feedback_sentiment_correct(response=response, actor=request.user,
                                            sentiment=correction.validated_data["sentiment"])
        return Response(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.feedback_create(touchpoint=data.pop("touchpoint"), actor=self.request.user,
                                                       **data)

    def perform_update(self, serializer):
        services.feedback_update(response=serializer.instance, actor=self.request.user,
                                 version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.feedback_delete(response=instance, actor=self.request.user, version=self.expected_version())

    def finalize_response(self, request, response, *args, **kwargs):
        if self.action == "bulk":  # a count, not one object: no ETag
            return super(JourneyMappingViewSet, self).finalize_response(request, response, *args, **kwargs)
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        summary="Upload up to 10,000 responses at once, all or none",
        description="A JSON list of responses (touchpoints of any plans you may edit). Every response is validated "
                    "before anything is written: if any is invalid, nothing is created and the answer lists each "
                    'bad one as {"index": position in the list from 0, "errors": {field: [messages]}}. '
                    "A touchpoint you may only view answers 403.",
        request=FeedbackResponseSerializer(many=True),
        responses={201: BulkFeedbackResultSerializer,
                   400: OpenApiResponse(BulkFeedbackErrorSerializer, description="Nothing was created."),
                   403: OpenApiResponse(description="A touchpoint of a plan you may only view.")},
        examples=[OpenApiExample("A list of responses", value=BULK_EXAMPLE, request_only=True),
                  OpenApiExample("Invalid responses", status_codes=["400"], response_only=True, value={
                      "detail": "2 of 500 responses are invalid; nothing was created.",
                      "errors": [{"index": 3, "errors": {"score": ["A CES score is a whole number from 1 to 7."]}},
                                 {"index": 41, "errors": {"touchpoint": ['Invalid pk "999" - object does not '
                                                                        "exist."]}}]})],
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None, parser_classes=[JSONParser])
    def bulk(self, request):
        items = request.data
        if not isinstance(items, list) or not items or len(items) > BULK_LIMIT:
            return Response({"detail": _("Send a JSON list of 1 to %(limit)s responses.") % {"limit": BULK_LIMIT}},
                            status=status.HTTP_400_BAD_REQUEST)
        touchpoints = self._bulk_touchpoints(items)
        for plan in {t.plan_id: t.plan for t in touchpoints.values()}.values():
            require_plan_access(request.user, plan)
        rows, errors = self._bulk_validate(items, touchpoints)
        if errors:
            detail = _("%(bad)s of %(total)s responses are invalid; nothing was created.") % {
                "bad": len(errors), "total": len(items)}
            return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        rows_by_plan: dict = {}
        for row in rows:
            touchpoint = row.pop("touchpoint")
            rows_by_plan.setdefault(touchpoint.plan_id, (touchpoint.plan, []))[1].append(
                {"touchpoint_id": touchpoint.pk, **row})
        with transaction.atomic():
            created = sum(services.feedback_bulk_create(plan=plan, actor=request.user, rows=rows)
                          for plan, rows in rows_by_plan.values())
        return Response({"created": created}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _bulk_validate(items: list, touchpoints: dict) -> tuple[list, list]:
        """Validate every item with one serializer (its fields are built once); collect every item's errors."""
        item_serializer = BulkFeedbackItemSerializer(context={"touchpoints": touchpoints})
        rows, errors = [], []
        for index, item in enumerate(items):
            try:
                rows.append(item_serializer.run_validation(item))
            except ValidationError as error:
                errors.append({"index": index, "errors": error.detail})
        return rows, errors

    def _bulk_touchpoints(self, items) -> dict:
        """Every touchpoint the upload names and the caller may see, in one query."""
        ids = set()
        for item in items if isinstance(items, list) else ():
            value = item.get("touchpoint") if isinstance(item, dict) else None
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
            elif isinstance(value, str) and value.isdigit():
                ids.add(int(value))
        if not ids:
            return {}
        visible = planning_selectors.touchpoint_list(user=self.request.user).select_related(None)
        return {t.pk: t for t in visible.filter(pk__in=ids).select_related("plan")}


@documented(MaturityAssessmentSerializer, "maturity assessment", "maturity assessments",
            {"plan": 1, "assessed_on": "2027-03-15", "channel_level": 1, "engagement_level": 3,
             "target_channel_level": 4, "target_engagement_level": 4})
class MaturityAssessmentViewSet(AssessmentViewSet):
    """Dated digital-maturity self-assessments: levels 1–4 (I–IV) on the channel and engagement axes, agreed by the
    workshop, with a target. Every participant votes with POST …/vote/ (viewers included)."""

    queryset = MaturityAssessment.objects.none()
    serializer_class = MaturityAssessmentSerializer
    filterset_class = filters.MaturityAssessmentFilter
    ordering_fields = ("assessed_on", "created_at", "updated_at")

    def get_queryset(self):
        return selectors.maturity_assessment_list(user=self.request.user)

    def get_object(self):
        if self.action == "vote":  # every participant votes: view access is enough (the service checks it)
            return GenericAPIView.get_object(self)
        return super().get_object()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.maturity_assessment_create(plan=data.pop("plan"), actor=self.request.user,
                                                                  **data)

    def perform_update(self, serializer):
        services.maturity_assessment_update(assessment=serializer.instance, actor=self.request.user,
                                            version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.maturity_assessment_delete(assessment=instance, actor=self.request.user,
                                            version=self.expected_version())

    @extend_schema(
        summary="Place the organisation on both axes (your vote)",
        description="Any participant who can view the plan votes; voting again replaces your vote. Answers the "
                    "assessment with every vote.",
        request=MaturityVoteInputSerializer, responses={200: MaturityAssessmentSerializer},
        examples=[OpenApiExample("A vote", value={"channel_level": 1, "engagement_level": 3}, request_only=True)],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def vote(self, request, pk=None):
        assessment = self.get_object()
        vote = MaturityVoteInputSerializer(data=request.data)
        vote.is_valid(raise_exception=True)
        services.maturity_vote_cast(assessment=assessment, actor=request.user, **vote.validated_data)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data)


@documented(AuditItemSerializer, "audit item", "audit items",
            {"plan": 1, "kind": "data", "step": "need", "title": "One customer id across store and web",
             "answers": {"exists": "No", "owner": "IT", "collect": "Ask for the email at the till"},
             "touchpoints": [12, 15]})
class AuditItemViewSet(AssessmentViewSet):
    """Items of the data and content audits, in three steps: what we have, need, wish for."""

    queryset = AuditItem.objects.none()
    serializer_class = AuditItemSerializer
    filterset_class = filters.AuditItemFilter
    ordering_fields = ("title", "kind", "step", "created_at", "updated_at")

    def get_queryset(self):
        return selectors.audit_item_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.audit_item_create(plan=data.pop("plan"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.audit_item_update(item=serializer.instance, actor=self.request.user, version=self.expected_version(),
                                   **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)  # touchpoints freshly prefetched

    def perform_destroy(self, instance):
        services.audit_item_delete(item=instance, actor=self.request.user, version=self.expected_version())

