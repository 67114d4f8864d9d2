"""Local development: `make run` on a bare machine (SQLite, in-process tasks unless REDIS_URL is set)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The sign-in page names the accounts that `make run` seeds (demo/management/commands/seed_demo.py). Only here:
# base, test and production settings leave it unset, so no other server advertises them.
DEMO_LOGINS = {"usernames": ["owner", "admin", "editor", "viewer"], "password": "journey-demo"} if DEBUG else None

# WebAuthn over http://127.0.0.1 or localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
