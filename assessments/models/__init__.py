from assessments.models.audits import QUESTIONS, AuditItem, AuditKind, AuditStep
from assessments.models.evaluations import (
    DataCaptureItem,
    FeedbackMode,
    InformationPushed,
    Maturity,
    Rating,
    Storage,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from assessments.models.feedback import SCALES, FeedbackKind, FeedbackResponse, Sentiment
from assessments.models.maturity import (
    CHANNEL_AXIS,
    ENGAGEMENT_AXIS,
    OBJECTIVES,
    Level,
    MaturityAssessment,
    MaturityVote,
)
from assessments.models.rollups import FeedbackDay, FeedbackPlanDay, FeedbackTotal
from assessments.models.themes import AssignedBy, Tag, Theme, ThemeRule, VerbatimTag, VerbatimTheme

__all__ = [
    "QUESTIONS", "AuditItem", "AuditKind", "AuditStep", "DataCaptureItem", "FeedbackMode", "InformationPushed",
    "Maturity", "Rating", "Storage", "TouchpointAgreement", "TouchpointEvaluation", "SCALES", "FeedbackKind",
    "FeedbackResponse", "CHANNEL_AXIS", "ENGAGEMENT_AXIS", "OBJECTIVES", "Level", "MaturityAssessment",
    "MaturityVote",
    "FeedbackDay", "FeedbackPlanDay", "FeedbackTotal", "AssignedBy",
    "Sentiment", "Tag", "Theme", "ThemeRule", "VerbatimTag", "VerbatimTheme",
]
