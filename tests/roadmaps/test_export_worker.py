"""Exports through Redis and real Celery worker processes, as in production; and workers killed mid-render.

The kill tests slow the PDF renderer down (settings.PLAN_EXPORT_RENDERERS in the workers' settings) and shorten
the broker's visibility timeout, so a message left unacknowledged by a killed worker comes back within seconds
instead of an hour. Every run must end succeeded once, or failed with a message after MAX_ATTEMPTS: never running.
"""

import pytest
from django.core.files.storage import default_storage

from roadmaps import services
from roadmaps.exports.jobs import MAX_ATTEMPTS
from roadmaps.models import Export
from tests.roadmaps.test_export_support import (
    PERSONAS,
    TOP_ITEM,
    TOUCHPOINT,
    URLCONF,
    build_plan,
    pdftotext,
    poppler_available,
)

pytestmark = [pytest.mark.worker, pytest.mark.urls(URLCONF)]

SLOW_RENDER = """
PLAN_EXPORT_RENDERERS = {"pdf": "tests.roadmaps.test_export_support.slow_pdf_render"}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 6, "unacked_restore_interval": 1, "unacked_restore_throttle": 1, "unacked_mutex_expire": 5,
}
"""
slow_render = pytest.mark.parametrize("celery_worker_settings", [SLOW_RENDER], indirect=True, ids=["slow-render"])


@pytest.fixture
def celery_worker_settings(request):
    return getattr(request, "param", "")


@pytest.fixture
def media(celery_workers, settings):
    """Read the files where the workers write them."""
    settings.MEDIA_ROOT = str(celery_workers.media_root)
    return celery_workers.media_root


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_a_worker_builds_the_pdf_asked_for_through_the_api(celery_worker_process, media, plan, team, people,
                                                           api_for, tmp_path):
    if not poppler_available():
        pytest.skip("poppler-utils (pdftotext) is not installed")
    build_plan(plan, team=team)
    api = api_for(people["viewer"])
    response = api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "pdf"}, format="json")
    assert response.status_code == 202 and response.data["status"] == "queued"
    url = f"/api/v1/exports/{response.data['id']}/"
    seen = set()

    def finished() -> bool:
        data = api.get(url).data
        seen.add((data["status"], data["progress"]))
        return data["status"] in ("succeeded", "failed")

    celery_worker_process.wait_until(finished, what="the worker to finish the PDF", timeout=90)
    data = api.get(url).data
    assert data["status"] == "succeeded", data["error"]
    assert (data["progress"], data["attempts"], data["error"]) == (100, 1, "")
    download = api.get(data["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdftotext(b"".join(download.streaming_content), tmp_path)
    for expected in (*PERSONAS, TOUCHPOINT, TOP_ITEM):
        assert expected in text
    assert ("succeeded", 100) in seen


def _rendering(export: Export, attempt: int):
    return lambda: Export.objects.filter(pk=export.pk, status="running", attempts=attempt, progress__gte=40).exists()


def _finished(export: Export):
    return lambda: Export.objects.filter(pk=export.pk, status__in=("succeeded", "failed")).exists()


@slow_render
def test_a_worker_killed_mid_render_leaves_the_export_to_the_next_one(celery_workers, media, plan, team, people):
    build_plan(plan, team=team)
    first = celery_workers.start()
    export = services.export_request(plan=plan, actor=people["editor"], format="pdf")  # enqueued on commit
    first.wait_until(_rendering(export, 1), what="the first worker to start rendering")
    first.kill()
    export.refresh_from_db()
    assert export.status == "running"  # nobody will finish this run: the next delivery must

    second = celery_workers.start()
    second.wait_until(_finished(export), what="the second worker to finish the export", timeout=60)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.progress, export.error) == ("succeeded", 2, 100, "")
    assert stored_files(media) == [media / export.file.name]
    assert default_storage.open(export.file.name).read(5) == b"%PDF-"


@slow_render
def test_an_export_whose_workers_keep_dying_fails_after_the_attempt_limit(celery_workers, media, plan, team, people):
    build_plan(plan, team=team)
    # The first worker is up (its queue declared and bound) before the task is sent, as in production.
    worker = celery_workers.start()
    export = services.export_request(plan=plan, actor=people["editor"], format="pdf")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt > 1:
            worker = celery_workers.start()
        worker.wait_until(_rendering(export, attempt), what=f"attempt {attempt} to start rendering", timeout=90)
        worker.kill()
    last = celery_workers.start()
    last.wait_until(_finished(export), what="the export to be given up", timeout=45)
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("failed", MAX_ATTEMPTS)
    assert f"stopped {MAX_ATTEMPTS} times before finishing" in export.error
    assert export.finished_at is not None and stored_files(media) == []
