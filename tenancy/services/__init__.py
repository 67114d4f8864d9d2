"""Every write of the tenancy: organisations, members, teams, invitations, plans and who may reach them."""

from tenancy.mail import invitation_send  # noqa: E402,F401  (the email, for callers that send it at once)
from tenancy.services.organisations import *  # noqa: F403
from tenancy.services.plans import *  # noqa: F403
