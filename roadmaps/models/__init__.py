from roadmaps.models.exports import Export, ExportFormat, ExportStatus, PdfAppendix
from roadmaps.models.items import (
    Category,
    Direction,
    Horizon,
    ItemStatus,
    RoadmapItem,
    ScoringCriterion,
    ScoringMethod,
    ScoringSettings,
)

__all__ = [
    "Export", "ExportFormat", "ExportStatus", "PdfAppendix", "Category", "Direction", "Horizon", "ItemStatus",
    "RoadmapItem", "ScoringCriterion", "ScoringMethod", "ScoringSettings",
]
