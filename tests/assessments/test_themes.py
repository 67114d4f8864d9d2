"""Themes and tags of verbatims: rule matching, hand-set themes kept, imports batched, pages, permission matrix."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services, services_themes
from assessments.importers import feedback_import
from assessments.models import AssignedBy, FeedbackResponse, Tag, Theme, ThemeRule, VerbatimTag, VerbatimTheme
from assessments.text import compile_rules, fold, match_rules
from tests.assessments.test_feedback_pages import _touchpoint
from tests.conftest import ROLES

LOGIN = 302
DAY = date(2026, 10, 1)


@pytest.fixture
def touchpoint(plan, people):
    return _touchpoint(plan, people["editor"], "Store visit")


@pytest.fixture
def taxonomy(org, people):
    owner = people["owner"]
    service = services_themes.theme_create(organisation=org, actor=owner, name="Service client")
    waiting = services_themes.theme_create(organisation=org, actor=owner, name="Temps d'attente", parent=service)
    offer = services_themes.theme_create(organisation=org, actor=owner, name="Offre")
    price = services_themes.theme_create(organisation=org, actor=owner, name="Prix", parent=offer)
    for theme, phrase in ((waiting, "attente"), (waiting, "waiting time"), (price, "trop cher"), (price, "price")):
        services_themes.rule_create(theme=theme, actor=owner, phrase=phrase)
    return {"service": service, "waiting": waiting, "offer": offer, "price": price}


def _respond(touchpoint, actor, verbatim, score=5):
    return services.feedback_create(touchpoint=touchpoint, actor=actor, kind="nps", score=score, responded_on=DAY,
                                    verbatim=verbatim)


def _themes_of(response):
    return {(vt.theme.name, vt.assigned_by, vt.matched)
            for vt in VerbatimTheme.objects.filter(response=response).select_related("theme")}


# Matching --------------------------------------------------------------------------------------------------------


def test_fold_removes_case_accents_and_apostrophes():
    assert fold("  Temps d’ATTENTE  trop-long ") == "temps d attente trop long"
    assert fold("Élevé, Crème brûlée") == "eleve, creme brulee"


def test_rules_match_whole_words_whatever_the_case_and_accents():
    rules = compile_rules([(1, 10, "attente"), (2, 20, "trop cher"), (3, 30, "prix")])
    assert match_rules("Une ATTENTÉ interminable", rules) == {10: (1, "ATTENTÉ")}
    assert match_rules("Les attentes étaient grandes", rules) == {}  # not a whole word
    assert match_rules("C'est TROP   cher !", rules) == {20: (2, "TROP cher")}
    assert match_rules("Des prix fous", rules) == {30: (3, "prix")}
    assert match_rules("Surprix", rules) == {}


# Services --------------------------------------------------------------------------------------------------------


def test_a_new_verbatim_gets_its_themes_with_the_words_that_matched(touchpoint, people, taxonomy):
    response = _respond(touchpoint, people["editor"], "L'attente en caisse, et c'est trop cher.")
    assert _themes_of(response) == {("Temps d'attente", "rule", "attente"), ("Prix", "rule", "trop cher")}
    english = _respond(touchpoint, people["editor"], "The WAITING TIME was awful")
    assert _themes_of(english) == {("Temps d'attente", "rule", "WAITING TIME")}


def test_rerunning_rules_keeps_hand_themes_and_updates_only_rule_ones(org, touchpoint, people, taxonomy):
    editor = people["editor"]
    response = _respond(touchpoint, editor, "Attente trop longue")
    services_themes.verbatim_theme_add(response=response, actor=editor, theme=taxonomy["offer"])
    rule = ThemeRule.objects.get(phrase="attente")
    services_themes.rule_delete(rule=rule, actor=editor)
    services_themes.rule_create(theme=taxonomy["price"], actor=editor, phrase="trop longue")
    done = services_themes.rule_themes_apply_all(organisation=org, actor=editor)
    assert done == {"responses": 1, "assignments": 1}
    assert _themes_of(response) == {("Offre", "hand", ""), ("Prix", "rule", "trop longue")}
    # A rule that finds a theme set by hand leaves the hand assignment as it is.
    services_themes.rule_create(theme=taxonomy["offer"], actor=editor, phrase="attente")
    services_themes.rule_themes_apply_all(organisation=org, actor=editor)
    assert ("Offre", "hand", "") in _themes_of(response)


def test_editing_a_verbatim_runs_the_rules_again(touchpoint, people, taxonomy):
    response = _respond(touchpoint, people["editor"], "Attente")
    response = services.feedback_update(response=response, actor=people["editor"], verbatim="Price too high")
    assert _themes_of(response) == {("Prix", "rule", "Price")}


def test_a_theme_of_another_organisation_is_refused(touchpoint, people, taxonomy, other_plan):
    foreign = Theme.objects.create(organisation=other_plan.organisation, name="Theirs")
    response = _respond(touchpoint, people["editor"], "Bien")
    with pytest.raises(Exception, match="another organisation"):
        services_themes.verbatim_theme_add(response=response, actor=people["editor"], theme=foreign)


def test_micro_themes_stop_at_two_levels(org, people, taxonomy):
    with pytest.raises(Exception, match="two levels"):
        services_themes.theme_create(organisation=org, actor=people["owner"], name="Deep", parent=taxonomy["price"])


def test_the_csv_import_tags_in_batches_not_per_row(plan, people, touchpoint, taxonomy):
    counts = []
    for rows in (10, 200):
        text = "touchpoint,kind,score,date,verbatim\n" + "".join(
            f"{touchpoint.pk},nps,{i % 11},2026-09-0{1 + i % 9},Attente {i} trop cher\n" for i in range(rows))
        with CaptureQueriesContext(connection) as queries:
            result = feedback_import(plan=plan, actor=people["editor"], file=io.BytesIO(text.encode()))
        assert result.imported == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert VerbatimTheme.objects.filter(assigned_by=AssignedBy.RULE).count() == 2 * 210


# Pages -----------------------------------------------------------------------------------------------------------

READ = [LOGIN, 404, 200, 200, 200, 200]
WRITE = [LOGIN, 404, 403, 302, 302, 302]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_taxonomy_page_matrix(client_for, people, org, taxonomy, role_index):
    role = ROLES[role_index]
    response = client_for(people[role]).get(reverse("organisation_themes", args=[org.pk]))
    assert response.status_code == READ[role_index]
    if response.status_code == 200:
        body = response.content.decode()
        assert "Temps d&#x27;attente" in body and "trop cher" in body
        assert ("Apply rules to all verbatims" in body) == (role != "viewer")


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_taxonomy_change_matrix(client_for, people, org, taxonomy, role_index):
    response = client_for(people[ROLES[role_index]]).post(reverse("organisation_themes_change", args=[org.pk]),
                                                          {"action": "tag_add", "name": "Urgent"})
    assert response.status_code == WRITE[role_index]
    assert Tag.objects.filter(organisation=org, name="Urgent").exists() == (role_index >= ROLES.index("editor"))


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_verbatim_change_matrix(client_for, people, touchpoint, taxonomy, role_index):
    response = _respond(touchpoint, people["editor"], "Bien reçu")
    answer = client_for(people[ROLES[role_index]]).post(reverse("verbatim_change", args=[response.pk]),
                                                        {"action": "theme_add", "theme": taxonomy["offer"].pk})
    assert answer.status_code == WRITE[role_index]
    assert VerbatimTheme.objects.filter(response=response).exists() == (role_index >= ROLES.index("editor"))


def test_the_outsider_cannot_use_another_organisations_theme(client_for, people, touchpoint, taxonomy, other_plan):
    foreign = Theme.objects.create(organisation=other_plan.organisation, name="Theirs")
    response = _respond(touchpoint, people["editor"], "Bien reçu")
    answer = client_for(people["editor"]).post(reverse("verbatim_change", args=[response.pk]),
                                               {"action": "theme_add", "theme": foreign.pk})
    assert answer.status_code == 404


def test_feedback_page_shows_themes_filters_by_macro_theme_and_tags(client_for, people, plan, touchpoint, taxonomy):
    editor = people["editor"]
    waiting = _respond(touchpoint, editor, "Trop d'attente au téléphone")
    _respond(touchpoint, editor, "Produit trop cher")
    services_themes.verbatim_tag_add(response=waiting, actor=editor, name="Urgent")
    client = client_for(editor)
    url = reverse("plan_feedback", args=[plan.pk])
    body = client.get(url).content.decode()
    assert "matched “attente”" in body and "#Urgent" in body and "Manage the themes" in body
    body = client.get(url, {"theme": taxonomy["service"].pk}).content.decode()
    assert "au téléphone" in body and "Produit trop cher" not in body
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Gérer les thèmes" in french


def test_feedback_page_queries_do_not_grow_with_tagged_verbatims(client_for, people, plan, touchpoint, taxonomy):
    client = client_for(people["editor"])
    url = reverse("plan_feedback", args=[plan.pk])
    counts = []
    for total in (3, 20):
        FeedbackResponse.objects.all().delete()
        for index in range(total):
            response = _respond(touchpoint, people["editor"], f"Attente {index}, trop cher")
            services_themes.verbatim_tag_add(response=response, actor=people["editor"], name=f"tag{index % 4}")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.content.decode().count("matched “Attente”") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert VerbatimTag.objects.count() == 20


def test_the_demo_has_a_taxonomy_whose_rules_theme_its_verbatims(db):
    call_command("seed_demo")
    assert Theme.objects.filter(parent=None).count() == 4 and ThemeRule.objects.count() > 20
    themed = VerbatimTheme.objects.filter(assigned_by=AssignedBy.RULE)
    assert themed.filter(theme__name="Temps d'attente", matched="Waited").exists()
    assert themed.values("response").distinct().count() >= 0.8 * FeedbackResponse.objects.exclude(verbatim="").count()


# API -------------------------------------------------------------------------------------------------------------

API_READ = [401, 404, 200, 200, 200, 200]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_api_theme_read_matrix(api_for, people, taxonomy, role_index):
    api = api_for(people[ROLES[role_index]])
    detail = api.get(f"/api/v1/themes/{taxonomy['waiting'].pk}/")
    assert detail.status_code == API_READ[role_index]
    if detail.status_code == 200:
        assert detail.json()["name"] == "Temps d'attente"
        assert {rule["phrase"] for rule in detail.json()["rules"]} == {"attente", "waiting time"}
    listed = api.get("/api/v1/themes/")
    if role_index:
        names = {theme["name"] for theme in listed.json()["results"]}
        assert ("Prix" in names) == (role_index > 1)


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_api_taxonomy_write_matrix(api_for, people, org, taxonomy, role_index):
    api = api_for(people[ROLES[role_index]])
    created = api.post("/api/v1/tags/", {"organisation": org.pk, "name": "Urgent"}, format="json")
    rule = api.post("/api/v1/theme-rules/", {"theme": taxonomy["price"].pk, "phrase": "onéreux"}, format="json")
    deleted = api.delete(f"/api/v1/themes/{taxonomy['offer'].pk}/")
    expected = {"anon": (401, 401, 401), "outsider": (400, 400, 404), "viewer": (403, 403, 403)}.get(
        ROLES[role_index], (201, 201, 204))
    assert (created.status_code, rule.status_code, deleted.status_code) == expected
    assert Theme.objects.filter(name="Prix").exists() == (expected[2] != 204)  # the micro theme went with its macro


def test_api_a_duplicate_theme_name_is_a_400_with_a_message(api_for, people, org, taxonomy):
    answer = api_for(people["editor"]).post("/api/v1/themes/", {"organisation": org.pk, "name": "Offre"},
                                            format="json")
    assert answer.status_code == 400 and "already a theme" in answer.content.decode()
