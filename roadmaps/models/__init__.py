from .exports import Export, ExportFormat, ExportStatus
from .items import (
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
    "Export", "ExportFormat", "ExportStatus", "Category", "Direction", "Horizon", "ItemStatus", "RoadmapItem",
    "ScoringCriterion", "ScoringMethod", "ScoringSettings",
]
