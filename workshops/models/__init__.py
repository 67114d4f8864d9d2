from workshops.models.comments import COMMENT_TARGET_MODELS, Comment, CommentTarget, Moderation, Notification
from workshops.models.voting import Vote, VoteTarget, VotingSession, WorkshopTimer

__all__ = [
    "COMMENT_TARGET_MODELS", "Comment", "CommentTarget", "Moderation", "Notification", "Vote", "VoteTarget",
    "VotingSession", "WorkshopTimer",
]
