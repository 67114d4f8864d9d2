"""The plan's JSON export carries its KPIs, their measurements and their roadmap links, and imports them back:
export → import → export gives the same document; bad KPI rows are refused with where they are."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis import services
from kpis.models import Kpi, KpiLink, Measurement
from planning.models import Persona
from roadmaps.exports import gather
from roadmaps.exports.json_io import plan_import, render
from roadmaps.models import RoadmapItem
from tests.roadmaps.test_export_support import PERSONAS, TOP_ITEM, build_plan


def exported(plan) -> dict:
    return json.loads(render(gather(plan)))


def comparable(document: dict) -> dict:
    document = dict(document, plan=dict(document["plan"]))
    document.pop("exported_at")
    document["plan"].pop("name")
    return document


@pytest.fixture
def filled(plan, team, people):
    built = build_plan(plan, team=team)
    stock = built["touchpoints"][0]
    churn = services.kpi_create(plan=plan, actor=None, name="Churn", unit="percent", direction="lower",
                                baseline_value=Decimal("10.5"), baseline_date=date(2027, 1, 1),
                                target_value=Decimal("6"), target_date=date(2027, 12, 31), owner_team=team,
                                description="Customers lost over twelve months")
    services.measurement_create(kpi=churn, actor=people["editor"], measured_on=date(2027, 3, 31), value=Decimal("9.25"),
                                note="CRM report")
    services.measurement_create(kpi=churn, actor=None, measured_on=date(2027, 2, 28), value=10)
    nps = services.kpi_create(plan=plan, actor=None, name="NPS of stock", source="nps", touchpoint=stock,
                              persona=Persona.objects.get(plan=plan, name=PERSONAS[0]))
    services.kpi_compute(kpi=nps, actor=None)
    crm = RoadmapItem.objects.get(plan=plan, title="Unified customer id")
    services.kpi_link_create(kpi=churn, item=crm, actor=None, expected_change=Decimal("-1.5"), note="One id")
    services.kpi_link_create(kpi=churn, item=built["top"], actor=None)
    services.kpi_link_create(kpi=nps, item=built["top"], actor=None, expected_change=20)
    return plan


def test_the_export_holds_the_kpis_by_reference(filled):
    document = exported(filled)
    churn, nps = document["kpis"]
    top = next(item["ref"] for item in document["roadmap_items"] if item["title"] == TOP_ITEM)
    crm = next(item["ref"] for item in document["roadmap_items"] if item["title"] == "Unified customer id")
    assert churn == {
        "ref": "K1", "name": "Churn", "description": "Customers lost over twelve months", "unit": "percent",
        "direction": "lower", "baseline_value": "10.5", "baseline_date": "2027-01-01", "target_value": "6",
        "target_date": "2027-12-31", "owner_team": "Customer service", "source": "manual", "touchpoint": "",
        "channel": "", "persona": "",
        "measurements": [
            {"measured_on": "2027-02-28", "value": "10", "note": "", "recorded_by": "", "computed": False,
             "sample_size": None},
            {"measured_on": "2027-03-31", "value": "9.25", "note": "CRM report", "recorded_by": "eddie",
             "computed": False, "sample_size": None}],
        "roadmap_items": sorted([{"item": crm, "expected_change": "-1.5", "note": "One id"},
                                 {"item": top, "expected_change": None, "note": ""}],
                                key=lambda link: int(link["item"][1:])),
    }
    # Build_plan's three NPS answers on 1 February 2027: 9, 10, 3 -> (2 − 1) / 3 = 33.33.
    assert nps["touchpoint"] == "TP1" and nps["persona"].startswith("P") and nps["source"] == "nps"
    assert nps["measurements"] == [{"measured_on": "2027-02-01", "value": "33.33", "note": "", "recorded_by": "",
                                    "computed": True, "sample_size": 3}]


def test_export_then_import_then_export_gives_the_same_kpis(filled, org, people):
    first = exported(filled)
    result = plan_import(first, organisation=org, actor=people["editor"], name="Copy")
    assert result.warnings == []
    assert comparable(exported(result.plan)) == comparable(first)
    copied = Kpi.objects.get(plan=result.plan, name="Churn")
    assert copied.pk != Kpi.objects.get(plan=filled, name="Churn").pk
    assert list(copied.measurements.values_list("value", flat=True)) == [Decimal("10"), Decimal("9.25")]
    assert {link.item.title for link in KpiLink.objects.filter(kpi=copied).select_related("item")} == {
        TOP_ITEM, "Unified customer id"}
    assert Measurement.objects.filter(plan=result.plan).count() == 3


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["kpis"][0].update(target_date="2026-01-01"), "kpis[0]: The target date must be after"),
    (lambda d: d["kpis"][0].update(unit="furlongs"), "kpis[0]: unit"),
    (lambda d: d["kpis"][0]["roadmap_items"][0].update(item="R99"), "kpis[0].roadmap_items[0] refers to R99"),
    (lambda d: d["kpis"][0]["measurements"][0].update(value="lots"), "kpis[0].measurements[0]: “lots”"),
])
def test_a_bad_kpi_row_is_refused_with_where_it_is_and_creates_nothing(filled, org, people, mutate, message):
    document = exported(filled)
    mutate(document)
    plans_before = Kpi.objects.values("plan").distinct().count()
    with pytest.raises(ValidationError) as refused:
        plan_import(document, organisation=org, actor=people["editor"], name="Broken")
    assert message in " ".join(refused.value.messages)
    assert Kpi.objects.values("plan").distinct().count() == plans_before


def test_a_document_without_kpis_still_imports(filled, org, people):
    document = exported(filled)
    document.pop("kpis")
    result = plan_import(document, organisation=org, actor=people["editor"], name="Old file")
    assert not Kpi.objects.filter(plan=result.plan).exists()
