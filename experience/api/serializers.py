"""Serializers of the experience API: lanes, lane cards, emotion scores, pain points and opportunities.

Related fields accept only what the caller may see; objects must belong to the same journey (checked here so the
400 names the field, and again by the services).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assessments import selectors as assessment_selectors
from core.api.external_ids import ExternalIdSerializerMixin
from experience import selectors
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning import selectors as planning_selectors
from planning.api.journey_serializers import ScopedSerializer
from tenancy.api.serializers import COMMON, EXTERNAL

JOURNEY_FIXED = _("An object cannot move to another journey.")


def _journeys(user):
    return planning_selectors.journey_list(user=user).select_related("plan")


def _stages(user):
    return planning_selectors.stage_list(user=user).select_related("plan", "journey__plan")


def _touchpoints(user):
    return planning_selectors.touchpoint_list(user=user).select_related(None)


def _same_journey(attrs, journey, *names) -> None:
    for name in names:
        value = attrs.get(name)
        for obj in value if isinstance(value, list | tuple) else [value]:
            if obj is None:
                continue
            if getattr(obj, "journey_id", journey.pk) != journey.pk:
                raise serializers.ValidationError({name: _("This belongs to another journey.")})
            if getattr(obj, "plan_id", journey.plan_id) != journey.plan_id:
                raise serializers.ValidationError({name: _("This belongs to another plan.")})


class LaneSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A row of a journey's map. Text lanes hold cards; emotion, metrics and insights lanes draw the journey's
    data (one of each per journey)."""

    scoped = {"journey": _journeys}
    position = serializers.IntegerField(min_value=0, required=False,
                                        help_text=_("0-based order among the journey's lanes; default: at the end."))

    class Meta:
        model = Lane
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "kind", "title", "position", "hidden")
        read_only_fields = ("plan",)

    def validate(self, attrs):
        self.refuse_change(attrs, "journey", JOURNEY_FIXED)
        return attrs


class LaneCardSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """The text of a text lane at one stage (one card per lane and stage)."""

    scoped = {"lane": lambda user: selectors.lane_list(user=user).select_related("journey__plan"),
              "stage": _stages}

    class Meta:
        model = LaneCard
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "lane", "stage", "text")
        read_only_fields = ("plan", "journey")

    def validate(self, attrs):
        self.refuse_change(attrs, "lane", JOURNEY_FIXED)
        lane = attrs.get("lane") or self.instance.lane
        _same_journey(attrs, lane.journey, "stage")
        return attrs


class EmotionScoreSerializer(ScopedSerializer):
    """How the customer feels at a stage (no touchpoint) or at one of its touchpoints: −2 … +2."""

    scoped = {"stage": _stages, "touchpoint": _touchpoints}

    class Meta:
        model = EmotionScore
        fields = (*COMMON, "plan", "journey", "stage", "touchpoint", "score", "note")
        read_only_fields = ("plan", "journey")
        validators = []  # the one-score-per-place rule is the service's, answered as a 400 naming the field

    def validate(self, attrs):
        self.refuse_change(attrs, "stage", _("A score stays where it was given."))
        self.refuse_change(attrs, "touchpoint", _("A score stays where it was given."))
        stage = attrs.get("stage") or getattr(self.instance, "stage", None)
        touchpoint = attrs.get("touchpoint")
        if stage is not None and touchpoint is not None and touchpoint.stage_id != stage.pk:
            raise serializers.ValidationError({"touchpoint": _("This touchpoint is in another stage.")})
        return attrs


class PainPointSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """Something that goes wrong for the customer at a stage, with the touchpoints and verbatims that show it."""

    scoped = {"journey": _journeys, "stage": _stages, "touchpoints": _touchpoints,
              "verbatims": lambda user: assessment_selectors.feedback_list(user=user)}
    opportunities = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                       help_text=_("The opportunities that answer it."))

    class Meta:
        model = PainPoint
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "stage", "touchpoints", "title", "description",
                  "severity", "evidence", "verbatims", "opportunities")
        read_only_fields = ("plan",)

    def validate(self, attrs):
        self.refuse_change(attrs, "journey", JOURNEY_FIXED)
        journey = attrs.get("journey") or self.instance.journey
        _same_journey(attrs, journey, "stage", "touchpoints")
        for verbatim in attrs.get("verbatims", ()):
            if verbatim.plan_id != journey.plan_id:
                raise serializers.ValidationError({"verbatims": _("This belongs to another plan.")})
        return attrs


class OpportunitySerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """What could be done better at a stage, the pain points it answers and the roadmap items that answer it."""

    scoped = {"journey": _journeys, "stage": _stages, "touchpoints": _touchpoints,
              "pain_points": lambda user: selectors.pain_point_list(user=user)}
    roadmap_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                       help_text=_("The roadmap items that answer it."))

    class Meta:
        model = Opportunity
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "stage", "touchpoints", "pain_points", "title",
                  "description", "expected_value", "evidence", "roadmap_items")
        read_only_fields = ("plan",)

    def validate(self, attrs):
        self.refuse_change(attrs, "journey", JOURNEY_FIXED)
        journey = attrs.get("journey") or self.instance.journey
        _same_journey(attrs, journey, "stage", "touchpoints", "pain_points")
        return attrs
