from planning.models.comments import COMMENT_TARGET_MODELS, Comment, CommentTarget, Notification
from planning.models.journeys import (
    Channel,
    ChannelKind,
    EvidenceLevel,
    Journey,
    Persona,
    Stage,
    StageTemplate,
    Touchpoint,
)
from planning.models.stakeholders import Stakeholder
from planning.models.workshops import Vote, VoteTarget, VotingSession, WorkshopTimer

__all__ = [
    "Stakeholder", "Channel", "ChannelKind", "EvidenceLevel", "Journey", "Persona", "Stage", "StageTemplate",
    "Touchpoint",
    "COMMENT_TARGET_MODELS", "Comment", "CommentTarget", "Notification", "Vote", "VoteTarget", "VotingSession",
    "WorkshopTimer",
]
