"""The voice of the customer makes the JSON round trip: themes, rules and tags (merged into the organisation),
verbatims' themes and sentiment corrections, competitors and mentions (export → import as a new plan → same data),
and an import into another organisation creates the missing themes and says so."""

from datetime import date

import pytest

from assessments import services, services_themes
from assessments.models import AssignedBy, FeedbackResponse, Tag, Theme, ThemeRule, VerbatimTheme
from listening import services as listening
from listening.models import Competitor, Mention, MentionTheme
from planning.models import Persona, Touchpoint
from roadmaps.exports.json_io import plan_import
from tests.roadmaps.test_export_json import comparable, exported
from tests.roadmaps.test_export_support import build_plan


@pytest.fixture
def voiced(org, plan, team, people):
    build_plan(plan, team=team)
    owner = people["owner"]
    service = services_themes.theme_create(organisation=org, actor=owner, name="Service client")
    waiting = services_themes.theme_create(organisation=org, actor=owner, name="Temps d'attente", parent=service)
    services_themes.rule_create(theme=waiting, actor=owner, phrase="attente")
    services_themes.theme_create(organisation=org, actor=owner, name="Offre")
    services_themes.tag_create(organisation=org, actor=owner, name="Unused tag")
    touchpoint = Touchpoint.objects.filter(plan=plan).order_by("id").first()
    persona = Persona.objects.filter(plan=plan).order_by("id").first()
    response = services.feedback_create(touchpoint=touchpoint, actor=owner, kind="nps", score=9,
                                        responded_on=date(2027, 1, 5), verbatim="Une attente interminable")
    services_themes.verbatim_tag_add(response=response, actor=owner, name="Prioritaire")
    services.feedback_sentiment_correct(response=response, actor=owner, sentiment="neutral")
    rival = listening.competitor_create(plan=plan, actor=owner, name="Decathlon")
    mention = listening.mention_create(plan=plan, actor=owner, channel=touchpoint.channel,
                                       mentioned_on=date(2027, 1, 6), text="Attente trop longue chez eux",
                                       author="@runner", author_reach=1200, competitor=rival,
                                       touchpoint=touchpoint, persona=persona, external_source="brandwatch",
                                       external_id="bw-1")
    MentionTheme.objects.create(mention=mention, theme=service, assigned_by=AssignedBy.HAND)
    return {"response": response, "mention": mention, "waiting": waiting}


def test_the_voice_of_the_customer_makes_the_round_trip(voiced, org, plan, people):
    first = exported(plan)
    assert [t["name"] for t in first["themes"]] == ["Offre", "Service client", "Temps d'attente"]
    assert first["themes"][2] == {"ref": "TH3", "name": "Temps d'attente", "parent": "TH2", "rules": ["attente"]}
    assert first["tags"] == ["Prioritaire", "Unused tag"]
    [said] = [f for f in first["feedback"] if f["verbatim"] == "Une attente interminable"]
    assert (said["sentiment"], said["sentiment_corrected"], said["tags"]) == ("neutral", True, ["Prioritaire"])
    assert said["themes"] == [{"theme": "TH3", "by": "rule", "rule": "attente", "matched": "attente"}]
    [mention] = first["mentions"]
    assert (mention["competitor"], mention["touchpoint"], mention["persona"], mention["external_id"]) == (
        "Decathlon", "TP1", "P1", "bw-1")
    assert mention["themes"] == [{"theme": "TH2", "by": "hand", "rule": "", "matched": ""},
                                 {"theme": "TH3", "by": "rule", "rule": "attente", "matched": "Attente"}]
    assert first["competitors"] == [{"name": "Decathlon"}]

    themes_before = Theme.objects.filter(organisation=org).count()
    result = plan_import(first, organisation=org, actor=people["editor"], name="Copy")
    assert result.warnings == []
    assert Theme.objects.filter(organisation=org).count() == themes_before  # matched, not duplicated
    assert comparable(exported(result.plan)) == comparable(first)
    copied = FeedbackResponse.objects.get(plan=result.plan, verbatim="Une attente interminable")
    assert (copied.sentiment, copied.sentiment_corrected) == ("neutral", True)
    assert VerbatimTheme.objects.get(response=copied).rule == ThemeRule.objects.get(theme=voiced["waiting"])
    new_mention = Mention.objects.get(plan=result.plan)
    assert new_mention.competitor == Competitor.objects.get(plan=result.plan)
    assert new_mention.persona.plan_id == result.plan.pk and new_mention.touchpoint.plan_id == result.plan.pk


def test_another_organisation_gets_the_missing_themes_and_tags_with_warnings(voiced, plan, people):
    other = people["other_org"]
    services_themes.theme_create(organisation=other, actor=None, name="Offre")  # already there: matched
    result = plan_import(exported(plan), organisation=other, actor=people["outsider"], name="Theirs")
    assert set(Theme.objects.filter(organisation=other).values_list("name", flat=True)) == {
        "Offre", "Service client", "Temps d'attente"}
    assert Theme.objects.filter(organisation=other, name="Offre").count() == 1
    assert "Theme “Service client” was added to the organisation." in result.warnings
    assert "Theme “Offre” was added to the organisation." not in result.warnings
    assert set(Tag.objects.filter(organisation=other).values_list("name", flat=True)) == {"Prioritaire", "Unused tag"}
    copied = FeedbackResponse.objects.get(plan=result.plan, verbatim="Une attente interminable")
    assert VerbatimTheme.objects.get(response=copied).theme.organisation_id == other.pk


def test_a_document_without_the_voice_keys_still_imports_with_sentiment_computed(voiced, org, plan, people):
    document = exported(plan)
    for key in ("themes", "tags", "competitors", "mentions"):
        document.pop(key)
    for row in document["feedback"]:
        for key in ("sentiment", "sentiment_score", "sentiment_corrected", "themes", "tags"):
            row.pop(key)
    result = plan_import(document, organisation=org, actor=people["editor"], name="Old file")
    copied = FeedbackResponse.objects.get(plan=result.plan, verbatim="Une attente interminable")
    assert copied.sentiment == "negative" and not copied.sentiment_corrected
    assert not Mention.objects.filter(plan=result.plan).exists()
