"""Serializers of the listening API: related fields only accept what the caller may see (ScopedSerializer);
same-plan and same-organisation rules are checked here so the 400 names the field (the services check again)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assessments.api.serializers import VerbatimThemeSerializer
from assessments.models import Sentiment
from core.api.external_ids import ExternalIdSerializerMixin
from listening import selectors
from listening.models import Competitor, Mention
from planning import selectors as planning_selectors
from planning.api.journey_serializers import ScopedSerializer
from tenancy import selectors as tenancy_selectors
from tenancy.api.serializers import COMMON, EXTERNAL

PLAN_FIXED = _("An object cannot move to another plan.")


def _plans(user):
    return tenancy_selectors.plan_list(user=user)


def _channels(user):
    return planning_selectors.channel_list(user=user)


def _touchpoints(user):
    return planning_selectors.touchpoint_list(user=user).select_related(None)


def _personas(user):
    return planning_selectors.persona_list(user=user).prefetch_related(None)


def _competitors(user):
    return selectors.competitor_list(user=user)


class TagNamesField(serializers.ListField):
    """The names of a mention's tags (prefetched), written as a list of names."""

    def get_attribute(self, instance):
        return [assigned.tag.name for assigned in instance.tags.all()]


class CompetitorSerializer(ScopedSerializer):
    """A competitor the plan follows in the conversations (its share of voice)."""

    scoped = {"plan": _plans}

    class Meta:
        model = Competitor
        fields = (*COMMON, "plan", "name")
        validators = []  # the model's unique name is checked with its own sentence

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        return attrs


class MentionSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A post, review or comment about the brand found by a listening tool."""

    scoped = {"plan": _plans, "channel": _channels, "touchpoint": _touchpoints, "persona": _personas,
              "competitor": _competitors}
    themes = VerbatimThemeSerializer(many=True, read_only=True)
    tags = TagNamesField(child=serializers.CharField(max_length=60), required=False, help_text=_(
        "The names of the mention's tags; names the organisation does not have yet become tags. Writing the list "
        "replaces it."))
    sentiment = serializers.ChoiceField(choices=Sentiment.choices, read_only=True, help_text=_(
        "negative, neutral or positive, computed offline from the text; a correction "
        "(POST /mentions/{id}/sentiment/) wins."))
    imported_sentiment = serializers.ChoiceField(choices=Sentiment.choices, required=False, allow_blank=True,
                                                 help_text=_("The listening tool's own sentiment, kept as given."))
    language = serializers.CharField(max_length=8, required=False, allow_blank=True,
                                     help_text=_("fr, en…; guessed from the text when left out."))

    class Meta:
        model = Mention
        fields = (*COMMON, *EXTERNAL, "plan", "channel", "mentioned_on", "source", "author", "author_reach", "text",
                  "url", "language", "sentiment", "sentiment_score", "sentiment_corrected", "imported_sentiment",
                  "competitor", "touchpoint", "persona", "themes", "tags")
        read_only_fields = ("sentiment_score", "sentiment_corrected")

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        if plan is None:
            return attrs
        channel = attrs.get("channel")
        if channel is not None and channel.organisation_id != plan.organisation_id:
            raise serializers.ValidationError({"channel": _("This channel belongs to another organisation.")})
        for name in ("competitor", "touchpoint", "persona"):
            value = attrs.get(name)
            if value is not None and value.plan_id != plan.pk:
                raise serializers.ValidationError({name: _("It belongs to another plan.")})
        return attrs


class MentionSentimentSerializer(serializers.Serializer):
    """A person's sentiment for a mention, or "" to go back to the computed one."""

    sentiment = serializers.ChoiceField(choices=["", "negative", "neutral", "positive"], allow_blank=True)
