from tenancy.models.activity import Activity, Verb
from tenancy.models.admin_log import AdminAction, AdminLogEntry, Channel
from tenancy.models.organisations import (
    MANAGING_ROLES,
    READ_ONLY_ROLES,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    Team,
    _invitation_token,
)
from tenancy.models.plans import Plan, PlanGroupObjectPermission, PlanStatus, PlanUserObjectPermission

__all__ = [
    "MANAGING_ROLES", "READ_ONLY_ROLES", "Department", "Invitation", "Membership", "Organisation", "Role", "Team",
    "_invitation_token",
    "Plan", "PlanGroupObjectPermission", "PlanStatus", "PlanUserObjectPermission", "Activity", "Verb",
    "AdminAction", "AdminLogEntry", "Channel",
]
