"""The sign-in page names the demo accounts under `make run` (config/settings/local.py) and nowhere else."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

DEMO = {"usernames": ["owner", "admin", "editor", "viewer"], "password": "journey-demo"}


def test_the_sign_in_page_names_no_account_under_the_test_settings(client):
    assert getattr(settings, "DEMO_LOGINS", None) is None
    body = client.get(reverse("login")).content.decode()
    assert "Sign in" in body and "Demo accounts" not in body and "journey-demo" not in body


@override_settings(DEMO_LOGINS=DEMO)
def test_the_sign_in_page_names_the_demo_accounts_when_the_local_settings_say_so(client):
    body = client.get(reverse("login")).content.decode()
    assert "Demo accounts" in body
    assert "<code>owner</code>, <code>admin</code>, <code>editor</code>, <code>viewer</code>" in body
    assert "<code>journey-demo</code>" in body


def _demo_logins(module: str, **environment) -> str:
    """DEMO_LOGINS as a settings module sets it, read in a fresh interpreter with the given environment."""
    code = f"import {module} as s; print(getattr(s, 'DEMO_LOGINS', None))"
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    env.update(DATABASE_URL="sqlite:///:memory:", **environment)
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_only_the_local_settings_in_debug_set_the_demo_accounts():
    assert _demo_logins("config.settings.local") == str(DEMO)
    assert _demo_logins("config.settings.local", DJANGO_DEBUG="false") == "None"
    assert _demo_logins("config.settings.test") == "None"
    assert _demo_logins("config.settings.production", DJANGO_SECRET_KEY="x" * 50,
                        DJANGO_ALLOWED_HOSTS="example.org") == "None"
