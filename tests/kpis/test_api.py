"""The KPI API: permission matrix, another organisation's KPI is 404, If-Match, validation as problem details,
computing, upserts by external id, the changes feed, and constant query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as assessments
from kpis import services
from kpis.api.routes import ROUTES
from kpis.models import Measurement
from sync.api.changes import feed_types
from sync.webhooks.events import event_types
from tests.conftest import ROLES
from tests.support import fields

WRITERS = {"anon": 401, "outsider": 404, "viewer": 403}
KINDS = ["kpis", "kpi-measurements", "kpi-links"]
PATCHES = {"kpis": {"description": "Share of customers lost in a year"}, "kpi-measurements": {"note": "From the CRM"},
           "kpi-links": {"expected_change": "-3.0000"}}


def _detail(world, kind):
    return {"kpis": world["churn"], "kpi-measurements": world["measurements"][0], "kpi-links": world["link"]}[kind]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_read_and_write_matrix(api_for, people, world, kind, role):
    api = api_for(people[role])
    obj = _detail(world, kind)
    url = f"/api/v1/{kind}/{obj.pk}/"
    assert api.get(url).status_code == {"anon": 401, "outsider": 404}.get(role, 200)
    if role != "anon":
        ids = [row["id"] for row in api.get(f"/api/v1/{kind}/").data["results"]]
        assert (obj.pk in ids) == (role != "outsider")
    write = api.patch(url, PATCHES[kind], format="json", HTTP_IF_MATCH=f'"{obj.version}"')
    assert write.status_code == WRITERS.get(role, 200), write.content
    if write.status_code == 200:
        field, value = next(iter(PATCHES[kind].items()))
        assert write.data[field] == value and write["ETag"] == f'"{obj.version + 1}"'


def test_another_organisations_kpi_is_404_for_every_verb(api_for, people, world):
    api = api_for(people["owner"])
    url = f"/api/v1/kpis/{world['foreign'].pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "x"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert api.post(f"{url}compute/").status_code == 404
    created = api.post("/api/v1/kpi-measurements/", {"kpi": world["foreign"].pk, "measured_on": "2026-05-01",
                                                     "value": "1"}, format="json")
    assert created.status_code == 400 and "kpi" in fields(created)


def test_a_kpi_reads_with_where_it_stands(api_for, people, world):
    data = api_for(people["viewer"]).get(f"/api/v1/kpis/{world['churn'].pk}/").data
    assert data["current_value"] == "8.0000" and data["current_date"] == "2026-04-01"
    assert data["progress"] == "40.0" and data["trend"] == "better" and data["source"] == "manual"
    assert data["baseline_value"] == "10.0000" and data["owner_team"] == world["churn"].owner_team_id


def test_a_stale_if_match_answers_412_with_the_current_object(api_for, people, world):
    api = api_for(people["editor"])
    kpi = world["churn"]
    assert api.patch(f"/api/v1/kpis/{kpi.pk}/", {"name": "Annual churn"}, format="json",
                     HTTP_IF_MATCH=f'"{kpi.version}"').status_code == 200
    stale = api.patch(f"/api/v1/kpis/{kpi.pk}/", {"name": "Churn rate"}, format="json",
                      HTTP_IF_MATCH=f'"{kpi.version}"')
    assert stale.status_code == 412 and stale.data["current"]["name"] == "Annual churn"


def test_validation_answers_problem_details_naming_the_field(api_for, people, world, plan):
    api = api_for(people["editor"])
    body = {"plan": plan.pk, "name": "Cost of acquisition", "unit": "currency", "direction": "lower",
            "baseline_value": "40", "baseline_date": "2026-06-01", "target_value": "30", "target_date": "2026-01-01"}
    wrong_date = api.post("/api/v1/kpis/", body, format="json")
    assert wrong_date.status_code == 400 and wrong_date["Content-Type"].startswith("application/problem+json")
    assert "target_date" in fields(wrong_date)
    wrong_way = api.post("/api/v1/kpis/", {**body, "target_value": "50", "target_date": "2027-01-01"}, format="json")
    assert "target_value" in fields(wrong_way)
    assert "source" in fields(api.post("/api/v1/kpis/", {**body, "source": "horoscope"}, format="json"))
    created = api.post("/api/v1/kpis/", {**body, "target_date": "2027-01-01"}, format="json")
    assert created.status_code == 201 and created["ETag"] == '"1"' and created.data["progress"] is None
    taken = api.post("/api/v1/kpi-measurements/", {"kpi": world["churn"].pk, "measured_on": "2026-02-01",
                                                   "value": "7"}, format="json")
    assert taken.status_code == 400
    twice = api.post("/api/v1/kpi-links/", {"kpi": world["churn"].pk, "item": world["item"].pk}, format="json")
    assert twice.status_code == 400 and "item" in fields(twice)


def test_compute_through_the_api_keeps_typed_months(api_for, people, world, plan):
    api = api_for(people["editor"])
    for day, score in ((date(2026, 5, 3), 10), (date(2026, 6, 3), 0)):
        assessments.feedback_create(touchpoint=world["touchpoint"], actor=None, kind="nps", score=score,
                                    responded_on=day)
    created = api.post("/api/v1/kpis/", {"plan": plan.pk, "name": "NPS", "source": "nps"}, format="json")
    assert created.status_code == 201 and created.data["unit"] == "score"
    kpi_id = created.data["id"]
    typed = api.post("/api/v1/kpi-measurements/", {"kpi": kpi_id, "measured_on": "2026-06-15", "value": "12"},
                     format="json")
    assert typed.status_code == 201 and typed.data["computed"] is False
    result = api.post(f"/api/v1/kpis/{kpi_id}/compute/")
    assert result.status_code == 200
    assert result.data == {"created": ["2026-05-01"], "updated": [], "unchanged": [], "kept": ["2026-06-01"]}
    assert api.get(f"/api/v1/kpis/{kpi_id}/").data["current_value"] == "12.0000"
    assert api.post(f"/api/v1/kpis/{world['churn'].pk}/compute/").status_code == 400
    assert api_for(people["viewer"]).post(f"/api/v1/kpis/{kpi_id}/compute/").status_code == 403


def test_upserts_by_external_id(api_for, people, world, plan):
    api = api_for(people["editor"])
    body = {"plan": plan.pk, "name": "Repeat purchase", "unit": "percent", "direction": "higher"}
    first = api.put("/api/v1/kpis/by-external-id/bi/repeat/", body, format="json")
    again = api.put("/api/v1/kpis/by-external-id/bi/repeat/", {**body, "description": "From BI"}, format="json")
    assert first.status_code == 201 and again.status_code == 200 and again.data["id"] == first.data["id"]
    url = "/api/v1/kpi-measurements/by-external-id/bi/repeat-2026-05/"
    measurement = {"kpi": first.data["id"], "measured_on": "2026-05-31", "value": "21.5"}
    assert api.put(url, measurement, format="json").status_code == 201
    assert api.put(url, {**measurement, "value": "22"}, format="json").status_code == 200
    assert Measurement.objects.get(external_id="repeat-2026-05").value == Decimal("22")


def test_every_kpi_resource_is_a_feed_type_and_a_webhook_event(api_for, people, world):
    served = {viewset.serializer_class.Meta.model._meta.label_lower: basename for _p, viewset, basename in ROUTES}
    assert {label: feed_types()[label].name for label in served} == served
    assert {"kpi.created", "kpi-measurement.updated", "kpi-link.deleted"} <= set(event_types())
    changes = api_for(people["owner"]).get("/api/v1/changes/", {"page_size": 500}).data["results"]
    churn = [c for c in changes if c["type"] == "kpi" and c["id"] == world["churn"].pk]
    assert churn and churn[0]["object"]["current_value"] == "8.0000"
    assert churn[0]["url"].endswith(f"/api/v1/kpis/{world['churn'].pk}/")
    assert {"kpi-measurement", "kpi-link"} <= {c["type"] for c in changes}
    outsider = api_for(people["outsider"]).get("/api/v1/changes/", {"page_size": 500}).data["results"]
    assert not any(c["type"] == "kpi" and c["id"] == world["churn"].pk for c in outsider)


@pytest.mark.parametrize("kind", KINDS)
def test_lists_take_the_same_queries_for_few_or_many_rows(api_for, people, world, kind):
    api = api_for(people["viewer"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/{kind}/", {"page_size": 100}).status_code == 200
        return len(queries)

    before = count()
    for index in range(8):
        kpi = services.kpi_create(plan=world["plan"], actor=None, name=f"KPI {index}")
        services.measurement_create(kpi=kpi, actor=None, measured_on=date(2026, 1, 1), value=index)
        services.kpi_link_create(kpi=kpi, item=world["item"], actor=None)
    assert count() == before
