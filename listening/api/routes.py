"""The listening resources for the one API router (config/api_router.py): (prefix, viewset, basename)."""

from listening.api.views import CompetitorViewSet, MentionViewSet

ROUTES: list = [
    ("mentions", MentionViewSet, "mention"),
    ("competitors", CompetitorViewSet, "competitor"),
]
