"""Serializers of the assessments API. Related fields only accept objects the caller may see (another tenant's id
answers like one that does not exist); cross-plan and cross-organisation references answer 400 naming the field.
The services check the same rules again, because the pages and the imports write through them too."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments import selectors
from assessments.api.fields import AuditKindField, FeedbackKindField, LevelField, RatingField
from assessments.models import (
    QUESTIONS,
    SCALES,
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    InformationPushed,
    MaturityAssessment,
    MaturityVote,
    Sentiment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from planning import selectors as planning_selectors
from planning.api.journey_serializers import ScopedSerializer
from planning.models import Touchpoint
from tenancy import selectors as tenancy_selectors
from tenancy.api.serializers import COMMON

PLAN_FIXED = _("An object cannot move to another plan; create it in the other plan instead.")


def _touchpoints(user):
    return planning_selectors.touchpoint_list(user=user).select_related(None).select_related("plan")


def _plans(user):
    return tenancy_selectors.plan_list(user=user)


def _teams(user):
    return tenancy_selectors.team_list(user=user).prefetch_related(None)


def _evaluations(user):
    return selectors.evaluation_list(user=user).prefetch_related(None).select_related("plan")


# Touchpoint evaluations ----------------------------------------------------------------------------------------


class DataCaptureItemSerializer(ScopedSerializer):
    """A piece of data captured at a touchpoint, as one team sees it: its source, where it is stored, how
    complete and how easy to use it is. Written through `touchpoint-data-items`."""

    scoped = {"evaluation": _evaluations}
    completeness = RatingField(required=False)
    accessibility = RatingField(required=False, help_text=_("Ease of access and use."))

    class Meta:
        model = DataCaptureItem
        fields = (*COMMON, "plan", "evaluation", "data", "source", "storage", "completeness", "accessibility",
                  "position")
        read_only_fields = ("plan",)
        extra_kwargs = {"position": {"required": False,
                                     "help_text": _("Order in the evaluation's list; new items go at the end.")}}

    def validate(self, attrs):
        self.refuse_change(attrs, "evaluation", _("A data item cannot move to another evaluation."))
        return attrs


class NestedDataItemListSerializer(serializers.ListSerializer):
    """An evaluation's data items: the prefetched objects when there are some, else the rows of every evaluation
    being answered, read once (one query, without building the items) and kept in the serializer's context."""

    def get_attribute(self, instance):
        if "data_items" in getattr(instance, "_prefetched_objects_cache", {}):
            return super().get_attribute(instance)
        book = self.context.setdefault("data_item_book", {})
        if instance.pk not in book:
            page = self.root.instance if isinstance(self.root, serializers.ListSerializer) else ()
            ids = {obj.pk for obj in page if isinstance(obj, TouchpointEvaluation)} - set(book) | {instance.pk}
            book.update((pk, []) for pk in ids)
            fields = ("evaluation_id", *NestedDataItemSerializer.Meta.fields)
            for row in DataCaptureItem.objects.filter(evaluation_id__in=ids).values(*fields):
                book[row.pop("evaluation_id")].append(row)
        return book[instance.pk]


class NestedDataItemSerializer(serializers.ModelSerializer):
    completeness = RatingField(read_only=True)
    accessibility = RatingField(read_only=True)

    class Meta:
        model = DataCaptureItem
        fields = ("id", "version", "data", "source", "storage", "completeness", "accessibility", "position")
        read_only_fields = fields
        list_serializer_class = NestedDataItemListSerializer


class TouchpointEvaluationSerializer(ScopedSerializer):
    """One team's evaluation of one touchpoint (one per team and touchpoint)."""

    scoped = {"touchpoint": _touchpoints, "team": _teams}
    information_pushed = serializers.ListField(
        child=serializers.ChoiceField(choices=InformationPushed.choices), required=False, allow_empty=True,
        help_text=_("What the company pushes to the customer at this touchpoint."))
    data_items = NestedDataItemSerializer(
        many=True, read_only=True,
        help_text=_("The data captured here, as this team sees it. Read-only here: write them through "
                    "/api/v1/touchpoint-data-items/."))

    class Meta:
        model = TouchpointEvaluation
        fields = (*COMMON, "plan", "touchpoint", "team", "maturity", "potential_customer", "potential_brand",
                  "information_pushed", "feedback_mode", "notes", "evaluated_by", "data_items")
        read_only_fields = ("plan", "evaluated_by")
        validators = []  # one evaluation per team and touchpoint: checked in validate() with a field message

    def validate(self, attrs):
        self.refuse_change(attrs, "touchpoint", _("An evaluation cannot move to another touchpoint."))
        self.refuse_change(attrs, "team", _("An evaluation cannot move to another team."))
        if "information_pushed" in attrs:
            attrs["information_pushed"] = sorted(set(attrs["information_pushed"]))
        touchpoint, team = attrs.get("touchpoint"), attrs.get("team")
        if touchpoint is not None and team is not None:
            if team.organisation_id != touchpoint.plan.organisation_id:
                raise serializers.ValidationError({"team": _("This team belongs to another organisation.")})
            if TouchpointEvaluation.objects.filter(touchpoint=touchpoint, team=team).exists():
                raise serializers.ValidationError(
                    {"team": _("This team has already evaluated this touchpoint: change that evaluation.")})
        return attrs


