"""The KPI pages: the list (baseline → current → target), a KPI with its measurements and items, the versioned
edit pages (a stale save is refused with the other person's values), validation, French, empty states, the
permission matrix and constant query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis import services
from kpis.models import Kpi, KpiLink, Measurement
from roadmaps import services as roadmaps
from tests.conftest import ROLES

LOGIN = 302


def _pages(w):
    plan = w["plan"].pk
    return [
        ("kpis", [plan], False), ("kpi_detail", [plan, w["churn"].pk], False),
        ("kpi_create", [plan], True), ("kpi_edit", [plan, w["churn"].pk], True),
        ("kpi_delete", [plan, w["churn"].pk], True),
        ("measurement_create", [plan, w["churn"].pk], True),
        ("measurement_edit", [plan, w["measurements"][0].pk], True),
        ("measurement_delete", [plan, w["measurements"][0].pk], True),
        ("kpi_link_create", [plan, w["churn"].pk], True), ("kpi_link_edit", [plan, w["link"].pk], True),
        ("kpi_link_delete", [plan, w["link"].pk], True),
        ("roadmap_item_kpis", [plan, w["item"].pk], False),
        ("roadmap_item_kpi_link_create", [plan, w["item"].pk], True),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client_for, people, world, role):
    client = client_for(people[role])
    for name, args, editing in _pages(world):
        response = client.get(reverse(name, args=args))
        expected = {"anon": LOGIN, "outsider": 404}.get(role, 403 if editing and role == "viewer" else 200)
        assert response.status_code == expected, (name, role)
        if expected == 404:
            assert "Churn" not in response.content.decode()


def test_another_organisations_kpi_is_404_even_under_ones_own_plan(client_for, people, world):
    client = client_for(people["owner"])
    plan = world["plan"].pk
    for name, pk in (("kpi_detail", world["foreign"].pk), ("kpi_edit", world["foreign"].pk),
                     ("measurement_edit", world["foreign_measurement"].pk)):
        assert client.get(reverse(name, args=[plan, pk])).status_code == 404
    assert client.post(reverse("kpi_compute", args=[plan, world["foreign"].pk])).status_code == 404


def test_the_list_shows_baseline_current_and_target_with_progress(client_for, people, world):
    body = client_for(people["viewer"]).get(reverse("kpis", args=[world["plan"].pk])).content.decode()
    assert "Churn" in body and "Repeat purchase rate" in body and "Their KPI" not in body
    assert "10&nbsp;%" in body and "8&nbsp;%" in body and "5&nbsp;%" in body
    assert "40 % of the way to the target" in body and "better than the baseline" in body
    assert 'class="kpi-spark"' in body and "Set a baseline" not in body
    assert "No measurement yet." in body  # repeat purchase rate
    assert reverse("kpi_create", args=[world["plan"].pk]) not in body  # a viewer sees no edit button


def test_the_list_says_what_to_do_when_empty_in_french(client_for, people, plan):
    body = client_for(people["editor"]).get(reverse("kpis", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    text = body.content.decode()
    assert "Aucun KPI pour l’instant" in text and "Ajouter le premier KPI" in text


def test_the_detail_lists_measurements_newest_first_and_the_items(client_for, people, world):
    body = client_for(people["editor"]).get(
        reverse("kpi_detail", args=[world["plan"].pk, world["churn"].pk])).content.decode()
    february, april, march = (body.index(f'id="measurement-{m.pk}"') for m in world["measurements"])
    assert april < march < february and "04/01/2026" in body
    assert "Loyalty programme" in body and "-2&nbsp;%" in body and "Members leave less" in body


def test_creating_a_kpi_validates_dates_and_direction(client_for, people, world):
    client = client_for(people["editor"])
    url = reverse("kpi_create", args=[world["plan"].pk])
    data = {"name": "Cost of acquisition", "unit": "currency", "direction": "lower", "source": "manual",
            "baseline_value": "40", "baseline_date": "2026-06-01", "target_value": "45",
            "target_date": "2026-01-01"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert "target_date" in errors and "target_value" in errors
    assert client.post(url, {**data, "name": "churn"}).context["form"].errors["name"]  # same name, any case
    created = client.post(url, {**data, "target_value": "30", "target_date": "2027-01-01"})
    kpi = Kpi.objects.get(name="Cost of acquisition")
    assert created.status_code == 302 and created["Location"] == reverse("kpi_detail", args=[kpi.plan_id, kpi.pk])
    assert kpi.target_value == Decimal("30") and kpi.unit == "currency"


def test_a_stale_measurement_edit_is_refused_with_their_value_shown(client_for, people, world):
    measurement = world["measurements"][0]
    url = reverse("measurement_edit", args=[world["plan"].pk, measurement.pk])
    services.measurement_update(measurement=Measurement.objects.get(pk=measurement.pk), actor=people["owner"],
                                value=Decimal("9.25"))
    response = client_for(people["editor"]).post(url, {"measured_on": "2026-02-01", "value": "9.75", "note": "",
                                                      "version": measurement.version})
    assert response.status_code == 200 and response.context["conflict"] is not None
    assert "9.2500" in response.content.decode() or "9.25" in response.content.decode()
    assert Measurement.objects.get(pk=measurement.pk).value == Decimal("9.25")
    saved = client_for(people["editor"]).post(url, {"measured_on": "2026-02-01", "value": "9.75", "note": "ok",
                                                    "version": measurement.version + 1})
    assert saved.status_code == 302 and Measurement.objects.get(pk=measurement.pk).value == Decimal("9.75")


def test_a_measurement_on_a_taken_date_is_refused(client_for, people, world):
    url = reverse("measurement_create", args=[world["plan"].pk, world["churn"].pk])
    response = client_for(people["editor"]).post(url, {"measured_on": "2026-02-01", "value": "7"})
    assert response.status_code == 200 and "measured_on" in response.context["form"].errors


def test_linking_from_the_item_page_and_deleting_from_the_kpi_page(client_for, people, world):
    client = client_for(people["editor"])
    plan, item, repeat = world["plan"], world["item"], world["repeat"]
    item_page = client.get(reverse("roadmap_item_edit", args=[plan.pk, item.pk])).content.decode()
    assert reverse("roadmap_item_kpis", args=[plan.pk, item.pk]) in item_page
    created = client.post(reverse("roadmap_item_kpi_link_create", args=[plan.pk, item.pk]),
                          {"kpi": repeat.pk, "expected_change": "3", "note": "Points for every purchase"})
    assert created["Location"] == reverse("roadmap_item_kpis", args=[plan.pk, item.pk])
    listed = client.get(created["Location"]).content.decode()
    assert "Repeat purchase rate" in listed and "+3&nbsp;%" in listed and "Churn" in listed
    link = KpiLink.objects.get(kpi=repeat, item=item)
    deleted = client.post(reverse("kpi_link_delete", args=[plan.pk, link.pk]), {"version": link.version})
    assert deleted["Location"] == reverse("kpi_detail", args=[plan.pk, repeat.pk])
    assert not KpiLink.objects.filter(pk=link.pk).exists()


def test_the_list_and_detail_take_the_same_queries_for_2_or_12_kpis(client_for, people, world):
    client = client_for(people["viewer"])
    plan = world["plan"]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count(reverse("kpis", args=[plan.pk])), count(reverse("kpi_detail", args=[plan.pk, world["churn"].pk]))
    for index in range(10):
        kpi = services.kpi_create(plan=plan, actor=None, name=f"KPI {index}", owner_team=world["churn"].owner_team)
        for month in range(1, 7):
            services.measurement_create(kpi=kpi, actor=None, measured_on=date(2026, month, 1), value=month)
            services.measurement_create(kpi=world["churn"], actor=None, measured_on=date(2025, month, index + 1),
                                        value=month)
        services.kpi_link_create(kpi=world["churn"], item=roadmaps.roadmap_item_create(
            plan=plan, actor=None, title=f"Item {index}"), actor=None)
    after = count(reverse("kpis", args=[plan.pk])), count(reverse("kpi_detail", args=[plan.pk, world["churn"].pk]))
    assert after == before
