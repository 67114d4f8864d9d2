"""JSON export and import: the round trip gives the same content; imports into another organisation and bad files."""

import gc
import io
import json
import tempfile
import tracemalloc
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import rollups
from assessments.models import FeedbackResponse, TouchpointEvaluation
from experience.models import PainPoint
from planning.models import Channel, Touchpoint
from roadmaps import services as roadmaps
from roadmaps.exports import gather
from roadmaps.exports.json_io import plan_document, plan_import, render, write
from roadmaps.models import RoadmapItem
from roadmaps.selectors import scored_roadmap
from tenancy.models import Plan
from tests.roadmaps.test_export_support import TOP_ITEM, build_plan


def exported(plan) -> dict:
    return json.loads(render(gather(plan)))  # through the bytes, as a file would carry it


def comparable(document: dict) -> dict:
    document = dict(document, plan=dict(document["plan"]))
    document.pop("exported_at")
    document["plan"].pop("name")
    return document


@pytest.fixture
def filled(plan, team, people):
    build_plan(plan, team=team)
    crm = RoadmapItem.objects.get(plan=plan, title="Unified customer id")
    roadmaps.scoring_method_set(plan=plan, actor=None, method="custom")
    speed = roadmaps.criterion_create(plan=plan, actor=None, name="Speed", weight=2)
    roadmaps.roadmap_item_update(item=crm, actor=None, criteria_scores={str(speed.pk): 4}, manual_rank=1,
                                 manual_rank_reason="The board decided", owner=people["editor"], quarter="2027-Q2")
    return plan


def test_export_then_import_then_export_gives_the_same_content(filled, org, people):
    first = exported(filled)
    result = plan_import(first, organisation=org, actor=people["editor"], name="Imported copy")
    assert result.warnings == []
    assert result.plan.name == "Imported copy" and result.plan.pk != filled.pk
    second = exported(result.plan)
    assert comparable(second) == comparable(first)
    assert second["roadmap_items"][1]["criteria_scores"] == {"C1": 4}
    assert {i["title"] for i in second["roadmap_items"]} >= {TOP_ITEM}


def test_the_imported_plan_ranks_and_links_like_the_original(filled, org, people):
    imported = plan_import(exported(filled), organisation=org, actor=people["owner"]).plan
    ranks = {}
    for plan in (filled, imported):
        items = RoadmapItem.objects.filter(plan=plan).prefetch_related("touchpoints")
        ranks[plan.pk] = [(item.title, score.value) for item, score in scored_roadmap(plan=plan, items=items)["ranked"]]
    assert ranks[filled.pk] == ranks[imported.pk]
    assert not set(Touchpoint.objects.filter(plan=imported).values_list("pk", flat=True)) & set(
        Touchpoint.objects.filter(plan=filled).values_list("pk", flat=True))
    assert FeedbackResponse.objects.filter(plan=imported).count() == 3


def test_the_document_is_versioned_and_holds_no_database_ids(filled):
    document = plan_document(gather(filled))
    assert (document["format"], document["version"]) == ("journey-planner/plan", 1)
    assert all("id" not in row for section in ("personas", "touchpoints", "roadmap_items") for row in document[section])
    assert document["touchpoints"][0]["ref"] == "TP1" and document["touchpoints"][0]["stage"].startswith("ST")


def test_importing_into_another_organisation_matches_channels_and_reports_missing_teams(filled, people):
    other = people["other_org"]
    before = set(Channel.objects.filter(organisation=other).values_list("name", flat=True))
    result = plan_import(exported(filled), organisation=other, actor=people["outsider"])
    assert result.plan.organisation == other
    added = set(Channel.objects.filter(organisation=other).values_list("name", flat=True)) - before
    assert added == {"Website", "Physical store"}  # the other organisation had no channels yet
    assert any("Customer service" in w and "skipped" in w for w in result.warnings)  # the evaluation's team
    assert TouchpointEvaluation.objects.filter(plan=result.plan).count() == 0
    assert Touchpoint.objects.filter(plan=result.plan, team__isnull=True).count() == 2


def test_viewers_cannot_import(filled, org, people):
    with pytest.raises(PermissionDenied):
        plan_import(exported(filled), organisation=org, actor=people["viewer"])


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="something/else"), "not a plan exported"),
    (lambda d: d.update(version=99), "Unsupported version 99"),
    (lambda d: d["touchpoints"][0].update(stage="ST99"), "refers to ST99"),
    (lambda d: d["feedback"][0].update(score=42), "refuses"),
    (lambda d: d["personas"][0].update(evidence="rumour"), "personas[0]"),
    (lambda d: d["roadmap_items"][1].update(dependencies=["R3"]), "loop back"),
    (lambda d: d.pop("plan"), "incomplete"),
])
def test_a_bad_file_is_refused_with_a_reason_and_creates_nothing(filled, org, people, mutate, message):
    document = exported(filled)
    mutate(document)
    plans_before = Plan.objects.count()
    with pytest.raises(ValidationError) as refused:
        plan_import(document, organisation=org, actor=people["editor"])
    assert message in " ".join(refused.value.messages)
    assert Plan.objects.count() == plans_before


