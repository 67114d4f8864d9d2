"""Reads of the tenancy: organisations, members, teams, invitations, plans, their history, and `in_plans`, which
every app uses to narrow a queryset of a plan's children to the plans the user sees."""

from django.db.models import Count, Prefetch, QuerySet

from tenancy.access import PERMISSION_FOR, Access, membership_for, memberships_of, plan_ids_for, plans_for
from tenancy.models import (
    Activity,
    AdminLogEntry,
    Invitation,
    Membership,
    Organisation,
    Plan,
    PlanGroupObjectPermission,
    PlanUserObjectPermission,
    Team,
)


def member_organisation_ids(user):
    return memberships_of(user).values("organisation_id")


def organisation_list(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=member_organisation_ids(user))


def membership_list(*, user, organisation=None) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    qs = Membership.objects.filter(organisation_id__in=member_organisation_ids(user))
    qs = qs.select_related("user", "organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation_id", "user__username")


def team_list(*, user, organisation=None) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    qs = Team.objects.filter(organisation_id__in=member_organisation_ids(user)).select_related("organisation", "group")
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
        qs = qs.filter(plan__organisation_id__in=member_organisation_ids(user), plan_id__in=_visible_plan_ids(user))
    return qs.filter(plan=plan) if plan is not None else qs


def activity_list(*, user, plan) -> QuerySet[Activity]:
    return in_plans(Activity.objects.all(), user, plan).select_related("actor")


def admin_log_list(*, user, organisation, filters: dict | None = None) -> QuerySet[AdminLogEntry]:
    """The organisation's admin log, newest first, for its owners and admins only (nobody else sees a row).
    `filters`: action, actor (a user), since and until (dates, both included)."""
    membership = membership_for(user, organisation.pk) if user.is_authenticated else None
    if membership is None or not membership.is_manager:
        return AdminLogEntry.objects.none()
    qs = AdminLogEntry.objects.filter(organisation=organisation).order_by("-created_at", "-id")
    filters = filters or {}
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor=filters["actor"])
    if filters.get("since"):
        qs = qs.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(created_at__date__lte=filters["until"])
    return qs
