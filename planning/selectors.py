"""Every read: querysets already limited to what the user may see (another organisation's rows are absent)."""

from django.db.models import Count, Prefetch, QuerySet

from .access import Access, memberships_of, plan_ids_for, plans_for
from .models import (
    Activity,
    Channel,
    Invitation,
    Journey,
    Membership,
    Organisation,
    Persona,
    Plan,
    PlanGroupObjectPermission,
    PlanUserObjectPermission,
    Stage,
    StageTemplate,
    Stakeholder,
    Team,
    Touchpoint,
)


def _member_org_ids(user):
    return memberships_of(user).values("organisation_id")


def organisation_list(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_member_org_ids(user))


def membership_list(*, user, organisation=None) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    qs = Membership.objects.filter(organisation_id__in=_member_org_ids(user)).select_related("user", "organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation_id", "user__username")


def team_list(*, user, organisation=None) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    qs = Team.objects.filter(organisation_id__in=_member_org_ids(user)).select_related("organisation", "group")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    from django.contrib.auth import get_user_model

    members = get_user_model().objects.order_by("username")
    return qs.annotate(member_count=Count("group__user")).prefetch_related(
        Prefetch("group__user_set", queryset=members, to_attr="prefetched_members")
    )


def invitation_list(*, organisation) -> QuerySet[Invitation]:
    """Pending and past invitations of an organisation (the caller has checked the user manages it)."""
    return organisation.invitations.select_related("invited_by").prefetch_related("teams").order_by("-created_at")


def plan_list(*, user, organisation=None, access: Access = Access.VIEW) -> QuerySet[Plan]:
    qs = plans_for(user, access).select_related("organisation", "created_by")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def plan_grants(*, plan: Plan) -> dict:
    """Who holds which level on a plan: {"users": [(user, level)], "teams": [(team, level)]}."""
    from .access import PERMISSION_FOR

    level_of = {codename: level for level, codename in PERMISSION_FOR.items()}

    def collect(rows, key):
        best = {}
        for principal, codename in rows:
            best[principal] = max(best.get(principal, Access.NONE), level_of.get(codename, Access.NONE))
        return sorted(best.items(), key=lambda item: str(item[0]).lower())

    user_rows = PlanUserObjectPermission.objects.filter(content_object=plan).select_related("user", "permission")
    group_rows = PlanGroupObjectPermission.objects.filter(content_object=plan, group__team__isnull=False)
    group_rows = group_rows.select_related("group__team", "permission")
    return {
        "users": collect(((r.user, r.permission.codename) for r in user_rows), "user"),
        "teams": collect(((r.group.team, r.permission.codename) for r in group_rows), "team"),
    }


# Journey mapping -----------------------------------------------------------------------------------------------


def _visible_plan_ids(user):
    return plans_for(user).values("pk")


def in_plans(qs, user, plan=None):
    """`qs` (of a model with a `plan`) narrowed to the plans the user sees, and to `plan` if given."""
    if not user.is_authenticated:
        return qs.none()
    ids = plan_ids_for(user)  # within a read-only request: the visible plans' ids, read once
    if ids is not None:
        qs = qs.filter(plan_id__in=ids)
    else:
        # The organisation filter changes no result (every visible plan is in one of the user's organisations) but
        # lets PostgreSQL see how few rows match: without it, it guesses most plans are visible and scans every
        # tenant's rows (`make bench`: the whole-organisation feedback list took 5× as long as a plain organisation
        # filter). A list of ids needs no such help.
        qs = qs.filter(plan__organisation_id__in=_member_org_ids(user), plan_id__in=_visible_plan_ids(user))
    return qs.filter(plan=plan) if plan is not None else qs


def channel_list(*, user, organisation=None) -> QuerySet[Channel]:
    if not user.is_authenticated:
        return Channel.objects.none()
    qs = Channel.objects.filter(organisation_id__in=_member_org_ids(user))
    return qs.filter(organisation=organisation) if organisation is not None else qs


def persona_list(*, user, plan=None) -> QuerySet[Persona]:
    return in_plans(Persona.objects.all(), user, plan).prefetch_related("preferred_channels")


def stakeholder_list(*, user, plan=None) -> QuerySet[Stakeholder]:
    return in_plans(Stakeholder.objects.all(), user, plan).select_related("team")


def journeys_with_counts(journeys: QuerySet[Journey] | None = None) -> QuerySet[Journey]:
    """Journeys with the `touchpoint_count` and `stage_count` the API answers (also for the changes feed)."""
    journeys = Journey.objects.all() if journeys is None else journeys
    return journeys.annotate(touchpoint_count=Count("touchpoints", distinct=True),
                             stage_count=Count("stages", distinct=True))


def journey_list(*, user, plan=None) -> QuerySet[Journey]:
    return journeys_with_counts(in_plans(Journey.objects.all(), user, plan).select_related("persona"))


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


def activity_list(*, user, plan) -> QuerySet[Activity]:
    return in_plans(Activity.objects.all(), user, plan).select_related("actor")
