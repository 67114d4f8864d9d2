"""The export task in-process: what each format holds, idempotency, bounded attempts, readable failures, queries."""

import io
import json
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from planning.models import Persona
from roadmaps import services
from roadmaps.exports import gather
from roadmaps.exports import jobs as jobs_module
from roadmaps.exports.jobs import MAX_ATTEMPTS, export_fail_if_stalled, storage_name
from roadmaps.models import Export, ExportStatus
from roadmaps.tasks import plan_export_task
from tests.factories import team_with
from tests.roadmaps.test_export_support import (
    LANE_CARD,
    PAIN_POINT,
    PERSONAS,
    TOP_ITEM,
    TOUCHPOINT,
    build_plan,
    pdftotext,
    poppler_available,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def filled(plan, team, people):
    build_plan(plan, team=team)
    return plan


def queued(plan, user, format="pdf") -> Export:
    return Export.objects.create(plan=plan, format=format, requested_by=user)


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_pdf_export_holds_personas_touchpoint_and_top_item(filled, people, media, tmp_path):
    if not poppler_available():
        pytest.skip("poppler-utils (pdftotext) is not installed")
    export = queued(filled, people["viewer"])
    plan_export_task.delay(export.pk)  # eager in tests: runs here
    export.refresh_from_db()
    assert (export.status, export.progress, export.attempts, export.error) == ("succeeded", 100, 1, "")
    assert export.started_at and export.finished_at
    text = pdftotext(default_storage.open(export.file.name).read(), tmp_path)
    for expected in (*PERSONAS, TOUCHPOINT, TOP_ITEM, filled.name, "Northern Trail Outfitters",
                     "Quick wins", "Agreed maturity", "Page 3 of"):  # charts drawn as SVG text; page numbers
        assert expected in text
    assert text.index(TOP_ITEM) < text.index("Clienteling app", text.index("Prioritised roadmap"))


def test_a_persona_photo_is_embedded_in_the_pdf_as_data(filled, people, tmp_path):
    if not shutil.which("pdfimages"):
        pytest.skip("poppler-utils (pdfimages) is not installed")
    persona = Persona.objects.get(plan=filled, name=PERSONAS[0])
    image = io.BytesIO()
    Image.new("RGB", (40, 40), "#3154d4").save(image, "PNG")
    persona.photo.save("lea.png", ContentFile(image.getvalue()))
    export = queued(filled, people["viewer"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    source = tmp_path / "photo.pdf"
    source.write_bytes(default_storage.open(export.file.name).read())
    listing = subprocess.run(["pdfimages", "-list", str(source)], capture_output=True, text=True, check=True).stdout
    assert len(listing.strip().splitlines()) == 3  # two header lines, then the one image


def test_running_the_task_twice_leaves_one_file(filled, people, media):
    export = queued(filled, people["editor"], "json")
    plan_export_task(export.pk)
    first = Export.objects.get(pk=export.pk)
    plan_export_task(export.pk)
    second = Export.objects.get(pk=export.pk)
    assert stored_files(media) == [media / storage_name(export)]
    assert (second.file.name, second.finished_at, second.attempts) == (first.file.name, first.finished_at, 1)


def test_a_file_left_by_a_run_that_died_is_replaced_not_duplicated(filled, people, media):
    export = queued(filled, people["editor"], "csv")
    default_storage.save(storage_name(export), io.BytesIO(b"half a zip"))
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, attempts=1)
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "succeeded" and export.attempts == 2
    assert stored_files(media) == [media / storage_name(export)]
    with zipfile.ZipFile(default_storage.open(export.file.name)) as archive:
        assert "personas.csv" in archive.namelist()


def test_a_redelivered_run_counts_its_attempt_and_gives_up_after_the_limit(filled, people, media):
    export = queued(filled, people["editor"], "json")
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, attempts=MAX_ATTEMPTS)
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and export.attempts == MAX_ATTEMPTS
    assert f"stopped {MAX_ATTEMPTS} times" in export.error
    assert stored_files(media) == []


def test_a_rendering_error_is_a_readable_failure(filled, people, monkeypatch):
    def broken(data):
        raise ValueError("the fonts are missing")

    monkeypatch.setattr(jobs_module, "renderer_for", lambda format: broken)
    export = queued(filled, people["editor"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and export.finished_at is not None
    assert export.error == "The export could not be built (ValueError: the fonts are missing)."


def test_the_soft_time_limit_marks_the_export_failed(filled, people, monkeypatch, settings):
    def too_slow(data):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs_module, "renderer_for", lambda format: too_slow)
    export = queued(filled, people["editor"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert f"longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} seconds" in export.error


def test_a_run_older_than_the_hard_limit_is_reported_failed(filled, people, settings):
    export = queued(filled, people["editor"])
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, attempts=1, started_at=started)
    export = export_fail_if_stalled(Export.objects.get(pk=export.pk))
    assert export.status == "failed" and "stopped without finishing" in export.error
    recent = queued(filled, people["editor"])
    Export.objects.filter(pk=recent.pk).update(status=ExportStatus.RUNNING, attempts=1, started_at=timezone.now())
    assert export_fail_if_stalled(Export.objects.get(pk=recent.pk)).status == "running"


def test_the_task_is_enqueued_when_the_request_commits(filled, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = services.export_request(plan=filled, actor=people["viewer"], format="json")
    assert export.status == "queued" and len(callbacks) == 1
    callbacks[0]()
    export.refresh_from_db()
    assert export.status == "succeeded"
    document = json.loads(default_storage.open(export.file.name).read())
    assert document["format"] == "journey-planner/plan" and document["plan"]["name"] == filled.name


def test_gathering_takes_the_same_number_of_queries_for_a_small_and_a_large_plan(plan, other_plan, team, people):
    build_plan(plan, team=team)
    big_team = team_with(people["other_org"], name="Big team")
    build_plan(other_plan, team=big_team, extra_touchpoints=40)
    counts = []
    for target in (plan, other_plan):
        with CaptureQueriesContext(connection) as queries:
            data = gather(target)
        counts.append(len(queries))
    assert data.touchpoints and len(data.touchpoints) == 42
    assert counts[0] == counts[1] <= 35  # 25 + the experience layer's lanes, emotions, pains and opportunities



def test_the_pdf_journey_page_carries_the_lanes_and_draws_the_emotion_curve(filled, people, tmp_path):
    if not poppler_available():
        pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed")
    export = queued(filled, people["viewer"])
    plan_export_task.delay(export.pk)
    pdf = default_storage.open(Export.objects.get(pk=export.pk).file.name).read()
    pages = pdftotext(pdf, tmp_path).split("\f")
    [page] = [number for number, text in enumerate(pages, start=1) if "Emotion curve" in text]
    text = pages[page - 1]
    for expected in ("Lowest point: Research (-2).", LANE_CARD, "Thoughts", PAIN_POINT, "2 verbatims",
                     "Live stock on the product page", f"Roadmap: {TOP_ITEM}"):
        assert expected in text
    assert "Nightly stock sync" not in "".join(pages)  # a hidden lane stays out of the PDF
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "60", "-png", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    [png] = list(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("RGB")
    pixels = image.tobytes()
    purple = sum(1 for i in range(0, len(pixels), 3)
                 if abs(pixels[i] - 0x6a) < 30 and abs(pixels[i + 1] - 0x3f) < 30 and abs(pixels[i + 2] - 0xc1) < 30)
    assert purple > 150, purple  # the curve's stroke and the points' rings are drawn, not only their labels


def test_a_delivery_while_a_live_run_builds_the_export_leaves_it_alone(filled, people, media, settings):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 60
    export = queued(filled, people["editor"], "json")
    now = timezone.now()
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, attempts=1, started_at=now,
                                               heartbeat_at=now)
    plan_export_task(export.pk)  # a redelivered (or second) message while the first run still beats
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("running", 1)
    assert stored_files(media) == []

    Export.objects.filter(pk=export.pk).update(heartbeat_at=now - timedelta(seconds=61))
    plan_export_task(export.pk)  # that run went silent: this delivery takes it over
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("succeeded", 2)


def test_a_worker_delivery_finding_a_live_run_looks_again_once_that_run_would_be_silent(filled, people, media,
                                                                                        settings, monkeypatch):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS, settings.EXPORT_HEARTBEAT_SECONDS = 60, 5
    export = queued(filled, people["editor"], "json")
    now = timezone.now()
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, attempts=1, started_at=now,
                                               heartbeat_at=now)
    retried = []

    def retry(**options):
        retried.append(options)
        return Retry()

    monkeypatch.setattr(plan_export_task, "retry", retry)
    plan_export_task.push_request(is_eager=False, called_directly=False, retries=0)  # as a worker delivers it
    try:
        with pytest.raises(Retry):
            plan_export_task.run(export.pk)
    finally:
        plan_export_task.pop_request()
    assert retried == [{"countdown": 65}]
    assert Export.objects.get(pk=export.pk).attempts == 1

