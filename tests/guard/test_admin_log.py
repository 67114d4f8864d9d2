"""The organisation's admin log: each administrative action is recorded once, with before/after and where it came
from; only owners and admins see it (page, CSV, API); entries past the retention are purged."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from identity import services as mfa
from roadmaps.services import export_request
from sso import services as sso
from sync import tokens
from sync.webhooks import services as webhooks
from tenancy import services
from tenancy.access import Access
from tenancy.admin_log import admin_log_purge, admin_log_record
from tenancy.models import AdminAction, AdminLogEntry, Channel, Membership, Role
from tenancy.tasks import admin_log_purge_task
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def new_entries(since_id):
    return list(AdminLogEntry.objects.filter(id__gt=since_id).order_by("id"))


def last_id():
    return AdminLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def do_every_action(org, people, plan, settings):
    """Every action the log covers, once each, through the services."""
    owner, viewer, editor = people["owner"], people["viewer"], people["editor"]
    services.organisation_update(organisation=org, actor=owner, name="Northern Trail Outfitters SA")
    invitation = services.invitation_create(organisation=org, actor=owner, email="new@example.com", role="editor")
    services.invitation_accept(invitation=invitation, user=UserFactory(username="newcomer"))
    withdrawn = services.invitation_create(organisation=org, actor=owner, email="late@example.com", role="viewer")
    services.invitation_revoke(invitation=withdrawn, actor=owner)
    services.membership_change_role(membership=Membership.objects.get(user=viewer), actor=owner, role=Role.EDITOR)
    leaver = member(org, Role.VIEWER, username="leaver")
    services.membership_remove(membership=Membership.objects.get(user=leaver), actor=owner)
    team = services.team_create(organisation=org, actor=owner, name="Sales", department="sales", members=[editor])
    services.team_update(team=team, actor=owner, name="Sales EMEA", department="sales", members=[editor])
    services.team_update(team=team, actor=owner, name="Sales EMEA", department="sales", members=[viewer])
    services.team_delete(team=team, actor=owner)
    services.plan_grant(plan=plan, actor=owner, user=editor, access=Access.EDIT)
    services.plan_revoke(plan=plan, actor=owner, user=editor)
    token, _key = tokens.api_token_create(organisation=org, user=owner, name="CRM sync")
    tokens.api_token_revoke(token=token, actor=owner)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    hook = webhooks.subscription_create(organisation=org, actor=owner, url="http://127.0.0.1:9/hook",
                                        event_types=["plan.updated"])
    webhooks.subscription_update(subscription=hook, actor=owner, description="BI")
    webhooks.subscription_rotate_secret(subscription=hook, actor=owner)
    webhooks.subscription_delete(subscription=hook, actor=owner)
    export_request(plan=plan, actor=owner, format="csv")
    services.plan_delete(plan=plan, actor=owner)
    mfa.mfa_change_record(user=owner, kind="totp", enabled=True)  # what allauth.mfa's signals lead to
    mfa.mfa_policy_set(organisation=org, actor=owner, required=True)
    mfa.mfa_change_record(user=owner, kind="webauthn", enabled=False)
    sso.configuration_save(organisation=org, actor=owner, issuer="https://idp.nto.test", client_id="jp",
                           client_secret="a-long-client-secret-9876", domains=["nto.test"])


EXPECTED = {  # action -> (before, after) of its one entry (None: that side is empty)
    "organisation.changed": ({"name": "Northern Trail Outfitters"}, {"name": "Northern Trail Outfitters SA"}),
    "invitation.sent": (None, {"email": "late@example.com", "role": "viewer", "teams": []}),
    "membership.created": (None, {"user": "newcomer", "role": "editor"}),
    "invitation.accepted": ({"email": "new@example.com", "role": "editor", "teams": []},
                            {"email": "new@example.com", "role": "editor", "teams": [], "accepted_by": "newcomer"}),
    "invitation.revoked": ({"email": "late@example.com", "role": "viewer", "teams": []}, None),
    "membership.role_changed": ({"user": "vera", "role": "viewer"}, {"user": "vera", "role": "editor"}),
    "membership.removed": ({"user": "leaver", "role": "viewer", "teams": []}, None),
    "team.created": (None, {"name": "Sales", "department": "sales", "members": ["eddie"]}),
    "team.changed": ({"name": "Sales", "department": "sales"}, {"name": "Sales EMEA", "department": "sales"}),
    "team.member_added": (None, {"team": "Sales EMEA", "user": "vera"}),
    "team.member_removed": ({"team": "Sales EMEA", "user": "eddie"}, None),
    "team.deleted": ({"name": "Sales EMEA", "department": "sales", "members": ["vera"]}, None),
    "plan.shared": (None, {"user": "eddie", "access": "edit"}),
    "plan.unshared": ({"user": "eddie", "access": "edit"}, None),
    "webhook.created": (None, {"url": "http://127.0.0.1:9/hook", "event_types": ["plan.updated"],
                               "description": "", "is_active": True}),
    "webhook.changed": ({"url": "http://127.0.0.1:9/hook", "event_types": ["plan.updated"], "description": "",
                         "is_active": True},
                        {"url": "http://127.0.0.1:9/hook", "event_types": ["plan.updated"], "description": "BI",
                         "is_active": True}),
    "webhook.secret_rotated": ({"url": "http://127.0.0.1:9/hook"}, "with its expiry"),
    "webhook.deleted": ({"url": "http://127.0.0.1:9/hook", "event_types": ["plan.updated"], "description": "BI",
                         "is_active": True}, None),
    "export.requested": (None, {"plan": "Omnichannel 2027", "format": "csv"}),
    "plan.deleted": ({"name": "Omnichannel 2027", "status": "draft"}, None),
    "mfa.enabled": (None, {"type": "totp"}),
    "mfa.policy_changed": ({"mfa_required": False}, {"mfa_required": True}),
    "mfa.disabled": ({"type": "webauthn"}, None),
    "sso.changed": (None, {"issuer": "https://idp.nto.test", "client_id": "jp", "client_secret": "••••9876",
                           "domains": ["nto.test"], "default_role": "viewer", "groups_claim": "",
                           "group_mappings": [], "extra_scopes": "", "sso_required": False}),
}


def test_each_admin_action_appears_once_with_before_and_after(org, people, plan, settings):
    start = last_id()
    do_every_action(org, people, plan, settings)
    entries = new_entries(start)
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry.action, []).append(entry)
    invitation_sent = by_action.pop("invitation.sent")
    assert [e.after["email"] for e in invitation_sent] == ["new@example.com", "late@example.com"]
    by_action["invitation.sent"] = invitation_sent[1:]
    tokens_entries = {action: by_action.pop(action) for action in ("api_token.created", "api_token.revoked")}
    assert {action: len(rows) for action, rows in by_action.items()} == {action: 1 for action in EXPECTED}
    for action, (before, after) in EXPECTED.items():
        entry = by_action[action][0]
        if after == "with its expiry":
            assert set(entry.after) == {"url", "previous_secret_expires_at"} and "whsec" not in str(entry.after)
            after = entry.after
        assert (entry.before, entry.after) == (before, after), action
        assert entry.organisation_id == org.pk and entry.channel == Channel.SYSTEM  # no request: the services alone
    created, revoked = tokens_entries["api_token.created"], tokens_entries["api_token.revoked"]
    assert len(created) == len(revoked) == 1
    assert created[0].after["name"] == "CRM sync" and created[0].before is None
    assert revoked[0].before["revoked_at"] is None and revoked[0].after["revoked_at"] is not None
    assert {e.actor_name for e in entries} == {"olivia", "newcomer"}
    assert set(AdminAction.values) == {e.action for e in entries}  # every action the log knows, done above


def test_a_refused_change_leaves_no_entry(org, people):
    start = last_id()
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied: an editor may not change roles)
        services.membership_change_role(membership=Membership.objects.get(user=people["viewer"]),
                                        actor=people["editor"], role=Role.ADMIN)
    assert new_entries(start) == []


def test_a_page_records_the_address_user_agent_and_session(client_for, org, people):
    start = last_id()
    target = Membership.objects.get(user=people["viewer"])
    client = client_for(people["admin"])
    client.post(reverse("member_role", args=[org.pk, target.pk]), {"role": "editor"},
                REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140", HTTP_X_FORWARDED_FOR="6.6.6.6")
    (entry,) = new_entries(start)
    assert (entry.action, entry.actor_name, entry.address, entry.user_agent, entry.channel) == (
        "membership.role_changed", "adam", "203.0.113.9", "Firefox/140", Channel.SESSION)


def test_an_api_token_call_records_the_token(org, people):
    from rest_framework.test import APIClient

    token, key = tokens.api_token_create(organisation=org, user=people["owner"], name="Sync", scope="read_write")
    other, _key = tokens.api_token_create(organisation=org, user=people["owner"], name="Old")
    start = last_id()
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="192.0.2.44")
    assert api.delete(f"/api/v1/api-tokens/{other.pk}/").status_code == 204
    (entry,) = new_entries(start)
    assert (entry.action, entry.channel, entry.api_token_id, entry.address) == (
        "api_token.revoked", Channel.API_TOKEN, token.pk, "192.0.2.44")
    assert "Sync" in entry.api_token_name


# The page, the CSV and the API ----------------------------------------------------------------------------------

PAGE_MATRIX = {"anon": 302, "outsider": 404, "viewer": 403, "editor": 403, "admin": 200, "owner": 200}


@pytest.mark.parametrize(("role", "status"), PAGE_MATRIX.items())
def test_admin_log_page_permissions(client_for, org, people, role, status):
    admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED,
                     target=org, before={"name": "Secret old name"}, after={"name": "x"})
    response = client_for(people[role]).get(reverse("admin_log", args=[org.pk]))
    assert response.status_code == status
    assert ("Secret old name" in response.content.decode()) == (status == 200)
    csv_answer = client_for(people[role]).get(reverse("admin_log", args=[org.pk]), {"format": "csv"})
    assert csv_answer.status_code == status


@pytest.mark.parametrize(("role", "status"), {"anon": 401, "outsider": 404, "viewer": 403, "editor": 403,
                                              "admin": 200, "owner": 200}.items())
def test_admin_log_api_permissions(api_for, org, people, role, status):
    admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED,
                     target=org, before={"name": "Secret old name"}, after={"name": "x"})
    response = api_for(people[role]).get(f"/api/v1/organisations/{org.pk}/admin-log/")
    assert response.status_code == status
    assert ("Secret old name" in response.content.decode()) == (status == 200)


def test_the_api_lists_entries_with_filters(api_for, org, people):
    owner = people["owner"]
    services.membership_change_role(membership=Membership.objects.get(user=people["viewer"]), actor=owner,
                                    role=Role.EDITOR)
    services.organisation_update(organisation=org, actor=people["admin"], name="Renamed")
    api = api_for(owner)
    body = api.get(f"/api/v1/organisations/{org.pk}/admin-log/", {"action": "organisation.changed"}).json()
    assert [(e["action"], e["actor"], e["after"]) for e in body["results"]] == [
        ("organisation.changed", "adam", {"name": "Renamed"})]
    mine = api.get(f"/api/v1/organisations/{org.pk}/admin-log/", {"actor": owner.pk}).json()["results"]
    assert {e["action"] for e in mine} == {"membership.role_changed"}
    later = api.get(f"/api/v1/organisations/{org.pk}/admin-log/",
                    {"since": (timezone.localdate() + timedelta(days=1)).isoformat()}).json()
    assert later["results"] == []
    assert api.get(f"/api/v1/organisations/{org.pk}/admin-log/", {"action": "nope"}).status_code == 400


def test_the_csv_holds_the_filtered_entries_and_neutralises_formulas(client_for, org, people):
    owner = people["owner"]
    services.team_create(organisation=org, actor=owner, name="=HYPERLINK(\"http://x\")", department="sales")
    services.organisation_update(organisation=org, actor=owner, name="Renamed")
    answer = client_for(owner).get(reverse("admin_log", args=[org.pk]), {"format": "csv", "action": "team.created"})
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0][:4] == ["when", "who", "action", "object_type"]
    formula = [row for row in rows[1:] if "HYPERLINK" in row[5]]
    assert len(formula) == 1 and formula[0][5].startswith("'=") and formula[0][1] == "olivia"
    assert all(row[2] == "team.created" for row in rows[1:])


def test_the_page_filters_by_action_and_person(client_for, org, people):
    owner = people["owner"]
    services.organisation_update(organisation=org, actor=people["admin"], name="Renamed by adam")
    services.invitation_create(organisation=org, actor=owner, email="x@example.com", role="viewer")
    page = client_for(owner).get(reverse("admin_log", args=[org.pk]), {"actor": people["admin"].pk}).content.decode()
    assert "<td>Organisation settings changed</td>" in page and "x@example.com" not in page
    page = client_for(owner).get(reverse("admin_log", args=[org.pk]), {"action": "invitation.sent"}).content.decode()
    assert "x@example.com" in page and "<td>Organisation settings changed</td>" not in page


def test_the_page_is_in_french(client_for, org, people):
    services.organisation_update(organisation=org, actor=people["owner"], name="Renommée")
    people["owner"].preferred_language = "fr"
    people["owner"].save()
    page = client_for(people["owner"]).get(reverse("admin_log", args=[org.pk])).content.decode()
    assert "Journal d’administration" in page and "Paramètres de l’organisation modifiés" in page


def test_the_organisation_menu_links_the_log_for_managers_only(client_for, org, people):
    url = reverse("admin_log", args=[org.pk])
    assert url in client_for(people["admin"]).get(reverse("members", args=[org.pk])).content.decode()
    assert url not in client_for(people["editor"]).get(reverse("members", args=[org.pk])).content.decode()


def _page_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin_log", args=[org.pk])).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_5_and_50_entries(client_for, org, people):
    client = client_for(people["owner"])
    for n in range(5):
        admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED, target=org,
                         before={"name": n}, after={"name": n + 1})
    few = _page_queries(client, org)
    AdminLogEntry.objects.bulk_create([
        AdminLogEntry(organisation=org, actor=people["admin"], actor_name="adam", action="team.deleted",
                      target_type="tenancy.team", target_repr=f"T{n}", before={"name": f"T{n}"})
        for n in range(45)])
    assert _page_queries(client, org) == few


def test_entries_past_the_retention_are_purged_by_the_periodic_task(org, people, settings):
    settings.ADMIN_LOG_RETENTION_DAYS = 30
    old = admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED,
                           target=org, before={"name": "a"}, after={"name": "b"})
    AdminLogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED,
                              target=org, before={"name": "b"}, after={"name": "c"})
    assert admin_log_purge_task.delay().get() >= 1
    assert not AdminLogEntry.objects.filter(pk=old.pk).exists()
    assert AdminLogEntry.objects.filter(pk=recent.pk).exists()
    assert admin_log_purge() == 0
    assert "admin-log-purge" in settings.CELERY_BEAT_SCHEDULE


def test_the_admin_site_cannot_change_or_delete_entries(admin_client, org, people):
    entry = admin_log_record(organisation=org, actor=people["owner"], action=AdminAction.ORGANISATION_CHANGED,
                             target=org, before={"name": "a"}, after={"name": "b"})
    change = admin_client.post(reverse("admin:tenancy_adminlogentry_change", args=[entry.pk]), {"action": "x"})
    delete = admin_client.post(reverse("admin:tenancy_adminlogentry_delete", args=[entry.pk]), {"post": "yes"})
    assert change.status_code in (302, 403) and delete.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "organisation.changed"
