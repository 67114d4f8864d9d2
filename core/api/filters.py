"""The API's filter backend: django-filter's, building only the filters a request uses.

A FilterSet builds every filter's form field on each request, and a related-object filter's field asks its selector
for what the user may see (tenancy.access.plans_for and the like): `make bench` showed a list of touchpoints spending
more time on its four unused filters than on its rows. Leaving out a filter whose parameter is absent changes no
result (django-filter skips empty values), so a request filters with a FilterSet of the filters it names. The
browsable API's filter form and the OpenAPI schema still see every filter.
"""

import datetime
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation


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
        errors = filter_errors(filterset) if self.raise_exception else {}
        if errors:
            raise exceptions.ValidationError(errors)
        return filterset.qs


def filter_errors(filterset) -> dict[str, list[ErrorDetail]]:
    """The filterset's errors (with their codes), saying what each parameter takes; a value given but read as
    nothing (`resolved=maybe` for a true/false filter) is an error too rather than no filter."""
    filterset.is_valid()
    errors = {name: [ErrorDetail(error.message % (error.params or ()), code=error.code) for error in messages]
              for name, messages in filterset.errors.as_data().items()}
    for name in filterset.form.fields:
        given = filterset.data.get(name)
        if name not in errors and given not in (None, "") and filterset.form.cleaned_data.get(name) in (None, ""):
            errors[name] = [ErrorDetail(gettext("“%(value)s” is not a value this filter takes.") % {"value": given},
                                        code="invalid")]
    for name, messages in errors.items():
        allowed = allowed_values(filterset.form.fields.get(name))
        if allowed:
            text = f"{messages[-1]} {gettext('Allowed values: %(values)s.') % {'values': allowed}}"
            messages[-1] = ErrorDetail(text, code=messages[-1].code)
    return errors


def allowed_values(field) -> str:
    """The values a filter's form field takes, spelled out when they are few and fixed."""
    if isinstance(field, forms.NullBooleanField):
        return "true, false"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return ", ".join(str(value) for value, _label in field.choices if value != "")
    return ""


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
    """`?ordering=a,-b` among the view's `ordering_fields` and `id`, refused with the allowed ones otherwise (400
    rather than ignored), with the id appended so pages never repeat or skip rows of equal keys."""

    def get_ordering(self, request, queryset, view):
        given = request.query_params.get(self.ordering_param, "").strip()
        if not given:
            return self.get_default_ordering(view)
        allowed = ["id", *(name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
                           if name != "id")]
        ordering = [term.strip() for term in given.split(",")]
        unknown = [term for term in ordering if term.lstrip("-") not in allowed]
        if unknown:
            raise exceptions.ValidationError({self.ordering_param: [ErrorDetail(
                gettext("Unknown ordering “%(value)s”. Allowed: %(allowed)s (put - before one to reverse it).")
                % {"value": unknown[0], "allowed": ", ".join(allowed)}, code="invalid_choice")]})
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering = [*ordering, "id"]
        return ordering

    def get_schema_operation_parameters(self, view):
        [parameter] = super().get_schema_operation_parameters(view)
        fields = ["id", *(name for name in getattr(view, "ordering_fields", None) or () if name != "id")]
        parameter["description"] = gettext("Comma-separated keys among %(fields)s; put - before one to reverse it. "
                                        "With cursor pages: id or -id.") % {"fields": ", ".join(fields)}
        return [parameter]


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time turned to UTC. Python reads offsets up to ±23:59 but PostgreSQL refuses past ±15:59 (a
    500 that schemathesis finds); a time out of range once in UTC is a 400 like any unreadable one."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date and time, such as 2027-03-01T09:00:00Z."),
    }

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


class FormatIsAFilterNegotiation(DefaultContentNegotiation):
    """For a list with a filter named `format` (the exports): DRF reads `?format=` as the renderer to use, so
    `?format=pdf` answered 404. Here it is left to the filter; the Accept header still picks the renderer."""

    class settings:  # noqa: N801  (stands in for DRF's api_settings, of which select_renderer reads this one)
        URL_FORMAT_OVERRIDE = None
