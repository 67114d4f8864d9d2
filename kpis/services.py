"""Every write of KPIs: the KPIs, their measurements (typed or computed per month) and their roadmap item links.

All writes are tracked and versioned (tenancy.activity): they appear in the history, the changes feed and webhooks,
and a stale version is refused (StaleVersion) with the current row.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kpis import sources
from kpis.models import MANUAL, Direction, Kpi, KpiLink, Measurement, Unit
from tenancy.access import require_plan_access
from tenancy.activity import atomic_write, tracked_create, tracked_delete, tracked_update

FILTER_FIELDS = ("touchpoint", "channel", "persona")


def _check_source(plan, fields: dict, kpi: Kpi | None = None) -> None:
    """The source is "manual" or a registered one; its filters belong to the plan; a manual KPI has no filters."""
    key = fields.get("source") or (kpi.source if kpi else MANUAL)
    if kpi is None or "source" in fields:
        fields["source"] = key
    source = sources.get(key)
    if key != MANUAL and source is None:
        raise ValidationError({"source": _("Unknown source “%s”.") % key})
    for name in FILTER_FIELDS:
        obj = fields.get(name, getattr(kpi, name) if kpi else None)
        if obj is None:
            continue
        if source is None or name not in source.filters:
            raise ValidationError({name: _("Only a KPI computed from the data can be narrowed this way.")})
        owner = obj.organisation_id if name == "channel" else obj.plan_id
        if owner != (plan.organisation_id if name == "channel" else plan.pk):
            raise ValidationError({name: _("This belongs to another plan.")})
    team = fields.get("owner_team")
    if team is not None and team.organisation_id != plan.organisation_id:
        raise ValidationError({"owner_team": _("Teams must belong to the plan's organisation.")})


VALUE_FIELDS = ("direction", "baseline_value", "baseline_date", "target_value", "target_date")


def check_values(values: dict) -> None:
    """Baseline and target each need a value and a date; the target comes after the baseline and is better than it
    in the KPI's direction (the database holds the same rules; here they are answered field by field)."""
    errors = {}
    for value, day, message in (
            ("baseline_value", "baseline_date", _("A baseline needs both a value and a date.")),
            ("target_value", "target_date", _("A target needs both a value and a date."))):
        if (values[value] is None) != (values[day] is None):
            errors[day if values[day] is None else value] = message
    start, end = values["baseline_date"], values["target_date"]
    if start and end and end <= start:
        errors["target_date"] = _("The target date must be after the baseline date.")
    low, high = values["baseline_value"], values["target_value"]
    if low is not None and high is not None:
        if values["direction"] == Direction.HIGHER and high <= low:
            errors["target_value"] = _("Higher is better: the target must be above the baseline.")
        elif values["direction"] == Direction.LOWER and high >= low:
            errors["target_value"] = _("Lower is better: the target must be below the baseline.")
    if errors:
        raise ValidationError(errors)


def kpi_create(*, plan, actor, name: str, unit: str | None = None, direction: str | None = None,
               **fields) -> Kpi:
    require_plan_access(actor, plan)
    _check_source(plan, fields)
    source = sources.get(fields["source"])
    kpi = Kpi(plan=plan, name=name.strip(), unit=unit or (source.unit if source else Unit.PERCENT),
              direction=direction or (source.direction if source else Direction.HIGHER), **fields)
    check_values({name: getattr(kpi, name) for name in VALUE_FIELDS})
    return tracked_create(kpi, actor=actor)


def kpi_update(*, kpi: Kpi, actor, version: int | None = None, **changes) -> Kpi:
    require_plan_access(actor, kpi.plan)
    if changes.get("source") == MANUAL:  # back to typed values: the feedback filters mean nothing any more
        changes.update({name: None for name in FILTER_FIELDS if getattr(kpi, f"{name}_id")})
    _check_source(kpi.plan, changes, kpi)
    check_values({name: changes.get(name, getattr(kpi, name)) for name in VALUE_FIELDS})
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    return tracked_update(kpi, actor=actor, changes=changes, version=version)


def kpi_delete(*, kpi: Kpi, actor, version: int | None = None) -> None:
    require_plan_access(actor, kpi.plan)
    tracked_delete(kpi, actor=actor, version=version)


# Measurements ---------------------------------------------------------------------------------------------------


def measurement_create(*, kpi: Kpi, actor, measured_on: date, value, note: str = "", external_source: str = "",
                       external_id: str = "") -> Measurement:
    """A value typed by a person (or sent by another system): never replaced by a computation."""
    require_plan_access(actor, kpi.plan)
    measurement = Measurement(plan_id=kpi.plan_id, kpi=kpi, measured_on=measured_on, value=value,
                              note=note.strip(), recorded_by=actor if actor and actor.is_authenticated else None,
                              external_source=external_source, external_id=external_id)
    return tracked_create(measurement, actor=actor)


