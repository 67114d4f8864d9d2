"""Filters of the journey-mapping API: by plan, journey, stage and channel (plus `updated_since`)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api.filters import UpdatedSinceFilterSet
from planning import selectors
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint
from tenancy.api.filters import PlanChildFilterSet, request_user, visible_organisations, visible_teams


def _personas(request):
    return selectors.persona_list(user=request_user(request)).prefetch_related(None)


def _journeys(request):
    return selectors.journey_list(user=request_user(request))


def _stages(request):
    return selectors.stage_list(user=request_user(request))


def _channels(request):
    return selectors.channel_list(user=request_user(request))


class PersonaFilter(PlanChildFilterSet):
    class Meta:
        model = Persona
        fields = ("plan", "evidence", "updated_since")


class StakeholderFilter(PlanChildFilterSet):
    team = filters.ModelChoiceFilter(queryset=visible_teams, help_text=_("Only stakeholders of this team."))

    class Meta:
        model = Stakeholder
        fields = ("plan", "team", "updated_since")


class ChannelFilter(UpdatedSinceFilterSet):
    organisation = filters.ModelChoiceFilter(queryset=visible_organisations,
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
    team = filters.ModelChoiceFilter(queryset=visible_teams, help_text=_("Only touchpoints owned by this team."))

    class Meta:
        model = Touchpoint
        fields = ("plan", "journey", "stage", "channel", "team", "evidence", "updated_since")
