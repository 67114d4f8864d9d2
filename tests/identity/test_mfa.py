"""Two-factor sign-in through django-allauth: TOTP enrolment and sign-in, recovery codes, the limit on wrong codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

from tenancy.models import AdminLogEntry
from tests.factories import PASSWORD
from tests.identity.conftest import recovery_codes

pytestmark = pytest.mark.django_db


def code_now(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238), computed the way allauth checks it."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"login": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get(reverse("profile")).status_code == 200


def test_the_sign_in_page_is_allauths_with_the_site_layout(client):
    body = client.get(reverse("login")).content.decode()
    assert 'name="login"' in body and 'name="password"' in body and 'class="btn primary"' in body
    assert reverse("login") == reverse("account_login") == "/accounts/login/"
    assert "Use a passkey" in body and 'href="/accounts/password/reset/"' in body


def test_a_password_alone_signs_in_a_user_without_a_second_factor(client, people, org):
    answer = sign_in(client, "vera")
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert signed_in(client)


def test_enrolling_an_authenticator_app_then_signing_in_with_its_code(client, people, org,
                                                                      django_capture_on_commit_callbacks):
    assert sign_in(client, "vera").status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))  # changing second factors asks for the password again
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD,
                                                                "next": reverse("mfa_activate_totp")})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for typing in, beside the QR code
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000" if code_now(secret) != "000000" else "111111"}
                       ).status_code == 200  # a wrong code enrols nothing
    assert not Authenticator.objects.filter(user=people["viewer"]).exists()
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the new authenticator after commit
        done = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert done.status_code == 302
    kinds = set(Authenticator.objects.filter(user=people["viewer"]).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    entry = AdminLogEntry.objects.get(organisation=org, action="mfa.enabled")
    assert entry.actor == people["viewer"] and entry.after == {"type": "totp"} and entry.before is None

    client.post(reverse("logout"))
    answer = sign_in(client, "vera")
    assert answer.status_code == 302 and answer["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)  # the password alone is not enough any more
    code = code_now(secret)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in(client)

    client.post(reverse("logout"))
    sign_in(client, "vera")
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200 and not signed_in(client)  # a code signs in once


def test_a_recovery_code_signs_in_once_and_only_once(client, people, with_totp):
    with_totp(people["viewer"])
    codes = recovery_codes(people["viewer"])
    assert len(codes) == 10
    sign_in(client, "vera")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert signed_in(client)
    assert codes[0] not in recovery_codes(people["viewer"]) and len(recovery_codes(people["viewer"])) == 9

    client.post(reverse("logout"))
    sign_in(client, "vera")
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()
    assert not signed_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302  # another one works
    assert signed_in(client)


def test_wrong_codes_are_limited_with_a_message_and_then_the_right_code_waits(client, people, with_totp):
    secret = with_totp(people["viewer"])
    sign_in(client, "vera")
    wrong = "000000" if code_now(secret) != "000000" else "111111"
    answers = [client.post(reverse("mfa_authenticate"), {"code": wrong}) for _n in range(6)]
    assert all(a.status_code == 200 for a in answers)
    assert "Incorrect code" in answers[0].content.decode()
    assert "Too many wrong codes" in answers[5].content.decode()
    right = client.post(reverse("mfa_authenticate"), {"code": code_now(secret)})
    assert right.status_code == 200 and "Too many wrong codes" in right.content.decode()
    assert not signed_in(client)


def test_the_code_limit_message_is_in_french(client, people, with_totp):
    secret = with_totp(people["viewer"])
    sign_in(client, "vera", HTTP_ACCEPT_LANGUAGE="fr")
    wrong = "000000" if code_now(secret) != "000000" else "111111"
    for _n in range(6):
        answer = client.post(reverse("mfa_authenticate"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Trop de codes erronés" in answer.content.decode()


def test_the_two_factor_pages_are_linked_from_the_profile_and_in_french(client_for, people):
    client = client_for(people["viewer"])
    home = client.get(reverse("profile")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in home and "Two-factor authentication" in home
    page = client.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Authentification à deux facteurs" in page and 'class="card mfa-panel"' in page


def test_removing_the_authenticator_app_is_logged(client, people, org, with_totp):
    secret = with_totp(people["viewer"])
    sign_in(client, "vera")
    assert client.post(reverse("mfa_authenticate"), {"code": code_now(secret)}).status_code == 302
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirmed.status_code == 302, confirmed.content.decode()
    answer = client.post(reverse("mfa_deactivate_totp"))
    assert answer.status_code == 302 and answer["Location"] == reverse("mfa_index"), answer.get("Location")
    assert not Authenticator.objects.filter(user=people["viewer"], type=Authenticator.Type.TOTP).exists()
    entry = AdminLogEntry.objects.get(organisation=org, action="mfa.disabled")
    assert entry.before == {"type": "totp"} and entry.after is None
