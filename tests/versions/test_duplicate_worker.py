"""A whole plan copied by a real Celery worker through Redis, as in production: the job row goes queued → running →
succeeded, the API shows its progress on the way, and the copy holds the plan's structure without its feedback."""

import pytest

from assessments.models import FeedbackResponse, TouchpointEvaluation
from planning.models import Touchpoint
from tests.versions.support import big_plan

pytestmark = [pytest.mark.worker]


@pytest.fixture
def celery_worker_settings():
    return ""


def test_a_worker_copies_a_500_touchpoint_plan_with_progress(celery_worker_process, plan, team, people, api_for):
    big_plan(plan, team=team, touchpoints=500)
    api = api_for(people["owner"])
    response = api.post("/api/v1/duplications/", {"kind": "plan", "plan": plan.pk, "name": "Copy"}, format="json")
    assert response.status_code == 202 and response.data["status"] == "queued", response.content
    url = response["Location"]
    seen = []

    def finished() -> bool:
        data = api.get(url).data
        seen.append((data["status"], data["progress"]))
        return data["status"] in ("succeeded", "failed")

    celery_worker_process.wait_until(finished, what="the worker to copy the plan", timeout=120)
    data = api.get(url).data
    assert data["status"] == "succeeded", (data["error"], celery_worker_process.log()[-3000:])
    assert data["progress"] == 100
    progress = [p for _s, p in seen]
    assert progress == sorted(progress)  # never goes back
    copy = data["result_plan"]
    assert Touchpoint.objects.filter(plan_id=copy).count() == 500
    assert TouchpointEvaluation.objects.filter(plan_id=copy).count() == TouchpointEvaluation.objects.filter(
        plan=plan).count()
    assert FeedbackResponse.objects.filter(plan=plan).exists()
    assert not FeedbackResponse.objects.filter(plan_id=copy).exists()
