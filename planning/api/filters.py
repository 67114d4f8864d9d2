"""Filters of the journey-mapping API: by plan, journey, stage, channel, and `updated_since` for sync clients.

Related-object filters only accept objects the caller may see, so another tenant's id answers the same
"Select a valid choice" as an id that does not exist (nothing to probe).
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField, ModelChoiceField
from rest_framework.filters import OrderingFilter

from planning import selectors
from planning.access import plan_ids_for
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint


def _user(request):
    # Without a request (schema generation) nothing is visible.
    return getattr(request, "user", None) or AnonymousUser()


def _plans(request):
    # The filter only needs the plan (its organisation and author are for the pages).
    return selectors.plan_list(user=_user(request)).select_related(None)


def _organisations(request):
    return selectors.organisation_list(user=_user(request))


def _teams(request):
    return selectors.team_list(user=_user(request)).prefetch_related(None)


def _personas(request):
    return selectors.persona_list(user=_user(request)).prefetch_related(None)


def _journeys(request):
    return selectors.journey_list(user=_user(request))


def _stages(request):
    return selectors.stage_list(user=_user(request))


def _channels(request):
    return selectors.channel_list(user=_user(request))


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as usual, with the id appended so pages never repeat or skip rows of equal keys."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering = [*ordering, "id"]
        return ordering


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time turned to UTC. Python reads offsets up to ±23:59 but PostgreSQL refuses past ±15:59 (a
    500 that schemathesis finds); a time out of range once in UTC is a 400 like any unreadable one."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return value.astimezone(datetime.UTC) if value is not None else None
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    """Base of every list endpoint's filters: `updated_since` for sync clients."""

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text=_("Only objects changed at or after this ISO 8601 date and time (for example "
                    "2027-03-01T09:00:00Z; a time without zone is read in the server's zone)."),
    )


class VisiblePlanField(ModelChoiceField):
    """A plan the caller sees. Within a read request the ids of the visible plans are already known (plan_ids_for),
    so the choice is checked against them without a query and the filter gets the id; elsewhere it loads the plan."""

    def __init__(self, *args, visible_ids=None, **kwargs):
        self.visible_ids = None if visible_ids is None else frozenset(visible_ids)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if self.visible_ids is None or value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            pk = self.queryset.model._meta.pk.get_prep_value(value)
        except (ValueError, TypeError):
            pk = None
        if pk not in self.visible_ids:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return pk


class VisiblePlanFilter(filters.ModelChoiceFilter):
    """`plan`, limited to the plans the caller sees (`queryset` gives them), without loading the plan on reads."""

    field_class = VisiblePlanField

    @property
    def field(self):
        if not hasattr(self, "_field"):
            user = _user(self.get_request())
            self.extra["visible_ids"] = plan_ids_for(user) if user.is_authenticated else None
        return super().field


class PlanChildFilterSet(UpdatedSinceFilterSet):
    plan = VisiblePlanFilter(queryset=_plans, help_text=_("Only objects of this plan."))


class PersonaFilter(PlanChildFilterSet):
    class Meta:
        model = Persona
        fields = ("plan", "evidence", "updated_since")


class StakeholderFilter(PlanChildFilterSet):
    team = filters.ModelChoiceFilter(queryset=_teams, help_text=_("Only stakeholders of this team."))

    class Meta:
        model = Stakeholder
        fields = ("plan", "team", "updated_since")


class ChannelFilter(UpdatedSinceFilterSet):
    organisation = filters.ModelChoiceFilter(queryset=_organisations,
                                             help_text=_("Only channels of this organisation."))

    class Meta:
        model = Channel
        fields = ("organisation", "kind", "updated_since")


class JourneyFilter(PlanChildFilterSet):
    persona = filters.ModelChoiceFilter(queryset=_personas, help_text=_("Only journeys of this persona."))

    class Meta:
        model = Journey
        fields = ("plan", "persona", "updated_since")


class StageFilter(PlanChildFilterSet):
    journey = filters.ModelChoiceFilter(queryset=_journeys, help_text=_("Only stages of this journey."))

    class Meta:
        model = Stage
        fields = ("plan", "journey", "updated_since")


class TouchpointFilter(PlanChildFilterSet):
    journey = filters.ModelChoiceFilter(queryset=_journeys, help_text=_("Only touchpoints of this journey."))
    stage = filters.ModelChoiceFilter(queryset=_stages, help_text=_("Only touchpoints in this stage."))
    channel = filters.ModelChoiceFilter(queryset=_channels, help_text=_("Only touchpoints through this channel."))
    team = filters.ModelChoiceFilter(queryset=_teams, help_text=_("Only touchpoints owned by this team."))

    class Meta:
        model = Touchpoint
        fields = ("plan", "journey", "stage", "channel", "team", "evidence", "updated_since")
