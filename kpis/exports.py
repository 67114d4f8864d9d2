"""The plan's KPIs in its JSON export, and their import back (registered as a section in roadmaps.exports.sections).

"kpis": [{"ref": "K1", "name", "description", "unit", "direction", "baseline_value", "baseline_date", "target_value",
"target_date", "owner_team" (a team's name), "source", "touchpoint" (TP ref), "channel" (name), "persona" (P ref),
"measurements": [{"measured_on", "value", "note", "recorded_by" (username), "computed", "sample_size"}],
"roadmap_items": [{"item" (R ref), "expected_change", "note"}]}], in name order, measurements by date, links by item
reference. Three queries to export whatever the number of KPIs; bulk inserts to import.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kpis.models import MANUAL, Kpi, KpiLink, Measurement
from kpis.services import check_values

KEY = "kpis"
_NOT_CHECKED = ["plan", "kpi", "item", "owner_team", "touchpoint", "channel", "persona", "recorded_by"]


def _decimal(value) -> str | None:
    """"9.5" for 9.5000, "10" for 10.0000 (never "1E+1")."""
    return None if value is None else format(value.normalize(), "f")


def _date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def export_kpis(data) -> list[dict]:
    plan_id = data.plan["id"]
    touchpoints = {t["id"]: t["ref"] for t in data.touchpoints}
    personas = {p["id"]: p["ref"] for p in data.personas}
    items = {r["id"]: r["ref"] for r in data.roadmap}
    kpis = list(Kpi.objects.filter(plan_id=plan_id).select_related("owner_team", "channel").order_by("name", "id"))
    measurements: dict[int, list[dict]] = {k.pk: [] for k in kpis}
    for m in (Measurement.objects.filter(kpi__plan_id=plan_id).select_related("recorded_by")
              .order_by("kpi_id", "measured_on", "id")):
        measurements[m.kpi_id].append({
            "measured_on": _date(m.measured_on), "value": _decimal(m.value), "note": m.note,
            "recorded_by": m.recorded_by.get_username() if m.recorded_by else "", "computed": m.computed,
            "sample_size": m.sample_size})
    links: dict[int, list[dict]] = {k.pk: [] for k in kpis}
    for link in KpiLink.objects.filter(kpi__plan_id=plan_id).order_by("kpi_id", "id"):
        if link.item_id in items:
            links[link.kpi_id].append({"item": items[link.item_id], "expected_change": _decimal(link.expected_change),
                                       "note": link.note})
    rows = []
    for index, k in enumerate(kpis, start=1):
        rows.append({
            "ref": f"K{index}", "name": k.name, "description": k.description, "unit": k.unit,
            "direction": k.direction, "baseline_value": _decimal(k.baseline_value),
            "baseline_date": _date(k.baseline_date), "target_value": _decimal(k.target_value),
            "target_date": _date(k.target_date), "owner_team": k.owner_team.name if k.owner_team else "",
            "source": k.source, "touchpoint": touchpoints.get(k.touchpoint_id, ""),
            "channel": k.channel.name if k.channel else "", "persona": personas.get(k.persona_id, ""),
            "measurements": measurements[k.pk],
            "roadmap_items": sorted(links[k.pk], key=lambda link: int(link["item"][1:])),
        })
    return rows


def _number(value, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}) from None


def _day(value, where: str) -> date | None:
    if not value:
        return None
    day = parse_date(str(value))
    if day is None:
        raise ValidationError(_("%(where)s: “%(value)s” is not a date.") % {"where": where, "value": value})
    return day


def _clean(instance, where: str):
    """Field validation without a query per row (the related rows were just created or matched)."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False, exclude=_NOT_CHECKED)
    except ValidationError as error:
        messages = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in error.message_dict.items())
        raise ValidationError(f"{where}: {messages}") from None
    return instance


def _kpi(ctx, r: dict, where: str) -> Kpi:
    kpi = Kpi(plan=ctx.plan, name=str(r["name"]), description=r.get("description") or "", unit=r["unit"],
              direction=r["direction"], baseline_value=_number(r.get("baseline_value"), where),
              baseline_date=_day(r.get("baseline_date"), where), target_value=_number(r.get("target_value"), where),
              target_date=_day(r.get("target_date"), where), owner_team=ctx.team(r.get("owner_team"), where),
              source=r.get("source") or MANUAL,
              touchpoint=ctx.ref("TP", r["touchpoint"], where) if r.get("touchpoint") else None,
              channel=ctx.channels.get(r["channel"]) if r.get("channel") else None,
              persona=ctx.ref("P", r["persona"], where) if r.get("persona") else None)
    try:
        check_values({name: getattr(kpi, name) for name in ("direction", "baseline_value", "baseline_date",
                                                            "target_value", "target_date")})
    except ValidationError as error:
        raise ValidationError(f"{where}: {' '.join(error.messages)}") from None
    return _clean(kpi, where)


def import_kpis(ctx, rows: list[dict], *, clean=None) -> None:
    """Create the file's KPIs, their measurements and their links to the roadmap items just imported."""
    kpis = Kpi.objects.bulk_create([_kpi(ctx, r, f"kpis[{i}]") for i, r in enumerate(rows)])
    ctx.refs["K"] = {r.get("ref"): kpi for r, kpi in zip(rows, kpis, strict=True)}
    measurements, links = [], []
    for i, (r, kpi) in enumerate(zip(rows, kpis, strict=True)):
        for j, m in enumerate(r.get("measurements") or []):
            where = f"kpis[{i}].measurements[{j}]"
            measurements.append(_clean(Measurement(
                plan=ctx.plan, kpi=kpi, measured_on=_day(m.get("measured_on"), where),
                value=_number(m.get("value"), where), note=m.get("note") or "",
                recorded_by=ctx.user(m.get("recorded_by")), computed=bool(m.get("computed")),
                sample_size=m.get("sample_size")), where))
        for j, link in enumerate(r.get("roadmap_items") or []):
            where = f"kpis[{i}].roadmap_items[{j}]"
            links.append(_clean(KpiLink(plan=ctx.plan, kpi=kpi, item=ctx.ref("R", link.get("item"), where),
                                        expected_change=_number(link.get("expected_change"), where),
                                        note=link.get("note") or ""), where))
    Measurement.objects.bulk_create(measurements, batch_size=1000)
    KpiLink.objects.bulk_create(links)
