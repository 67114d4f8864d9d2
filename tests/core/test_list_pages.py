"""Lists that never skip a row (issue 17, point 3): a unique tie-breaker under every order of every list, cursor
pages by id that renames cannot disturb, RFC 8288 Link headers, and a 400 naming the parameter and what it takes
for a bad page size, page, cursor, ordering or filter value. Every list route of the router is iterated."""

import re
import warnings
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_filters import filters as django_filters

from config.api_router import router
from planning import services as planning
from planning.models import Persona
from roadmaps.models import Export
from sharing import services as sharing
from sync import tokens
from tenancy.models import Plan
from tests.support import fields
from tests.sync import world

# The fixture `everything`: a row in every list, made once for the module (tests/sync/world.py).
world_data, world_everything = world.FIXTURES
LIST_ROUTES = {prefix: viewset for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")}
PREFIXES = sorted(LIST_ROUTES)


def links(response) -> dict[str, str]:
    """rel -> URL of an RFC 8288 Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"', response.headers.get("Link", ""))}


@pytest.fixture
def every_list(everything):
    """A row the owner sees in every list of the router (the API tokens and share links too); returns the people."""
    org, people = everything["org"], everything["people"]
    tokens.api_token_create(organisation=org, user=people["owner"], name="CRM")
    sharing.share_link_create(plan=Plan.objects.filter(organisation=org).first(), actor=people["owner"], scope="plan",
                              expires_at=timezone.now() + timedelta(days=7))
    return people


def walk(api, url, **params) -> tuple[list[int], list]:
    """Every id of a list followed page by page through `next`, and the answers."""
    ids, answers, link = [], [], f"{url}?{urlencode(params)}"
    while link:
        response = api.get(link)
        assert response.status_code == 200, (link, response.content)
        ids += [row["id"] for row in response.json()["results"]]
        answers.append(response)
        link = response.json()["next"]
        assert len(answers) < 200, "the pages never end"
    return ids, answers


# Cursor pages --------------------------------------------------------------------------------------------------


@pytest.fixture
def personas(plan, people):
    return [planning.persona_create(plan=plan, actor=people["owner"], name=f"Persona {index:02}")
            for index in range(12)]


def test_renaming_rows_between_cursor_pages_neither_skips_nor_repeats_one(api_for, people, plan, personas):
    api, seen, renamed = api_for(people["editor"]), [], 0
    link = f"/api/v1/personas/?{urlencode({'plan': plan.pk, 'pagination': 'cursor', 'page_size': 3})}"
    while link:
        body = api.get(link).json()
        seen += [row["id"] for row in body["results"]]
        unseen = [persona for persona in personas if persona.pk not in seen]
        if unseen:  # an unseen row moves before the page just read, a seen one after every other
            renamed += 1
            Persona.objects.filter(pk=unseen[-1].pk).update(name=f"AAA {renamed}")
            Persona.objects.filter(pk=seen[0]).update(name=f"ZZZ {renamed}")
        link = body["next"]
    assert sorted(seen) == sorted(persona.pk for persona in personas) and len(seen) == len(set(seen))
    assert renamed == 3


def test_cursor_pages_follow_the_id_both_ways_with_link_headers(api_for, people, plan, personas):
    api = api_for(people["viewer"])
    ids, answers = walk(api, "/api/v1/personas/", plan=plan.pk, pagination="cursor", page_size=5)
    assert ids == sorted(persona.pk for persona in personas) and len(answers) == 3
    assert [answer.json()["count"] for answer in answers] == [12, 12, 12]
    first, middle, last = (links(answer) for answer in answers)
    assert "prev" not in first and first["next"] == answers[0].json()["next"]
    assert middle["prev"] == answers[1].json()["previous"] and middle["next"] == answers[1].json()["next"]
    assert "next" not in last
    back = api.get(middle["prev"]).json()["results"]
    assert [row["id"] for row in back] == ids[:5]
    newest_first, _ = walk(api, "/api/v1/personas/", plan=plan.pk, pagination="cursor", page_size=5, ordering="-id")
    assert newest_first == ids[::-1]


def test_a_cursor_page_of_12_rows_reads_as_many_queries_as_one_of_3(api_for, people, plan, personas):
    api, counts = api_for(people["viewer"]), []
    for size in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/personas/", {"pagination": "cursor", "page_size": size}).json()
        assert len(body["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_empty_cursor_starts_cursor_pages(api_for, people, plan, personas):
    body = api_for(people["viewer"]).get("/api/v1/personas/", {"cursor": "", "page_size": 5}).json()
    assert [row["id"] for row in body["results"]] == sorted(persona.pk for persona in personas)[:5]
    assert "cursor=" in body["next"]


def test_page_numbers_stay_the_default_with_first_last_next_and_prev_links(api_for, people, plan, personas):
    api = api_for(people["viewer"])
    response = api.get("/api/v1/personas/", {"plan": plan.pk, "page_size": 5, "page": 2})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 12
    assert [row["name"] for row in body["results"]] == [f"Persona {index:02}" for index in range(5, 10)]
    rels = links(response)
    assert rels["next"] == body["next"] and "page=3" in rels["next"]
    assert rels["prev"] == body["previous"] and "page=" not in rels["prev"]
    assert "page=" not in rels["first"] and f"plan={plan.pk}" in rels["first"]
    assert "page=3" in rels["last"]


@pytest.mark.parametrize("mode", ["page", "cursor"])
def test_the_browsable_api_shows_the_page_controls_of_either_mode(mode, client_for, people, plan, personas):
    response = client_for(people["viewer"]).get("/api/v1/personas/", {"pagination": mode, "page_size": 5},
                                                HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and re.search(rb'class="(pagination|pager)"', response.content)
    assert (b"cursor=" in response.content) == (mode == "cursor")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_list_walks_by_cursor_to_the_same_rows_as_by_page(prefix, every_list, api_for):
    api = api_for(every_list["owner"])
    by_page, _ = walk(api, f"/api/v1/{prefix}/", page_size=500)
    by_cursor, answers = walk(api, f"/api/v1/{prefix}/", pagination="cursor", page_size=1)
    assert by_page and sorted(by_cursor) == sorted(by_page) and by_cursor == sorted(by_cursor)
    assert len(answers) == len(by_page) and all("cursor=" in links(answer)["next"] for answer in answers[:-1])


# A unique tie-breaker under every order -------------------------------------------------------------------------


def page_query_order(queries, table) -> str:
    """The ORDER BY of the query that read the page's rows."""
    [sql] = [query["sql"] for query in queries
             if f'FROM "{table}"' in query["sql"] and re.search(r"LIMIT \d+( OFFSET \d+)?$", query["sql"])]
    return sql.rsplit("ORDER BY", 1)[1]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_order_of_every_list_ends_with_the_unique_id(prefix, every_list, api_for):
    api, viewset = api_for(every_list["owner"]), LIST_ROUTES[prefix]
    table = viewset.queryset.model._meta.db_table
    orderings = [None, *viewset.ordering_fields, *[f"-{field}" for field in viewset.ordering_fields]]
    for ordering in orderings:
        params = {"page_size": 2, **({"ordering": ordering} if ordering else {})}
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnorderedObjectListWarning)
            with CaptureQueriesContext(connection) as queries:
                response = api.get(f"/api/v1/{prefix}/", params)
        assert response.status_code == 200, (ordering, response.content)
        order = page_query_order(queries, table)
        assert re.search(rf'"{table}"\."id" (ASC|DESC) LIMIT', order), (ordering, order)