def test_text_that_is_not_json_is_refused(org, people):
    with pytest.raises(ValidationError, match="not valid JSON"):
        plan_import(b"{not json", organisation=org, actor=people["editor"])


# Streaming ---------------------------------------------------------------------------------------------------------


def add_responses(plan, count: int, *, start: int = 0) -> None:
    touchpoints = list(Touchpoint.objects.filter(plan=plan).order_by("-id"))  # not the export's order
    rollups.record(added=FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan=plan, touchpoint=touchpoints[n % len(touchpoints)], kind="nps", score=n % 11,
                         responded_on=date(2027, 1, 1) + timedelta(days=(n * 7) % 365), source="Survey",
                         verbatim=f"Response {n}: the boots were fine" if n % 3 == 0 else "")
        for n in range(start, start + count)], batch_size=2000))


def streamed_peak(plan) -> tuple[float, int]:
    """Peak Python memory (MiB) of gathering the plan and writing its JSON export to a file; the file's size."""
    with tempfile.TemporaryFile() as file:
        gc.collect()
        tracemalloc.start()
        try:
            write(gather(plan), file)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return peak / 2**20, file.tell()


def test_writing_the_json_export_takes_no_more_memory_for_ten_times_the_responses(filled):
    add_responses(filled, 2_000)
    small, small_size = streamed_peak(filled)
    add_responses(filled, 18_000, start=2_000)
    large, large_size = streamed_peak(filled)
    assert large_size > 8 * small_size  # the file grew with the responses...
    assert large - small < 1.0, (small, large)  # ...the memory did not (the rows held in a list: 7 MiB more)


def test_the_streamed_export_is_the_document_json_would_write(filled, org, people):
    add_responses(filled, 2_500)  # more than one chunk of rows
    tricky = 'Quote " backslash \\ tab\t newline\n control\x01 accents éà€ emoji 😀 \u2028'
    Touchpoint.objects.filter(plan=filled, name="Tries the boots on").update(customer_action=tricky)
    FeedbackResponse.objects.filter(plan=filled, score=10).update(verbatim=tricky)
    data = gather(filled)
    expected = json.dumps(plan_document(data), ensure_ascii=False, indent=1).encode("utf-8")
    stream = io.BytesIO()
    write(data, stream)
    assert stream.getvalue() == expected
    assert render(data) == expected
    document = json.loads(expected)
    assert len(document["feedback"]) == 2_503
    assert any(f["verbatim"] == tricky for f in document["feedback"])
    order = [(int(f["touchpoint"][2:]), f["responded_on"]) for f in document["feedback"]]
    assert order == sorted(order)  # touchpoint order, then date


def test_the_experience_layer_makes_the_round_trip_with_its_links(filled, org, people):
    first = exported(filled)
    assert [(lane["kind"], lane["hidden"]) for lane in first["lanes"]] == [
        ("thoughts", False), ("emotion", False), ("insights", False), ("backstage", True)]
    assert first["lanes"][0]["cards"] == [{"stage": "ST2", "text": "Is my size in stock nearby?"}]
    assert [(e["stage"], e["touchpoint"], e["score"]) for e in first["emotions"]] == [
        ("ST1", None, 1), ("ST2", None, -2), ("ST3", None, 0), ("ST3", "TP2", 2), ("ST4", None, 1)]
    [pain] = first["pain_points"]
    assert pain["touchpoints"] == ["TP1"] and len(pain["verbatims"]) == 2
    assert pain["verbatims"][0] == {"touchpoint": "TP1", "responded_on": "2027-02-01", "verbatim": "Stock was wrong"}
    [opportunity] = first["opportunities"]
    assert opportunity["pain_points"] == [pain["ref"]]
    top = next(item for item in first["roadmap_items"] if item["title"] == TOP_ITEM)
    assert top["opportunities"] == [opportunity["ref"]]
    result = plan_import(first, organisation=org, actor=people["editor"], name="Copy")
    assert result.warnings == []
    assert comparable(exported(result.plan)) == comparable(first)
    copied = PainPoint.objects.get(plan=result.plan)
    assert copied.verbatims.count() == 2 and copied.opportunities.get().roadmap_items.get().title == TOP_ITEM


def test_a_document_without_lanes_still_imports(filled, org, people):
    document = exported(filled)
    for key in ("lanes", "emotions", "pain_points", "opportunities"):
        document.pop(key)
    for item in document["roadmap_items"]:
        item.pop("opportunities")
    result = plan_import(document, organisation=org, actor=people["editor"], name="Old file")
    assert RoadmapItem.objects.filter(plan=result.plan).count() == 3
