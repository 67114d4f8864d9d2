"""Filters every app's API shares: `plan` limited to the plans the caller sees, organisations and teams.

Related-object filters only accept objects the caller may see, so another tenant's id answers the same
"Select a valid choice" as an id that does not exist (nothing to probe).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField

from core.api.filters import UpdatedSinceFilterSet
from tenancy import selectors
from tenancy.access import plan_ids_for


def request_user(request):
    # Without a request (schema generation) nothing is visible.
    return getattr(request, "user", None) or AnonymousUser()


def visible_plans(request):
    # The filter only needs the plan (its organisation and author are for the pages).
    return selectors.plan_list(user=request_user(request)).select_related(None)


def visible_organisations(request):
    return selectors.organisation_list(user=request_user(request))


def visible_teams(request):
    return selectors.team_list(user=request_user(request)).prefetch_related(None)


class VisiblePlanField(ModelChoiceField):
    """A plan the caller sees. Within a read request the ids of the visible plans are already known (plan_ids_for),
    so the choice is checked against them without a query and the filter gets the id; elsewhere it loads the plan."""

    def __init__(self, *args, visible_ids=None, **kwargs):
        self.visible_ids = None if visible_ids is None else frozenset(visible_ids)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if self.visible_ids is None or value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            pk = self.queryset.model._meta.pk.get_prep_value(value)
        except (ValueError, TypeError):
            pk = None
        if pk not in self.visible_ids:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return pk


class VisiblePlanFilter(filters.ModelChoiceFilter):
    """`plan`, limited to the plans the caller sees (`queryset` gives them), without loading the plan on reads."""

    field_class = VisiblePlanField

    @property
    def field(self):
        if not hasattr(self, "_field"):
            user = request_user(self.get_request())
            self.extra["visible_ids"] = plan_ids_for(user) if user.is_authenticated else None
        return super().field


class PlanChildFilterSet(UpdatedSinceFilterSet):
    plan = VisiblePlanFilter(queryset=visible_plans, help_text=_("Only objects of this plan."))


