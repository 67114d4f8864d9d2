"""Every read of the journey map: querysets already limited to what the user may see (another organisation's rows
are absent)."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from planning.models import Channel, Journey, Persona, Stage, StageTemplate, Stakeholder, Touchpoint
from tenancy.selectors import in_plans, member_organisation_ids

# Journey mapping -----------------------------------------------------------------------------------------------


def channel_list(*, user, organisation=None) -> QuerySet[Channel]:
    if not user.is_authenticated:
        return Channel.objects.none()
    qs = Channel.objects.filter(organisation_id__in=member_organisation_ids(user))
    return qs.filter(organisation=organisation) if organisation is not None else qs


def persona_list(*, user, plan=None) -> QuerySet[Persona]:
    return in_plans(Persona.objects.all(), user, plan).prefetch_related("preferred_channels")


def stakeholder_list(*, user, plan=None) -> QuerySet[Stakeholder]:
    return in_plans(Stakeholder.objects.all(), user, plan).select_related("team")


def _count_per_journey(model) -> Coalesce:
    """How many rows of `model` a journey has, as a subquery of its own: joining touchpoints and stages in one query
    and counting distinct ids multiplied the rows by stages × touchpoints (25,000 rows for a 5,000-touchpoint plan)."""
    rows = (model.objects.filter(journey=OuterRef("pk")).order_by().values("journey")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def journeys_with_counts(journeys: QuerySet[Journey] | None = None) -> QuerySet[Journey]:
    """Journeys with the `touchpoint_count` and `stage_count` the API answers (also for the changes feed)."""
    journeys = Journey.objects.all() if journeys is None else journeys
    return journeys.annotate(touchpoint_count=_count_per_journey(Touchpoint), stage_count=_count_per_journey(Stage))


def journey_list(*, user, plan=None) -> QuerySet[Journey]:
    return journeys_with_counts(in_plans(Journey.objects.all(), user, plan).select_related("persona"))


def plan_next_step(*, user, plan) -> dict | None:
    """What a plan still being drawn asks for next: a first persona, then a first journey, then the touchpoints of
    its first journey that has none (None once every journey has one)."""
    if not persona_list(user=user, plan=plan).exists():
        return {"step": "persona"}
    journeys = journey_list(user=user, plan=plan)
    if not journeys.exists():
        return {"step": "journey"}
    empty = journeys.filter(touchpoint_count=0).order_by("pk").first()
    return {"step": "touchpoints", "journey": empty} if empty else None


def stage_list(*, user, plan=None, journey=None) -> QuerySet[Stage]:
    qs = in_plans(Stage.objects.all(), user, plan)
    return qs.filter(journey=journey) if journey is not None else qs


def touchpoint_list(*, user, plan=None, journey=None) -> QuerySet[Touchpoint]:
    qs = in_plans(Touchpoint.objects.all(), user, plan).select_related("stage", "channel", "team")
    return qs.filter(journey=journey) if journey is not None else qs


def stage_template_list(*, organisation) -> QuerySet[StageTemplate]:
    return organisation.stage_templates.all()


def journey_map(*, journey: Journey, channels=None) -> dict:
    """Everything the journey map page (and the PDF) draws, in three queries, as plain structures.

    Returns {"stages": [...], "lanes": [{"channel", "cells": [{"stage", "touchpoints": [...]}, ...]}, ...]};
    online lanes come before offline ones, and every channel of the organisation has a lane so cards can be
    dropped anywhere. `channels` may be passed in to save the query.
    """
    stages = list(journey.stages.order_by("position", "id"))
    if channels is None:
        channels = list(Channel.objects.filter(organisation_id=journey.plan.organisation_id))
    touchpoints = Touchpoint.objects.filter(journey=journey).select_related("team").order_by("position", "id")
    cells: dict[tuple[int, int], list[Touchpoint]] = {}
    for touchpoint in touchpoints:
        cells.setdefault((touchpoint.stage_id, touchpoint.channel_id), []).append(touchpoint)
    lanes = [
        {"channel": channel,
         "cells": [{"stage": stage, "touchpoints": cells.get((stage.pk, channel.pk), [])} for stage in stages],
         "count": sum(len(cells.get((stage.pk, channel.pk), [])) for stage in stages)}
        for channel in channels
    ]
    return {"stages": stages, "lanes": lanes, "touchpoint_count": sum(lane["count"] for lane in lanes)}


