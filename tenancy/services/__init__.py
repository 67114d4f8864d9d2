"""Every write of the tenancy: organisations, members, teams, invitations, plans and who may reach them."""

from tenancy.services.organisations import *  # noqa: F403
from tenancy.services.plans import *  # noqa: F403
