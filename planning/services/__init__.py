"""Every write of the planning app. Views, the API and tasks call these; nothing else writes."""

from .journeys import *  # noqa: F403
from .organisations import *  # noqa: F403
from .plans import *  # noqa: F403
