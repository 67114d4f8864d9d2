"""Listening API: mentions (with a sentiment correction, and through the sync layer a PUT by external id and a bulk
upsert of up to 1,000 mentions: sync.api.upsert) and the plans' competitors.

Thin viewsets over listening.selectors and listening.services, with the journey-mapping API's rules: another
organisation's rows are absent (404), a read-only plan answers 403 on write, writes are optimistic (If-Match, 412).
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.parsers import JSONParser
from listening import selectors, services
from listening.api import filters
from listening.api.serializers import CompetitorSerializer, MentionSentimentSerializer, MentionSerializer
from listening.models import Competitor, Mention
from planning.api.journeys import JourneyMappingViewSet, documented

MENTION_EXAMPLE = {"plan": 1, "channel": 3, "mentioned_on": "2027-03-15", "source": "Twitter",
                   "author": "@lea_runs", "author_reach": 12500, "text": "Attente en caisse interminable",
                   "url": "https://twitter.com/lea_runs/status/1", "imported_sentiment": "negative",
                   "external_source": "talkwalker", "external_id": "tw-98431", "tags": ["caisse"]}


@documented(MentionSerializer, "mention", "mentions", MENTION_EXAMPLE)
class MentionViewSet(JourneyMappingViewSet):
    """Mentions of the brand (and its competitors) found by listening tools. Sentiment is computed offline from the
    text; themes come from the organisation's keyword rules (as on verbatims). Send a tool's mentions with
    `POST /mentions/bulk-upsert/` and their `external_source`/`external_id`: sending them again updates them."""

    queryset = Mention.objects.none()
    serializer_class = MentionSerializer
    filterset_class = filters.MentionFilter
    ordering_fields = ("mentioned_on", "author_reach", "created_at", "updated_at")
    upsert_scope = ("plan", None, "plan_id")
    upsert_select_related = ("plan",)

    def get_queryset(self):
        mentions = selectors.mention_list(user=self.request.user)
        if self.request.method in permissions.SAFE_METHODS:
            return mentions
        return mentions.select_related("plan")

    @extend_schema(summary="Correct a mention's sentiment by hand",
                   description='{"sentiment": "negative" | "neutral" | "positive"} sets it by hand (it then wins over '
                               'the computed one); {"sentiment": ""} goes back to the computed one.',
                   request=MentionSentimentSerializer, responses={200: MentionSerializer},
                   examples=[OpenApiExample("A correction", value={"sentiment": "negative"}, request_only=True)])
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, parser_classes=[JSONParser])
    def sentiment(self, request, pk=None):
        mention = self.get_object()
        correction = MentionSentimentSerializer(data=request.data)
        correction.is_valid(raise_exception=True)
        services.mention_sentiment_correct(mention=mention, actor=request.user,
                                           sentiment=correction.validated_data["sentiment"])
        return Response(self.get_serializer(self.get_queryset().get(pk=mention.pk)).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        mention = services.mention_create(plan=data.pop("plan"), actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=mention.pk)  # themes and tags freshly prefetched

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        services.mention_update(mention=serializer.instance, actor=self.request.user,
                                version=self.expected_version(), **data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.mention_delete(mention=instance, actor=self.request.user, version=self.expected_version())


@documented(CompetitorSerializer, "competitor", "competitors", {"plan": 1, "name": "Decathlon"})
class CompetitorViewSet(JourneyMappingViewSet):
    """The competitors a plan follows: a mention may name one (share of voice per channel)."""

    queryset = Competitor.objects.none()
    serializer_class = CompetitorSerializer
    filterset_class = filters.CompetitorFilter

    def get_queryset(self):
        return selectors.competitor_list(user=self.request.user).select_related("plan")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.competitor_create(plan=data["plan"], actor=self.request.user,
                                                         name=data["name"])

    def perform_update(self, serializer):
        services.competitor_update(competitor=serializer.instance, actor=self.request.user,
                                   version=self.expected_version(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.competitor_delete(competitor=instance, actor=self.request.user, version=self.expected_version())


