"""Error pages of our own (404, 403, 500) in the site's look, also under DEBUG as `make run` has it; the favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tenancy.models import Role
from tests.factories import member


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_an_unknown_plan_id_shows_our_404_page(client_for, people, debug):
    response = client_for(people["owner"]).get("/plans/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Nothing here" in body and "Back to your plans" in body and 'class="topbar"' in body
    assert "Page not found at" not in body and "URLconf" not in body  # never Django's technical page


def test_an_address_with_no_route_shows_our_404_page(client_for, people, debug):
    response = client_for(people["owner"]).get("/no/such/page/")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode() and "URLconf" not in response.content.decode()


def test_a_missing_final_slash_is_still_redirected_under_debug(client_for, people, plan, debug):
    response = client_for(people["owner"]).get(f"/plans/{plan.pk}")
    assert response.status_code == 301 and response["Location"] == f"/plans/{plan.pk}/"


def test_an_api_address_with_no_route_answers_json(client_for, people, debug):
    response = client_for(people["owner"]).get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {
        "type": "urn:journey-planner:problem:not_found", "title": "Not Found", "status": 404, "detail": "Not found.",
        "code": "not_found"}


def test_django_technical_404_comes_back_when_a_developer_asks(client_for, people, settings):
    settings.DEBUG, settings.DEBUG_TECHNICAL_404 = True, True
    response = client_for(people["owner"]).get("/plans/999999/")
    assert response.status_code == 404 and "Nothing here" not in response.content.decode()


def test_a_refused_action_shows_our_403_page_with_the_reason(client_for, org, people, plan):
    viewer = member(org, Role.VIEWER, username="vic")
    response = client_for(viewer).get(reverse("plan_import", args=[org.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in body and "Viewers cannot create plans." in body and 'class="topbar"' in body


@pytest.mark.urls("tests.core.error_urls")
def test_a_server_error_shows_our_500_page(db):
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and "/static/css/app.css" in body
    assert "RuntimeError" not in body and "a bug in a view" not in body


@pytest.mark.urls("tests.core.error_urls")
def test_the_500_page_is_in_french_for_a_french_reader(db):
    response = Client(raise_request_exception=False, headers={"accept-language": "fr"}).get("/boom/")
    assert "Une erreur est survenue de notre côté" in response.content.decode()


def test_the_favicon_exists_is_linked_and_answers_at_the_root(client):
    assert finders.find("favicon.ico") and finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    login = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