def measurement_update(*, measurement: Measurement, actor, version: int | None = None, **changes) -> Measurement:
    """A person's edit; a computed measurement edited by hand becomes a typed one, kept by later computations."""
    require_plan_access(actor, measurement.kpi.plan)
    if "kpi" in changes and changes["kpi"].pk != measurement.kpi_id:
        raise ValidationError({"kpi": _("A measurement stays with its KPI.")})
    changes.pop("kpi", None)
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    if {"value", "measured_on"} & set(changes):
        changes["computed"], changes["sample_size"] = False, None
        if actor is not None and actor.is_authenticated:
            changes["recorded_by"] = actor
    return tracked_update(measurement, actor=actor, changes=changes, version=version)


def measurement_delete(*, measurement: Measurement, actor, version: int | None = None) -> None:
    require_plan_access(actor, measurement.kpi.plan)
    tracked_delete(measurement, actor=actor, version=version)


@dataclass
class ComputeResult:
    """What a computation did, month by month (first days of months)."""

    created: list[date] = field(default_factory=list)
    updated: list[date] = field(default_factory=list)
    unchanged: list[date] = field(default_factory=list)
    kept: list[date] = field(default_factory=list)  # months holding a typed measurement: left as they are


@atomic_write
def kpi_compute(*, kpi: Kpi, actor, since: date | None = None) -> ComputeResult:
    """Compute the KPI's monthly measurements from the data (all months, or from `since`): create the missing ones,
    update the computed ones that changed, and leave alone every month that holds a measurement typed by hand."""
    require_plan_access(actor, kpi.plan)
    source = sources.get(kpi.source)
    if source is None:
        raise ValidationError({"source": _("This KPI is typed by hand: there is nothing to compute.")})
    since = since.replace(day=1) if since else None
    monthly = source.monthly(kpi, since)
    existing = Measurement.objects.filter(kpi=kpi)
    if since is not None:
        existing = existing.filter(measured_on__gte=since)
    typed_months, computed = set(), {}
    for measurement in existing:
        if measurement.computed:
            computed[measurement.measured_on] = measurement
        else:
            typed_months.add((measurement.measured_on.year, measurement.measured_on.month))
    result = ComputeResult()
    for month, figure in sorted(monthly.items()):
        if (month.year, month.month) in typed_months:
            result.kept.append(month)
            continue
        current = computed.get(month)
        if current is None:
            tracked_create(Measurement(plan_id=kpi.plan_id, kpi=kpi, measured_on=month, value=figure.value,
                                       computed=True, sample_size=figure.sample_size), actor=actor)
            result.created.append(month)
        elif current.value != figure.value or current.sample_size != figure.sample_size:
            tracked_update(current, actor=actor, changes={"value": figure.value, "sample_size": figure.sample_size})
            result.updated.append(month)
        else:
            result.unchanged.append(month)
    return result


def plan_kpis_compute(*, plan, actor, since: date | None = None) -> dict[int, ComputeResult]:
    """Compute every computed KPI of a plan."""
    require_plan_access(actor, plan)
    return {kpi.pk: kpi_compute(kpi=kpi, actor=actor, since=since)
            for kpi in Kpi.objects.filter(plan=plan).exclude(source=MANUAL).select_related("plan")
            if sources.get(kpi.source) is not None}


# Links to roadmap items -----------------------------------------------------------------------------------------


def _check_link(kpi: Kpi, item) -> None:
    if item.plan_id != kpi.plan_id:
        raise ValidationError({"item": _("The roadmap item and the KPI must belong to the same plan.")})


def kpi_link_create(*, kpi: Kpi, item, actor, expected_change=None, note: str = "") -> KpiLink:
    require_plan_access(actor, kpi.plan)
    _check_link(kpi, item)
    if KpiLink.objects.filter(kpi=kpi, item=item).exists():
        raise ValidationError({"item": _("This item is already linked to this KPI; change the link instead.")})
    return tracked_create(KpiLink(plan_id=kpi.plan_id, kpi=kpi, item=item, expected_change=expected_change,
                                  note=note.strip()), actor=actor)


def kpi_link_update(*, link: KpiLink, actor, version: int | None = None, **changes) -> KpiLink:
    require_plan_access(actor, link.kpi.plan)
    for name in ("kpi", "item"):
        if name in changes and changes[name].pk != getattr(link, f"{name}_id"):
            raise ValidationError({name: _("A link keeps its KPI and its item; delete it and link again.")})
        changes.pop(name, None)
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    return tracked_update(link, actor=actor, changes=changes, version=version)


def kpi_link_delete(*, link: KpiLink, actor, version: int | None = None) -> None:
    require_plan_access(actor, link.kpi.plan)
    tracked_delete(link, actor=actor, version=version)