# 400 naming the parameter and what it takes ---------------------------------------------------------------------

BAD_PAGING = [
    ("page_size", "abc", "500"), ("page_size", "0", "500"), ("page_size", "501", "500"), ("page_size", "-3", "500"),
    ("page", "abc", "1"), ("page", "0", "1"),
    ("cursor", "%%%", "next"), ("cursor", "cD1hYmM=", "next"),  # p=abc: a position that is no id
    ("pagination", "pages", "cursor"),
    ("updated_since", "last tuesday", "2027-03-01T09:00:00Z"),
]


def error_text(response, parameter) -> str:
    assert response.status_code == 400, (parameter, response.status_code, response.content)
    named = fields(response)
    assert parameter in named, response.json()
    return " ".join(named[parameter])


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_list_refuses_a_bad_page_parameter_naming_it_and_what_it_takes(prefix, api_for, people):
    api = api_for(people["owner"])
    for parameter, value, allowed in BAD_PAGING:
        assert allowed in error_text(api.get(f"/api/v1/{prefix}/", {parameter: value}), parameter)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_list_refuses_an_unknown_ordering_listing_the_allowed_ones(prefix, api_for, people):
    api, allowed = api_for(people["owner"]), LIST_ROUTES[prefix].ordering_fields
    for value in ("nope", "-nope", f"{allowed[0]},nope", "plan__organisation__name"):
        text = error_text(api.get(f"/api/v1/{prefix}/", {"ordering": value}), "ordering")
        assert all(field in text for field in allowed) and "id" in text, text
    text = error_text(api.get(f"/api/v1/{prefix}/", {"ordering": allowed[0], "pagination": "cursor"}), "ordering")
    assert "id, -id" in text


