"""Filters of the exports API: by plan, format and status, and `updated_since` for sync clients.

The roadmap items' and scoring criteria's filters sit beside their viewsets (roadmaps/api/items.py).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from core.api.filters import UpdatedSinceFilterSet
from roadmaps.models import Export
from tenancy import selectors
from tenancy.api.filters import VisiblePlanFilter


def _plans(request):
    # Without a request (schema generation) nothing is visible.
    return selectors.plan_list(user=getattr(request, "user", None) or AnonymousUser())


class ExportFilter(UpdatedSinceFilterSet):
    """`plan` only accepts plans the caller may see, so another tenant's id answers like one that does not exist."""

    plan = VisiblePlanFilter(queryset=_plans, help_text=_("Only exports of this plan."))

    class Meta:
        model = Export
        fields = ("plan", "format", "status", "updated_since")
