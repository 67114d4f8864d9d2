"""The assessments resources for the one API router (config/api_router.py): (prefix, viewset, basename).

`URLS` are plain paths (the read-only statistics) to include under /api/v1/ beside the router's URLs; they sit
under the touchpoints, journeys and plans resources but are separate views, so they work whatever those are.
"""

from django.urls import path

from assessments.api.statistics import JourneyStatisticsView, PlanStatisticsView, TouchpointStatisticsView
from assessments.api.themes import TagViewSet, ThemeRuleViewSet, ThemeViewSet
from assessments.api.views import (
    AuditItemViewSet,
    DataCaptureItemViewSet,
    FeedbackResponseViewSet,
    MaturityAssessmentViewSet,
    TouchpointAgreementViewSet,
    TouchpointEvaluationViewSet,
)

ROUTES: list = [
    ("touchpoint-evaluations", TouchpointEvaluationViewSet, "touchpoint-evaluation"),
    ("touchpoint-data-items", DataCaptureItemViewSet, "touchpoint-data-item"),
    ("touchpoint-agreements", TouchpointAgreementViewSet, "touchpoint-agreement"),
    ("feedback-responses", FeedbackResponseViewSet, "feedback-response"),
    ("maturity-assessments", MaturityAssessmentViewSet, "maturity-assessment"),
    ("audit-items", AuditItemViewSet, "audit-item"),
    ("themes", ThemeViewSet, "theme"),
    ("theme-rules", ThemeRuleViewSet, "theme-rule"),
    ("tags", TagViewSet, "tag"),
]

URLS: list = [
    path("touchpoints/<int:pk>/statistics/", TouchpointStatisticsView.as_view(), name="touchpoint-statistics"),
    path("journeys/<int:pk>/statistics/", JourneyStatisticsView.as_view(), name="journey-statistics"),
    path("plans/<int:pk>/statistics/", PlanStatisticsView.as_view(), name="plan-statistics"),
]
