"""Every write of the workshop layer: comments and mentions, notifications, dot voting and the timer."""

from workshops.services.comments import *  # noqa: F403
from workshops.services.external import *  # noqa: F403
from workshops.services.voting import *  # noqa: F403
