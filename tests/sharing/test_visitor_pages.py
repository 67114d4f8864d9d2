"""What an anonymous visitor reaches through a share link: the link's pages, read-only, and nothing else (404)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone

from sharing import services
from sharing.models import ShareLink, ShareScope
from sharing.session import COOKIE
from tenancy.models import Plan

pytestmark = pytest.mark.django_db


def open_link(client, token, password=None):
    url = reverse("share_open", args=[token])
    return client.post(url, {"password": password}) if password is not None else client.get(url)


def test_a_journey_link_opens_its_map_read_only(visitor, world, make_link):
    link, token = make_link()
    response = open_link(visitor, token)
    home = reverse("shared_journey", args=[link.prefix, world["journey"].pk])
    assert response.status_code == 302 and response["Location"] == home
    page = visitor.get(home)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Buy trail shoes" in body and "Trail runner Tess" in body and "Discovery" in body
    for edit_control in ("Add a touchpoint", "Edit the journey", "New stage", "Delete", "journey-map.js",
                         reverse("plan_detail", args=[world["plan"].pk]), "Return a jacket"):
        assert edit_control not in body
    link.refresh_from_db()
    assert link.open_count == 1 and link.last_opened_at is not None


def test_each_entry_through_the_link_is_counted(visitor, make_link):
    link, token = make_link()
    open_link(visitor, token)
    open_link(visitor, token)
    link.refresh_from_db()
    assert link.open_count == 2


def test_a_journey_link_reaches_no_other_shared_page(visitor, world, make_link):
    link, token = make_link()
    open_link(visitor, token)
    for url in (reverse("shared_personas", args=[link.prefix]), reverse("shared_journeys", args=[link.prefix]),
                reverse("shared_roadmap", args=[link.prefix]),
                reverse("shared_journey", args=[link.prefix, world["other_journey"].pk]),
                reverse("shared_journey", args=[link.prefix, world["elsewhere"].pk])):
        response = visitor.get(url)
        assert response.status_code == 404, url
        assert "Return a jacket" not in response.content.decode()
    assert visitor.get(reverse("shared_home", args=[link.prefix]))["Location"].endswith(
        f"/journeys/{world['journey'].pk}/")


def _every_address(world) -> list[tuple[str, str]]:
    """(url name, a path) for every named URL of the site, each argument filled with an id of this world."""
    resolver = get_resolver()
    filled = {"format": "json", "kind": "user", "source": "crm", "external_id": "1", "token": "x", "prefix": "x"}
    addresses = []
    for name in [key for key in resolver.reverse_dict if isinstance(key, str)]:
        for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(name):
            for template, params in possibilities:
                values = {param: filled.get(param, str(world["plan"].pk)) for param in params}
                addresses.append((name, "/" + template % values))
    return addresses


# Where a share session may go: the shared pages themselves, the language switch, the icon and the sign-in page.
ALLOWED = {"share_open", "share_leave", "shared_home", "shared_personas", "shared_journeys", "shared_journey",
           "shared_roadmap", "set_language", "favicon", "login", "account_login"}


def test_a_journey_link_answers_404_on_every_other_address_of_the_site(visitor, world, make_link):
    link, token = make_link()
    open_link(visitor, token)
    addresses = [(name, path) for name, path in _every_address(world) if name not in ALLOWED]
    assert len(addresses) > 150  # pages, the API and its schema, exports, history, settings...
    for name, path in addresses:
        response = visitor.get(path)
        assert response.status_code == 404, (name, path, response.status_code)
        assert world["plan"].name not in response.content.decode(), name


def test_without_the_share_session_the_site_behaves_as_for_anyone(visitor, world):
    assert visitor.get(reverse("plan_detail", args=[world["plan"].pk])).status_code == 302  # to the sign-in page


def test_a_plan_link_shows_the_overview_personas_journeys_and_roadmap(visitor, world, make_link):
    link, token = make_link(scope=ShareScope.PLAN)
    assert open_link(visitor, token)["Location"] == reverse("shared_home", args=[link.prefix])
    expected = {"shared_home": "Omnichannel 2027", "shared_personas": "Trail runner Tess",
                "shared_journeys": "Return a jacket", "shared_roadmap": "Customer app"}
    for name, text in expected.items():
        response = visitor.get(reverse(name, args=[link.prefix]))
        assert response.status_code == 200 and text in response.content.decode(), name
    other = visitor.get(reverse("shared_journey", args=[link.prefix, world["other_journey"].pk]))
    assert other.status_code == 200 and "Return a jacket" in other.content.decode()
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["elsewhere"].pk])).status_code == 404
    assert visitor.get(reverse("journey_map", args=[world["other_journey"].pk])).status_code == 404


def test_a_roadmap_link_shows_only_the_roadmap(visitor, world, make_link):
    link, token = make_link(scope=ShareScope.ROADMAP)
    assert open_link(visitor, token)["Location"] == reverse("shared_roadmap", args=[link.prefix])
    assert "Customer app" in visitor.get(reverse("shared_roadmap", args=[link.prefix])).content.decode()
    for name in ("shared_personas", "shared_journeys"):
        assert visitor.get(reverse(name, args=[link.prefix])).status_code == 404
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404


def test_member_names_are_hidden_when_the_link_says_so(visitor, world, make_link, people):
    editor = people["editor"]
    shown, shown_token = make_link(scope=ShareScope.ROADMAP)
    hidden, hidden_token = make_link(scope=ShareScope.ROADMAP, hide_member_names=True)
    open_link(visitor, shown_token)
    open_link(visitor, hidden_token)
    assert str(editor) in visitor.get(reverse("shared_roadmap", args=[shown.prefix])).content.decode()
    body = visitor.get(reverse("shared_roadmap", args=[hidden.prefix])).content.decode()
    assert "Customer app" in body and str(editor) not in body and "Owner" not in body


def test_a_shared_page_needs_its_link_opened_in_this_browser(visitor, client_for, people, make_link):
    link, _token = make_link(scope=ShareScope.PLAN)
    assert visitor.get(reverse("shared_home", args=[link.prefix])).status_code == 404
    owner = client_for(people["owner"])  # a member who never opened the link is no visitor of it either
    assert owner.get(reverse("shared_home", args=[link.prefix])).status_code == 404


def test_one_link_opened_does_not_open_another(visitor, make_link):
    first, token = make_link(scope=ShareScope.PLAN)
    second, _token = make_link(scope=ShareScope.PLAN)
    open_link(visitor, token)
    assert visitor.get(reverse("shared_home", args=[first.prefix])).status_code == 200
    assert visitor.get(reverse("shared_home", args=[second.prefix])).status_code == 404


def test_a_revoked_link_answers_404_at_once(visitor, world, make_link):
    link, token = make_link()
    open_link(visitor, token)
    page = reverse("shared_journey", args=[link.prefix, world["journey"].pk])
    assert visitor.get(page).status_code == 200
    services.share_link_revoke(link=link, actor=world["owner"])
    assert visitor.get(page).status_code == 404
    assert open_link(visitor, token).status_code == 404


def test_an_expired_link_answers_404(visitor, world, make_link):
    link, token = make_link()
    open_link(visitor, token)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404
    assert open_link(visitor, token).status_code == 404


@pytest.mark.parametrize("token", ["jps_nothing_here", "nothing", "jp_abcdefgh_secret"])
def test_an_unknown_token_answers_404(visitor, make_link, token):
    make_link()
    assert open_link(visitor, token).status_code == 404


def test_a_token_with_one_character_changed_answers_404(visitor, make_link):
    _link, token = make_link()
    assert open_link(visitor, token[:-1] + ("A" if token[-1] != "A" else "B")).status_code == 404


def test_a_password_link_asks_for_it_before_showing_anything(visitor, world, make_link):
    link, token = make_link(password="trail-2027")
    form = open_link(visitor, token)
    assert form.status_code == 200 and "This link is protected" in form.content.decode()
    assert "Buy trail shoes" not in form.content.decode() and COOKIE not in form.cookies
    wrong = open_link(visitor, token, "trail-2026")
    assert wrong.status_code == 200 and "not the password" in wrong.content.decode()
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404
    right = open_link(visitor, token, "trail-2027")
    assert right.status_code == 302
    assert visitor.get(right["Location"]).status_code == 200


def test_wrong_passwords_are_limited_per_minute(visitor, world, make_link):
    link, token = make_link(password="trail-2027")
    for _try in range(services.PASSWORD_TRIES_PER_MINUTE):
        assert open_link(visitor, token, "guess").status_code == 200
    refused = open_link(visitor, token, "trail-2027")  # even the right one, until the minute is over
    assert refused.status_code == 429 and "Too many wrong passwords" in refused.content.decode()
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404


def test_a_forged_share_cookie_opens_nothing(visitor, world, make_link):
    link, _token = make_link()
    visitor.cookies[COOKIE] = f"[{link.pk}]"
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404


def test_leaving_the_shared_view_ends_the_share_session(visitor, world, make_link):
    link, token = make_link()
    open_link(visitor, token)
    assert visitor.post(reverse("share_leave")).status_code == 200
    assert visitor.get(reverse("shared_journey", args=[link.prefix, world["journey"].pk])).status_code == 404
    assert visitor.get(reverse("plan_detail", args=[world["plan"].pk])).status_code == 302


def test_the_shared_pages_speak_french(visitor, world, make_link):
    link, token = make_link(scope=ShareScope.PLAN, password="trail-2027")
    visitor.cookies["django_language"] = "fr"
    assert "Ce lien est protégé" in open_link(visitor, token).content.decode()
    open_link(visitor, token, "trail-2027")
    body = visitor.get(reverse("shared_home", args=[link.prefix])).content.decode()
    assert "Une vue en lecture seule" in body and "Quitter la vue partagée" in body


ADDRESS = re.compile(r'(?:href|action|src|hx-get|hx-post|data-[a-z-]*url)="([^"]*)"')


def test_the_shared_pages_of_the_demo_plan_only_lead_within_the_link(visitor, people):
    """Every address on every shared page of a full plan (lanes, pains, opportunities, curves, scores) stays inside
    the link, so a visitor is never offered a door that would answer 404."""
    call_command("seed_demo", stdout=StringIO())
    plan = Plan.objects.get(organisation__name="Northern Trail Outfitters")
    owner = plan.organisation.memberships.get(user__username="owner").user
    link, token = services.share_link_create(plan=plan, actor=owner, scope=ShareScope.PLAN,
                                             expires_at=timezone.now() + timedelta(days=1))
    open_link(visitor, token)
    pages = [reverse(name, args=[link.prefix]) for name in ("shared_home", "shared_personas", "shared_journeys",
                                                              "shared_roadmap")]
    pages += [reverse("shared_journey", args=[link.prefix, pk]) for pk in plan.journeys.values_list("pk", flat=True)]
    inside = (f"/shared/{link.prefix}/", "/shared/leave/", "/static/", "/media/personas/", "/i18n/setlang/", "#")
    seen = 0
    for page in pages:
        response = visitor.get(page)
        assert response.status_code == 200, page
        for address in ADDRESS.findall(response.content.decode()):
            seen += 1
            assert address.startswith(inside), (page, address)
    assert seen > 30 and plan.journeys.count() >= 2


def test_with_the_cache_down_wrong_passwords_are_still_limited(visitor, world, make_link, monkeypatch):
    link, token = make_link(password="trail-2027")

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for name in ("get", "add", "incr", "set"):
        monkeypatch.setattr(services.cache, name, unreachable)
    monkeypatch.setattr(services, "_cache_failed_at", [0.0])  # the next tests find the shared cache again
    services.LOCAL_COUNTERS.clear()
    for _try in range(services.PASSWORD_TRIES_PER_MINUTE):
        assert open_link(visitor, token, "guess").status_code == 200
    assert open_link(visitor, token, "trail-2027").status_code == 429
    services.LOCAL_COUNTERS.clear()
    assert open_link(visitor, token, "trail-2027").status_code == 302
