"""Experience API: lanes, lane cards, emotion scores, pain points and opportunities of journeys.

Like every resource: visible objects only (another organisation's are 404), writes through the services (edit
access, same-journey rules, history), If-Match/ETag with 412 on a stale write, external ids and bulk upserts
(added by the router), and every change in the changes feed and webhooks.
"""

from rest_framework import permissions

from experience import selectors, services
from experience.api import filters
from experience.api.serializers import (
    EmotionScoreSerializer,
    LaneCardSerializer,
    LaneSerializer,
    OpportunitySerializer,
    PainPointSerializer,
)
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning.api.journeys import JourneyMappingViewSet, documented
from planning.models import Journey

ORDERING = ("created_at", "updated_at")


@documented(LaneSerializer, "lane", "lanes", {"journey": 4, "kind": "thoughts", "title": "What they wonder"})
class LaneViewSet(JourneyMappingViewSet):
    """The lanes of journey maps; `kind` is one of the text kinds, or emotion, metrics, insights."""

    queryset = Lane.objects.none()
    serializer_class = LaneSerializer
    filterset_class = filters.LaneFilter
    ordering_fields = ("position", "kind", *ORDERING)
    upsert_scope = ("journey", Journey, "plan_id")
    upsert_select_related = ("plan", "journey__plan")

    def get_queryset(self):
        return selectors.lane_list(user=self.request.user).select_related("journey__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.lane_create(journey=data.pop("journey"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.lane_update(lane=serializer.instance, actor=self.request.user,
                                                   version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.lane_delete(lane=instance, actor=self.request.user, version=self.expected_version())


@documented(LaneCardSerializer, "lane card", "lane cards", {"lane": 7, "stage": 12, "text": "Is it waterproof?"})
class LaneCardViewSet(JourneyMappingViewSet):
    """The cards of text lanes, one per lane and stage."""

    queryset = LaneCard.objects.none()
    serializer_class = LaneCardSerializer
    filterset_class = filters.LaneCardFilter
    ordering_fields = ORDERING
    upsert_scope = ("lane", Lane, "plan_id")
    upsert_select_related = ("plan", "lane__journey__plan")

    def get_queryset(self):
        cards = selectors.lane_card_list(user=self.request.user)
        return cards if self.request.method in permissions.SAFE_METHODS else cards.select_related("lane__journey__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.lane_card_create(lane=data.pop("lane"), stage=data.pop("stage"),
                                                        actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.lane_card_update(card=serializer.instance, actor=self.request.user,
                                  version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.lane_card_delete(card=instance, actor=self.request.user, version=self.expected_version())


@documented(EmotionScoreSerializer, "emotion score", "emotion scores", {"stage": 12, "score": -1, "note": "Waiting"})
class EmotionScoreViewSet(JourneyMappingViewSet):
    """Emotion scores on the −2 … +2 scale: one per stage (touchpoint null) and one per touchpoint."""

    queryset = EmotionScore.objects.none()
    serializer_class = EmotionScoreSerializer
    filterset_class = filters.EmotionScoreFilter
    ordering_fields = ("score", *ORDERING)

    def get_queryset(self):
        emotions = selectors.emotion_list(user=self.request.user)
        return emotions if self.request.method in permissions.SAFE_METHODS else emotions.select_related("journey__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        stage = data.pop("stage")
        serializer.instance = services.emotion_create(journey=stage.journey, stage=stage, actor=self.request.user,
                                                      **data)

    def perform_update(self, serializer):
        services.emotion_update(emotion=serializer.instance, actor=self.request.user,
                                version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.emotion_delete(emotion=instance, actor=self.request.user, version=self.expected_version())


@documented(PainPointSerializer, "pain point", "pain points",
            {"journey": 4, "stage": 12, "title": "Stock shown online is wrong", "severity": 4,
             "evidence": "measured", "touchpoints": [31], "verbatims": [880]})
class PainPointViewSet(JourneyMappingViewSet):
    """Pain points of journeys, attached to a stage and optionally to touchpoints, with supporting verbatims."""

    queryset = PainPoint.objects.none()
    serializer_class = PainPointSerializer
    filterset_class = filters.PainPointFilter
    ordering_fields = ("severity", "title", *ORDERING)
    upsert_scope = ("journey", Journey, "plan_id")
    upsert_select_related = ("plan", "journey__plan")

    def get_queryset(self):
        pains = selectors.pain_point_list(user=self.request.user).prefetch_related(
            "touchpoints", "verbatims", "opportunities")
        return pains if self.request.method in permissions.SAFE_METHODS else pains.select_related("journey__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.pain_point_create(journey=data.pop("journey"), stage=data.pop("stage"),
                                                         actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.pain_point_update(pain=serializer.instance, actor=self.request.user,
                                   version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.pain_point_delete(pain=instance, actor=self.request.user, version=self.expected_version())


@documented(OpportunitySerializer, "opportunity", "opportunities",
            {"journey": 4, "stage": 12, "title": "Real-time stock by store", "expected_value": 5,
             "pain_points": [3]})
class OpportunityViewSet(JourneyMappingViewSet):
    """Opportunities of journeys: the pain points they answer, and the roadmap items that answer them."""

    queryset = Opportunity.objects.none()
    serializer_class = OpportunitySerializer
    filterset_class = filters.OpportunityFilter
    ordering_fields = ("expected_value", "title", *ORDERING)
    upsert_scope = ("journey", Journey, "plan_id")
    upsert_select_related = ("plan", "journey__plan")

    def get_queryset(self):
        opportunities = selectors.opportunity_list(user=self.request.user).prefetch_related(
            "touchpoints", "pain_points", "roadmap_items")
        if self.request.method in permissions.SAFE_METHODS:
            return opportunities
        return opportunities.select_related("journey__plan")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.opportunity_create(journey=data.pop("journey"), stage=data.pop("stage"),
                                                          actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.opportunity_update(opportunity=serializer.instance, actor=self.request.user,
                                    version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.opportunity_delete(opportunity=instance, actor=self.request.user,
                                    version=self.expected_version())
