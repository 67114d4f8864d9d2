"""The listening indicators against answers computed by hand on a small data set: four channels (one with a single
mention, one with none), themes Service › {Waiting time, Staff}, Offer › Price and Promotions (no mention), one
competitor, four authors. Then the pages: figures shown, filters, French, empty states, 404 for another
organisation, and a query count that does not grow with the mentions.

    #  date        channel  author  reach  sentiment  themes                 competitor  persona
    1  2026-01-05  Website  alice   100    negative   Waiting time           -           -
    2  2026-01-20  Website  alice   100    negative   Waiting time, Staff    -           -
    3  2026-02-03  Website  bob     5000   positive   Staff                  Decathlon   -
    4  2026-02-10  Store    carol   20     neutral    Price                  -           Sophie
    5  2026-02-15  Store    bob     6000   negative   Price                  Decathlon   Sophie
    6  2026-03-01  Forum    dave    0      positive   -                      -           -
    (Radio: no mention)
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services_themes
from listening import services, statistics
from listening.models import Mention
from planning import services as planning
from planning.models import Channel

START, END = date(2026, 1, 1), date(2026, 3, 31)
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
PAGES = ["volume", "sentiment", "themes", "competitors", "authors"]


@pytest.fixture
def world(org, plan):
    channels = {name: Channel.objects.create(organisation=org, name=name, kind="online", position=i)
                for i, name in enumerate(["Website", "Store", "Forum", "Radio"])}
    service = services_themes.theme_create(organisation=org, actor=None, name="Service")
    offer = services_themes.theme_create(organisation=org, actor=None, name="Offer")
    promotions = services_themes.theme_create(organisation=org, actor=None, name="Promotions")
    themes = {"Service": service, "Offer": offer, "Promotions": promotions,
              "Waiting time": services_themes.theme_create(organisation=org, actor=None, name="Waiting time",
                                                           parent=service),
              "Staff": services_themes.theme_create(organisation=org, actor=None, name="Staff", parent=service),
              "Price": services_themes.theme_create(organisation=org, actor=None, name="Price", parent=offer)}
    decathlon = services.competitor_create(plan=plan, actor=None, name="Decathlon")
    sophie = planning.persona_create(plan=plan, actor=None, name="Sophie")
    rows = [
        (date(2026, 1, 5), "Website", "alice", 100, "negative", ["Waiting time"], None, None),
        (date(2026, 1, 20), "Website", "alice", 100, "negative", ["Waiting time", "Staff"], None, None),
        (date(2026, 2, 3), "Website", "bob", 5000, "positive", ["Staff"], decathlon, None),
        (date(2026, 2, 10), "Store", "carol", 20, "neutral", ["Price"], None, sophie),
        (date(2026, 2, 15), "Store", "bob", 6000, "negative", ["Price"], decathlon, sophie),
        (date(2026, 3, 1), "Forum", "dave", 0, "positive", [], None, None),
    ]
    mentions = []
    for number, (day, channel, author, reach, sentiment, names, competitor, persona) in enumerate(rows, start=1):
        mention = services.mention_create(plan=plan, actor=None, channel=channels[channel], mentioned_on=day,
                                          text=f"Mention {number}", author=author, author_reach=reach,
                                          competitor=competitor, persona=persona)
        Mention.objects.filter(pk=mention.pk).update(sentiment=sentiment)
        for name in names:
            services.mention_theme_add(mention=mention, actor=None, theme=themes[name])
        mentions.append(mention)
    return {"channels": channels, "themes": themes, "decathlon": decathlon, "sophie": sophie, "mentions": mentions}


def scope(plan, **kwargs):
    return statistics.Scope(plan_id=plan.pk, organisation_id=plan.organisation_id, start=START, end=END, **kwargs)


def test_volume_and_share_per_channel_with_the_monthly_series(plan, world):
    data = statistics.volume(scope(plan))
    assert data["total"] == 6 and data["buckets"] == [JAN, FEB, MAR] and data["series"] == [2, 3, 1]
    assert [(r["channel"].name, r["n"], r["share"], r["series"]) for r in data["channels"]] == [
        ("Website", 3, 3 / 6, [2, 1, 0]), ("Store", 2, 2 / 6, [0, 2, 0]), ("Forum", 1, 1 / 6, [0, 0, 1]),
        ("Radio", 0, 0, [0, 0, 0])]


def test_weekly_series_and_the_filters(plan, world):
    weekly = statistics.volume(scope(plan, granularity="week"))
    assert weekly["buckets"][0] == date(2025, 12, 29) and len(weekly["buckets"]) == 14  # Mondays
    assert sum(weekly["series"]) == 6 and weekly["series"][1] == 1  # the week of 5 January
    assert statistics.volume(scope(plan, channel_id=world["channels"]["Store"].pk))["total"] == 2
    assert statistics.volume(scope(plan, theme_id=world["themes"]["Service"].pk))["total"] == 3  # micro included
    assert statistics.volume(scope(plan, theme_id=world["themes"]["Staff"].pk))["total"] == 2
    assert statistics.volume(scope(plan, persona_id=world["sophie"].pk))["total"] == 2
    assert statistics.volume(scope(plan, theme_id=world["themes"]["Promotions"].pk))["total"] == 0


def test_sentiment_overall_per_channel_per_theme_and_its_evolution(plan, world):
    data = statistics.sentiment(scope(plan))
    overall = data["overall"]
    assert (overall["n"], overall["negative"], overall["neutral"], overall["positive"]) == (6, 3, 1, 2)
    assert overall["net"] == pytest.approx(-1 / 6)
    assert data["series"] == [-1, 0, 1]  # January: 2 negative; February: 1 of each; March: 1 positive
    assert [(r["channel"].name, r["n"], r["net"], r["series"]) for r in data["channels"]] == [
        ("Website", 3, pytest.approx(-1 / 3), [-1, 1, None]), ("Store", 2, -0.5, [None, -0.5, None]),
        ("Forum", 1, 1, [None, None, 1]), ("Radio", 0, None, [None, None, None])]
    themes = {str(r["theme"]): (r["n"], r["negative"], r["neutral"], r["positive"]) for r in data["themes"]}
    assert themes == {"Service": (3, 2, 0, 1), "Service › Waiting time": (2, 2, 0, 0), "Service › Staff": (2, 1, 0, 1),
                      "Offer": (2, 1, 1, 0), "Offer › Price": (2, 1, 1, 0), "Promotions": (0, 0, 0, 0)}


def test_themes_ranked_by_volume_and_negative_share_with_examples(plan, world):
    data = statistics.themes(scope(plan))
    assert [(str(r["theme"]), r["n"]) for r in data["macros"]] == [("Service", 3), ("Offer", 2), ("Promotions", 0)]
    assert [(str(r["theme"]), r["n"]) for r in data["micros"]] == [
        ("Offer › Price", 2), ("Service › Staff", 2), ("Service › Waiting time", 2)]
    assert [(str(r["theme"]), r["negative_share"]) for r in data["macros_by_negative"]] == [
        ("Service", pytest.approx(2 / 3)), ("Offer", 0.5)]
    assert [(str(r["theme"]), r["negative_share"]) for r in data["micros_by_negative"]] == [
        ("Service › Waiting time", 1), ("Offer › Price", 0.5), ("Service › Staff", 0.5)]
    examples = {str(r["theme"]): [e["text"] for e in r["examples"]] for r in data["macros"] + data["micros"]}
    assert examples == {
        "Service": ["Mention 3", "Mention 2", "Mention 1"],  # most reached first; mention 2 once
        "Offer": ["Mention 5", "Mention 4"], "Promotions": [],
        "Service › Waiting time": ["Mention 2", "Mention 1"], "Service › Staff": ["Mention 3", "Mention 2"],
        "Offer › Price": ["Mention 5", "Mention 4"]}


def test_share_of_voice_per_channel(plan, world):
    data = statistics.share_of_voice(scope(plan))
    assert [c.name for c in data["competitors"]] == ["Decathlon"]
    assert [(r["channel"].name, r["n"], [(c["n"], c["share"]) for c in r["cells"]]) for r in data["channels"]] == [
        ("Website", 3, [(2, 2 / 3), (1, 1 / 3)]), ("Store", 2, [(1, 0.5), (1, 0.5)]), ("Forum", 1, [(1, 1), (0, 0)]),
        ("Radio", 0, [(0, None), (0, None)])]
    assert [(c["n"], c["share"]) for c in data["totals"]] == [(4, 4 / 6), (2, 2 / 6)]


def test_ambassadors_and_influencers(plan, world):
    data = statistics.authors(scope(plan))
    assert [(r["author"], r["n"], r["reach"], r["negative"], r["neutral"], r["positive"]) for r in data["authors"]] == [
        ("bob", 2, 6000, 1, 0, 1), ("alice", 2, 100, 2, 0, 0), ("carol", 1, 20, 0, 1, 0), ("dave", 1, 0, 0, 0, 1)]
    topics = {r["author"]: [(t["name"], t["n"]) for t in r["topics"]] for r in data["authors"]}
    assert topics == {"bob": [("Offer › Price", 1), ("Service › Staff", 1)],
                      "alice": [("Service › Waiting time", 2), ("Service › Staff", 1)], "carol": [("Offer › Price", 1)],
                      "dave": []}
    assert [r["author"] for r in data["by_reach"]] == ["bob", "alice", "carol", "dave"]


def _get(client, name, plan, query="?start=2026-01-01&end=2026-03-31", **headers):
    return client.get(reverse(name, args=[plan.pk]) + query, **headers)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_shows_its_figures_and_a_chart(client_for, people, plan, world, page):
    response = _get(client_for(people["viewer"]), f"listening_{page}", plan)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") >= 1 and 'aria-current="page"' in body
    expected = {"volume": ["<th scope=\"row\">Website</th><td class=\"num\">3</td><td class=\"num\">50 %</td>",
                           "<th scope=\"row\">Forum</th><td class=\"num\">1</td><td class=\"num\">17 %</td>"],
                "sentiment": ["<th scope=\"row\">Service</th><td class=\"num\">3</td><td class=\"num\">2</td>",
                              "<dt>Net sentiment</dt><dd>-17 %</dd>"],
                "themes": ["<th scope=\"row\">Service › Waiting time</th><td class=\"num\">2</td>"
                           "<td class=\"num\">100 %</td>", "Mention 3"],
                "competitors": ["<th scope=\"row\">Website</th><td class=\"num\">3</td><td class=\"num\">2 · 67 %</td>"
                                "<td class=\"num\">1 · 33 %</td>"],
                "authors": ["<th scope=\"row\">bob</th><td class=\"num\">2</td><td class=\"num\">6000</td>"]}[page]
    for text in expected:
        assert text in body


@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_in_french_and_has_an_empty_state(client_for, people, plan, world, page):
    client = client_for(people["viewer"])
    french = _get(client, f"listening_{page}", plan, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Écoute sociale" in french
    empty = _get(client, f"listening_{page}", plan, "?start=2020-01-01&end=2020-02-01").content.decode()
    assert "No mention matches these filters." in empty and "ls-chart" not in empty


@pytest.mark.parametrize("page", ["listening", *(f"listening_{p}" for p in PAGES), "listening_import"])
def test_another_organisation_gets_404_and_a_viewer_may_not_import(client_for, people, plan, world, page):
    assert client_for(people["outsider"]).get(reverse(page, args=[plan.pk])).status_code == 404
    expected = 403 if page == "listening_import" else 200
    assert client_for(people["viewer"]).get(reverse(page, args=[plan.pk])).status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_the_query_count_does_not_grow_with_the_mentions(client_for, people, plan, world, page):
    client = client_for(people["viewer"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, f"listening_{page}", plan).status_code == 200
        return len(queries)

    before = count()
    rows = [Mention(plan=plan, channel=world["channels"]["Radio"], mentioned_on=date(2026, 2, day % 28 + 1),
                    text="More", author=f"author {day}", sentiment="neutral") for day in range(60)]
    Mention.objects.bulk_create(rows)
    assert count() == before


def test_the_overview_lists_mentions_and_competitors_and_links_every_indicator(client_for, people, plan, world):
    client = client_for(people["editor"])
    body = client.get(reverse("listening", args=[plan.pk])).content.decode()
    for page in PAGES:
        assert reverse(f"listening_{page}", args=[plan.pk]) in body
    assert "Decathlon" in body and "Mention 6" in body and reverse("listening_import", args=[plan.pk]) in body
    feedback = client.get(reverse("plan_feedback", args=[plan.pk])).content.decode()
    assert f'href="{reverse("listening", args=[plan.pk])}"' in feedback
    client.post(reverse("listening_competitor_add", args=[plan.pk]), {"name": "Go Sport"})
    assert "Go Sport" in client.get(reverse("listening", args=[plan.pk])).content.decode()
    viewer = client_for(people["viewer"])
    assert viewer.post(reverse("listening_competitor_add", args=[plan.pk]), {"name": "X"}).status_code == 403


@pytest.mark.parametrize(("indicator", "queries"), [("volume", 2), ("sentiment", 1), ("themes", 4),
                                                     ("share_of_voice", 1), ("authors", 2)])
def test_each_indicator_reads_its_figures_and_lists_in_a_fixed_number_of_queries(plan, world, indicator, queries):
    """The channels, competitors and themes an indicator shows come in the same round trip as its counts (a UNION
    ALL), so a page costs as few queries as it can whatever the number of mentions, themes or channels."""
    with CaptureQueriesContext(connection) as captured:
        getattr(statistics, indicator)(scope(plan))
    assert len(captured) == queries


def test_sentiment_and_share_of_voice_with_the_channel_and_theme_filters(plan, world):
    store = statistics.sentiment(scope(plan, channel_id=world["channels"]["Store"].pk))
    assert [(r["channel"].name, r["n"], r["negative"], r["neutral"]) for r in store["channels"]] == [
        ("Store", 2, 1, 1)]
    assert {str(r["theme"]): r["n"] for r in store["themes"] if r["n"]} == {"Offer": 2, "Offer › Price": 2}
    service = statistics.sentiment(scope(plan, theme_id=world["themes"]["Service"].pk))
    overall = service["overall"]
    assert (overall["n"], overall["negative"], overall["neutral"], overall["positive"]) == (3, 2, 0, 1)
    assert [(r["channel"].name, r["n"]) for r in service["channels"]] == [
        ("Website", 3), ("Store", 0), ("Forum", 0), ("Radio", 0)]
    staff = statistics.share_of_voice(scope(plan, theme_id=world["themes"]["Staff"].pk))
    assert [(r["channel"].name, r["n"], [(c["n"], c["share"]) for c in r["cells"]]) for r in staff["channels"]] == [
        ("Website", 2, [(1, 0.5), (1, 0.5)]), ("Store", 0, [(0, None), (0, None)]),
        ("Forum", 0, [(0, None), (0, None)]), ("Radio", 0, [(0, None), (0, None)])]
    only_store = statistics.share_of_voice(scope(plan, channel_id=world["channels"]["Store"].pk))
    assert [(r["channel"].name, r["n"]) for r in only_store["channels"]] == [("Store", 2)]
    assert [c.name for c in only_store["competitors"]] == ["Decathlon"]


def test_weekly_sentiment(plan, world):
    weekly = statistics.sentiment(scope(plan, granularity="week"))
    assert len(weekly["buckets"]) == len(weekly["series"]) == 14
    website = weekly["channels"][0]
    assert website["channel"].name == "Website" and website["series"][1] == -1  # the week of 5 January: 1 negative
    assert website["series"][5] == 1 and weekly["series"][0] is None  # 3 February: 1 positive; 29 December: none
