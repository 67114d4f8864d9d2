"""The API's filter backend: django-filter's, building only the filters a request uses.

A FilterSet builds every filter's form field on each request, and a related-object filter's field asks its selector
for what the user may see (planning.access.plans_for and the like): `make bench` showed a list of touchpoints spending
more time on its four unused filters than on its rows. Leaving out a filter whose parameter is absent changes no
result (django-filter skips empty values), so a request filters with a FilterSet of the filters it names. The
browsable API's filter form and the OpenAPI schema still see every filter.
"""

from functools import lru_cache

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend


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
