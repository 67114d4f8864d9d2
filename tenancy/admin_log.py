"""Recording the organisation's admin log (tenancy.models.AdminLogEntry), from the services, one call per action.

Each write service that changes who may reach what (members, roles, teams, plan sharing, invitations, API tokens,
webhooks), requests an export or deletes a plan calls `admin_log_record` in its own transaction, so a refused or
rolled-back change leaves no row. Where the change came from is read from the request being answered
(core.request_context): the client address (NUM_PROXIES-aware, core.client_address), the user agent, and whether
it came through a signed-in session, an organisation API token or a script token. Outside a request (tasks,
shell) it is "system". Rows are never updated; `admin_log_purge` deletes those older than the retention.
"""

import ipaddress
import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from core.client_address import client_address
from core.request_context import current_request
from tenancy.models import AdminLogEntry, Channel


def _plain(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def _origin(request) -> dict:
    if request is None:
        return {"channel": Channel.SYSTEM}
    origin = {"address": _address(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
              "channel": Channel.SESSION}
    auth = getattr(request, "auth", None)
    if isinstance(auth, models.Model) and auth._meta.label_lower == "sync.apitoken":  # sync is a floor up
        origin.update(channel=Channel.API_TOKEN, api_token_id=auth.pk, api_token_name=str(auth)[:120])
    elif auth is not None:
        origin["channel"] = Channel.SCRIPT_TOKEN
    return origin


def admin_log_record(*, organisation, actor, action: str, target=None, before=None, after=None,
                     target_type: str = "", target_repr: str = "") -> AdminLogEntry:
    """Insert one entry; `before`/`after` are JSON-able dicts (None for a creation's before, a removal's after)."""
    signed_in = actor is not None and actor.is_authenticated
    entry = AdminLogEntry(
        organisation_id=getattr(organisation, "pk", organisation),
        actor=actor if signed_in else None, actor_name=actor.get_username() if signed_in else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else target_type,
        target_id=getattr(target, "pk", None),
        target_repr=(target_repr or str(target or ""))[:200],
        before=_plain(before), after=_plain(after), **_origin(current_request()),
    )
    entry.save(force_insert=True)
    return entry


def admin_log_purge(*, now=None) -> int:
    """Delete the entries older than ADMIN_LOG_RETENTION_DAYS (the periodic task's work); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ADMIN_LOG_RETENTION_DAYS)
    deleted, _by_model = AdminLogEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
