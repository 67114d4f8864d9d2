"""The activity history of a plan: who changed what and when, field by field, including refused stale saves."""

import os
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from tenancy import selectors
from tenancy.access import plan_for
from tenancy.models import Verb

PER_PAGE = 50


def _model(target_type):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _ids(value) -> list:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int)]


def _related_names(activities) -> dict:
    """{related model: {id: name}} for every id the page's changes mention: one query per related model."""
    wanted = defaultdict(set)
    for activity in activities:
        model = _model(activity.target_type)
        for name, pair in activity.changes.items():
            field = _field(model, name)
            if field is not None and field.is_relation and isinstance(pair, list):
                for value in pair:
                    wanted[field.related_model].update(_ids(value))
    return {related: {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=ids)}
            for related, ids in wanted.items() if ids}


def _shown(field, value, names) -> str:
    """A stored value as people read it: choice labels, names for ids (#id when the object is gone)."""
    if value is None or value == "" or value == []:
        return ""
    if field is not None and field.is_relation:
        known = names.get(field.related_model, {})
        return ", ".join(known.get(pk, f"#{pk}") for pk in (value if isinstance(value, list) else [value]))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and isinstance(value, str | int):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.FileField):
        return os.path.basename(str(value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)  # stored as ISO 8601 in UTC: shown in the reader's time zone and language
        if moment is not None:
            return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment,
                               "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField | models.FloatField) and isinstance(value, str | int | float):
        try:
            return number_format(Decimal(str(value)).normalize())
        except InvalidOperation:
            return str(value)
    if isinstance(value, float):
        return number_format(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(None, item, names) or '—'}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_shown(None, item, names) for item in value)
    return str(value)


def _describe(activities) -> None:
    """Give each activity a readable type and its changes as rows of (field label, before, after)."""
    names = _related_names(activities)
    for activity in activities:
        model = _model(activity.target_type)
        activity.type_label = model._meta.verbose_name if model else activity.target_type
        activity.refused = activity.verb == Verb.REFUSED
        rows = []
        for name, pair in activity.changes.items():
            field = _field(model, name)
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            row = {"label": field.verbose_name if field is not None else name,
                   "before": _shown(field, before, names), "after": _shown(field, after, names)}
            # A refused save records every field of the form; only those it would have changed tell the story.
            if activity.refused and row["before"] == row["after"]:
                continue
            rows.append(row)
        activity.rows = rows


def _type_choices(history) -> list:
    types = history.order_by().values_list("target_type", flat=True).distinct()
    choices = [(t, _model(t)._meta.verbose_name if _model(t) else t) for t in types]
    return sorted(choices, key=lambda choice: str(choice[1]).lower())


@login_required
def plan_activity(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    history = selectors.activity_list(user=request.user, plan=plan)
    types = _type_choices(history)
    chosen = request.GET.get("type", "")
    if chosen in dict(types):
        history = history.filter(target_type=chosen)
    else:
        chosen = ""
    page = Paginator(history, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _describe(page.object_list)
    return render(request, "planning/catalogue/activity.html", {
        "plan": plan, "organisation": plan.organisation, "page": page, "types": types, "chosen": chosen,
    })


urlpatterns = [
    path("plans/<int:pk>/activity/", plan_activity, name="plan_activity"),
]
