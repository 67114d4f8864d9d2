"""The API's filter backend: django-filter's, building only the filters a request uses.

A FilterSet builds every filter's form field on each request, and a related-object filter's field asks its selector
for what the user may see (tenancy.access.plans_for and the like): `make bench` showed a list of touchpoints spending
more time on its four unused filters than on its rows. Leaving out a filter whose parameter is absent changes no
result (django-filter skips empty values), so a request filters with a FilterSet of the filters it names. The
browsable API's filter form and the OpenAPI schema still see every filter.
"""

import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters import utils
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter


class GivenFiltersBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose filtering uses only the filters named in the query string (and required ones)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if filterset_class is getattr(view, "filterset_class", None):  # not the per-request `filterset_fields` one
            filterset_class = given_filters_only(filterset_class, kwargs["data"])
        filterset = filterset_class(**kwargs)
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


def given_filters_only(filterset_class, data):
    """`filterset_class` narrowed to the filters whose parameter is in `data`: the filter's name, or the name and a
    suffix for the ones of several inputs (`responded_on_after`, `size_min`). Required filters always stay."""
    kept = frozenset(
        name for name, filter_ in filterset_class.base_filters.items()
        if filter_.extra.get("required") or any(key == name or key.startswith(f"{name}_") for key in data)
    )
    if len(kept) == len(filterset_class.base_filters):
        return filterset_class
    return _narrowed(filterset_class, kept)


@lru_cache(maxsize=512)  # keys are a FilterSet class and a subset of its filter names: a bounded set
def _narrowed(filterset_class, kept: frozenset):
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in kept}
    return narrowed


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as usual, with the id appended so pages never repeat or skip rows of equal keys."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering = [*ordering, "id"]
        return ordering


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time turned to UTC. Python reads offsets up to ±23:59 but PostgreSQL refuses past ±15:59 (a
    500 that schemathesis finds); a time out of range once in UTC is a 400 like any unreadable one."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return value.astimezone(datetime.UTC) if value is not None else None
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    """Base of every list endpoint's filters: `updated_since` for sync clients."""

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text=_("Only objects changed at or after this ISO 8601 date and time (for example "
                    "2027-03-01T09:00:00Z; a time without zone is read in the server's zone)."),
    )