class TouchpointAgreementSerializer(ScopedSerializer):
    """The value the workshop agreed for a touchpoint, overriding the median of the teams; a reason is required.
    Deleting it goes back to the median."""

    scoped = {"touchpoint": _touchpoints}

    class Meta:
        model = TouchpointAgreement
        fields = (*COMMON, "plan", "touchpoint", "maturity", "potential_customer", "potential_brand", "reason",
                  "agreed_by")
        read_only_fields = ("plan", "agreed_by")

    def validate(self, attrs):
        self.refuse_change(attrs, "touchpoint", _("An agreed value cannot move to another touchpoint."))
        if "reason" in attrs and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": _("Say why the workshop agreed on this value.")})
        return attrs


# Feedback ------------------------------------------------------------------------------------------------------


def check_score(attrs, instance=None):
    kind = attrs.get("kind", getattr(instance, "kind", None))
    score = attrs.get("score", getattr(instance, "score", None))
    if kind in SCALES and score is not None:
        low, high = SCALES[kind]
        if not low <= score <= high:
            raise serializers.ValidationError({"score": _("A %(kind)s score is a whole number from %(low)s to "
                                                          "%(high)s.") % {"kind": kind.upper(), "low": low,
                                                                          "high": high}})


class VerbatimThemeSerializer(serializers.Serializer):
    """A theme on a verbatim: which, how it got there, and for a rule the words that matched."""

    theme = serializers.IntegerField(source="theme_id", read_only=True)
    name = serializers.CharField(source="theme.__str__", read_only=True, help_text=_("“Macro › micro” or “macro”."))
    assigned_by = serializers.CharField(read_only=True, help_text=_("hand or rule"))
    matched = serializers.CharField(read_only=True, help_text=_("The words a rule found; empty when set by hand."))


class FeedbackResponseSerializer(ScopedSerializer):
    """One customer's answer at a touchpoint: NPS 0–10, CES 1–7 or CSAT 1–5, with date, source and verbatim."""

    scoped = {"touchpoint": _touchpoints}
    kind = FeedbackKindField()
    score = serializers.IntegerField(min_value=0, max_value=10,
                                     help_text=_("On the kind's scale: NPS 0–10, CES 1–7, CSAT 1–5."))

    themes = VerbatimThemeSerializer(many=True, read_only=True)
    tags = serializers.SerializerMethodField(help_text=_("The names of the verbatim's tags."))
    sentiment = serializers.ChoiceField(choices=Sentiment.choices, allow_blank=True, read_only=True, help_text=_(
        "negative, neutral or positive; empty when the response has no verbatim."))
    sentiment_disagrees = serializers.BooleanField(read_only=True, help_text=_(
        "The text says the opposite of the score (a promoter with a negative text, a detractor with a positive one)."))

    class Meta:
        model = FeedbackResponse
        fields = (*COMMON, "plan", "touchpoint", "kind", "score", "responded_on", "source", "verbatim", "sentiment",
                  "sentiment_score", "sentiment_corrected", "sentiment_disagrees", "themes", "tags")
        read_only_fields = ("plan", "sentiment", "sentiment_score", "sentiment_corrected")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, response) -> list[str]:
        return [assigned.tag.name for assigned in response.tags.all()]

    def validate(self, attrs):
        touchpoint = attrs.get("touchpoint")
        if self.instance is not None and touchpoint is not None and touchpoint.plan_id != self.instance.plan_id:
            raise serializers.ValidationError({"touchpoint": _("This touchpoint belongs to another plan.")})
        check_score(attrs, self.instance)
        return attrs


class SentimentCorrectionSerializer(serializers.Serializer):
    """A person's sentiment for a verbatim, or "" to go back to the computed one."""

    sentiment = serializers.ChoiceField(choices=["", "negative", "neutral", "positive"], allow_blank=True)


