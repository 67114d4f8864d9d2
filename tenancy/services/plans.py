"""Plans and who may open them. Permission grants happen here and only here."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from tenancy.access import PERMISSION_FOR, Access, membership_for, permissions_for_level, plan_access
from tenancy.activity import tracked_create, tracked_delete, tracked_update
from tenancy.admin_log import admin_log_record
from tenancy.models import (
    READ_ONLY_ROLES,
    AdminAction,
    Plan,
    PlanGroupObjectPermission,
    PlanUserObjectPermission,
    Team,
)

# Plans ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, organisation, actor, name: str, description="", period_start=None, period_end=None,
                status="draft", external_source: str = "", external_id: str = "") -> Plan:
    """Owners, admins and editors create plans; the creator may then manage it."""
    membership = membership_for(actor, organisation.pk)
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if membership.role in READ_ONLY_ROLES:
        raise PermissionDenied(_("Viewers and commenters cannot create plans."))
    plan = Plan(organisation=organisation, name=name.strip(), description=description, period_start=period_start,
                period_end=period_end, status=status, created_by=actor,
                external_source=external_source, external_id=external_id)
    tracked_create(plan, actor=actor)
    if not membership.is_manager:
        plan_grant(plan=plan, actor=None, user=actor, access=Access.MANAGE)
    return plan


def plan_update(*, plan: Plan, actor, version: int | None = None, **fields) -> Plan:
    if plan_access(actor, plan) < Access.EDIT:
        raise PermissionDenied(_("You may view this plan but not change it."))
    allowed = {"name", "description", "period_start", "period_end", "status", "external_source", "external_id"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    return tracked_update(plan, actor=actor, changes=fields, version=version)


def plan_delete(*, plan: Plan, actor, version: int | None = None) -> None:
    if plan_access(actor, plan) < Access.MANAGE:
        raise PermissionDenied(_("Only those who manage this plan may delete it."))
    with transaction.atomic():
        admin_log_record(organisation=plan.organisation_id, actor=actor, action=AdminAction.PLAN_DELETED, target=plan,
                         before={"name": plan.name, "status": plan.status})
        tracked_delete(plan, actor=actor, version=version)


@transaction.atomic
def plan_grant(*, plan: Plan, actor, access: Access, user=None, team: Team | None = None) -> None:
    """Give a user or a team view/edit/manage on a plan (replacing what they had). `actor=None` is the system."""
    if actor is not None and plan_access(actor, plan) < Access.MANAGE:
        raise PermissionDenied(_("Only those who manage this plan may share it."))
    if (user is None) == (team is None):
        raise ValidationError(_("Choose a person or a team."))
    if team is not None and team.organisation_id != plan.organisation_id:
        raise ValidationError({"team": _("The team must belong to the plan's organisation.")})
    if user is not None and membership_for(user, plan.organisation_id) is None:
        raise ValidationError({"user": _("This person is not a member of the organisation.")})
    principal = user if user is not None else team.group
    before = _level(plan, user=user, team=team) if actor is not None else None
    for codename in PERMISSION_FOR.values():
        remove_perm(codename, principal, plan)
    for codename in permissions_for_level(access):
        assign_perm(codename, principal, plan)
    if actor is not None:  # the system's grants (a plan's creator) are not an administrator's action
        _sharing_logged(plan, actor, AdminAction.PLAN_SHARED, user, team, before, Access(access).name.lower())


def _level(plan: Plan, *, user=None, team=None) -> str | None:
    """The level a user or a team is given on the plan directly ("view", "edit", "manage"), or None."""
    if user is not None:
        codenames = PlanUserObjectPermission.objects.filter(content_object=plan, user=user)
    else:
        codenames = PlanGroupObjectPermission.objects.filter(content_object=plan, group=team.group)
    held = set(codenames.values_list("permission__codename", flat=True))
    levels = [level for level, codename in PERMISSION_FOR.items() if codename in held]
    return max(levels).name.lower() if levels else None


def _sharing_logged(plan, actor, action, user, team, before: str | None, after: str | None) -> None:
    who = {"user": user.get_username()} if user is not None else {"team": team.name}
    admin_log_record(organisation=plan.organisation_id, actor=actor, action=action, target=plan,
                     before=None if before is None else {**who, "access": before},
                     after=None if after is None else {**who, "access": after})


@transaction.atomic
def plan_revoke(*, plan: Plan, actor, user=None, team: Team | None = None) -> None:
    if plan_access(actor, plan) < Access.MANAGE:
        raise PermissionDenied(_("Only those who manage this plan may share it."))
    if user is not None or team is not None:
        before = _level(plan, user=user, team=team)
        if before is not None:
            _sharing_logged(plan, actor, AdminAction.PLAN_UNSHARED, user, team, before, None)
    if user is not None:
        PlanUserObjectPermission.objects.filter(content_object=plan, user=user).delete()
    if team is not None:
        PlanGroupObjectPermission.objects.filter(content_object=plan, group=team.group).delete()


