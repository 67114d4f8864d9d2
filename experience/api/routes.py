"""The experience resources for the one API router (config/api_router.py): (prefix, viewset, basename)."""

from experience.api.views import (
    EmotionScoreViewSet,
    LaneCardViewSet,
    LaneViewSet,
    OpportunityViewSet,
    PainPointViewSet,
)

ROUTES: list = [
    ("lanes", LaneViewSet, "lane"),
    ("lane-cards", LaneCardViewSet, "lane-card"),
    ("emotion-scores", EmotionScoreViewSet, "emotion-score"),
    ("pain-points", PainPointViewSet, "pain-point"),
    ("opportunities", OpportunityViewSet, "opportunity"),
]
