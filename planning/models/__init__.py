from .activity import Activity, Verb
from .journeys import Channel, ChannelKind, EvidenceLevel, Journey, Persona, Stage, StageTemplate, Touchpoint
from .organisations import (
    MANAGING_ROLES,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    Team,
    _invitation_token,
)
from .plans import Plan, PlanGroupObjectPermission, PlanStatus, PlanUserObjectPermission, Stakeholder

__all__ = [
    "MANAGING_ROLES", "Department", "Invitation", "Membership", "Organisation", "Role", "Team", "_invitation_token",
    "Plan", "PlanGroupObjectPermission", "PlanStatus", "PlanUserObjectPermission", "Stakeholder",
    "Activity", "Verb", "Channel", "ChannelKind", "EvidenceLevel", "Journey", "Persona", "Stage", "StageTemplate",
    "Touchpoint",
]
