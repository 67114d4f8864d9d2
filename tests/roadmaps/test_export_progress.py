"""Honest progress without a broker: the request that asks for an export returns before the export is built (it runs
in a background thread after the commit), and the exports page follows it from running to done with its link."""

import threading

import pytest
from django.urls import reverse

from roadmaps import tasks
from roadmaps.models import Export

# The test's renderer stops half-way until the test lets it go, so what the page shows meanwhile is certain.
REACHED, RELEASE = threading.Event(), threading.Event()


def gated_render(data) -> bytes:
    REACHED.set()
    RELEASE.wait(timeout=20)
    return b'{"format": "journey-planner/plan"}'


@pytest.fixture
def in_thread(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PLAN_EXPORTS_IN_THREAD = True
    settings.PLAN_EXPORT_RENDERERS = {"json": "tests.roadmaps.test_export_progress.gated_render"}
    REACHED.clear()
    RELEASE.clear()
    yield
    RELEASE.set()  # never leave a thread waiting


def finish(export) -> None:
    """Wait for the export's background thread to end."""
    for thread in threading.enumerate():
        if thread.name == f"plan-export-{export.pk}":
            thread.join(timeout=15)
            assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_the_request_returns_before_the_export_is_built_and_the_page_follows_it_to_its_link(client_for, people, plan,
                                                                                            in_thread):
    client = client_for(people["viewer"])
    response = client.post(reverse("plan_exports", args=[plan.pk]), {"format": "json"})
    assert response.status_code == 302  # answered although the renderer cannot finish until RELEASE
    # The test touches the database only while the export thread waits: the suite's in-memory SQLite (shared cache)
    # locks whole tables between connections, where PostgreSQL or a SQLite file would wait their turn.
    assert REACHED.wait(timeout=10), "the export never started in the background"
    export = Export.objects.get(plan=plan)

    page = client.get(response["Location"]).content.decode()
    assert "Your JSON (can be imported back) export has been requested." in page
    assert "on its way" not in page
    running = Export.objects.get(pk=export.pk)
    assert (running.status, running.progress) == ("running", 40)
    assert "Building the file…" in page and "40 %" in page
    assert f'hx-get="{reverse("export_row", args=[export.pk])}"' in page  # the row polls itself
    assert reverse("export_download", args=[export.pk]) not in page

    RELEASE.set()
    finish(export)
    row = client.get(reverse("export_row", args=[export.pk])).content.decode()
    assert reverse("export_download", args=[export.pk]) in row and "100 %" in row and "Succeeded" in row
    assert "hx-get" not in row  # a finished row stops polling
    download = client.get(reverse("export_download", args=[export.pk]))
    assert b"".join(download.streaming_content) == b'{"format": "journey-planner/plan"}'


@pytest.mark.django_db(transaction=True)
def test_a_queued_export_without_a_worker_says_it_is_starting(client_for, people, plan, in_thread):
    export = Export.objects.create(plan=plan, format="json", requested_by=people["viewer"])
    row = client_for(people["viewer"]).get(reverse("export_row", args=[export.pk])).content.decode()
    assert "Starting…" in row and "Waiting for a worker" not in row


def test_with_a_broker_the_worker_runs_the_export_not_a_thread(settings, monkeypatch, people, plan):
    settings.PLAN_EXPORTS_IN_THREAD = True
    conf = tasks.plan_export_task.app.conf
    sent, saved = [], conf.task_always_eager
    monkeypatch.setattr(tasks.plan_export_task, "apply_async",
                        lambda args, task_id, **limits: sent.extend(args))  # task_send
    monkeypatch.setattr(tasks.threading, "Thread", lambda **kwargs: pytest.fail("no thread with a worker"))
    conf.task_always_eager = False  # as with REDIS_URL (Celery's settings object cannot be monkeypatched)
    try:
        tasks.plan_export_enqueue(41)
        assert sent == [41] and not tasks.exports_run_in_process()
    finally:
        conf.task_always_eager = saved


@pytest.mark.django_db(transaction=True)
def test_an_export_finished_by_the_time_of_the_redirect_says_it_is_ready(client_for, people, plan, settings,
                                                                         tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = client_for(people["viewer"])  # eager and no thread (a fast worker would do the same): built at once
    response = client.post(reverse("plan_exports", args=[plan.pk]), {"format": "json"}, follow=True)
    body = response.content.decode()
    assert "Your JSON (can be imported back) export is ready: download it below." in body
    assert "has been requested" not in body
