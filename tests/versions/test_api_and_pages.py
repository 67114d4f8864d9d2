"""Permission matrices of the versions pages and API (another organisation's version is 404), the API's freeze,
compare and restore, the feed entry and webhook event of a frozen version, and the compare page's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import TouchpointEvaluation
from planning.models import Touchpoint
from sync.webhooks.events import event_types
from tests.sync.test_changes_feed import drain
from tests.versions.support import big_plan
from versions import services

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]
READ = {"anon": 302, "outsider": 404, "viewer": 200, "editor": 200, "admin": 200, "owner": 200}
WRITE = {"anon": 302, "outsider": 404, "viewer": 403, "editor": 200, "admin": 200, "owner": 200}
API_READ = {"anon": 401, "outsider": 404, "viewer": 200, "editor": 200, "admin": 200, "owner": 200}


@pytest.fixture
def version(plan, team, people):
    big_plan(plan, team=team, touchpoints=30)
    return services.version_freeze(plan=plan, actor=people["editor"], name="After workshop 2", note="Agreed")


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_follow_the_permission_matrix(client_for, people, plan, version, role):
    client = client_for(people[role])
    pages = [reverse("plan_versions", args=[plan.pk]), reverse("version_detail", args=[plan.pk, version.pk]),
             reverse("version_compare", args=[plan.pk]) + f"?a={version.pk}&b=now",
             reverse("version_json", args=[plan.pk, version.pk])]
    for url in pages:
        assert client.get(url).status_code == READ[role], url
    touchpoint = Touchpoint.objects.filter(plan=plan).first()
    restore = reverse("version_restore", args=[plan.pk, version.pk, "touchpoint", touchpoint.pk])
    assert client.get(restore).status_code == WRITE[role]


def test_another_organisations_version_is_404_even_through_a_plan_of_mine(client_for, people, plan, other_plan,
                                                                           version):
    foreign = services.version_freeze(plan=other_plan, actor=None, name="Theirs")
    client = client_for(people["owner"])
    assert client.get(reverse("version_detail", args=[plan.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("version_compare", args=[plan.pk]) + f"?a={foreign.pk}").status_code == 404
    assert client_for(people["owner"]).get(f"/api/v1/plan-versions/{foreign.pk}/").status_code == 404


def test_freezing_from_the_page_then_reading_it_in_french(client_for, people, plan, version):
    client = client_for(people["editor"])
    response = client.post(reverse("plan_versions", args=[plan.pk]), {"name": "Après l’atelier 3", "note": ""})
    assert response.status_code == 302
    page = client.get(reverse("plan_versions", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Après l’atelier 3" in page and "Figer une version" in page and "Copier le parcours" in page
    assert client_for(people["viewer"]).post(reverse("plan_versions", args=[plan.pk]),
                                             {"name": "No"}).status_code == 403


def test_the_compare_page_shows_the_changes_and_restores_one(client_for, people, plan, version):
    evaluation = TouchpointEvaluation.objects.filter(plan=plan, touchpoint__name="Extra touchpoint 3").get()
    old, seen = evaluation.maturity, evaluation.version  # what the page showed before someone else's change
    from assessments import services as assessments
    assessments.evaluation_update(evaluation=evaluation, actor=people["editor"], maturity=4 if old != 4 else 1)
    client = client_for(people["editor"])
    page = client.get(reverse("version_compare", args=[plan.pk]) + f"?a={version.pk}&b=now",
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 changement" in page and "Évaluations modifiées" in page and "Extra touchpoint 3" in page
    restore = reverse("version_restore", args=[plan.pk, version.pk, "evaluation", evaluation.pk])
    assert restore in page
    stale = client.post(restore, {"expected_version": seen})
    assert stale.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.maturity != old  # refused: it changed since
    client.post(restore, {"expected_version": evaluation.version})  # after a second look
    evaluation.refresh_from_db()
    assert evaluation.maturity == old


def test_the_compare_page_costs_the_same_queries_for_30_or_300_touchpoints(client_for, people, plan, team, org):
    from tenancy.models import Plan
    counts = []
    for size in (30, 300):
        target = Plan.objects.create(organisation=org, name=f"Plan {size}")
        big_plan(target, team=team, touchpoints=size)
        frozen = services.version_freeze(plan=target, actor=None, name="v")
        client = client_for(people["owner"])
        url = reverse("version_compare", args=[target.pk]) + f"?a={frozen.pk}&b=now"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("role", ROLES)
def test_the_api_follows_the_permission_matrix(api_for, people, plan, version, role):
    api = api_for(people[role])
    for url in ("/api/v1/plan-versions/", f"/api/v1/plan-versions/{version.pk}/",
                f"/api/v1/plan-versions/{version.pk}/compare/?with=now"):
        response = api.get(url)
        expected = API_READ[role]
        if url == "/api/v1/plan-versions/" and role == "outsider":
            assert response.status_code == 200 and response.data["count"] == 0
            continue
        assert response.status_code == expected, (url, response.status_code)
    created = api.post("/api/v1/plan-versions/", {"plan": plan.pk, "name": "API"}, format="json")
    assert created.status_code == {"anon": 401, "outsider": 400, "viewer": 403}.get(role, 201), created.content


def test_the_api_compares_and_restores(api_for, people, plan, version):
    api = api_for(people["editor"])
    touchpoint = Touchpoint.objects.filter(plan=plan, name="Extra touchpoint 2").select_related("journey__plan").get()
    from planning import services as planning
    planning.touchpoint_update(touchpoint=touchpoint, actor=people["editor"], name="Renamed")
    diff = api.get(f"/api/v1/plan-versions/{version.pk}/compare/").data
    assert diff["total"] == 1 and diff["sections"]["touchpoints_edited"][0]["changes"] == {
        "name": ["Extra touchpoint 2", "Renamed"]}
    stale = api.post(f"/api/v1/plan-versions/{version.pk}/restore/",
                     {"type": "touchpoint", "id": touchpoint.pk, "if_version": 1}, format="json")
    assert stale.status_code == 409 and stale.data["code"] == "conflict"
    done = api.post(f"/api/v1/plan-versions/{version.pk}/restore/",
                    {"type": "touchpoint", "id": touchpoint.pk, "if_version": 2}, format="json")
    assert done.status_code == 200, done.content
    touchpoint.refresh_from_db()
    assert touchpoint.name == "Extra touchpoint 2" and touchpoint.version == 3
    assert api.get(f"/api/v1/plan-versions/{version.pk}/compare/").data["total"] == 0


def test_a_frozen_version_is_in_the_changes_feed_and_a_webhook_event(api_for, people, plan):
    api = api_for(people["owner"])
    _entries, cursor = drain(api)
    version = services.version_freeze(plan=plan, actor=people["editor"], name="Feed")
    entries, _cursor = drain(api, cursor)
    assert [(e["type"], e["id"], e["verb"]) for e in entries] == [("plan-version", version.pk, "created")]
    assert entries[0]["object"]["name"] == "Feed"
    assert "plan-version.created" in event_types()


def test_a_journey_is_copied_into_another_plan_through_the_api(api_for, people, plan, team, org,
                                                                 django_capture_on_commit_callbacks):
    from tenancy.models import Plan
    world = big_plan(plan, team=team, touchpoints=20)
    target = Plan.objects.create(organisation=org, name="Target")
    api = api_for(people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/duplications/", {"kind": "journey", "plan": plan.pk,
                                                       "journey": world["journey"].pk, "target_plan": target.pk,
                                                       "name": "Copied"}, format="json")
    assert response.status_code == 202, response.content
    job = api.get(response["Location"]).data
    assert job["status"] == "succeeded" and job["progress"] == 100, job
    copied = Touchpoint.objects.filter(plan=target)
    assert copied.count() == 20 and {t.journey.name for t in copied} == {"Copied"}
    assert TouchpointEvaluation.objects.filter(plan=target).count() == TouchpointEvaluation.objects.filter(
        plan=plan, touchpoint__journey=world["journey"]).count()
    assert api_for(people["viewer"]).post("/api/v1/duplications/", {"kind": "plan", "plan": plan.pk},
                                          format="json").status_code == 403


def test_a_version_has_a_pdf_made_once_from_its_snapshot(client_for, people, plan, version, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from planning import services as planning
    touchpoint = Touchpoint.objects.filter(plan=plan, name="Extra touchpoint 5").select_related("journey__plan").get()
    planning.touchpoint_update(touchpoint=touchpoint, actor=people["editor"], name="Renamed after the freeze")
    client = client_for(people["viewer"])
    url = reverse("version_pdf", args=[plan.pk, version.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    stored = list(tmp_path.rglob("version-*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == content  # kept: the next download reads it
    document = client.get(reverse("version_json", args=[plan.pk, version.pk])).content.decode()
    assert "Extra touchpoint 5" in document and "Renamed after the freeze" not in document
