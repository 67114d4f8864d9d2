"""What roadmaps adds to the one API router (config/api_router.py registers these).

ROUTES: (prefix, viewset, basename) for router.register. VIEW_URLS: (route, viewset, actions, name), paths under
/api/v1/ served by a viewset with the given actions. Both come before router.urls in config/api_router.py, or the
plans detail route would take "plans/import/" for a plan called "import".
"""

from django.urls import path

from roadmaps.api.exports import ExportViewSet, PlanExportsView, PlanImportView
from roadmaps.api.items import PlanScoringView, RoadmapItemViewSet, ScoringCriterionViewSet

ROUTES: list = [
    ("exports", ExportViewSet, "export"),
    ("roadmap-items", RoadmapItemViewSet, "roadmap-item"),
    ("scoring-criteria", ScoringCriterionViewSet, "scoring-criterion"),
]

VIEW_URLS: list = [
    ("plans/import/", PlanImportView, {"post": "create"}, "plan-import"),
    ("plans/<int:pk>/exports/", PlanExportsView, {"get": "list", "post": "create"}, "plan-exports"),
]

# A plan's scoring method (roadmaps/api/items.py): a plain API view (GET, PUT, PATCH).
URLS: list = [
    path("plans/<int:pk>/scoring/", PlanScoringView.as_view(), name="plan-scoring"),
]
