from tenancy.views.admin_log import admin_log
from tenancy.views.invitations import invitation_accept, invitation_create, invitation_revoke
from tenancy.views.members import member_remove, member_role, members
from tenancy.views.organisations import dashboard, organisation_create, organisation_detail, organisation_settings
from tenancy.views.teams import team_create, team_delete, team_edit, teams

__all__ = [
    "dashboard", "organisation_create", "organisation_detail", "organisation_settings",
    "members", "member_role", "member_remove",
    "teams", "team_create", "team_edit", "team_delete",
    "invitation_create", "invitation_accept", "invitation_revoke",
    "admin_log",
]
