"""What roadmaps adds to the one API router (config/api_router.py registers these).

ROUTES: (prefix, viewset, basename) for router.register. URLS: plain paths under /api/v1/; they must come BEFORE
router.urls, or the plans detail route would take "plans/import/" for a plan called "import".
"""

from django.urls import path

from roadmaps.api.exports import ExportViewSet, PlanExportsView, PlanImportView
from roadmaps.api.items import PlanScoringView, RoadmapItemViewSet, ScoringCriterionViewSet

ROUTES: list = [
    ("exports", ExportViewSet, "export"),
]

URLS: list = [
    path("plans/import/", PlanImportView.as_view({"post": "create"}), name="plan-import"),
    path("plans/<int:pk>/exports/", PlanExportsView.as_view({"get": "list", "post": "create"}), name="plan-exports"),
]

# Roadmap items, scoring criteria and a plan's scoring method (roadmaps/api/items.py).
ROUTES += [
    ("roadmap-items", RoadmapItemViewSet, "roadmap-item"),
    ("scoring-criteria", ScoringCriterionViewSet, "scoring-criterion"),
]
URLS += [
    path("plans/<int:pk>/scoring/", PlanScoringView.as_view(), name="plan-scoring"),
]
