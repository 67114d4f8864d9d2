"""The heatmap's ranked list and the evaluations overview on a long plan: a page of rows at first, the next ones
on demand (htmx) or on a longer page (without JavaScript), a fixed number of queries, another organisation's
plan not found."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import TouchpointEvaluation
from assessments.views.effort import OVERVIEW_ROWS, RANKED_PAGE
from planning import services
from planning.models import Touchpoint

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def long_plan(org, people, plan, team):
    """Three journeys of 60 touchpoints; touchpoint n of each is evaluated with maturity 1 + n % 4, so the gaps
    differ and every rank is known."""
    services.channels_seed(org)
    channel = org.channels.order_by("position").first()
    journeys = []
    for name in ("Alpha", "Beta", "Gamma"):
        journey = services.journey_create(plan=plan, actor=None, name=name, template=["Discover", "Buy"])
        stage = journey.stages.order_by("position").first()
        touchpoints = Touchpoint.objects.bulk_create([
            Touchpoint(plan=plan, journey=journey, stage=stage, channel=channel, name=f"{name} touchpoint {n:02d}",
                       position=float(n)) for n in range(60)])
        TouchpointEvaluation.objects.bulk_create([
            TouchpointEvaluation(plan=plan, touchpoint=t, team=team, maturity=1 + n % 4, potential_customer=5,
                                 potential_brand=4) for n, t in enumerate(touchpoints)])
        journeys.append(journey)
    return {"plan": plan, "journeys": journeys}


def _ranks(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="rank">(\d+)</td>', body)]


def _queries(client, url, **extra) -> int:
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return len(queries)


def test_the_ranked_list_shows_a_page_and_links_to_the_next_rows(client_for, people, long_plan):
    url = reverse("plan_heatmap", args=[long_plan["plan"].pk])
    body = client_for(people["viewer"]).get(url).content.decode()
    assert _ranks(body) == list(range(1, RANKED_PAGE + 1))
    assert '<span class="count">180</span>' in body  # the count is the whole plan's
    journey = long_plan["journeys"][0].pk
    assert f'href="?journey={journey}&amp;shown={2 * RANKED_PAGE}#rank-{RANKED_PAGE + 1}"' in body
    assert f'hx-get="?journey={journey}&amp;start={RANKED_PAGE}"' in body
    assert "Show the next 50 touchpoints" in body and f"{180 - RANKED_PAGE} of 180 not shown yet" in body
    assert body.index("touchpoint 01") < body.index("Show the next")  # maturity 2 < 4: larger gaps come first


def test_without_javascript_the_link_shows_a_longer_list(client_for, people, long_plan):
    url = reverse("plan_heatmap", args=[long_plan["plan"].pk])
    body = client_for(people["viewer"]).get(url, {"shown": 100}).content.decode()
    assert _ranks(body) == list(range(1, 101)) and "Show the next 50 touchpoints" in body
    last = client_for(people["viewer"]).get(url, {"shown": 150}).content.decode()
    assert _ranks(last) == list(range(1, 151)) and "Show the next 30 touchpoints" in last
    everything = client_for(people["viewer"]).get(url, {"shown": 9999}).content.decode()
    assert _ranks(everything) == list(range(1, 181)) and 'id="ranked-more"' not in everything


def test_with_htmx_the_next_rows_come_alone(client_for, people, long_plan):
    url = reverse("plan_heatmap", args=[long_plan["plan"].pk])
    part = client_for(people["viewer"]).get(url, {"start": RANKED_PAGE}, **HTMX).content.decode()
    assert _ranks(part) == list(range(RANKED_PAGE + 1, 2 * RANKED_PAGE + 1))
    assert "<html" not in part and "Agreed maturity" not in part  # the rows alone, no heatmap
    assert part.count(" autofocus") == 1  # the first new row takes the focus
    assert '<p class="rankedmore" id="ranked-more" hx-swap-oob="outerHTML">' in part
    assert f"start={2 * RANKED_PAGE}" in part
    end = client_for(people["viewer"]).get(url, {"start": 150}, **HTMX).content.decode()
    assert _ranks(end) == list(range(151, 181))
    assert '<p id="ranked-more" hx-swap-oob="outerHTML" hidden></p>' in end  # the link goes


def test_the_print_view_lists_every_touchpoint(client_for, people, long_plan):
    url = reverse("plan_heatmap", args=[long_plan["plan"].pk])
    body = client_for(people["viewer"]).get(url, {"print": 1}).content.decode()
    assert _ranks(body) == list(range(1, 181)) and 'id="ranked-more"' not in body


def test_the_heatmap_query_count_does_not_grow_with_the_rows_shown(client_for, people, long_plan):
    client = client_for(people["editor"])
    url = reverse("plan_heatmap", args=[long_plan["plan"].pk])
    few = _queries(client, url)
    assert _queries(client, url + "?shown=180") == few
    assert _queries(client, url + "?start=50", **HTMX) <= few


def test_the_overview_opens_the_first_journeys_and_the_others_on_demand(client_for, people, long_plan):
    alpha, beta, gamma = long_plan["journeys"]
    url = reverse("plan_evaluations", args=[long_plan["plan"].pk])
    body = client_for(people["viewer"]).get(url).content.decode()
    assert 2 * 60 <= OVERVIEW_ROWS < 3 * 60  # the fixture's journeys: two fit, the third does not
    assert "Alpha touchpoint 59" in body and "Beta touchpoint 59" in body and "Gamma touchpoint 00" not in body
    assert body.count("60 of 60 touchpoints evaluated (100 %)") == 3  # every journey's figures are there
    assert f'hx-get="?journey={gamma.pk}"' in body and 'hx-trigger="toggle once"' in body
    assert f'href="?journey={gamma.pk}#journey-{gamma.pk}"' in body and "Show its 60 touchpoints" in body
    opened = client_for(people["viewer"]).get(url, {"journey": gamma.pk}).content.decode()
    assert "Gamma touchpoint 59" in opened and "Alpha touchpoint 59" in opened
    part = client_for(people["viewer"]).get(url, {"journey": gamma.pk}, **HTMX).content.decode()
    assert "Gamma touchpoint 00" in part and "Alpha touchpoint" not in part and "<html" not in part
    assert part.count("1 of 1</td>") == 60  # one team of the organisation's one


def test_the_overview_query_count_does_not_grow_with_journeys_opened(client_for, people, long_plan):
    client = client_for(people["editor"])
    url = reverse("plan_evaluations", args=[long_plan["plan"].pk])
    few = _queries(client, url)
    assert _queries(client, url + f"?journey={long_plan['journeys'][2].pk}") == few


def test_another_organisations_rows_are_not_found(client_for, people, long_plan):
    client = client_for(people["outsider"])
    plan = long_plan["plan"]
    assert client.get(reverse("plan_heatmap", args=[plan.pk]), {"start": 50}, **HTMX).status_code == 404
    assert client.get(reverse("plan_evaluations", args=[plan.pk]), {"journey": long_plan["journeys"][2].pk},
                      **HTMX).status_code == 404


def test_the_show_more_links_are_in_french(client_for, people, long_plan):
    client = client_for(people["viewer"])
    with translation.override("en"):  # the middleware activates French in this thread; put English back after
        heatmap = client.get(reverse("plan_heatmap", args=[long_plan["plan"].pk]),
                             HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        overview = client.get(reverse("plan_evaluations", args=[long_plan["plan"].pk]),
                              HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Afficher les 50 points de contact suivants" in heatmap and "130 sur 180 pas encore affichés" in heatmap
    assert "Afficher ses 60 points de contact" in overview and "Ouvrir le tableau de ce parcours" in overview
