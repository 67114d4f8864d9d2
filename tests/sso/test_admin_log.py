"""SSO configuration changes in the organisation's admin log (their own action, "sso.changed", with before/after and
the client secret masked to its last four characters), and the allauth SocialApp going with the organisation."""

import csv
import io

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from sso import services
from sso.models import SsoConfiguration
from tenancy import services as tenancy_services
from tenancy.models import AdminLogEntry, Role

pytestmark = pytest.mark.django_db

SECRET, ROTATED = "a-long-client-secret-9876", "rotated-client-secret-4321"


def _entries(org):
    return list(AdminLogEntry.objects.filter(organisation=org, action="sso.changed").order_by("id"))


def _save(org, actor, **changes):
    values = {"issuer": "https://idp.nto.test", "client_id": "jp", "client_secret": SECRET,
              "domains": ["nto.test"], "default_role": Role.VIEWER} | changes
    return services.configuration_save(organisation=org, actor=actor, **values)


def test_each_sso_change_is_logged_once_with_before_and_after_and_never_the_secret(org, people):
    owner, admin = people["owner"], people["admin"]
    configuration = _save(org, owner)
    _save(org, owner, client_secret="")  # nothing changed (the blank secret keeps the stored one): no entry
    _save(org, admin, client_secret=ROTATED, domains=["nto.test", "nto.example"], sso_required=True)
    services.configuration_delete(configuration=SsoConfiguration.objects.get(pk=configuration.pk), actor=owner)
    created, changed, deleted = _entries(org)
    assert created.before is None and created.after["client_secret"] == "••••9876"
    assert created.after["domains"] == ["nto.test"] and created.after["sso_required"] is False
    assert (changed.before["client_secret"], changed.after["client_secret"]) == ("••••9876", "••••4321")
    assert (changed.before["domains"], changed.after["domains"]) == (["nto.test"], ["nto.example", "nto.test"])
    assert (changed.before["sso_required"], changed.after["sso_required"]) == (False, True)
    assert deleted.before == changed.after and deleted.after is None
    assert [e.actor for e in (created, changed, deleted)] == [owner, admin, owner]
    assert {e.target_type for e in (created, changed, deleted)} == {"sso.ssoconfiguration"}
    logged = "".join(str(e.before) + str(e.after) for e in (created, changed, deleted))
    assert "client-secret" not in logged
    # Not the generic "organisation settings changed" any more.
    assert not AdminLogEntry.objects.filter(organisation=org, action="organisation.changed").exists()


def test_the_page_filters_exports_and_answers_sso_changes_in_french(client_for, api_for, org, people):
    _save(org, people["owner"])
    tenancy_services.organisation_update(organisation=org, actor=people["owner"], name="Renamed")
    url = reverse("admin_log", args=[org.pk])
    owner = client_for(people["owner"])
    page = owner.get(url, {"action": "sso.changed"}).content.decode()
    assert '<option value="sso.changed" selected>' in page
    assert "<td>Single sign-on settings changed</td>" in page and "<td>Organisation settings changed</td>" not in page
    answer = owner.get(url, {"format": "csv", "action": "sso.changed"})
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert [(row[2], row[5]) for row in rows[1:]] == [("sso.changed", "Single sign-on (OpenID Connect)")]
    assert "••••9876" in rows[1][7] and SECRET not in "".join(rows[1])
    body = api_for(people["admin"]).get(f"/api/v1/organisations/{org.pk}/admin-log/", {"action": "sso.changed"})
    results = body.json()["results"]
    assert [(e["action"], e["before"], e["after"]["client_secret"]) for e in results] == [
        ("sso.changed", None, "••••9876")]
    people["owner"].preferred_language = "fr"
    people["owner"].save()
    page = client_for(people["owner"]).get(url, {"action": "sso.changed"}).content.decode()
    assert "Paramètres d’authentification unique modifiés" in page


@pytest.mark.parametrize("role", ["outsider", "viewer", "editor"])
def test_nobody_but_the_managers_sees_the_sso_entries(client_for, api_for, org, people, role):
    _save(org, people["owner"])
    url = reverse("admin_log", args=[org.pk])
    expected = 404 if role == "outsider" else 403
    page = client_for(people[role]).get(url, {"action": "sso.changed"})
    csv_answer = client_for(people[role]).get(url, {"format": "csv", "action": "sso.changed"})
    api = api_for(people[role]).get(f"/api/v1/organisations/{org.pk}/admin-log/", {"action": "sso.changed"})
    assert [page.status_code, csv_answer.status_code, api.status_code] == [expected] * 3
    for answer in (page, csv_answer, api):
        assert "9876" not in answer.content.decode() and "idp.nto.test" not in answer.content.decode()
    # The outsider's own organisation's log holds none of it either.
    if role == "outsider":
        other = people["other_org"]
        own = client_for(people[role]).get(reverse("admin_log", args=[other.pk])).content.decode()
        assert "Single sign-on (OpenID Connect)" not in own and "idp.nto.test" not in own


def test_deleting_the_organisation_deletes_its_social_app(org, people):
    configuration = _save(org, people["owner"])
    other = _save(people["other_org"], people["outsider"], domains=["other.test"], client_id="other")
    app_id = configuration.social_app_id
    tenancy_services.organisation_delete(organisation=org, actor=people["owner"])
    assert not SsoConfiguration.objects.filter(pk=configuration.pk).exists()
    assert not SocialApp.objects.filter(pk=app_id).exists()
    assert list(SocialApp.objects.values_list("pk", flat=True)) == [other.social_app_id]  # the others' stay


def test_switching_sso_off_deletes_the_social_app(org, people):
    configuration = _save(org, people["owner"])
    services.configuration_delete(configuration=configuration, actor=people["owner"])
    assert not SocialApp.objects.exists()


def test_a_new_secret_ending_like_the_old_one_is_still_logged(org, people):
    _save(org, people["owner"])
    _save(org, people["owner"], client_secret="another-secret-ending-9876")
    _save(org, people["owner"], client_secret="another-secret-ending-9876")  # the same again: nothing to log
    created, replaced = _entries(org)
    assert replaced.before["client_secret"] == replaced.after["client_secret"] == "••••9876"
    assert replaced.after["client_secret_replaced"] is True and "client_secret_replaced" not in replaced.before
    assert "another-secret" not in str(replaced.after)
