"""Every write of the journey map. Views, the API and tasks call these; nothing else writes."""

from planning.services.journeys import *  # noqa: F403
