"""The board of a long roadmap: each column shows its first cards in rank order and says how many more it holds;
the next ones come on demand (htmx) or on a longer page (without JavaScript); a fixed number of queries; another
organisation's board is not found."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from roadmaps.models import RoadmapItem
from roadmaps.views.boards import BOARD_PAGE

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def long_roadmap(plan, team):
    """100 items in Now (item n scores 100 − n: value 100 − n over effort 1), 3 in Next; each with a team."""
    items = RoadmapItem.objects.bulk_create(
        [RoadmapItem(plan=plan, title=f"Now item {n:03d}", horizon="now", value=100 - n, effort=1,
                     board_position=float(n)) for n in range(100)]
        + [RoadmapItem(plan=plan, title=f"Next item {n}", horizon="next", value=1, effort=10,
                       board_position=float(n)) for n in range(3)])
    RoadmapItem.teams.through.objects.bulk_create([RoadmapItem.teams.through(roadmapitem_id=item.pk, team_id=team.pk)
                                                   for item in items])
    return plan


def _ranks(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<span class="rm-cardrank"[^>]*>(\d+)</span>', html)]


def _column(body: str, horizon: str) -> str:
    start = body.index(f'data-horizon="{horizon}"')
    return body[start:body.index("</section>", start)]


def test_a_long_column_shows_its_first_cards_and_how_many_more(client_for, people, long_roadmap):
    body = client_for(people["editor"]).get(reverse("roadmap_board", args=[long_roadmap.pk])).content.decode()
    now = _column(body, "now")
    assert _ranks(now) == list(range(1, BOARD_PAGE + 1)) and "Customer service" in now  # the shown cards' teams
    assert '<span class="count" data-count>100</span>' in body  # the column's count is all of its cards
    assert f'data-hidden="{100 - BOARD_PAGE}"' in now and f"{100 - BOARD_PAGE} more cards in this column" in now
    assert f'href="?now={2 * BOARD_PAGE}#rm-col-now"' in now
    columns_url = reverse("roadmap_board_columns", args=[long_roadmap.pk])
    assert f'hx-get="{columns_url}?horizon=now&amp;start={BOARD_PAGE}"' in now
    assert _ranks(_column(body, "next")) == [101, 102, 103] and 'id="rm-more-next"' not in body


def test_without_javascript_the_link_shows_more_cards_of_that_column(client_for, people, long_roadmap):
    url = reverse("roadmap_board", args=[long_roadmap.pk])
    body = client_for(people["viewer"]).get(url, {"now": 2 * BOARD_PAGE}).content.decode()
    now = _column(body, "now")
    assert _ranks(now) == list(range(1, 2 * BOARD_PAGE + 1)) and "Show the next 20 cards" in now
    assert 'href="?now=100#rm-col-now"' in now
    everything = client_for(people["viewer"]).get(url, {"now": 500}).content.decode()
    assert _ranks(_column(everything, "now")) == list(range(1, 101)) and 'id="rm-more-now"' not in everything


def test_with_htmx_the_next_cards_come_with_the_new_link(client_for, people, long_roadmap):
    url = reverse("roadmap_board_columns", args=[long_roadmap.pk])
    part = client_for(people["editor"]).get(url, {"horizon": "now", "start": BOARD_PAGE}, **HTMX).content.decode()
    assert _ranks(part) == list(range(BOARD_PAGE + 1, 2 * BOARD_PAGE + 1)) and "rm-columns" not in part
    assert 'id="rm-more-now"' in part and 'hx-swap-oob="outerHTML"' in part and 'data-hidden="20"' in part
    last = client_for(people["editor"]).get(url, {"horizon": "now", "start": 80}, **HTMX).content.decode()
    assert _ranks(last) == list(range(81, 101))
    assert '<p id="rm-more-now" hx-swap-oob="outerHTML" hidden></p>' in last  # the link goes


def test_a_redraw_keeps_as_many_cards_as_were_loaded(client_for, people, long_roadmap):
    url = reverse("roadmap_board_columns", args=[long_roadmap.pk])
    body = client_for(people["editor"]).get(url, {"now": 79, "next": 3, "later": 0}).content.decode()
    assert len(_ranks(_column(body, "now"))) == 79


def test_the_board_query_count_does_not_grow_with_the_cards_shown(client_for, people, long_roadmap):
    client = client_for(people["editor"])
    url = reverse("roadmap_board", args=[long_roadmap.pk])
    client.get(url)
    counts = []
    for query in ("", "?now=100"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url + query).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_organisations_board_cards_are_not_found(client_for, people, long_roadmap):
    url = reverse("roadmap_board_columns", args=[long_roadmap.pk])
    response = client_for(people["outsider"]).get(url, {"horizon": "now", "start": BOARD_PAGE}, **HTMX)
    assert response.status_code == 404


def test_the_show_more_link_is_in_french(client_for, people, long_roadmap):
    with translation.override("en"):  # the middleware activates French in this thread; put English back after
        body = client_for(people["viewer"]).get(reverse("roadmap_board", args=[long_roadmap.pk]),
                                                HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Afficher les 40 cartes suivantes" in body and "60 cartes de plus dans cette colonne" in body