class BulkFeedbackItemSerializer(serializers.Serializer):
    """One response of a bulk upload. The touchpoint is looked up in a map loaded once for the whole upload."""

    touchpoint = serializers.IntegerField(help_text=_("The id of a touchpoint you may edit."))
    kind = FeedbackKindField()
    score = serializers.IntegerField(min_value=0, max_value=10)
    responded_on = serializers.DateField()
    source = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    verbatim = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)

    def validate_touchpoint(self, value):
        touchpoint = self.context["touchpoints"].get(value)
        if touchpoint is None:
            raise serializers.ValidationError(_('Invalid pk "%(pk)s" - object does not exist.') % {"pk": value})
        return touchpoint

    def validate(self, attrs):
        check_score(attrs)
        return attrs


class BulkFeedbackErrorSerializer(serializers.Serializer):
    """What was wrong with the upload: nothing was created."""

    detail = serializers.CharField()
    errors = serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text=_('One entry per invalid response: {"index": position in the list (from 0), "errors": '
                    '{field: [messages]}}.'))


class BulkFeedbackResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("How many responses were created (all of them)."))


# Digital maturity ----------------------------------------------------------------------------------------------


class MaturityVoteSerializer(serializers.ModelSerializer):
    """Where one participant placed the organisation."""

    participant_name = serializers.SerializerMethodField()
    channel_level = LevelField(read_only=True)
    engagement_level = LevelField(read_only=True)

    class Meta:
        model = MaturityVote
        fields = ("id", "participant", "participant_name", "channel_level", "engagement_level", "updated_at")
        read_only_fields = fields

    def get_participant_name(self, vote) -> str:
        return vote.participant.get_full_name() or vote.participant.username


class MaturityVoteInputSerializer(serializers.Serializer):
    channel_level = LevelField(help_text=_("Channels: 1 (I) to 4 (IV)."))
    engagement_level = LevelField(help_text=_("Engagement: 1 (I) to 4 (IV)."))


class MaturityAssessmentSerializer(ScopedSerializer):
    """A dated self-assessment: the agreed position on both axes (1–4 = I–IV), the target, and every
    participant's vote (read-only here: vote with POST …/vote/)."""

    scoped = {"plan": _plans}
    channel_level = LevelField(allow_null=True, required=False, help_text=_("Agreed level on the channel axis."))
    engagement_level = LevelField(allow_null=True, required=False,
                                  help_text=_("Agreed level on the engagement axis."))
    target_channel_level = LevelField(allow_null=True, required=False, help_text=_("Target on the channel axis."))
    target_engagement_level = LevelField(allow_null=True, required=False,
                                         help_text=_("Target on the engagement axis."))
    votes = MaturityVoteSerializer(many=True, read_only=True)

    class Meta:
        model = MaturityAssessment
        fields = (*COMMON, "plan", "assessed_on", "channel_level", "engagement_level", "target_channel_level",
                  "target_engagement_level", "notes", "votes")

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        return attrs


# Audits --------------------------------------------------------------------------------------------------------


class AuditQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()


class AuditItemSerializer(ScopedSerializer):
    """An item of the data or content audit in one step (have, need, wish). `answers` maps the codes of the
    step's guiding questions (listed in `questions`) to text; a need or a wish is a gap."""

    scoped = {"plan": _plans, "touchpoints": _touchpoints}
    kind = AuditKindField()
    touchpoints = serializers.PrimaryKeyRelatedField(many=True, required=False,
                                                     queryset=Touchpoint.objects.none())
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    questions = serializers.SerializerMethodField()
    is_gap = serializers.BooleanField(read_only=True)

    class Meta:
        model = AuditItem
        fields = (*COMMON, "plan", "kind", "step", "title", "answers", "questions", "touchpoints", "is_gap")

    @extend_schema_field(AuditQuestionSerializer(many=True))
    def get_questions(self, item):
        return [{"code": code, "question": str(question)} for code, question in item.questions()]

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        for touchpoint in attrs.get("touchpoints", ()):
            if plan is not None and touchpoint.plan_id != plan.pk:
                raise serializers.ValidationError(
                    {"touchpoints": _("Touchpoint %(id)s belongs to another plan.") % {"id": touchpoint.pk}})
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        step = attrs.get("step", getattr(self.instance, "step", None))
        answers = attrs.get("answers", getattr(self.instance, "answers", None)) or {}
        allowed = {code for code, _q in QUESTIONS.get((kind, step), [])}
        unknown = sorted(set(answers) - allowed)
        if unknown:
            raise serializers.ValidationError({"answers": _("Questions not asked at this step: %(codes)s. Asked: "
                                                            "%(allowed)s.") % {"codes": ", ".join(unknown),
                                                                               "allowed": ", ".join(sorted(allowed))}})
        if "title" in attrs:
            attrs["title"] = attrs["title"].strip()
        return attrs
