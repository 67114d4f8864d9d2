"""The demo plan's KPIs (seed_demo) and the Celery beat task that recomputes the recent months."""

from datetime import date

from django.core.management import call_command
from django.urls import reverse

from assessments import selectors as assessment_selectors
from assessments import services as assessments
from assessments.models import FeedbackResponse
from kpis import services
from kpis.models import Kpi, KpiLink, Measurement
from kpis.tasks import kpis_compute_recent, kpis_compute_task, month_before
from tenancy.models import Plan


def test_the_demo_plan_gets_kpis_with_a_year_of_measurements_and_a_computed_nps(db, client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    plan = Plan.objects.get()
    kpis = {k.name: k for k in Kpi.objects.filter(plan=plan)}
    assert set(kpis) == {"Repeat purchase rate", "Churn (érosion)", "Cost of acquisition", "NPS"}
    assert all(kpis[name].measurements.count() == 12 for name in kpis if name != "NPS")
    nps = kpis["NPS"]
    months = list(nps.measurements.order_by("measured_on"))
    assert len(months) >= 10 and all(m.computed for m in months)
    march = FeedbackResponse.objects.filter(plan=plan, responded_on__year=2026, responded_on__month=3)
    expected = assessment_selectors.feedback_statistics(march)["nps"].value
    assert float(nps.measurements.get(measured_on=date(2026, 3, 1)).value) == expected
    assert KpiLink.objects.filter(plan=plan).count() >= 5
    client.force_login(plan.organisation.members.get(username="viewer"))
    body = client.get(reverse("kpis", args=[plan.pk])).content.decode()
    assert body.count('class="kpi-spark"') == 4 and "Churn (érosion)" in body


def test_month_before():
    assert month_before(date(2026, 3, 31)) == date(2026, 2, 1)
    assert month_before(date(2026, 1, 5)) == date(2025, 12, 1)


def test_the_beat_task_recomputes_this_month_and_last_only(world, people):
    plan, touchpoint = world["plan"], world["touchpoint"]
    for day, score in ((date(2026, 1, 10), 10), (date(2026, 5, 10), 10), (date(2026, 6, 10), 0)):
        assessments.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=score, responded_on=day)
    nps = services.kpi_create(plan=plan, actor=None, name="NPS", source="nps")

    assert kpis_compute_recent(today=date(2026, 6, 20)) == 1  # the typed KPIs are left alone

    assert list(nps.measurements.values_list("measured_on", "value")) == [
        (date(2026, 5, 1), 100), (date(2026, 6, 1), -100)]
    assert Measurement.objects.filter(kpi=world["churn"]).count() == 3
    assert kpis_compute_task.delay().get() == 1  # through Celery (eager in tests)
