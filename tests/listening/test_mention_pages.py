"""The plan's mention list (filters, pages, empty states, French, reached from the listening pages, a query count
that does not grow with the rows) and the mention edit page (a person's sentiment wins, themes kept from the rules,
tags, competitor, touchpoint, persona; a stale save is refused showing the other person's change)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services_themes
from listening import services
from listening.models import Mention, MentionTheme
from planning import services as planning
from planning.models import Channel
from sharing import services as sharing
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
LOGIN = 302


@pytest.fixture
def world(org, plan, people):
    web = Channel.objects.create(organisation=org, name="Website", kind="online", position=0)
    store = Channel.objects.create(organisation=org, name="Store", kind="offline", position=1)
    service = services_themes.theme_create(organisation=org, actor=None, name="Service")
    waiting = services_themes.theme_create(organisation=org, actor=None, name="Waiting time", parent=service)
    price = services_themes.theme_create(organisation=org, actor=None, name="Price")
    services_themes.rule_create(theme=waiting, actor=None, phrase="attente")
    decathlon = services.competitor_create(plan=plan, actor=None, name="Decathlon")
    persona = planning.persona_create(plan=plan, actor=None, name="Sophie")
    journey = planning.journey_create(plan=plan, actor=None, name="Buy shoes", template="purchase")
    touchpoint = planning.touchpoint_create(stage=journey.stages.first(), channel=web, actor=None,
                                            name="Checkout page")
    rows = [
        (date(2026, 1, 5), web, "alice", "Trop d'attente au service client, c'est nul", None),
        (date(2026, 2, 3), web, "bob", "Great staff, lovely shop", decathlon),
        (date(2026, 2, 10), store, "carol", "Prix corrects en magasin", None),
    ]
    mentions = [services.mention_create(plan=plan, actor=None, channel=channel, mentioned_on=day, text=text,
                                        author=author, competitor=competitor)
                for day, channel, author, text, competitor in rows]
    Mention.objects.filter(pk=mentions[2].pk).update(sentiment="neutral")  # whatever the lexicon makes of it
    return {"web": web, "store": store, "waiting": waiting, "service": service, "price": price,
            "decathlon": decathlon, "persona": persona, "touchpoint": touchpoint, "mentions": mentions}


def listed(client, plan, **params):
    response = client.get(reverse("listening_mentions", args=[plan.pk]), params)
    assert response.status_code == 200
    body = response.content.decode()
    return [m.text for m in Mention.objects.order_by("pk") if m.text.replace("'", "&#x27;") in body]


# The list ----------------------------------------------------------------------------------------------------------


def test_the_list_shows_every_mention_newest_first(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("listening_mentions", args=[plan.pk])).content.decode()
    assert body.index("Prix corrects") < body.index("Great staff") < body.index("attente au service")
    assert "Waiting time" in body and "Decathlon" in body
    assert reverse("listening_mention_edit", args=[plan.pk, world["mentions"][0].pk]) not in body  # a viewer reads


@pytest.mark.parametrize(("params", "expected"), [
    ({"channel": "store"}, ["Prix corrects en magasin"]),
    ({"start": "2026-02-01", "end": "2026-02-05"}, ["Great staff, lovely shop"]),
    ({"sentiment": "positive"}, ["Great staff, lovely shop"]),
    ({"competitor": "decathlon"}, ["Great staff, lovely shop"]),
    ({"competitor": "none"}, ["Trop d'attente au service client, c'est nul", "Prix corrects en magasin"]),
    ({"theme": "service"}, ["Trop d'attente au service client, c'est nul"]),  # a macro theme takes its micro ones
    ({"q": "STAFF lovely"}, ["Great staff, lovely shop"]),
    ({"q": "carol"}, ["Prix corrects en magasin"]),
])
def test_each_filter_narrows_the_list(client_for, people, plan, world, params, expected):
    ids = {"store": world["store"].pk, "decathlon": world["decathlon"].pk, "service": world["service"].pk}
    params = {key: ids.get(value, value) for key, value in params.items()}
    assert listed(client_for(people["viewer"]), plan, **params) == expected


def test_a_filter_with_nothing_found_says_so_and_offers_a_way_out(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("listening_mentions", args=[plan.pk]),
                                            {"q": "zzz"}).content.decode()
    assert "No mention matches these filters." in body and "Clear the filters" in body


def test_a_plan_without_mentions_says_how_to_get_some(client_for, people, plan):
    body = client_for(people["editor"]).get(reverse("listening_mentions", args=[plan.pk])).content.decode()
    assert "No mention yet." in body and reverse("listening_import", args=[plan.pk]) in body
    french = client_for(people["editor"]).get(reverse("listening_mentions", args=[plan.pk]),
                                              HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aucune mention pour l’instant." in french and "Importer des mentions" in french


def test_a_wrong_period_is_said_and_filters_nothing(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("listening_mentions", args=[plan.pk]),
                                            {"start": "2026-03-01", "end": "2026-01-01"}).content.decode()
    assert "The period starts after it ends." in body and "Great staff" in body


def test_the_list_pages_by_fifty_keeping_the_filters(client_for, people, plan, world):
    for i in range(55):
        services.mention_create(plan=plan, actor=None, channel=world["web"], mentioned_on=date(2025, 1, 1),
                                text=f"Old post {i:02d}")
    client = client_for(people["viewer"])
    first = client.get(reverse("listening_mentions", args=[plan.pk]), {"channel": world["web"].pk}).content.decode()
    assert "Page 1 of 2" in first and f"channel={world['web'].pk}&amp;page=2" in first
    second = client.get(reverse("listening_mentions", args=[plan.pk]),
                        {"channel": world["web"].pk, "page": 2}).content.decode()
    assert second.count('class="card ls-mention"') == 57 - 50


def test_the_list_is_reached_from_the_listening_pages(client_for, people, plan, world):
    client = client_for(people["viewer"])
    url = reverse("listening_mentions", args=[plan.pk])
    assert f'href="{url}"' in client.get(reverse("listening", args=[plan.pk])).content.decode()
    themes = client.get(reverse("listening_themes", args=[plan.pk]), {"start": "2026-01-01", "end": "2026-03-31",
                                                                       "channel": world["web"].pk}).content.decode()
    assert f'href="{url}?start=2026-01-01&amp;end=2026-03-31&amp;channel={world["web"].pk}"' in themes


def test_the_list_speaks_french(client_for, people, plan, world):
    body = client_for(people["editor"]).get(reverse("listening_mentions", args=[plan.pk]),
                                            HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Toutes les mentions du plan" in body and "Modifier" in body and "Tous les canaux" in body


def test_the_list_query_count_does_not_grow_with_the_mentions(client_for, people, plan, world):
    client = client_for(people["editor"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("listening_mentions", args=[plan.pk])).status_code == 200
        return len(queries)

    few = count()
    for i in range(30):
        mention = services.mention_create(plan=plan, actor=None, channel=world["store"], mentioned_on=date(2026, 3, 1),
                                          text=f"Encore de l'attente {i}", competitor=world["decathlon"],
                                          tags=[f"tag {i}"])
        services.mention_theme_add(mention=mention, actor=None, theme=world["price"])
    assert count() == few


# The edit page -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_the_edit_page_matrix(client_for, people, plan, world, role, expected):
    mention = world["mentions"][0]
    client = client_for(people[role])
    response = client.get(reverse("listening_mention_edit", args=[plan.pk, mention.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "Trop d&#x27;attente" in response.content.decode()
    saved = client.post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]),
                        {"sentiment": "positive", "version": mention.version})
    assert saved.status_code == (302 if expected == 200 else expected)
    mention.refresh_from_db()
    assert (mention.sentiment == "positive") == (expected == 200)


def test_a_mention_of_another_plan_is_404(client_for, people, plan, other_plan, world):
    other_channel = Channel.objects.create(organisation=other_plan.organisation, name="Web", kind="online")
    theirs = services.mention_create(plan=other_plan, actor=None, channel=other_channel,
                                     mentioned_on=date(2026, 1, 1), text="Not yours")
    client = client_for(people["owner"])
    assert client.get(reverse("listening_mention_edit", args=[plan.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("listening_mention_edit", args=[other_plan.pk, theirs.pk])).status_code == 404


def test_an_editor_corrects_a_mention(client_for, people, plan, world):
    mention = world["mentions"][0]
    assert MentionTheme.objects.get(mention=mention).assigned_by == "rule"
    assert mention.sentiment == "negative"
    client = client_for(people["editor"])
    back = reverse("listening_mentions", args=[plan.pk]) + "?sentiment=negative"
    response = client.post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]), {
        "sentiment": "neutral", "themes": [world["waiting"].pk, world["price"].pk], "tags": "urgent, Urgent, SAV",
        "competitor": world["decathlon"].pk, "touchpoint": world["touchpoint"].pk, "persona": world["persona"].pk,
        "version": mention.version, "back": back})
    assert response.status_code == 302 and response["Location"] == back
    mention.refresh_from_db()
    assert mention.sentiment == "neutral" and mention.sentiment_corrected
    assert (mention.competitor, mention.touchpoint, mention.persona) == (world["decathlon"], world["touchpoint"],
                                                                        world["persona"])
    carried = dict(MentionTheme.objects.filter(mention=mention).values_list("theme__name", "assigned_by"))
    assert carried == {"Waiting time": "rule", "Price": "hand"}  # the rule's theme keeps saying which rule
    assert sorted(mention.tags.values_list("tag__name", flat=True)) == ["SAV", "urgent"]
    # The person's sentiment wins over a text change; "As computed" gives the computed one back.
    services.mention_update(mention=mention, actor=people["editor"], text="C'est nul, vraiment nul")
    mention.refresh_from_db()
    assert mention.sentiment == "neutral"
    client.post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]), {
        "sentiment": "", "themes": [], "tags": "", "version": mention.version})
    mention.refresh_from_db()
    assert mention.sentiment == "negative" and not mention.sentiment_corrected
    assert not MentionTheme.objects.filter(mention=mention).exists() and not mention.tags.exists()


def test_a_stale_save_is_refused_showing_the_other_persons_change(client_for, people, plan, world):
    mention = world["mentions"][1]
    loaded_version = mention.version
    services.mention_edit(mention=Mention.objects.get(pk=mention.pk), actor=people["admin"], version=loaded_version,
                          sentiment="negative", themes=[world["price"]], tags=["Prix"], competitor=None)
    client = client_for(people["editor"])
    response = client.post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]), {
        "sentiment": "positive", "themes": [], "tags": "", "competitor": world["decathlon"].pk,
        "version": loaded_version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved meanwhile by someone else" in body
    conflict = body[body.index('class="conflict"'):body.index("</dl>")]
    assert "negative" in conflict.lower() and "Price" in conflict and "Prix" in conflict
    mention.refresh_from_db()
    assert mention.sentiment == "negative" and mention.competitor is None  # nothing of the stale save
    # The form kept what was typed and is now based on their version: saving again goes through.
    again = client.post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]), {
        "sentiment": "positive", "themes": [], "tags": "", "competitor": world["decathlon"].pk,
        "version": mention.version})
    assert again.status_code == 302
    mention.refresh_from_db()
    assert mention.sentiment == "positive" and mention.competitor == world["decathlon"]


def test_the_edit_page_refuses_another_plans_relations(client_for, people, plan, other_plan, world):
    mention = world["mentions"][0]
    elsewhere = services.competitor_create(plan=other_plan, actor=None, name="Theirs")
    response = client_for(people["editor"]).post(reverse("listening_mention_edit", args=[plan.pk, mention.pk]), {
        "sentiment": "", "competitor": elsewhere.pk, "version": mention.version})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_edit_page_speaks_french(client_for, people, plan, world):
    body = client_for(people["editor"]).get(reverse("listening_mention_edit", args=[plan.pk, world["mentions"][0].pk]),
                                            HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Modifier la mention" in body and "Comme calculé" in body


def test_a_share_link_session_reaches_none_of_the_new_pages(client, people, plan, world):
    _link, token = sharing.share_link_create(plan=plan, actor=people["owner"], scope="plan",
                                             expires_at=timezone.now() + timedelta(days=7))
    client.logout()
    assert client.get(reverse("share_open", args=[token])).status_code == 302
    mention = world["mentions"][0]
    for url in (reverse("listening_mentions", args=[plan.pk]),
                reverse("listening_mention_edit", args=[plan.pk, mention.pk]),
                reverse("listening_theme_suggestions", args=[plan.pk]),
                reverse("listening_rule_run_status", args=[plan.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("listening_rule_run", args=[plan.pk])).status_code == 404
    assert client.post(reverse("listening_theme_suggestion_accept", args=[plan.pk]),
                       {"name": "X", "keyword": "x"}).status_code == 404


def test_an_editor_deletes_a_mention_after_confirming(client_for, people, plan, world):
    mention = world["mentions"][1]
    client = client_for(people["editor"])
    url = reverse("listening_mention_delete", args=[plan.pk, mention.pk])
    confirm = client.get(url).content.decode()
    assert "Great staff, lovely shop" in confirm and "It leaves every listening indicator of the plan." in confirm
    assert client_for(people["viewer"]).post(url, {"version": mention.version}).status_code == 403
    response = client_for(people["editor"]).post(url, {"version": mention.version})
    assert response.status_code == 302 and response["Location"] == reverse("listening_mentions", args=[plan.pk])
    assert not Mention.objects.filter(pk=mention.pk).exists()
