"""The one base of every absolute address we hand out (API answers, the changes feed, webhook payloads, emails):
settings.SITE_URL, never the request's Host, so the same object has the same address whichever way it reaches a
client (a webhook, sent without a request, and the feed it is checked against agree)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL + an absolute path ("/api/v1/touchpoints/42/")."""
    return settings.SITE_URL.rstrip("/") + path
