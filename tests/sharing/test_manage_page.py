"""The plan's share links page: create (the address shown once), list with opens, revoke; managers only."""

import re

import pytest
from django.urls import reverse

from sharing.models import ShareLink, ShareScope
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
URL = re.compile(r'value="(http://testserver/s/jps_[^"]+/)"')


def create(client, plan, **data):
    body = {"scope": "plan", "expires": "30", "password": "", **data}
    return client.post(reverse("share_links", args=[plan.pk]), body)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 404, 403, 403, 200, 200], strict=True)))
def test_only_managers_create_links(client_for, people, world, role, expected):
    response = create(client_for(people[role]), world["plan"])
    assert response.status_code == expected
    assert ShareLink.objects.exists() == (expected == 200)


def test_the_new_address_is_shown_once_and_opens_the_link(client_for, people, world, client):
    owner = client_for(people["owner"])
    response = create(owner, world["plan"], scope="journey", journey=world["journey"].pk, password="trail-2027",
                      hide_member_names="on")
    [address] = URL.findall(response.content.decode())
    link = ShareLink.objects.get()
    assert link.scope == ShareScope.JOURNEY and link.journey == world["journey"] and link.hide_member_names
    assert link.has_password
    listing = owner.get(reverse("share_links", args=[world["plan"].pk])).content.decode()
    assert address not in listing and link.prefix in listing and "opened 0 times" in listing
    owner.logout()
    assert client.post(address, {"password": "trail-2027"}).status_code == 302
    listing = client_for(people["owner"]).get(reverse("share_links", args=[world["plan"].pk])).content.decode()
    assert "opened 1 time," in listing


def test_a_journey_link_needs_its_journey(client_for, people, world):
    response = create(client_for(people["owner"]), world["plan"], scope="journey")
    assert response.status_code == 200 and "Choose the journey the link shows." in response.content.decode()
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 404, 403, 403, 302, 302], strict=True)))
def test_only_managers_revoke(client_for, people, world, make_link, role, expected):
    link, _token = make_link()
    response = client_for(people[role]).post(reverse("share_link_revoke", args=[world["plan"].pk, link.pk]))
    assert response.status_code == expected
    link.refresh_from_db()
    assert (link.revoked_at is not None) == (expected == 302 and role != "anon")


def test_the_share_page_of_the_plan_leads_to_the_links(client_for, people, world):
    page = client_for(people["admin"]).get(reverse("plan_access", args=[world["plan"].pk])).content.decode()
    assert reverse("share_links", args=[world["plan"].pk]) in page


def test_the_links_page_speaks_french(client_for, people, world):
    client = client_for(people["owner"])
    page = client.get(reverse("share_links", args=[world["plan"].pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Liens de partage" in page and "Créer le lien" in page and "Masquer le nom des membres" in page
