"""Exports through Redis and real Celery worker processes, as in production; and workers killed mid-render.

The kill tests slow the PDF renderer down (settings.PLAN_EXPORT_RENDERERS in the workers' settings) and shorten
the broker's visibility timeout, so a message left unacknowledged by a killed worker comes back within seconds
instead of an hour. Every run must end succeeded once, or failed with a message after MAX_ATTEMPTS: never running.
"""

import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from roadmaps import services
from roadmaps.exports.jobs import MAX_ATTEMPTS
from roadmaps.models import Export
from roadmaps.tasks import exports_sweep_task
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
EXPORT_HEARTBEAT_SECONDS = 1
EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 3  # the redelivery, 6 s after the first delivery, finds the killed run silent
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 6, "unacked_restore_interval": 1, "unacked_restore_throttle": 1, "unacked_mutex_expire": 5,
}
"""
slow_render = pytest.mark.parametrize("celery_worker_settings", [SLOW_RENDER], indirect=True, ids=["slow-render"])
# No redelivery within the test (the default visibility timeout, twice the hard time limit): only the heartbeat and
# the sweep can tell that the run is dead.
NO_REDELIVERY = """
PLAN_EXPORT_RENDERERS = {"pdf": "tests.roadmaps.test_export_support.slow_pdf_render"}
EXPORT_HEARTBEAT_SECONDS = 1
"""


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


@pytest.mark.parametrize("celery_worker_settings", [NO_REDELIVERY], indirect=True, ids=["no-redelivery"])
def test_a_worker_killed_for_good_has_its_export_failed_within_the_heartbeat_timeout_and_one_sweep(
        celery_workers, media, plan, team, people, settings, client_for):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = timeout = 6
    sweep_interval = 2  # Celery beat's JOBS_SWEEP_SECONDS, played by this loop
    build_plan(plan, team=team)
    worker = celery_workers.start()
    export = services.export_request(plan=plan, actor=people["editor"], format="pdf")
    worker.wait_until(_rendering(export, 1), what="the worker to start rendering")
    time.sleep(1.5)  # long enough for a heartbeat or two: the run is seen alive first
    assert exports_sweep_task()["failed"] == 0
    assert Export.objects.get(pk=export.pk).heartbeat_at > Export.objects.get(pk=export.pk).started_at
    worker.kill()
    killed = time.monotonic()

    while not Export.objects.filter(pk=export.pk, status="failed").exists():
        assert time.monotonic() - killed < timeout + sweep_interval + 1.5, "still running after the timeout + a sweep"
        time.sleep(sweep_interval)
        exports_sweep_task()
    export.refresh_from_db()
    assert export.attempts == 1 and stored_files(media) == []
    assert "gave no sign of life for 6 seconds" in export.error
    page = client_for(people["editor"]).get(reverse("plan_exports", args=[plan.pk])).content.decode()
    assert "gave no sign of life for 6 seconds (it was stopped, or ran out of memory)" in page

