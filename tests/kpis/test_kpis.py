"""KPIs: progress toward the target in both directions, the current value, computed NPS/CES/CSAT equal to the
feedback page's, monthly computation that never overwrites a typed value, and validation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors as assessment_selectors
from assessments import services as assessments
from kpis import selectors, services
from kpis.models import Measurement
from kpis.progress import progress, trend
from roadmaps import services as roadmaps
from tests.assessments.test_api_permissions import make_touchpoints


def test_progress_counts_from_the_baseline_toward_the_target_in_both_directions():
    # Higher is better: repeat purchase from 20 % to 30 %, now 24 % -> 40 % of the way.
    assert progress(Decimal(20), Decimal(30), Decimal(24)) == Decimal("40.0")
    # Lower is better: churn from 10 % to 5 %, now 8 % -> (8 − 10) / (5 − 10) = 40 %.
    assert progress(Decimal(10), Decimal(5), Decimal(8)) == Decimal("40.0")
    # The wrong way is negative, past the target is above 100.
    assert progress(Decimal(10), Decimal(5), Decimal(11)) == Decimal("-20.0")
    assert progress(Decimal(20), Decimal(30), Decimal(33)) == Decimal("130.0")
    assert progress(Decimal(10), Decimal(5), None) is None and progress(None, Decimal(5), Decimal(1)) is None
    assert trend("lower", Decimal(10), Decimal(8)) == "better" and trend("higher", Decimal(10), Decimal(8)) == "worse"
    assert trend("higher", Decimal(10), Decimal(10)) == "same" and trend("higher", None, Decimal(1)) is None


def test_the_table_shows_the_latest_measurement_as_current_with_its_progress(world, people):
    rows = {row["kpi"].name: row for row in selectors.kpi_table(user=people["viewer"], plan=world["plan"])}
    churn = rows["Churn"]["standing"]
    assert churn.current == Decimal("8") and churn.current_on == date(2026, 4, 1)  # latest by date, not by entry
    assert churn.progress == Decimal("40.0") and churn.trend == "better" and churn.bar == 40
    assert rows["Churn"]["count"] == 3 and rows["Churn"]["kpi"].item_count == 1
    assert "<polyline" in rows["Churn"]["sparkline"]
    repeat = rows["Repeat purchase rate"]["standing"]
    assert repeat.current is None and repeat.progress is None and rows["Repeat purchase rate"]["sparkline"] == ""
    assert "Their KPI" not in rows


@pytest.mark.parametrize(("changes", "field"), [
    ({"target_date": date(2025, 12, 31)}, "target_date"),
    ({"target_value": Decimal("12")}, "target_value"),  # lower is better: a target above the baseline
    ({"baseline_date": None}, "baseline_date"),
])
def test_a_kpi_is_refused_when_its_dates_or_target_make_no_sense(world, people, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.kpi_update(kpi=world["churn"], actor=people["editor"], **changes)
    assert refused.value.messages


def test_a_feedback_kpi_computes_the_same_nps_as_the_feedback_page(world, people, client_for):
    plan, touchpoint, store = world["plan"], world["touchpoint"], world["store"]
    # March: promoters 10, 9, 9; passive 8; detractors 6, 3 -> (3 − 2) / 6 = 16.67. April: 10, 2 -> 0.
    for score, day in ((10, 3), (9, 4), (9, 10), (8, 11), (6, 20), (3, 31)):
        assessments.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=score,
                                    responded_on=date(2026, 3, day))
    assessments.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=10,
                                responded_on=date(2026, 4, 2))
    assessments.feedback_create(touchpoint=store, actor=None, kind="nps", score=2, responded_on=date(2026, 4, 9))
    assessments.feedback_create(touchpoint=store, actor=None, kind="csat", score=4, responded_on=date(2026, 4, 9))
    nps = services.kpi_create(plan=plan, actor=people["editor"], name="NPS", source="nps")
    assert (nps.unit, nps.direction) == ("score", "higher")  # the source's defaults

    result = services.kpi_compute(kpi=nps, actor=people["editor"])

    assert result.created == [date(2026, 3, 1), date(2026, 4, 1)]
    series = list(nps.measurements.values_list("measured_on", "value", "sample_size", "computed"))
    assert series == [(date(2026, 3, 1), Decimal("16.67"), 6, True), (date(2026, 4, 1), Decimal("0"), 2, True)]
    # The feedback page's figure for the same responses, by its own selector and as the page shows it.
    march = assessment_selectors.feedback_statistics(
        assessment_selectors.feedback_list(user=people["viewer"], plan=plan).filter(responded_on__month=3))
    assert Decimal(str(march["nps"].value)) == series[0][1]
    # Narrowed to the store's touchpoint: one detractor in April -> −100, as the touchpoint's feedback page says.
    store_nps = services.kpi_create(plan=plan, actor=None, name="NPS in store", source="nps", touchpoint=store)
    services.kpi_compute(kpi=store_nps, actor=None)
    assert list(store_nps.measurements.values_list("measured_on", "value")) == [(date(2026, 4, 1), Decimal("-100"))]
    page = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[store.pk]), {"days": 3650})
    (card,) = [c for c in page.context["cards"] if c["kind"] == "nps"]
    assert Decimal(str(card["estimate"].value)) == Decimal("-100")
    assert "-100" in page.content.decode()
    by_channel = services.kpi_create(plan=plan, actor=None, name="CSAT web", source="csat",
                                     channel=touchpoint.channel)
    services.kpi_compute(kpi=by_channel, actor=None)
    assert list(by_channel.measurements.values_list("value", flat=True)) == [Decimal("4")]


def test_computing_again_updates_computed_months_and_keeps_typed_ones(world, people):
    plan, touchpoint = world["plan"], world["touchpoint"]
    for month, score in ((1, 10), (2, 10), (3, 0)):
        assessments.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=score,
                                    responded_on=date(2026, month, 15))
    nps = services.kpi_create(plan=plan, actor=None, name="NPS", source="nps")
    services.kpi_compute(kpi=nps, actor=None)
    february = nps.measurements.get(measured_on=date(2026, 2, 1))
    typed = services.measurement_update(measurement=february, actor=people["editor"], value=Decimal("42"))
    assert not typed.computed and typed.recorded_by == people["editor"]
    services.measurement_create(kpi=nps, actor=people["editor"], measured_on=date(2026, 3, 20), value=5)
    assessments.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=0,
                                responded_on=date(2026, 1, 20))

    result = services.kpi_compute(kpi=nps, actor=None)

    assert result.updated == [date(2026, 1, 1)] and result.kept == [date(2026, 2, 1), date(2026, 3, 1)]
    values = dict(nps.measurements.values_list("measured_on", "value"))
    # March's computed value stays beside the one typed later that month; the typed one is the latest.
    assert values == {date(2026, 1, 1): Decimal("0"), date(2026, 2, 1): Decimal("42"),
                      date(2026, 3, 1): Decimal("-100"), date(2026, 3, 20): Decimal("5")}
    assert services.kpi_compute(kpi=nps, actor=None).unchanged == [date(2026, 1, 1)]


def test_a_typed_kpi_has_nothing_to_compute_and_filters_need_a_computed_source(world):
    with pytest.raises(ValidationError):
        services.kpi_compute(kpi=world["churn"], actor=None)
    with pytest.raises(ValidationError) as refused:
        services.kpi_update(kpi=world["churn"], actor=None, touchpoint=world["touchpoint"])
    assert "touchpoint" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.kpi_create(plan=world["plan"], actor=None, name="Odd", source="no-such-source")


def test_filters_must_belong_to_the_plan(world, other_plan):
    (foreign,) = make_touchpoints(other_plan, ["Theirs"])
    with pytest.raises(ValidationError) as refused:
        services.kpi_create(plan=world["plan"], actor=None, name="NPS", source="nps", touchpoint=foreign)
    assert "touchpoint" in refused.value.message_dict


def test_a_link_stays_in_its_plan_and_is_unique(world, other_plan):
    theirs = roadmaps.roadmap_item_create(plan=other_plan, actor=None, title="Theirs")
    with pytest.raises(ValidationError):
        services.kpi_link_create(kpi=world["churn"], item=theirs, actor=None)
    with pytest.raises(ValidationError):
        services.kpi_link_create(kpi=world["churn"], item=world["item"], actor=None)
    services.kpi_delete(kpi=world["churn"], actor=None)
    assert not Measurement.objects.filter(kpi_id=world["churn"].pk).exists()
