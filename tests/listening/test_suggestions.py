"""Suggested themes (scikit-learn NMF over TF-IDF, offline stop words): the topics of a small corpus written for the
test, nothing applied until a person accepts one, accepting creates the theme and its rule (and may run the rules),
who may see and accept them, French."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments import services as feedback
from assessments import services_themes
from assessments.models import Theme, ThemeRule
from assessments.text import fold
from listening import services
from listening.models import MentionTheme, RuleRun
from listening.suggestions import MIN_TEXTS, stop_words, suggest
from planning import services as planning
from planning.models import Channel
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
LOGIN = 302

CORPUS = [
    *(f"La livraison est arrivée avec {n} jours de retard, colis abîmé" for n in range(2, 8)),
    "Livraison en retard et colis abîmé, encore une fois",
    *(f"L'application mobile plante au paiement ({n}e essai)" for n in range(1, 7)),
    "Impossible de payer : l'application mobile plante",
    *(f"The loyalty card points vanished after my {n}th purchase" for n in range(1, 7)),
    "Where did my loyalty card points go?",
    "Vendeuse adorable", "Nice weather today", "Rien à signaler",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_the_topics_of_the_corpus_are_suggested_with_examples():
    found = suggest(CORPUS)
    keywords = {fold(s.keyword) for s in found}
    assert {"colis", "application", "loyalty"} & keywords or len(found) >= 3, [s.keyword for s in found]
    by_topic = {}
    for s in found:
        words = " ".join([fold(s.keyword), *(fold(t) for t in s.terms)])
        for topic, marker in (("delivery", "colis"), ("app", "plante"), ("loyalty", "points")):
            if marker in words:
                by_topic[topic] = s
    assert set(by_topic) == {"delivery", "app", "loyalty"}
    assert all(len(s.examples) >= 2 and s.texts >= 5 for s in by_topic.values())
    assert any("colis abîmé" in e for e in by_topic["delivery"].examples)
    assert any("abîmé" in [s.keyword, *s.terms] or "colis abîmé" in s.terms for s in [by_topic["delivery"]])


def test_no_stop_word_leads_a_suggestion_and_the_lists_ship_offline():
    words = stop_words()
    assert {"nous", "avec", "encore", "the", "where"} <= words
    for s in suggest(CORPUS):
        assert fold(s.keyword) not in words


def test_a_known_term_leads_no_suggestion_and_the_same_texts_give_the_same_suggestions():
    first = suggest(CORPUS)
    assert [(s.keyword, s.terms) for s in first] == [(s.keyword, s.terms) for s in suggest(CORPUS)]
    led = fold(first[0].keyword)
    assert led not in {fold(s.keyword) for s in suggest(CORPUS, known={led})}


def test_too_few_texts_suggest_nothing():
    assert suggest(CORPUS[:MIN_TEXTS - 1]) == []
    assert suggest(["le la les"] * 20) == []


@pytest.fixture
def world(org, plan):
    web = Channel.objects.create(organisation=org, name="Website", kind="online", position=0)
    journey = planning.journey_create(plan=plan, actor=None, name="Buy", template="purchase")
    touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=web, actor=None, name="Checkout")
    half = len(CORPUS) // 2
    for text in CORPUS[:half]:
        services.mention_create(plan=plan, actor=None, channel=web, mentioned_on=date(2026, 1, 1), text=text)
    for text in CORPUS[half:]:
        feedback.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=5, responded_on=date(2026, 1, 1),
                                 verbatim=text)
    return {"web": web}


def test_the_themes_page_loads_the_suggestions_and_a_viewer_only_reads_them(client_for, people, plan, world):
    client = client_for(people["viewer"])
    page = client.get(reverse("listening_themes", args=[plan.pk])).content.decode()
    url = reverse("listening_theme_suggestions", args=[plan.pk])
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page  # without script: a link to them
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "ls-suggestion" in fragment and "colis" in fragment.lower()
    assert reverse("listening_theme_suggestion_accept", args=[plan.pk]) not in fragment
    assert not Theme.objects.exists()  # shown, never applied


def test_an_editor_accepts_one_the_theme_and_rule_are_created_and_the_rules_run(
        client_for, people, plan, world, django_capture_on_commit_callbacks):
    client = client_for(people["editor"])
    page = client.get(reverse("listening_theme_suggestions", args=[plan.pk])).content.decode()
    assert reverse("listening_theme_suggestion_accept", args=[plan.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening_theme_suggestion_accept", args=[plan.pk]),
                               {"name": "Livraison abîmée", "keyword": "colis abîmé", "run": "on"})
    assert response.status_code == 302
    theme = Theme.objects.get(name="Livraison abîmée")
    assert list(ThemeRule.objects.filter(theme=theme).values_list("phrase", flat=True)) == ["colis abîmé"]
    run = RuleRun.objects.get()
    assert run.status == "done" and run.mentions_changed + run.verbatims_changed == 7
    assert MentionTheme.objects.filter(theme=theme).count() >= 1
    # The accepted topic is covered now: it is no longer suggested.
    again = client.get(reverse("listening_theme_suggestions", args=[plan.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "colis abîmé" not in again.lower()


def test_accepting_without_running_leaves_the_texts_as_they_are(client_for, people, plan, world):
    client_for(people["editor"]).post(reverse("listening_theme_suggestion_accept", args=[plan.pk]),
                                      {"name": "Fidélité", "keyword": "loyalty card"})
    assert Theme.objects.filter(name="Fidélité").exists() and not MentionTheme.objects.exists()
    assert not RuleRun.objects.exists()


def test_a_duplicate_name_is_refused_with_the_reason(client_for, people, plan, org, world):
    services_themes.theme_create(organisation=org, actor=None, name="Fidélité")
    client = client_for(people["editor"])
    response = client.post(reverse("listening_theme_suggestion_accept", args=[plan.pk]),
                           {"name": "Fidélité", "keyword": "loyalty card"}, follow=True)
    assert "There is already a theme of that name here." in response.content.decode()
    assert not ThemeRule.objects.exists()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_who_may_see_the_suggestions(client_for, people, plan, role, expected):
    response = client_for(people[role]).get(reverse("listening_theme_suggestions", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "No suggestion" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_who_may_accept_one(client_for, people, plan, role, expected):
    response = client_for(people[role]).post(reverse("listening_theme_suggestion_accept", args=[plan.pk]),
                                             {"name": "Fidélité", "keyword": "loyalty card"})
    assert response.status_code == expected
    assert Theme.objects.filter(name="Fidélité").exists() == (expected == 302 and role != "anon")


def test_the_suggestions_speak_french(client_for, people, plan, world):
    body = client_for(people["editor"]).get(reverse("listening_theme_suggestions", args=[plan.pk]),
                                            HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Thèmes suggérés" in body and "Accepter" in body
