from roadmaps.views import audit_gaps, boards, exports, items, scoring

urlpatterns: list = []
# Plan exports (PDF, CSV, XLSX, JSON): request, progress, download; importing a plan from JSON.
urlpatterns += exports.urlpatterns

# The ranked roadmap and its items (roadmaps/views/items.py).
urlpatterns += items.urlpatterns
# Scoring method and custom criteria (roadmaps/views/scoring.py).
urlpatterns += scoring.urlpatterns
# The now/next/later board, the timeline and the value/effort matrix (roadmaps/views/boards.py).
urlpatterns += boards.urlpatterns
# An audit's gap as a roadmap candidate (roadmaps/views/audit_gaps.py).
urlpatterns += audit_gaps.urlpatterns