def unreadable_value(filter_) -> str | None:
    """A value the filter cannot read, or None when it takes any text."""
    if isinstance(filter_, django_filters.CharFilter) and not isinstance(filter_, django_filters.ChoiceFilter):
        return None
    return "not-a-value"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_filter_of_every_list_refuses_an_unreadable_value(prefix, api_for, people):
    api, filterset = api_for(people["owner"]), LIST_ROUTES[prefix].filterset_class
    for name, filter_ in filterset.base_filters.items():
        value = unreadable_value(filter_)
        if value is None:
            continue
        parameter = f"{name}_after" if isinstance(filter_, django_filters.DateFromToRangeFilter) else name
        text = error_text(api.get(f"/api/v1/{prefix}/", {parameter: value}), name)
        fixed_choices = not isinstance(filter_, django_filters.ModelChoiceFilter)
        if isinstance(filter_, django_filters.ChoiceFilter) and fixed_choices:
            choices = [str(key) for key, _label in filter_.field.choices if key != ""]
            assert choices, name
            assert all(choice in text for choice in choices), (name, text)
        if isinstance(filter_, django_filters.BooleanFilter):
            assert "true" in text and "false" in text, (name, text)


def test_the_exports_format_filter_filters_instead_of_picking_a_renderer(api_for, people, plan):
    pdf = Export.objects.create(plan=plan, format="pdf", requested_by=people["editor"])
    Export.objects.create(plan=plan, format="json", requested_by=people["editor"])
    response = api_for(people["viewer"]).get("/api/v1/exports/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert [row["id"] for row in response.json()["results"]] == [pdf.pk]


def test_the_messages_are_french_for_a_french_client(api_for, people):
    api = api_for(people["owner"])
    with translation.override("fr"):
        answers = {parameter: api.get("/api/v1/plans/", {parameter: value}, HTTP_ACCEPT_LANGUAGE="fr")
                   for parameter, value in [("page_size", "abc"), ("ordering", "nope"), ("pagination", "x"),
                                            ("updated_since", "mardi")]}
    assert "entier" in error_text(answers["page_size"], "page_size")
    assert "Tri inconnu" in error_text(answers["ordering"], "ordering")
    assert "cursor" in error_text(answers["pagination"], "pagination")
    assert "ISO 8601" in error_text(answers["updated_since"], "updated_since")
