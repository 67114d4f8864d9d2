"""Serializers of the KPI API: KPIs (with where they stand now), measurements and links to roadmap items.

Related fields accept only what the caller may see; what must belong to the same plan is checked here (so the 400
names the field) and again by the services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.external_ids import ExternalIdSerializerMixin
from kpis import selectors, sources
from kpis.models import MANUAL, Kpi, KpiLink, Measurement
from kpis.progress import progress, trend
from planning import selectors as planning_selectors
from planning.api.journey_serializers import ScopedSerializer
from roadmaps import selectors as roadmap_selectors
from tenancy import selectors as tenancy_selectors
from tenancy.api.serializers import COMMON, EXTERNAL

PLAN_FIXED = _("An object cannot move to another plan.")
KPI_FIXED = _("A measurement or a link stays with its KPI.")


def _plans(user):
    return tenancy_selectors.plan_list(user=user)


def _kpis(user):
    return selectors.kpi_list(user=user).select_related("plan")


def _same_plan(attrs, plan, *names) -> None:
    for name in names:
        obj = attrs.get(name)
        if obj is not None and plan is not None and getattr(obj, "plan_id", plan.pk) != plan.pk:
            raise serializers.ValidationError({name: _("This belongs to another plan.")})


class KpiSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """An indicator of a plan: unit, direction, baseline and target (value and date), owner team and source, with
    where it stands now (its latest measurement) and its progress from baseline toward target."""

    scoped = {"plan": _plans, "owner_team": lambda user: tenancy_selectors.team_list(user=user),
              "touchpoint": lambda user: planning_selectors.touchpoint_list(user=user).select_related(None),
              "channel": lambda user: planning_selectors.channel_list(user=user),
              "persona": lambda user: planning_selectors.persona_list(user=user).prefetch_related(None)}
    source = serializers.CharField(max_length=40, required=False, default=MANUAL, help_text=_(
        "“manual” (typed by hand) or a computed source: “nps”, “ces”, “csat” (the plan's feedback responses, "
        "narrowed by touchpoint, channel or persona when set)."))
    current_value = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True, allow_null=True,
                                             help_text=_("The latest measurement's value, or null."))
    current_date = serializers.DateField(read_only=True, allow_null=True,
                                         help_text=_("The latest measurement's date, or null."))
    progress = serializers.SerializerMethodField(help_text=_(
        "Percent of the way from baseline to target: (current − baseline) / (target − baseline) × 100; negative "
        "when it moved the wrong way; null without a baseline, a target or a measurement."))
    trend = serializers.SerializerMethodField(help_text=_(
        "“better”, “worse” or “same” than the baseline in the KPI's direction; null without both values."))

    class Meta:
        model = Kpi
        fields = (*COMMON, *EXTERNAL, "plan", "name", "description", "unit", "direction", "baseline_value",
                  "baseline_date", "target_value", "target_date", "owner_team", "source", "touchpoint", "channel",
                  "persona", "current_value", "current_date", "progress", "trend")
        validators = []  # the unique name is checked by the model, answered as a 400 naming the field

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_progress(self, kpi):
        done = progress(kpi.baseline_value, kpi.target_value, getattr(kpi, "current_value", None))
        return None if done is None else str(done)

    @extend_schema_field({"type": ["string", "null"], "enum": ["better", "worse", "same", None]})
    def get_trend(self, kpi):
        return trend(kpi.direction, kpi.baseline_value, getattr(kpi, "current_value", None))

    def validate_source(self, value):
        if value != MANUAL and sources.get(value) is None:
            raise serializers.ValidationError(_("Unknown source “%s”.") % value)
        return value

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        _same_plan(attrs, plan, "touchpoint", "persona")
        for name in ("owner_team", "channel"):
            obj = attrs.get(name)
            if obj is not None and plan is not None and obj.organisation_id != plan.organisation_id:
                raise serializers.ValidationError({name: _("This belongs to another organisation.")})
        return attrs


class MeasurementSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A KPI's value at a date. Computed ones (monthly, dated the first day of the month) say so; a write through the
    API is a typed value, which later computations keep."""

    scoped = {"kpi": _kpis}

    class Meta:
        model = Measurement
        fields = (*COMMON, *EXTERNAL, "plan", "kpi", "measured_on", "value", "note", "recorded_by", "computed",
                  "sample_size")
        read_only_fields = ("plan", "recorded_by", "computed", "sample_size")
        validators = []  # one per KPI and date: the model's rule, answered as a 400 naming the field

    def validate(self, attrs):
        self.refuse_change(attrs, "kpi", KPI_FIXED)
        return attrs


class KpiLinkSerializer(ScopedSerializer):
    """A roadmap item expected to move a KPI, by `expected_change` in the KPI's unit (negative lowers it)."""

    scoped = {"kpi": _kpis, "item": lambda user: roadmap_selectors.roadmap_item_list(user=user)
              .select_related(None).prefetch_related(None)}

    class Meta:
        model = KpiLink
        fields = (*COMMON, "plan", "kpi", "item", "expected_change", "note")
        read_only_fields = ("plan",)
        validators = []  # one link per KPI and item: answered by the service as a 400 naming the field

    def validate(self, attrs):
        self.refuse_change(attrs, "kpi", KPI_FIXED)
        self.refuse_change(attrs, "item", _("A link keeps its item; delete it and link again."))
        kpi = attrs.get("kpi")
        _same_plan(attrs, kpi.plan if kpi else None, "item")
        return attrs


class ComputeResultSerializer(serializers.Serializer):
    """What a computation did, month by month (first days of months)."""

    created = serializers.ListField(child=serializers.DateField())
    updated = serializers.ListField(child=serializers.DateField())
    unchanged = serializers.ListField(child=serializers.DateField())
    kept = serializers.ListField(child=serializers.DateField(), help_text=_(
        "Months holding a measurement typed by hand: left as they are."))
