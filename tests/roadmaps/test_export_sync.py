"""Exports for sync clients: the "export.finished" webhook (succeeded or failed, once), and Idempotency-Key on the
export and import POSTs (a retried request gives one export, one plan)."""

import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from roadmaps.exports import jobs as jobs_module
from roadmaps.models import Export
from roadmaps.tasks import plan_export_task
from sync.webhooks import services as webhooks
from tenancy.models import Plan
from tests.sync.test_webhooks import Listener


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def listener(settings, org, people):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # it listens on 127.0.0.1
    listener = Listener([200])
    webhooks.subscription_create(organisation=org, actor=people["admin"], url=listener.url,
                                 event_types=["export.finished"])
    yield listener
    listener.stop()


def events(listener) -> list[dict]:
    assert all(headers["X-JourneyPlanner-Event"] == "export.finished" for headers, _body in listener.requests)
    return [json.loads(body) for _headers, body in listener.requests]


def test_a_finished_export_is_announced_with_its_download_url(listener, api_for, people, plan, org,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the request commits; the eager task runs after it
        response = api_for(people["viewer"]).post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "json"},
                                                  format="json")
    assert response.status_code == 202, response.content

    [event] = events(listener)
    export = Export.objects.get(pk=response.data["id"])
    assert export.status == "succeeded"
    assert event["type"] == "export.finished" and event["organisation"] == org.pk
    data = event["data"]
    assert (data["id"], data["plan"], data["format"], data["status"], data["error"]) == (
        export.pk, plan.pk, "json", "succeeded", "")
    site = django_settings.SITE_URL.rstrip("/")  # no request behind a worker: the configured address
    assert data["url"] == f"{site}/api/v1/exports/{export.pk}/"
    assert data["download_url"] == f"{site}/api/v1/exports/{export.pk}/download/"

    with django_capture_on_commit_callbacks(execute=True):
        plan_export_task(export.pk)  # a redelivered task: nothing to do, nothing sent again
    assert len(listener.requests) == 1


def test_a_failed_export_is_announced_with_its_error(listener, people, plan, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    def broken(data):
        raise ValueError("the fonts are missing")

    monkeypatch.setattr(jobs_module, "renderer_for", lambda format: broken)
    export = Export.objects.create(plan=plan, format="pdf", requested_by=people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        plan_export_task(export.pk)
        plan_export_task(export.pk)

    [event] = events(listener)
    data = event["data"]
    assert (data["id"], data["status"], data["download_url"]) == (export.pk, "failed", None)
    assert data["error"] == "The export could not be built (ValueError: the fonts are missing)."


def test_an_export_given_up_after_its_attempts_or_stalled_is_announced_failed(listener, people, plan,
                                                                             django_capture_on_commit_callbacks):
    given_up = Export.objects.create(plan=plan, format="json", status="running", attempts=jobs_module.MAX_ATTEMPTS)
    stalled = Export.objects.create(plan=plan, format="json", status="running", attempts=1,
                                    started_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        plan_export_task(given_up.pk)
        jobs_module.export_fail_if_stalled(stalled)
        jobs_module.export_fail_if_stalled(stalled)  # already failed: not announced again

    assert sorted((e["data"]["id"], e["data"]["status"]) for e in events(listener)) == [
        (given_up.pk, "failed"), (stalled.pk, "failed")]


def test_another_organisations_export_is_not_announced(listener, people, other_plan,
                                                       django_capture_on_commit_callbacks):
    export = Export.objects.create(plan=other_plan, format="json", requested_by=people["outsider"])
    with django_capture_on_commit_callbacks(execute=True):
        plan_export_task(export.pk)
    assert Export.objects.get(pk=export.pk).status == "succeeded" and listener.requests == []


def test_the_same_idempotency_key_twice_asks_for_one_export(api_for, people, plan, django_capture_on_commit_callbacks):
    api = api_for(people["viewer"])
    url = f"/api/v1/plans/{plan.pk}/exports/"
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(url, {"format": "csv"}, format="json", HTTP_IDEMPOTENCY_KEY="export-2027-03-01")
        again = api.post(url, {"format": "csv"}, format="json", HTTP_IDEMPOTENCY_KEY="export-2027-03-01")
        other = api.post(url, {"format": "pdf"}, format="json", HTTP_IDEMPOTENCY_KEY="export-2027-03-01")

    assert (first.status_code, again.status_code, other.status_code) == (202, 202, 422)
    assert again.data["id"] == first.data["id"] and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert list(Export.objects.filter(plan=plan).values_list("format", flat=True)) == ["csv"]


def test_the_same_idempotency_key_twice_imports_one_plan(api_for, people, plan, org,
                                                         django_capture_on_commit_callbacks):
    api = api_for(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        exported = api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "json"}, format="json")
    document = json.loads(b"".join(api.get(f"/api/v1/exports/{exported.data['id']}/download/").streaming_content))
    body = {"organisation": org.pk, "name": "Copy of the plan", "data": document}

    first = api.post("/api/v1/plans/import/", body, format="json", HTTP_IDEMPOTENCY_KEY="import-1")
    again = api.post("/api/v1/plans/import/", body, format="json", HTTP_IDEMPOTENCY_KEY="import-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.data == first.data and again["Idempotent-Replayed"] == "true"
    assert Plan.objects.filter(organisation=org, name="Copy of the plan").count() == 1
