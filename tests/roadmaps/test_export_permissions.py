"""Permission matrix of the export pages and API: anonymous, outsider, viewer, editor, admin, owner.

Whoever may view a plan may export it and download its exports; importing creates a plan, so viewers may not.
Another organisation's plan, export or file is 404.
"""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from roadmaps.exports import gather
from roadmaps.exports.json_io import render as render_json
from roadmaps.models import Export
from roadmaps.tasks import plan_export_task
from tenancy.models import Plan
from tests.conftest import ROLES
from tests.roadmaps.test_export_support import URLCONF, build_plan
from tests.support import fields

pytestmark = pytest.mark.urls(URLCONF)
LOGIN = 302


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def done(plan, team, people):
    """A finished JSON export of the plan, asked by the viewer."""
    build_plan(plan, team=team)
    export = Export.objects.create(plan=plan, format="json", requested_by=people["viewer"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "succeeded"
    return export


def matrix(expected):
    return list(zip(ROLES, expected, strict=True))


# Pages -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 200, 200, 200, 200]))
def test_exports_page(client_for, people, plan, done, role, expected):
    response = client_for(people[role]).get(reverse("plan_exports", args=[plan.pk]))
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        assert "Export the plan" in body and reverse("export_download", args=[done.pk]) in body
        assert ("Import a plan from JSON" in body) == (role != "viewer")
    elif expected == 404:
        assert plan.name not in body


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 302, 302, 302, 302]))
def test_asking_for_an_export_from_the_page(client_for, people, plan, role, expected,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(people[role]).post(reverse("plan_exports", args=[plan.pk]), {"format": "csv"})
    assert response.status_code == expected
    created = Export.objects.filter(plan=plan, format="csv")
    if expected == 302 and role != "anon":
        assert response["Location"] == reverse("plan_exports", args=[plan.pk])
        assert created.get().requested_by == people[role]
    else:
        assert not created.exists()


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 200, 200, 200, 200]))
def test_export_row(client_for, people, done, role, expected):
    response = client_for(people[role]).get(reverse("export_row", args=[done.pk]))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Succeeded" in body and "hx-trigger" not in body  # finished: the polling stops


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 200, 200, 200, 200]))
def test_download_page(client_for, people, plan, done, role, expected):
    response = client_for(people[role]).get(reverse("export_download", args=[done.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/json"
        assert "attachment" in response["Content-Disposition"]
        assert json.loads(b"".join(response.streaming_content))["plan"]["name"] == plan.name
    else:
        assert plan.name.encode() not in getattr(response, "content", b"")


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 403, 200, 200, 200]))
def test_import_page(client_for, people, org, role, expected):
    response = client_for(people[role]).get(reverse("plan_import", args=[org.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "Import a plan from JSON" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), matrix([LOGIN, 404, 403, 302, 302, 302]))
def test_importing_from_the_page(client_for, people, org, plan, team, role, expected):
    build_plan(plan, team=team)
    upload = SimpleUploadedFile("plan.json", render_json(gather(plan)), content_type="application/json")
    response = client_for(people[role]).post(reverse("plan_import", args=[org.pk]),
                                             {"file": upload, "name": f"Imported by {role}"})
    assert response.status_code == expected
    imported = Plan.objects.filter(name=f"Imported by {role}").first()
    if expected == 302 and role != "anon":
        assert response["Location"] == reverse("plan_detail", args=[imported.pk])
        assert imported.organisation == org and imported.personas.count() == 2
    else:
        assert imported is None


def test_the_import_page_shows_why_a_file_is_refused(client_for, people, org):
    upload = SimpleUploadedFile("plan.json", b'{"format": "other"}', content_type="application/json")
    response = client_for(people["editor"]).post(reverse("plan_import", args=[org.pk]), {"file": upload})
    assert response.status_code == 200
    assert "This is not a plan exported by Journey Planner" in response.content.decode()


def test_a_running_export_row_polls_and_a_failed_one_shows_its_error(client_for, people, plan):
    running = Export.objects.create(plan=plan, format="pdf", status="running", progress=40, attempts=1,
                                    started_at=timezone.now(), heartbeat_at=timezone.now())
    failed = Export.objects.create(plan=plan, format="pdf", status="failed", error="The export could not be built.")
    client = client_for(people["viewer"])
    body = client.get(reverse("export_row", args=[running.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body
    body = client.get(reverse("export_row", args=[failed.pk])).content.decode()
    assert "hx-trigger" not in body and "The export could not be built." in body
    assert client.get(reverse("export_download", args=[failed.pk])).status_code == 404


# API -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 202, 202, 202, 202]))
def test_api_asking_for_an_export(api_for, people, plan, role, expected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = api_for(people[role]).post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "pdf"}, format="json")
    assert response.status_code == expected
    if expected == 202:
        export = Export.objects.get(pk=response.data["id"])
        assert (export.plan, export.format, export.requested_by) == (plan, "pdf", people[role])
        assert response.data["status"] == "queued" and response.data["download_url"] is None
        assert response["Location"].endswith(f"/api/v1/exports/{export.pk}/")
    else:
        assert not Export.objects.exists()


def test_api_refuses_an_unknown_format(api_for, people, plan):
    response = api_for(people["editor"]).post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "docx"},
                                              format="json")
    assert response.status_code == 400 and "format" in fields(response)


@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 200, 200, 200, 200]))
def test_api_plan_exports_list(api_for, people, plan, done, role, expected):
    response = api_for(people[role]).get(f"/api/v1/plans/{plan.pk}/exports/")
    assert response.status_code == expected
    if expected == 200:
        assert [row["id"] for row in response.data["results"]] == [done.pk]


