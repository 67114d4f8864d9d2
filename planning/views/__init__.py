from .invitations import invitation_accept, invitation_create, invitation_revoke
from .members import member_remove, member_role, members
from .organisations import dashboard, organisation_create, organisation_detail, organisation_settings
from .plans import plan_access_page, plan_create, plan_delete, plan_detail, plan_edit, plan_revoke_access
from .teams import team_create, team_delete, team_edit, teams

__all__ = [
    "dashboard", "organisation_create", "organisation_detail", "organisation_settings",
    "members", "member_role", "member_remove",
    "teams", "team_create", "team_edit", "team_delete",
    "invitation_create", "invitation_accept", "invitation_revoke",
    "plan_create", "plan_detail", "plan_edit", "plan_delete", "plan_access_page", "plan_revoke_access",
]
