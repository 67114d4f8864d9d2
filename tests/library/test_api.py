"""The templates API follows the permission matrix (another organisation's template is 404), makes a plan as a job
(202, then poll), shows a saved template in the changes feed and as webhook events; a share link's session reaches
none of the templates' pages or endpoints."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from library import services
from library.models import PlanTemplate
from planning import services as planning
from planning.models import Journey, Touchpoint
from sharing import services as sharing
from sharing.models import ShareScope
from sync.webhooks.events import event_types
from tests.sharing.test_visitor_pages import open_link
from tests.sync.test_changes_feed import drain

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]
API_READ = {"anon": 401, "outsider": 404, "viewer": 200, "editor": 200, "admin": 200, "owner": 200}


@pytest.fixture
def template(plan, people):
    planning.channels_seed(plan.organisation)
    journey = planning.journey_create(plan=plan, actor=None, name="Buy boots", template="purchase")
    stage = journey.stages.order_by("position").first()
    channel = plan.organisation.channels.get(name="Website")
    planning.touchpoint_create(stage=stage, channel=channel, actor=None, name="Reads the guide")
    return services.template_save(plan=plan, actor=people["owner"], name="Starter")


@pytest.mark.parametrize("role", ROLES)
def test_the_api_follows_the_permission_matrix(api_for, people, plan, template, role):
    api = api_for(people[role])
    listed = api.get("/api/v1/plan-templates/")
    if role in ("anon",):
        assert listed.status_code == 401
    else:
        assert listed.status_code == 200
        assert [t["name"] for t in listed.data["results"]] == ([] if role == "outsider" else ["Starter"])
    assert api.get(f"/api/v1/plan-templates/{template.pk}/").status_code == API_READ[role]
    saved = api.post("/api/v1/plan-templates/", {"plan": plan.pk, "name": f"By {role}"}, format="json")
    assert saved.status_code == {"anon": 401, "outsider": 400, "viewer": 403, "editor": 403}.get(role, 201), \
        saved.content
    made = api.post("/api/v1/template-uses/", {"template": template.pk}, format="json")
    assert made.status_code == {"anon": 401, "outsider": 400, "viewer": 403}.get(role, 202), made.content
    deleted = api.delete(f"/api/v1/plan-templates/{template.pk}/")
    assert deleted.status_code == {"anon": 401, "outsider": 404, "viewer": 403, "editor": 403}.get(role, 204)


def test_a_plan_is_made_from_a_template_through_the_api(api_for, people, org, template,
                                                          django_capture_on_commit_callbacks):
    api = api_for(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/template-uses/", {"template": template.pk, "name": "From the API"},
                            format="json")
    assert response.status_code == 202, response.content
    job = api.get(response["Location"]).data
    assert job["status"] == "succeeded" and job["progress"] == 100, job
    made = job["result_plan"]
    assert Journey.objects.get(plan_id=made).name == "Buy boots"
    assert list(Touchpoint.objects.filter(plan_id=made).values_list("name", flat=True)) == ["Reads the guide"]
    with django_capture_on_commit_callbacks(execute=True):
        builtin = api.post("/api/v1/template-uses/", {"builtin": "lifecycle", "organisation": org.pk},
                           format="json")
    assert builtin.status_code == 202, builtin.content
    assert api.get(builtin["Location"]).data["status"] == "succeeded"
    assert api.post("/api/v1/template-uses/", {"builtin": "lifecycle"}, format="json").status_code == 400
    assert api.post("/api/v1/template-uses/", {"builtin": "lifecycle", "template": template.pk,
                                               "organisation": org.pk}, format="json").status_code == 400
    foreign = api.post("/api/v1/template-uses/", {"builtin": "purchase", "organisation": people["other_org"].pk},
                       format="json")
    assert foreign.status_code == 400


def test_another_organisations_template_is_404_through_the_api(api_for, people, other_plan, template):
    theirs = services.template_save(plan=other_plan, actor=people["outsider"], name="Theirs")
    api = api_for(people["owner"])
    assert api.get(f"/api/v1/plan-templates/{theirs.pk}/").status_code == 404
    assert api.delete(f"/api/v1/plan-templates/{theirs.pk}/").status_code == 404
    assert api.post("/api/v1/template-uses/", {"template": theirs.pk}, format="json").status_code == 400
    assert PlanTemplate.objects.filter(pk=theirs.pk).exists()


def test_a_saved_template_is_in_the_changes_feed_and_a_webhook_event(api_for, people, plan, template):
    api = api_for(people["owner"])
    _entries, cursor = drain(api)
    saved = services.template_save(plan=plan, actor=people["owner"], name="Feed")
    pk = saved.pk
    services.template_delete(template=saved, actor=people["owner"])
    entries, _cursor = drain(api, cursor)
    assert [(e["type"], e["id"], e["verb"]) for e in entries] == [("plan-template", pk, "created"),
                                                                  ("plan-template", pk, "deleted")]
    assert {"plan-template.created", "plan-template.deleted"} <= set(event_types())
    assert not [e for e in drain(api_for(people["outsider"]))[0] if e["type"] == "plan-template"]


def test_a_share_link_session_reaches_no_library_page_or_endpoint(client, people, org, plan, template):
    _link, token = sharing.share_link_create(plan=plan, actor=people["owner"], scope=ShareScope.PLAN, journey=None,
                                             expires_at=timezone.now() + timedelta(days=3), password="",
                                             hide_member_names=False, allow_comments=False)
    client.logout()
    open_link(client, token)
    for url in (reverse("plan_start", args=[org.pk]), reverse("plan_save_template", args=[plan.pk]),
                reverse("journey_ideas", args=[plan.pk]), reverse("plan_library", args=[plan.pk, "personas"]),
                reverse("plan_library", args=[plan.pk, "journeys"]), "/api/v1/library-items/",
                "/api/v1/plan-templates/", f"/api/v1/plan-templates/{template.pk}/", "/api/v1/template-uses/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Starter" not in response.content.decode()
    assert client.post(reverse("plan_start", args=[org.pk]), {"template": "purchase"}).status_code == 404
    assert client.post(reverse("journey_from_idea", args=[plan.pk, "welcome"])).status_code == 404
    assert client.post("/api/v1/template-uses/", {"builtin": "purchase", "organisation": org.pk}).status_code == 404
