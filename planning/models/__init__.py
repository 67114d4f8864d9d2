from planning.models.journeys import (
    Channel,
    ChannelKind,
    EvidenceLevel,
    Journey,
    JourneyState,
    Persona,
    Stage,
    StageTemplate,
    Touchpoint,
)
from planning.models.stakeholders import Stakeholder

__all__ = [
    "Stakeholder", "Channel", "ChannelKind", "EvidenceLevel", "Journey", "JourneyState", "Persona", "Stage",
    "StageTemplate", "Touchpoint",
]
