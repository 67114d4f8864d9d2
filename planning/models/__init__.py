from .activity import Activity, Verb
from .comments import COMMENT_TARGET_MODELS, Comment, CommentTarget, Notification
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
from .workshops import Vote, VoteTarget, VotingSession, WorkshopTimer

__all__ = [
    "MANAGING_ROLES", "Department", "Invitation", "Membership", "Organisation", "Role", "Team", "_invitation_token",
    "Plan", "PlanGroupObjectPermission", "PlanStatus", "PlanUserObjectPermission", "Stakeholder",
    "Activity", "Verb", "Channel", "ChannelKind", "EvidenceLevel", "Journey", "Persona", "Stage", "StageTemplate",
    "Touchpoint",
    "COMMENT_TARGET_MODELS", "Comment", "CommentTarget", "Notification", "Vote", "VoteTarget", "VotingSession",
    "WorkshopTimer",
]
