"""Serializers of the roadmap API: items (with their score, its terms and their rank), the plan's scoring settings
and the custom criteria.

Related fields only accept objects the caller may see (another tenant's id answers like one that does not exist);
links to another plan answer 400 naming the field. The services check the same rules again (the pages write
through them too) and refuse dependency cycles, which the API answers as a 400 on `dependencies`.
"""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations, serializers

from assessments import selectors as assessment_selectors
from assessments.models import AuditStep
from core.api.external_ids import ExternalIdSerializerMixin
from experience import selectors as experience_selectors
from planning import selectors as planning_selectors
from planning.api.journey_serializers import PLAN_FIXED, ScopedSerializer
from roadmaps import selectors
from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringSettings
from roadmaps.ranking import SCORING_FIELDS, rankings
from roadmaps.scoring import FORMULAS
from tenancy import selectors as tenancy_selectors
from tenancy.api.serializers import COMMON, EXTERNAL
from tenancy.models import Membership

QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


class ScoreBook:
    """Scores and ranks of the items a response shows: a score depends on the item alone, its rank on the plan's
    other items, hence the plan's whole ranking (roadmaps.ranking: kept between requests while nothing is written,
    so a page of a long plan's list does not score every item of the plan again)."""

    def __init__(self):
        self.entries: dict[int, tuple] = {}
        self.loaded: set[int] = set()

    def load(self, plan_ids) -> None:
        missing = set(plan_ids) - self.loaded
        for ranking in rankings(missing).values():
            self.entries.update(ranking.by_item)
        self.loaded |= missing

    def get(self, item) -> tuple | None:
        self.load([item.plan_id])
        return self.entries.get(item.pk)


def _book(serializer) -> ScoreBook:
    return serializer.context.setdefault("score_book", ScoreBook())


class LinkBook:
    """The ids items link to (teams, touchpoints…), read for a whole page at once: one query per link."""

    def __init__(self):
        self.links: dict[int, dict[str, list[int]]] = {}

    def load(self, item_ids) -> None:
        missing = set(item_ids) - set(self.links)
        if missing:
            self.links.update(selectors.roadmap_item_links(item_ids=missing))

    def get(self, item) -> dict[str, list[int]]:
        if item.pk not in self.links:
            self.load([item.pk])
        return self.links[item.pk]


def _links(serializer) -> LinkBook:
    return serializer.context.setdefault("link_book", LinkBook())


class LinkedIdsField(serializers.ManyRelatedField):
    """A link of the item (teams, touchpoints…) as the list of ids, from the serializer's LinkBook: Django's
    prefetch would build a model object and a related manager per link only to read its id."""

    def get_attribute(self, instance):
        return _links(self.parent).get(instance)[self.source]

    def to_representation(self, ids):
        return list(ids)


class LinkedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key field whose many-to-many form is a LinkedIdsField."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        options = {key: value for key, value in kwargs.items() if key in relations.MANY_RELATION_KWARGS}
        return LinkedIdsField(child_relation=cls(*args, **kwargs), **options)


class TermSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("The input's field name, or a custom criterion's id."))
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("The input; null when missing."))
    contribution = serializers.FloatField(allow_null=True, help_text=_(
        "Additive formulas (WSJF, custom): the part of the score this term brings. Null otherwise."))
    effect = serializers.CharField(help_text=_("Multiplicative formulas: how the term moves the score, "
                                               "for example “× 8” or “÷ 4”."))


class ScoreSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text=_("Null while an input is missing."))
    formula = serializers.CharField()
    terms = TermSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Inputs (or custom criteria names) still needed for a score; “criteria” if the plan has none."))


class RoadmapItemListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        _book(self).load({item.plan_id for item in items})
        _links(self).load(item.pk for item in items)
        return super().to_representation(items)


def _plans(user):
    return tenancy_selectors.plan_list(user=user)


def _users(user):
    organisations = tenancy_selectors.organisation_list(user=user).values("pk")
    return get_user_model().objects.filter(memberships__organisation__in=organisations).distinct()


def _teams(user):
    return tenancy_selectors.team_list(user=user).prefetch_related(None)


def _touchpoints(user):
    return planning_selectors.touchpoint_list(user=user).select_related(None)


def _stakeholders(user):
    return planning_selectors.stakeholder_list(user=user).select_related(None)


def _audits(user):
    return assessment_selectors.audit_item_list(user=user).prefetch_related(None)


def _opportunities(user):
    return experience_selectors.opportunity_list(user=user)


def _items(user):
    return selectors.roadmap_item_list(user=user).select_related(None).prefetch_related(None)


class RoadmapItemSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A transformation project of a plan, with its links, timing, scoring inputs and its score."""

    scoped = {"plan": _plans, "owner": _users, "teams": _teams, "touchpoints": _touchpoints,
              "objectives": _stakeholders, "audit_gaps": _audits, "opportunities": _opportunities,
              "dependencies": _items}
    impact = serializers.DecimalField(  # declared: the model's float validators make DRF warn
        max_digits=3, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal("3"), required=False,
        allow_null=True, help_text=_("RICE: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal."))
    criteria_scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False,
        help_text=_("Custom method: a rating 1–5 per criterion, keyed by the criterion's id, for example "
                    '{"4": 5, "7": 2}.'))
    score = serializers.SerializerMethodField(help_text=_(
        "The score under the plan's method, its formula and what each term contributes. Absolute: it depends "
        "only on this item's inputs."))
    rank = serializers.SerializerMethodField(help_text=_(
        "Place in the plan's ranked roadmap (1 = first): by score, unscored last, manual ranks in place."))

    serializer_related_field = LinkedPrimaryKeyRelatedField  # the links' ids come from the LinkBook

    class Meta:
        model = RoadmapItem
        fields = (*COMMON, *EXTERNAL, "plan", "title", "category", "description", "owner", "teams", "touchpoints",
                  "objectives", "audit_gaps", "opportunities", "dependencies", "horizon", "quarter", "start_date",
                  "end_date", "status", "board_position", *SCORING_FIELDS, "manual_rank", "manual_rank_reason", "score",
                  "rank")
        list_serializer_class = RoadmapItemListSerializer
        extra_kwargs = {
            "board_position": {"required": False,
                               "help_text": _("Order in its board column; new items go last. The board's "
                                              "move action sets it for you.")},
            "audit_gaps": {"help_text": _("Audit items of the “need” or “wish” steps.")},
            "opportunities": {"help_text": _("Opportunities of the plan's journey maps that it answers.")},
            "manual_rank": {"help_text": _("Put the item at this place whatever its score; needs a reason.")},
        }

    @extend_schema_field(ScoreSerializer)
    def get_score(self, item) -> dict | None:
        entry = _book(self).get(item)
        return entry[0].as_dict() if entry else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_rank(self, item) -> int | None:
        entry = _book(self).get(item)
        return entry[1] if entry else None

    def validate_quarter(self, value):
        value = value.strip().upper()
        if value and not QUARTER.match(value):
            raise serializers.ValidationError(_("Write the quarter as a year and a quarter, for example 2027-Q2."))
        return value

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        if plan is None:
            return attrs
        for name in ("touchpoints", "objectives", "audit_gaps", "opportunities", "dependencies"):
            for obj in attrs.get(name, ()):
                if obj.plan_id != plan.pk:
                    raise serializers.ValidationError(
                        {name: _("%(id)s belongs to another plan: link only objects of this plan.") % {"id": obj.pk}})
        for team in attrs.get("teams", ()):
            if team.organisation_id != plan.organisation_id:
                raise serializers.ValidationError({"teams": _("Team %(id)s belongs to another organisation.")
                                                   % {"id": team.pk}})
        for audit in attrs.get("audit_gaps", ()):
            if audit.step not in (AuditStep.NEED, AuditStep.WISH):
                raise serializers.ValidationError({"audit_gaps": _(
                    "Audit item %(id)s is “what we have”: only needs and wishes are gaps.") % {"id": audit.pk}})
        owner = attrs.get("owner")
        member = Membership.objects.filter(user=owner, organisation_id=plan.organisation_id)
        if owner is not None and not member.exists():
            raise serializers.ValidationError({"owner": _("The owner must be a member of the plan's organisation.")})
        if self.instance is not None and any(d.pk == self.instance.pk for d in attrs.get("dependencies", ())):
            raise serializers.ValidationError({"dependencies": _("An item cannot depend on itself.")})
        self._check_dates(attrs)
        self._check_criteria(attrs, plan)
        return attrs

    def _check_dates(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end must be on or after the start.")})

    def _check_criteria(self, attrs, plan):
        scores = attrs.get("criteria_scores")
        if not scores:
            return
        known = {str(pk) for pk in ScoringCriterion.objects.filter(plan=plan).values_list("pk", flat=True)}
        unknown = sorted(set(scores) - known)
        if unknown:
            message = _("Not criteria of this plan: %(keys)s. Use the ids from scoring-criteria.")
            raise serializers.ValidationError({"criteria_scores": message % {"keys": ", ".join(unknown)}})


class RoadmapMoveSerializer(serializers.Serializer):
    horizon = serializers.ChoiceField(choices=RoadmapItem._meta.get_field("horizon").choices)
    before = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "The id of the item of that column it now precedes; null or absent: last of the column."))


class CriterionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoringCriterion
        fields = ("id", "name", "weight", "direction", "position")
        read_only_fields = fields


class ScoringSettingsSerializer(serializers.ModelSerializer):
    """How a plan scores its roadmap: one method for every item, its formula, and the plan's custom criteria."""

    method_label = serializers.CharField(source="get_method_display", read_only=True)
    formula = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = ScoringSettings
        fields = ("plan", "version", "updated_at", "method", "method_label", "formula", "criteria")
        read_only_fields = ("plan", "version", "updated_at")

    def get_formula(self, settings) -> str:
        return str(FORMULAS[settings.method])

    @extend_schema_field(CriterionSummarySerializer(many=True))
    def get_criteria(self, settings) -> list:
        return CriterionSummarySerializer(ScoringCriterion.objects.filter(plan_id=settings.plan_id), many=True).data


class ScoringCriterionSerializer(ScopedSerializer):
    """A custom criterion: items are rated 1–5 on it; it counts weight × rating (6 − rating when lower is better)."""

    scoped = {"plan": _plans}

    class Meta:
        model = ScoringCriterion
        fields = (*COMMON, "plan", "name", "weight", "direction", "position")
        extra_kwargs = {"position": {"required": False, "help_text": _("Order in the plan's list; new ones go last.")}}
        validators = []  # the (plan, name) uniqueness is checked in validate() with a field message

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        name = attrs.get("name")
        if plan is not None and name:
            same = ScoringCriterion.objects.filter(plan=plan, name__iexact=name.strip())
            if self.instance is not None:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise serializers.ValidationError({"name": _("This plan already has a criterion of that name.")})
        return attrs
