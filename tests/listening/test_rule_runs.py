"""Re-running the organisation's theme rules over a plan's mentions and verbatims: hand-set themes kept, only what
changed rewritten and counted, the outcome shown on the listening pages, editors only (permission matrix)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as feedback
from assessments import services_themes
from assessments.models import VerbatimTheme
from listening import services
from listening.models import MentionTheme, RuleRun, RuleRunStatus
from listening.rules import rule_run_execute
from planning import services as planning
from planning.models import Channel
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
LOGIN = 302


@pytest.fixture
def world(org, plan, people):
    web = Channel.objects.create(organisation=org, name="Website", kind="online", position=0)
    waiting = services_themes.theme_create(organisation=org, actor=None, name="Waiting time")
    price = services_themes.theme_create(organisation=org, actor=None, name="Price")
    services_themes.rule_create(theme=waiting, actor=None, phrase="attente")
    texts = ["Trop d'attente en caisse", "Le prix a encore augmenté", "Rien à dire", "Long wait and high price"]
    mentions = [services.mention_create(plan=plan, actor=None, channel=web, mentioned_on=date(2026, 1, 1), text=text)
                for text in texts]
    journey = planning.journey_create(plan=plan, actor=None, name="Buy", template="purchase")
    touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=web, actor=None, name="Checkout")
    responses = [feedback.feedback_create(touchpoint=touchpoint, actor=None, kind="nps", score=3,
                                          responded_on=date(2026, 1, 2), verbatim=text)
                 for text in ("Le prix est trop élevé", "Parfait")]
    return {"waiting": waiting, "price": price, "mentions": mentions, "responses": responses}


def themes_of(mention):
    return dict(MentionTheme.objects.filter(mention=mention).values_list("theme__name", "assigned_by"))


def test_a_run_follows_new_rules_keeps_hand_themes_and_counts_what_changed(client_for, people, plan, world,
                                                                          django_capture_on_commit_callbacks):
    m = world["mentions"]
    assert themes_of(m[0]) == {"Waiting time": "rule"}
    services.mention_theme_add(mention=m[3], actor=None, theme=world["price"])  # by hand, before any price rule
    services_themes.rule_create(theme=world["price"], actor=None, phrase="prix")
    services_themes.rule_create(theme=world["price"], actor=None, phrase="price")
    client = client_for(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening_rule_run", args=[plan.pk]),
                               {"next": reverse("listening_themes", args=[plan.pk])})
    assert response.status_code == 302 and response["Location"] == reverse("listening_themes", args=[plan.pk])
    run = RuleRun.objects.get()
    assert run.status == RuleRunStatus.DONE and run.requested_by == people["editor"]
    # Mention 2 gained Price; mention 4 already had it by hand (kept, not counted); verbatim 1 gained Price.
    assert (run.mentions_seen, run.mentions_changed, run.verbatims_seen, run.verbatims_changed) == (4, 1, 2, 1)
    assert themes_of(m[1]) == {"Price": "rule"} and themes_of(m[3]) == {"Price": "hand"}
    assert themes_of(m[0]) == {"Waiting time": "rule"}
    assert list(VerbatimTheme.objects.filter(response=world["responses"][0]).values_list("theme__name", "matched")) \
        == [("Price", "prix")]
    page = client.get(reverse("listening_themes", args=[plan.pk])).content.decode()
    assert "1 of 4 mentions changed themes" in page and "1 of 2 verbatims changed themes." in page
    # A rule removed: its themes go at the next run, hand ones stay.
    services_themes.rule_delete(rule=world["waiting"].rules.get(), actor=None)
    second = services.rule_run_request(plan=plan, actor=people["editor"])
    rule_run_execute(second.pk)
    second.refresh_from_db()
    assert (second.mentions_changed, second.verbatims_changed) == (1, 0)
    assert themes_of(m[0]) == {}


def test_running_again_with_unchanged_rules_changes_nothing(people, plan, world):
    run = services.rule_run_request(plan=plan, actor=people["editor"])
    rule_run_execute(run.pk)
    run.refresh_from_db()
    assert (run.mentions_seen, run.mentions_changed, run.verbatims_changed) == (4, 0, 0)


def test_a_run_already_waiting_is_not_asked_twice(people, plan, world):
    first = services.rule_run_request(plan=plan, actor=people["editor"])
    assert services.rule_run_request(plan=plan, actor=people["owner"]) == first
    assert RuleRun.objects.count() == 1


def test_a_run_silent_past_any_time_limit_is_given_up_for_a_new_one(people, plan, world):
    lost = services.rule_run_request(plan=plan, actor=people["editor"])
    RuleRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=2))
    fresh = services.rule_run_request(plan=plan, actor=people["editor"])
    lost.refresh_from_db()
    assert fresh != lost and lost.status == RuleRunStatus.FAILED and "no sign of life" in lost.error


def test_the_pages_say_when_it_runs_and_poll_until_it_is_over(client_for, people, plan, world):
    run = RuleRun.objects.create(plan=plan, requested_by=people["editor"])
    client = client_for(people["viewer"])
    page = client.get(reverse("listening", args=[plan.pk])).content.decode()
    assert "Running since" in page and f'hx-get="{reverse("listening_rule_run_status", args=[plan.pk])}"' in page
    assert "Re-run the theme rules" not in page  # a viewer does not run them
    RuleRun.objects.filter(pk=run.pk).update(status=RuleRunStatus.FAILED, error="The task queue was unavailable.")
    fragment = client.get(reverse("listening_rule_run_status", args=[plan.pk])).content.decode()
    assert "The last run failed" in fragment and "The task queue was unavailable." in fragment
    assert "hx-get" not in fragment


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_who_may_run_the_rules(client_for, people, plan, world, role, expected):
    response = client_for(people[role]).post(reverse("listening_rule_run", args=[plan.pk]))
    assert response.status_code == expected
    assert RuleRun.objects.exists() == (expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_who_may_read_the_outcome(client_for, people, plan, role, expected):
    response = client_for(people[role]).get(reverse("listening_rule_run_status", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "The rules have not been run again over this plan yet." in response.content.decode()


def test_the_editor_sees_the_button_in_french(client_for, people, plan):
    body = client_for(people["editor"]).get(reverse("listening", args=[plan.pk]),
                                            HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Relancer les règles de thèmes" in body
