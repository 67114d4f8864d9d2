"""Plan templates: a plan saved as a template keeps its structure and none of what people measured or said; a plan
made from it (or from a built-in template) has that structure; the pages follow the permission matrix."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import (
    AuditItem,
    FeedbackResponse,
    MaturityAssessment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from experience.models import EmotionScore, Lane, LaneCard, PainPoint
from kpis import services as kpis
from kpis.models import Kpi, Measurement
from library import services
from library.models import PlanTemplate, TemplateUse
from planning.models import Journey, Persona, Stage, Touchpoint
from roadmaps import services as roadmaps
from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringSettings
from tenancy.models import Activity, Plan
from tests.roadmaps.test_export_support import LANE_CARD, PERSONAS, TOUCHPOINT, build_plan

ROLES = ["anon", "outsider", "viewer", "editor", "admin", "owner"]
START = {"anon": 302, "outsider": 404, "viewer": 403, "editor": 200, "admin": 200, "owner": 200}
SAVE = {"anon": 302, "outsider": 404, "viewer": 403, "editor": 403, "admin": 200, "owner": 200}


@pytest.fixture
def world(plan, team, people):
    world = build_plan(plan, team=team)
    roadmaps.criterion_create(plan=plan, actor=None, name="Revenue", weight=3)
    roadmaps.scoring_method_set(plan=plan, actor=None, method="rice")
    kpi = kpis.kpi_create(plan=plan, actor=None, name="Store stock accuracy", unit="percent", direction="higher",
                          baseline_value=62, baseline_date=date(2027, 1, 1), target_value=95,
                          target_date=date(2027, 12, 31))
    kpis.measurement_create(kpi=kpi, actor=None, measured_on=date(2027, 2, 1), value=70)
    return world


@pytest.fixture
def template(world, plan, people):
    return services.template_save(plan=plan, actor=people["admin"], name="Omnichannel starter",
                                  description="Our retail structure")


def _make(client, org, django_capture_on_commit_callbacks, **post):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plan_start", args=[org.pk]), post)
    assert response.status_code == 302, response.content
    return TemplateUse.objects.order_by("-pk").first()


def test_a_plan_made_from_a_saved_template_has_its_structure_and_no_feedback(
        client_for, people, org, plan, template, django_capture_on_commit_callbacks):
    job = _make(client_for(people["editor"]), org, django_capture_on_commit_callbacks,
                template=str(template.pk), name="Omnichannel 2028")
    assert job.status == "succeeded", job.error
    made = job.result_plan
    assert made.name == "Omnichannel 2028" and made.organisation_id == org.pk and made.status == "draft"
    assert sorted(Persona.objects.filter(plan=made).values_list("name", flat=True)) == sorted(PERSONAS)
    source_journey, journey = Journey.objects.get(plan=plan), Journey.objects.get(plan=made)
    assert journey.name == source_journey.name and journey.persona.name == PERSONAS[0]
    assert (list(Stage.objects.filter(journey=journey).order_by("position").values_list("name", flat=True))
            == list(Stage.objects.filter(journey=source_journey).order_by("position").values_list("name", flat=True)))
    assert (sorted(Touchpoint.objects.filter(plan=made).values_list("name", "stage__name", "channel__name"))
            == sorted(Touchpoint.objects.filter(plan=plan).values_list("name", "stage__name", "channel__name")))
    assert Lane.objects.filter(plan=made).count() == Lane.objects.filter(plan=plan).count() == 4
    assert list(LaneCard.objects.filter(plan=made).values_list("text", flat=True)) == [LANE_CARD]
    assert list(ScoringCriterion.objects.filter(plan=made).values_list("name", flat=True)) == ["Revenue"]
    assert ScoringSettings.objects.get(plan=made).method == "rice"
    kpi = Kpi.objects.get(plan=made)
    assert (kpi.name, kpi.unit, kpi.target_value, kpi.baseline_value) == ("Store stock accuracy", "percent", None,
                                                                         None)
    audit = AuditItem.objects.get(plan=made)
    assert audit.title == "One customer id across store and web" and audit.answers == {}
    assert [t.name for t in audit.touchpoints.all()] == [TOUCHPOINT]
    # Nothing people measured, said or decided
    assert FeedbackResponse.objects.filter(plan=plan).exists()
    for model in (FeedbackResponse, TouchpointEvaluation, TouchpointAgreement, MaturityAssessment, EmotionScore,
                  PainPoint, RoadmapItem, Measurement):
        assert not model.objects.filter(plan=made).exists(), model
    # Every object made is in the plan's history, so the changes feed and webhooks have it
    assert Activity.objects.filter(plan=made, target_type="planning.touchpoint", verb="created").count() == \
        Touchpoint.objects.filter(plan=made).count()


def test_the_template_is_stored_once_and_keeps_no_feedback_data(template, plan):
    from library import documents
    document = documents.load(PlanTemplate.objects.get(pk=template.pk).document)
    assert set(document) >= {"personas", "journeys", "touchpoints", "channels", "lanes", "scoring", "kpis",
                             "audit_items"}
    for absent in ("feedback", "evaluations", "agreements", "maturity_assessments", "emotions", "pain_points",
                   "opportunities", "roadmap_items", "stakeholders"):
        assert absent not in document
    assert "Stock was wrong" not in str(document)
    assert document["kpis"][0].get("measurements") is None
    assert (template.touchpoint_count, template.journey_count, template.persona_count) == (2, 1, 2)
    assert template.source_plan_id == plan.pk


@pytest.mark.parametrize("key, stages", [
    ("purchase", ["Discovery", "Research", "Conversion", "After-sales"]),
    ("lifecycle", ["Awareness", "Acquisition", "Onboarding", "Engagement", "Retention", "Advocacy"])])
def test_a_plan_made_from_a_builtin_template(client_for, people, org, key, stages, django_capture_on_commit_callbacks):
    from planning import services as planning
    planning.channels_seed(org)
    job = _make(client_for(people["owner"]), org, django_capture_on_commit_callbacks, template=key, name="")
    assert job.status == "succeeded", job.error
    made = job.result_plan
    journey = Journey.objects.get(plan=made)
    assert list(journey.stages.order_by("position").values_list("name", flat=True)) == stages
    assert Touchpoint.objects.filter(plan=made).count() >= len(stages)
    assert not job.warnings  # every channel matched one of the organisation's
    assert Persona.objects.filter(plan=made).count() == 1


def test_a_builtin_template_in_french_uses_the_organisations_french_channels(
        client_for, people, org, django_capture_on_commit_callbacks):
    from django.utils import translation

    from planning import services as planning
    from planning.models import Channel
    with translation.override("fr"):
        planning.channels_seed(org)
    people["owner"].preferred_language = "fr"
    people["owner"].save()
    channels = Channel.objects.filter(organisation=org).count()
    job = _make(client_for(people["owner"]), org, django_capture_on_commit_callbacks, template="purchase", name="")
    assert job.status == "succeeded", job.error
    journey = Journey.objects.get(plan=job.result_plan)
    assert journey.plan.name == "Parcours d’achat"
    assert list(journey.stages.order_by("position").values_list("name", flat=True))[0] == "Découverte"
    assert Channel.objects.filter(organisation=org).count() == channels


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_follow_the_permission_matrix(client_for, people, org, plan, template, role):
    client = client_for(people[role])
    assert client.get(reverse("plan_start", args=[org.pk])).status_code == START[role]
    assert client.get(reverse("plan_save_template", args=[plan.pk])).status_code == SAVE[role]
    made = client.post(reverse("plan_start", args=[org.pk]), {"template": "purchase", "name": "X"})
    assert made.status_code == {"editor": 302, "admin": 302, "owner": 302}.get(role, START[role])
    deleted = client.post(reverse("template_delete", args=[org.pk, template.pk]))
    assert deleted.status_code == {"anon": 302, "outsider": 404, "viewer": 403, "editor": 403}.get(role, 302)
    assert PlanTemplate.objects.filter(pk=template.pk).exists() == (role not in ("admin", "owner"))


def test_another_organisations_template_is_404(client_for, people, org, other_plan, template):
    theirs = services.template_save(plan=other_plan, actor=people["outsider"], name="Theirs")
    client = client_for(people["owner"])
    page = client.get(reverse("plan_start", args=[org.pk])).content.decode()
    assert "Omnichannel starter" in page and "Theirs" not in page
    assert client.post(reverse("plan_start", args=[org.pk]), {"template": str(theirs.pk)}).status_code == 404
    assert client.post(reverse("template_delete", args=[org.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("template_delete", args=[people["other_org"].pk, theirs.pk])).status_code == 404
    assert not TemplateUse.objects.exists()


def test_saving_from_the_overview_in_french(client_for, people, org, plan, world):
    client = client_for(people["owner"])
    overview = client.get(reverse("plan_detail", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    url = reverse("plan_save_template", args=[plan.pk])
    assert url in overview and "Enregistrer comme modèle" in overview
    response = client.post(url, {"name": "Modèle omnicanal", "description": ""})
    assert response.status_code == 302
    assert client.post(url, {"name": "modèle OMNICANAL"}).status_code == 200  # the same name again: refused
    assert PlanTemplate.objects.filter(organisation=org).count() == 1
    page = client.get(reverse("plan_start", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Modèle omnicanal" in page and "Modèles intégrés" in page and "Utiliser ce modèle" in page
    organisation_page = client.get(reverse("organisation_detail", args=[org.pk])).content.decode()
    assert reverse("plan_start", args=[org.pk]) in organisation_page


def test_a_deleted_template_fails_the_job_with_a_reason(people, org, template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.template_use_request(actor=people["editor"], organisation=org, template=template, name="")
    template.delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "failed" and "no longer exists" in job.error
    assert not Plan.objects.filter(name="Omnichannel starter").exists()
