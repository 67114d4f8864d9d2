"""The feedback rollups give exactly the figures of the raw responses after any sequence of writes, on every path
(services, bulk, CSV import, plan JSON import, touchpoint moves and deletions), with a constant number of queries;
the rebuild command finds and repairs drift."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import importers, rollups, selectors, services
from assessments.models import SCALES, FeedbackDay, FeedbackPlanDay, FeedbackResponse, FeedbackTotal
from core.versioning import StaleVersion
from planning import services as planning_services
from planning.models import Journey, Stage, Touchpoint
from roadmaps.exports import gather
from roadmaps.exports.json_io import plan_import, render
from tenancy.models import Activity, Verb

FIRST = date(2026, 5, 1)
DAYS = 40


@pytest.fixture
def journeys(plan, people, org):
    """Two journeys of four stages, three touchpoints in the first and two in the second."""
    planning_services.channels_seed(org)
    channel = org.channels.first()
    made = []
    for name, count in (("Buy", 3), ("Return", 2)):
        journey = planning_services.journey_create(plan=plan, actor=people["editor"], name=name, template="purchase")
        stages = list(journey.stages.order_by("position"))
        for i in range(count):
            planning_services.touchpoint_create(stage=stages[i % 2], channel=channel, actor=people["editor"],
                                                name=f"{name} {i}")
        made.append(journey)
    return made


def _scored(kind, score, day, verbatim=False) -> dict:
    return {"kind": kind, "score": score, "responded_on": FIRST + timedelta(days=day),
            "verbatim": "Très bien et rapide" if verbatim else ""}


kinds_and_scores = st.sampled_from(list(SCALES)).flatmap(
    lambda kind: st.tuples(st.just(str(kind)), st.integers(*SCALES[kind])))
answers = st.builds(lambda ks, day, verbatim: _scored(ks[0], ks[1], day, verbatim),
                    kinds_and_scores, st.integers(0, DAYS), st.booleans())
operations = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 99), answers),
    st.tuples(st.just("bulk"), st.lists(st.tuples(st.integers(0, 99), answers), min_size=1, max_size=8)),
    st.tuples(st.just("import"), st.lists(st.tuples(st.integers(0, 99), answers), min_size=1, max_size=8)),
    st.tuples(st.just("update"), st.integers(0, 999), answers, st.integers(0, 99)),
    st.tuples(st.just("delete"), st.integers(0, 999)),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("remove_touchpoint"), st.integers(0, 99)),
)


def _csv(rows) -> io.BytesIO:
    lines = ["touchpoint,kind,score,date,verbatim"] + [
        f"{tp},{a['kind']},{a['score']},{a['responded_on'].isoformat()},{a['verbatim']}" for tp, a in rows]
    lines.append("999999,nps,11,2026-05-01,")  # a bad row: skipped in "valid rows" mode
    return io.BytesIO("\n".join(lines).encode())


def _apply(operation, plan, actor) -> None:
    touchpoints = list(Touchpoint.objects.filter(plan=plan).order_by("pk"))
    responses = list(FeedbackResponse.objects.filter(plan=plan).order_by("pk"))
    name, *args = operation
    if name == "create":
        services.feedback_create(touchpoint=touchpoints[args[0] % len(touchpoints)], actor=actor, **args[1])
    elif name == "bulk":
        services.feedback_bulk_create(plan=plan, actor=actor, rows=[
            {"touchpoint_id": touchpoints[i % len(touchpoints)].pk, **answer} for i, answer in args[0]])
    elif name == "import":
        rows = [(touchpoints[i % len(touchpoints)].pk, answer) for i, answer in args[0]]
        result = importers.feedback_import(plan=plan, actor=actor, file=_csv(rows), mode="valid")
        assert result.imported == len(rows) and result.rejected_rows == 1
    elif name == "update" and responses:
        response = responses[args[0] % len(responses)]
        services.feedback_update(response=response, actor=actor, touchpoint=touchpoints[args[2] % len(touchpoints)],
                                 **args[1])
    elif name == "delete" and responses:
        services.feedback_delete(response=responses[args[0] % len(responses)], actor=actor)
    elif name == "move":
        touchpoint = touchpoints[args[0] % len(touchpoints)]
        stages = list(Stage.objects.filter(journey_id=touchpoint.journey_id).order_by("position"))
        planning_services.touchpoint_move(touchpoint=touchpoint, actor=actor, stage=stages[args[1] % len(stages)],
                                          channel=touchpoint.channel)
    elif name == "remove_touchpoint" and len(touchpoints) > 2:
        planning_services.touchpoint_delete(touchpoint=touchpoints[args[0] % len(touchpoints)], actor=actor)


def _scopes(plan) -> list:
    """Querysets the pages and the API build, each of which the rollups must answer."""
    everything = FeedbackResponse.objects.filter(plan=plan)
    scopes = [everything, everything.filter(kind="nps"),
              everything.filter(responded_on__range=(FIRST + timedelta(days=5), FIRST + timedelta(days=25))),
              everything.filter(responded_on__gte=FIRST + timedelta(days=10))]
    for touchpoint in Touchpoint.objects.filter(plan=plan):
        scopes += [everything.filter(touchpoint=touchpoint),
                   everything.filter(touchpoint=touchpoint, responded_on__lte=FIRST + timedelta(days=20))]
    for journey in Journey.objects.filter(plan=plan):
        scopes += [everything.filter(touchpoint__journey_id=journey.pk),
                   everything.filter(touchpoint__journey_id=journey.pk, responded_on__gt=FIRST + timedelta(days=7))]
    return scopes


def assert_rollups_equal_raw(plan) -> None:
    assert rollups.drift(plan.pk) == {}
    for scope in _scopes(plan):
        assert rollups.rollup_for(scope) is not None
        assert selectors.feedback_statistics(scope) == selectors.feedback_statistics(scope, raw=True)
    assert selectors.feedback_comparison(FeedbackResponse.objects.filter(plan=plan), earlier=(FIRST, FIRST + timedelta(
        days=19)), later=(FIRST + timedelta(days=20), FIRST + timedelta(days=DAYS))) == selectors.feedback_comparison(
        FeedbackResponse.objects.filter(plan=plan), earlier=(FIRST, FIRST + timedelta(days=19)),
        later=(FIRST + timedelta(days=20), FIRST + timedelta(days=DAYS)), raw=True)
    assert selectors.feedback_statistics_by_touchpoint(plan=plan) == selectors.feedback_statistics_by_touchpoint(
        plan=plan, raw=True)
    assert selectors.feedback_statistics_by_journey(plan=plan) == selectors.feedback_statistics_by_journey(
        plan=plan, raw=True)
    for journey in Journey.objects.filter(plan=plan):
        assert selectors.feedback_statistics_by_stage(journey=journey) == selectors.feedback_statistics_by_stage(
            journey=journey, raw=True)
    for scope in (FeedbackResponse.objects.filter(plan_id=plan.pk, kind="nps"),  # what a KPI reads
                  FeedbackResponse.objects.filter(plan_id=plan.pk, kind="ces", touchpoint__channel_id__gt=0,
                                                  responded_on__gte=FIRST + timedelta(days=3))):
        assert rollups.rollup_for(scope, by_day=True) is not None
        assert selectors.feedback_statistics_by_month(scope) == selectors.feedback_statistics_by_month(scope, raw=True)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=st.lists(operations, min_size=1, max_size=8))
def test_rollups_give_the_raw_figures_after_any_writes(plan, people, journeys, steps):
    # The examples share the plan: its responses pile up, and the rollups must stay exact all along.
    for operation in steps:
        _apply(operation, plan, people["editor"])
    assert FeedbackDay.objects.filter(n__lte=0).count() == 0
    assert_rollups_equal_raw(plan)


def test_a_stale_update_changes_no_cell_and_is_still_recorded(plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    response = services.feedback_create(touchpoint=touchpoint, actor=people["editor"], **_scored("nps", 10, 1))
    with pytest.raises(StaleVersion):
        services.feedback_update(response=response, actor=people["editor"], version=response.version + 5, score=0)
    assert Activity.objects.filter(target_id=response.pk, verb=Verb.REFUSED).exists()
    assert FeedbackTotal.objects.get(touchpoint=touchpoint).promoters == 1
    assert_rollups_equal_raw(plan)


def test_deleting_a_journey_or_a_stage_takes_its_cells_out_of_the_plans_days(plan, people, journeys):
    touchpoints = list(Touchpoint.objects.filter(plan=plan).order_by("pk"))
    services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
        {"touchpoint_id": tp.pk, **_scored("csat", 1 + i % 5, i % 3)} for i, tp in enumerate(touchpoints * 3)])
    planning_services.journey_delete(journey=journeys[1], actor=people["editor"])
    assert_rollups_equal_raw(plan)
    stage = Touchpoint.objects.filter(plan=plan).first().stage
    planning_services.stage_delete(stage=stage, actor=people["editor"])
    assert_rollups_equal_raw(plan)
    assert FeedbackPlanDay.objects.filter(plan=plan).count() > 0


def test_an_imported_plan_document_brings_its_cells(plan, people, org, journeys):
    touchpoints = list(Touchpoint.objects.filter(plan=plan))
    services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
        {"touchpoint_id": tp.pk, **_scored("nps", i % 11, i % 7, i % 2 == 0)} for i, tp in enumerate(touchpoints * 4)])
    copy = plan_import(json.loads(render(gather(plan))), organisation=org, actor=people["editor"], name="Copy").plan
    assert_rollups_equal_raw(copy)
    assert selectors.feedback_statistics(FeedbackResponse.objects.filter(plan=copy)) == selectors.feedback_statistics(
        FeedbackResponse.objects.filter(plan=plan))


def test_filters_the_rollups_lack_read_the_responses_with_the_same_numbers(plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
        {"touchpoint_id": touchpoint.pk, **_scored("nps", i % 11, 0, i % 3 == 0)} for i in range(30)])
    everything = FeedbackResponse.objects.filter(plan=plan)
    for scope in (everything.exclude(verbatim=""), everything.filter(verbatim__icontains="rapide"),
                  everything.filter(sentiment="positive"), everything.filter(score__gte=5),
                  everything.filter(touchpoint__journey__name="Buy"), everything.filter(source="Survey"),
                  everything.filter(kind="nps") | everything.filter(kind="ces")):
        assert rollups.rollup_for(scope) is None
        assert selectors.feedback_statistics(scope) == selectors.feedback_statistics(scope, raw=True)
    with_verbatim = selectors.feedback_statistics(everything.exclude(verbatim=""))["nps"].n
    assert with_verbatim == 10 == FeedbackTotal.objects.get(touchpoint=touchpoint, kind="nps").verbatims


def test_statistics_read_the_cells_in_one_query_whatever_the_number_of_responses(plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    counts = []
    for size in (5, 500):
        services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
            {"touchpoint_id": touchpoint.pk, **_scored(("nps", "ces")[i % 2], 1 + i % 7, i % DAYS)}
            for i in range(size)])
        with CaptureQueriesContext(connection) as queries:
            selectors.feedback_statistics(FeedbackResponse.objects.filter(plan=plan))
            selectors.feedback_comparison(FeedbackResponse.objects.filter(plan=plan),
                                          earlier=(FIRST, FIRST + timedelta(days=9)),
                                          later=(FIRST + timedelta(days=10), FIRST + timedelta(days=19)))
            selectors.feedback_statistics_by_touchpoint(plan=plan)
            selectors.feedback_statistics_by_journey(plan=plan)
            selectors.feedback_statistics_by_stage(journey=journeys[0])
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert "assessments_feedbackresponse" not in sql and "assessments_feedbacktotal" in sql
        assert "assessments_feedbackplanday" in sql  # a whole plan's period reads its days, not its touchpoints
        counts.append(len(queries.captured_queries))
    assert counts == [6, 6]


def test_one_create_writes_its_cells_in_three_statements(plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    with CaptureQueriesContext(connection) as queries:
        services.feedback_create(touchpoint=touchpoint, actor=people["editor"], **_scored("ces", 3, 2))
    upserts = [q["sql"] for q in queries.captured_queries if "ON CONFLICT" in q["sql"]]
    assert len(upserts) == 3
    cell = FeedbackDay.objects.get(touchpoint=touchpoint)
    assert (cell.kind, cell.day, cell.n, cell.total, cell.total_of_squares) == ("ces", FIRST + timedelta(days=2), 1,
                                                                                3, 9)


def test_the_command_reports_drift_and_rebuilds(plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
        {"touchpoint_id": touchpoint.pk, **_scored("nps", i % 11, i % 4)} for i in range(40)])
    call_command("feedback_rollups", "--check", stdout=io.StringIO())  # nothing drifted: no error
    FeedbackTotal.objects.filter(touchpoint=touchpoint).update(promoters=0)
    FeedbackDay.objects.filter(touchpoint=touchpoint).first().delete()
    FeedbackResponse.objects.filter(plan=plan).first().delete()  # behind the services' back
    with pytest.raises(CommandError, match="1 of 1 plans had drifted"):
        call_command("feedback_rollups", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("feedback_rollups", "--plan", str(plan.pk), stdout=out)
    assert f"Plan {plan.pk}: " in out.getvalue() and "FeedbackTotal" in out.getvalue()
    assert "FeedbackDay" in out.getvalue() and "FeedbackPlanDay" in out.getvalue()
    assert "they are rebuilt" in out.getvalue()
    assert_rollups_equal_raw(plan)
    call_command("feedback_rollups", "--check", stdout=io.StringIO())


def test_edits_in_the_django_admin_keep_the_cells(admin_client, plan, people, journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    response = services.feedback_create(touchpoint=touchpoint, actor=people["editor"], **_scored("nps", 10, 1))
    changed = admin_client.post(reverse("admin:assessments_feedbackresponse_change", args=[response.pk]), {
        "plan": plan.pk, "touchpoint": touchpoint.pk, "kind": "nps", "score": 3, "responded_on": "2026-05-03",
        "source": "", "verbatim": "Trop lent", "sentiment": "", "sentiment_score": ""})
    assert changed.status_code == 302
    cell = FeedbackTotal.objects.get(touchpoint=touchpoint)
    assert (cell.n, cell.promoters, cell.detractors, cell.verbatims) == (1, 0, 1, 1)
    assert_rollups_equal_raw(plan)
    deleted = admin_client.post(reverse("admin:assessments_feedbackresponse_delete", args=[response.pk]),
                                {"post": "yes"})
    assert deleted.status_code == 302 and not FeedbackResponse.objects.filter(pk=response.pk).exists()
    assert not FeedbackTotal.objects.filter(plan=plan).exists() and not FeedbackPlanDay.objects.exists()


def test_the_feedback_pages_count_the_verbatims_from_the_cells_unless_a_filter_narrows_them(client_for, plan, people,
                                                                                          journeys):
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    services.feedback_bulk_create(plan=plan, actor=people["editor"], rows=[
        {"touchpoint_id": touchpoint.pk, **_scored("nps", 9, i, i < 3)} for i in range(7)])
    client = client_for(people["viewer"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("plan_feedback", args=[plan.pk])).content.decode()
    assert '<span class="count">3</span>' in page
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not any("assessments_feedbackresponse" in sql for sql in counts)
    searched = client.get(reverse("plan_feedback", args=[plan.pk]), {"q": "zzz-nowhere"}).content.decode()
    assert '<span class="count">0</span>' in searched
    own = client.get(reverse("touchpoint_feedback", args=[touchpoint.pk])).content.decode()
    assert own.count("Très bien et rapide") == 3
