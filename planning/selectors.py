"""Every read: querysets already limited to what the user may see (another organisation's rows are absent)."""

from django.db.models import Count, Prefetch, QuerySet

from .access import Access, plans_for
from .models import (
    Invitation,
    Membership,
    Organisation,
    Plan,
    PlanGroupObjectPermission,
    PlanUserObjectPermission,
    Team,
)


def _member_org_ids(user):
    return Membership.objects.filter(user=user).values("organisation_id")


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
