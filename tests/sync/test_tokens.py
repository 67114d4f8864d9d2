"""API tokens: scoped to one organisation, read-only or read-write, expiring, revocable, stored hashed."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from planning import services
from planning.models import Channel, Persona
from sync import tokens
from sync.models import ApiToken, ApiTokenScope
from tenancy.models import Activity, Role
from tests.conftest import ROLES
from tests.factories import MembershipFactory, PlanFactory
from tests.support import fields


def bearer(key: str, keyword: str = "Bearer") -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return api


@pytest.fixture
def token_for(org):
    def make(user, scope=ApiTokenScope.READ_WRITE, organisation=None, **fields):
        return tokens.api_token_create(organisation=organisation or org, user=user, name="CRM sync", scope=scope,
                                       **fields)

    return make


@pytest.fixture
def two_orgs(org, people, plan):
    """The owner of `org` is also an owner of the other organisation, which has a plan, a persona and a channel."""
    other = people["other_org"]
    MembershipFactory(organisation=other, user=people["owner"], role=Role.OWNER)
    other_plan = PlanFactory(organisation=other, name="Their plan")
    services.channels_seed(org)
    services.channels_seed(other)
    ours = services.persona_create(plan=plan, actor=people["owner"], name="Our persona")
    theirs = services.persona_create(plan=other_plan, actor=people["owner"], name="Their persona")
    return other, other_plan, ours, theirs


# The key -------------------------------------------------------------------------------------------------------


def test_the_key_is_returned_once_and_only_its_hash_is_stored(people, token_for):
    token, key = token_for(people["editor"])
    assert key.startswith(f"jp_{token.prefix}_") and len(token.prefix) == 8 and len(key) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in str(value) for value in row.values())
    secret = key.split("_", 2)[2]
    assert not any(secret in str(value) for value in row.values())


def test_bearer_and_token_keywords_both_authenticate_and_the_script_token_still_works(api_for, people, plan,
                                                                                      token_for):
    _token, key = token_for(people["editor"])
    for api in (bearer(key), bearer(key, "Token"), api_for(people["editor"])):
        response = api.get("/api/v1/plans/")
        assert response.status_code == 200
        assert [p["name"] for p in response.data["results"]] == ["Omnichannel 2027"]


def test_a_read_only_token_reads_but_every_write_answers_403(people, plan, token_for):
    _token, key = token_for(people["owner"], scope=ApiTokenScope.READ_ONLY)
    api = bearer(key)
    persona = services.persona_create(plan=plan, actor=people["owner"], name="Active Alex")
    url = f"/api/v1/personas/{persona.pk}/"
    assert api.get(url).data["name"] == "Active Alex"
    refused = [
        api.post("/api/v1/personas/", {"plan": plan.pk, "name": "Busy Bea"}),
        api.patch(url, {"name": "Renamed"}),
        api.put("/api/v1/personas/by-external-id/crm/1/", {"plan": plan.pk, "name": "Busy Bea"}),
        api.delete(url),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert refused[0].data["detail"] == "This API token is read-only."
    assert list(Persona.objects.values_list("name", flat=True)) == ["Active Alex"]


def test_a_read_write_token_writes_as_its_creator_within_their_role(people, plan, token_for):
    _token, key = token_for(people["editor"])
    response = bearer(key).post("/api/v1/personas/", {"plan": plan.pk, "name": "Busy Bea"})
    assert response.status_code == 201
    assert Activity.objects.get(target_id=response.data["id"], target_type="planning.persona").actor == people["editor"]
    _token, viewer_key = token_for(people["viewer"])  # a read-write token never lifts the viewer role
    assert bearer(viewer_key).post("/api/v1/personas/", {"plan": plan.pk, "name": "Nope"}).status_code == 403


# One organisation only -----------------------------------------------------------------------------------------


def test_a_token_of_one_organisation_sees_nothing_of_another_even_for_a_member_of_both(people, plan, two_orgs,
                                                                                       token_for, api_for):
    other, other_plan, ours, theirs = two_orgs
    _token, key = token_for(people["owner"])
    api = bearer(key)

    for resource, expected in [("organisations", ["Northern Trail Outfitters"]), ("plans", ["Omnichannel 2027"]),
                               ("personas", ["Our persona"])]:
        names = [row["name"] for row in api.get(f"/api/v1/{resource}/").data["results"]]
        assert names == expected, resource
    channel_orgs = {row["organisation"] for row in api.get("/api/v1/channels/?page_size=100").data["results"]}
    assert channel_orgs == {plan.organisation_id}
    assert {row["organisation"] for row in api.get("/api/v1/memberships/").data["results"]} == {plan.organisation_id}
    their_channel = Channel.objects.filter(organisation=other).first()
    for url in (f"/api/v1/organisations/{other.pk}/", f"/api/v1/plans/{other_plan.pk}/",
                f"/api/v1/personas/{theirs.pk}/", f"/api/v1/channels/{their_channel.pk}/",
                f"/api/v1/plans/{other_plan.pk}/activity/"):
        assert api.get(url).status_code == 404, url
    assert api.patch(f"/api/v1/personas/{theirs.pk}/", {"name": "Hijacked"}).status_code == 404
    created = api.post("/api/v1/personas/", {"plan": other_plan.pk, "name": "Smuggled"})
    assert created.status_code == 400 and "plan" in fields(created)
    assert api.post("/api/v1/plans/", {"organisation": other.pk, "name": "Smuggled"}).status_code == 400
    smuggled = api.post("/api/v1/personas/bulk-upsert/", [{"plan": other_plan.pk, "name": "Smuggled",
                                                           "external_source": "crm", "external_id": "1"}],
                        format="json")
    assert smuggled.status_code == 400 and "plan" in smuggled.data["errors"][0]["errors"]
    assert not Persona.objects.filter(name__in=["Hijacked", "Smuggled"]).exists()

    # The same person signed in (or with the script token) still sees both organisations.
    assert api_for(people["owner"]).get(f"/api/v1/plans/{other_plan.pk}/").status_code == 200


def test_a_token_cannot_create_organisations_or_other_tokens(people, token_for):
    _token, key = token_for(people["owner"])
    api = bearer(key)
    assert api.post("/api/v1/organisations/", {"name": "Shadow"}).status_code == 403
    response = api.post("/api/v1/api-tokens/", {"organisation": people["owner"].memberships.get().organisation_id,
                                                "name": "Forever", "scope": "read_write"})
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


# Refused tokens ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state, message", [
    ("expired", "This API token has expired."),
    ("revoked", "This API token was revoked."),
    ("unknown", "Invalid API token."),
    ("left", "The owner of this API token left its organisation."),
])
def test_an_unusable_token_answers_401(people, plan, token_for, state, message):
    token, key = token_for(people["editor"])
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        tokens.api_token_revoke(token=token, actor=people["editor"])
    elif state == "unknown":
        key = key[:-4] + "AAAA"
    else:
        people["editor"].memberships.all().delete()
    response = bearer(key).get("/api/v1/plans/")
    assert response.status_code == 401
    assert response.data["detail"] == message
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_with_an_expiry_in_the_future_works(people, plan, token_for):
    _token, key = token_for(people["editor"], expires_at=timezone.now() + timedelta(days=1))
    assert bearer(key).get("/api/v1/plans/").status_code == 200


# Last used -----------------------------------------------------------------------------------------------------


def test_last_used_is_recorded_at_most_once_a_minute(people, plan, token_for):
    token, key = token_for(people["editor"])
    assert token.last_used_at is None
    api = bearer(key)
    api.get("/api/v1/plans/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)

    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/plans/")
    assert not any(q["sql"].startswith("UPDATE") and "api_token" in q["sql"] for q in queries.captured_queries)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/v1/plans/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


# /api/v1/api-tokens/ -------------------------------------------------------------------------------------------


def test_creating_a_token_through_the_api_shows_the_key_once(api_for, people, org):
    api = api_for(people["editor"])
    response = api.post("/api/v1/api-tokens/", {"organisation": org.pk, "name": "BI job", "scope": "read_only"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    key = response.data["key"]
    assert key.startswith("jp_")
    listed = api.get("/api/v1/api-tokens/").data["results"]
    assert [(t["name"], t["scope"], t["key_prefix"]) for t in listed] == [("BI job", "read_only", key[:12])]
    assert "key" not in listed[0] and key not in str(api.get(f"/api/v1/api-tokens/{listed[0]['id']}/").data)
    assert bearer(key).get("/api/v1/plans/").status_code == 200


def test_only_members_create_tokens_and_never_in_the_past(api_for, people, org):
    outsider = api_for(people["outsider"]).post("/api/v1/api-tokens/", {"organisation": org.pk, "name": "Spy"})
    assert outsider.status_code == 400 and "organisation" in fields(outsider)
    past = api_for(people["editor"]).post("/api/v1/api-tokens/", {
        "organisation": org.pk, "name": "Old", "expires_at": (timezone.now() - timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "expires_at" in fields(past)
    assert not ApiToken.objects.exists()


def test_members_see_their_tokens_and_managers_see_all_of_the_organisation(api_for, people, token_for):
    mine, _key = token_for(people["editor"])
    theirs, _key = token_for(people["viewer"])
    names = {role: {t["id"] for t in api_for(people[role]).get("/api/v1/api-tokens/").data["results"]}
             for role in ("outsider", "viewer", "editor", "admin", "owner")}
    assert names == {"outsider": set(), "viewer": {theirs.pk}, "editor": {mine.pk},
                     "admin": {mine.pk, theirs.pk}, "owner": {mine.pk, theirs.pk}}


@pytest.mark.parametrize("role, expected", [("outsider", 404), ("viewer", 404), ("editor", 204), ("admin", 204)])
def test_revoking_through_the_api(api_for, people, token_for, role, expected):
    token, key = token_for(people["editor"])
    assert api_for(people[role]).delete(f"/api/v1/api-tokens/{token.pk}/").status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 204)
    assert bearer(key).get("/api/v1/plans/").status_code == (401 if expected == 204 else 200)


# The page ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, expected", list(zip(ROLES, [302, 404, 200, 200, 200, 200], strict=True)))
def test_tokens_page_permission_matrix(client_for, people, org, role, expected):
    response = client_for(people[role]).get(f"/organisations/{org.pk}/api-tokens/")
    assert response.status_code == expected
    if expected == 200:
        assert "New token" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "editor", "admin", "owner"])
def test_any_member_creates_a_token_on_the_page_and_sees_its_key_once(client_for, people, org, role):
    client = client_for(people[role])
    url = f"/organisations/{org.pk}/api-tokens/"
    response = client.post(url, {"name": "CRM sync", "scope": "read_write", "expires": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert (token.user, token.organisation, token.scope) == (people[role], org, "read_write")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    page = response.content.decode()
    key = page.split('id="new-key" type="text" readonly value="')[1].split('"')[0]
    assert tokens.key_hash(key) == token.key_hash
    again = client.get(url).content.decode()
    assert key not in again and f"jp_{token.prefix}_…" in again


def test_the_page_lists_own_tokens_for_members_and_all_for_managers(client_for, people, org):
    tokens.api_token_create(organisation=org, user=people["editor"], name="Eddie export")
    tokens.api_token_create(organisation=org, user=people["viewer"], name="Vera dashboard")
    url = f"/organisations/{org.pk}/api-tokens/"
    editor_page = client_for(people["editor"]).get(url).content.decode()
    assert "Eddie export" in editor_page and "Vera dashboard" not in editor_page
    admin_page = client_for(people["admin"]).get(url).content.decode()
    assert "Eddie export" in admin_page and "Vera dashboard" in admin_page


@pytest.mark.parametrize("role, expected", [("outsider", 404), ("viewer", 404), ("editor", 302), ("admin", 302),
                                            ("owner", 302)])
def test_revoking_on_the_page(client_for, people, org, role, expected):
    token, _key = tokens.api_token_create(organisation=org, user=people["editor"], name="Eddie export")
    response = client_for(people[role]).post(f"/organisations/{org.pk}/api-tokens/{token.pk}/revoke/")
    assert response.status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 302)
