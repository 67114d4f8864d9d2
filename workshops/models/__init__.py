from workshops.models.comments import (
    COMMENT_TARGET_MODELS,
    Comment,
    CommentTarget,
    Moderation,
    Notification,
    NotificationKind,
)
from workshops.models.voting import Vote, VoteTarget, VotingSession, WorkshopTimer

__all__ = [
    "COMMENT_TARGET_MODELS", "Comment", "CommentTarget", "Moderation", "Notification", "NotificationKind", "Vote",
    "VoteTarget", "VotingSession", "WorkshopTimer",
]
