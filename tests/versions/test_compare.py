"""The bar: duplicate a 500-touchpoint plan (a job with progress), freeze a version, change exactly three things,
and the comparison shows exactly those three."""

import pytest

from assessments import services as assessments
from assessments.models import TouchpointEvaluation
from planning import services as planning
from planning.models import Touchpoint
from roadmaps import services as roadmaps
from roadmaps.models import RoadmapItem
from tenancy.models import Plan
from tests.versions.support import big_plan
from versions import services
from versions.compare import compare, kept_in_order
from versions.duplicate import live_progress
from versions.models import DuplicationJob
from versions.snapshot import load


def test_a_longest_run_keeps_all_but_the_card_that_moved():
    assert kept_in_order([1, 2, 0]) == {1, 2}
    assert kept_in_order([0, 1, 2, 3]) == {0, 1, 2, 3}
    assert len(kept_in_order([3, 0, 1, 2])) == 3


def test_duplicate_freeze_change_three_things_and_the_comparison_shows_exactly_them(
        plan, team, people, django_capture_on_commit_callbacks):
    big_plan(plan, team=team, touchpoints=500)
    owner = people["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.duplication_request(actor=owner, source_plan=plan, kind="plan", name="Copy for workshop 3")
    job = DuplicationJob.objects.get(pk=job.pk)
    assert job.status == "succeeded", job.error
    assert live_progress(job) == (100, "")
    copy = job.result_plan
    assert copy.pk != plan.pk and copy.name == "Copy for workshop 3"
    assert Touchpoint.objects.filter(plan=copy).count() == 500
    assert TouchpointEvaluation.objects.filter(plan=copy).count() == TouchpointEvaluation.objects.filter(
        plan=plan).count()
    assert not copy.feedback_responses.exists() if hasattr(copy, "feedback_responses") else True

    version = services.version_freeze(plan=copy, actor=owner, name="After workshop 2", note="Before the re-ranking")
    assert version.touchpoint_count == 500 and 0 < version.size_bytes < 200_000

    moved = Touchpoint.objects.filter(plan=copy, name="Extra touchpoint 7").select_related("journey__plan").get()
    stages = list(moved.journey.stages.order_by("position"))
    target = next(s for s in stages if s.pk != moved.stage_id)
    planning.touchpoint_move(touchpoint=moved, actor=owner, stage=target, channel=moved.channel)
    evaluation = TouchpointEvaluation.objects.filter(plan=copy, touchpoint__name="Extra touchpoint 20").get()
    assessments.evaluation_update(evaluation=evaluation, actor=owner, maturity=4 if evaluation.maturity != 4 else 1)
    last = RoadmapItem.objects.filter(plan=copy, title="Clienteling app").get()
    roadmaps.roadmap_item_update(item=last, actor=owner, manual_rank=1, manual_rank_reason="The board decided")

    now = services.snapshot.freeze(copy)[1]
    diff = compare(load(version.snapshot), now)

    assert diff["total"] == 3, {k: v for k, v in diff["counts"].items() if v}
    [move] = diff["sections"]["touchpoints_moved"]
    assert move["name"] == "Extra touchpoint 7" and move["to"]["stage"] == target.name
    [changed] = diff["sections"]["evaluations_changed"]
    assert changed["touchpoint"] == "Extra touchpoint 20" and list(changed["changes"]) == ["maturity"]
    [reranked] = diff["sections"]["roadmap_reranked"]
    assert reranked["title"] == "Clienteling app" and reranked["now"] == 1 and reranked["was"] == 3
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_a_version_compared_with_itself_shows_nothing(plan, team, people):
    big_plan(plan, team=team, touchpoints=40)
    version = services.version_freeze(plan=plan, actor=people["editor"], name="v1")
    diff = compare(load(version.snapshot), services.snapshot.freeze(plan)[1])
    assert diff["total"] == 0
    assert diff["curves"] and not any(c["changed"] for c in diff["curves"])


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_viewers_and_outsiders_cannot_freeze(plan, people, role):
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.version_freeze(plan=plan, actor=people[role], name="Nope")