@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 200, 200, 200, 200]))
def test_api_export_detail(api_for, people, done, role, expected):
    response = api_for(people[role]).get(f"/api/v1/exports/{done.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert (response.data["status"], response.data["progress"], response.data["error"]) == ("succeeded", 100, "")
        assert response.data["download_url"].endswith(f"/api/v1/exports/{done.pk}/download/")


@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 200, 200, 200, 200]))
def test_api_export_download(api_for, people, plan, done, role, expected):
    response = api_for(people[role]).get(f"/api/v1/exports/{done.pk}/download/")
    assert response.status_code == expected
    if expected == 200:
        content = b"".join(response.streaming_content)
        assert content == default_storage.open(done.file.name).read()
        assert json.loads(content)["plan"]["name"] == plan.name


def test_api_export_list_shows_only_visible_plans(api_for, people, done, other_plan):
    theirs = Export.objects.create(plan=other_plan, format="pdf")
    ours = [row["id"] for row in api_for(people["viewer"]).get("/api/v1/exports/").data["results"]]
    assert ours == [done.pk]
    assert [row["id"] for row in api_for(people["outsider"]).get("/api/v1/exports/").data["results"]] == [theirs.pk]


@pytest.mark.parametrize(("role", "expected"), matrix([401, 404, 403, 201, 201, 201]))
def test_api_import(api_for, people, org, plan, team, role, expected):
    build_plan(plan, team=team)
    document = json.loads(render_json(gather(plan)))
    response = api_for(people[role]).post("/api/v1/plans/import/", {
        "organisation": org.pk, "name": f"API import by {role}", "data": document}, format="json")
    assert response.status_code == expected
    imported = Plan.objects.filter(name=f"API import by {role}").first()
    if expected == 201:
        assert response.data == {"plan": imported.pk, "name": imported.name, "warnings": []}
        assert imported.organisation == org
    else:
        assert imported is None


def test_api_import_refuses_a_multipart_file_upload_with_a_415(api_for, people, org, plan, team):
    build_plan(plan, team=team)
    upload = SimpleUploadedFile("plan.json", render_json(gather(plan)), content_type="application/json")
    response = api_for(people["editor"]).post("/api/v1/plans/import/", {"organisation": org.pk, "file": upload},
                                              format="multipart")
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert not Plan.objects.exclude(pk=plan.pk).exists()


def test_api_import_explains_a_bad_document(api_for, people, org):
    response = api_for(people["editor"]).post("/api/v1/plans/import/", {
        "organisation": org.pk, "data": {"format": "journey-planner/plan", "version": 7}}, format="json")
    assert response.status_code == 400
    assert "Unsupported version 7" in str(fields(response)["data"])
