"""Who is connected to a plan, in the cache with expiry.

Each socket refreshes its entry every HEARTBEAT seconds; an entry not refreshed for EXPIRY seconds is gone (a
process that died takes its entries with it). The registry answers two questions cheaply: "does anyone listen
to this plan?" (a writer skips the channel layer otherwise) and "who is here?" for a page's first render. The
live list a client sees comes from the group's own messages (consumers.py), so a lost registry update only
delays the next heartbeat's repair. The cache failing is never fatal: the writer then assumes someone listens.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

HEARTBEAT = 20  # seconds between a socket's refreshes
EXPIRY = 3 * HEARTBEAT + 10  # an entry older than this is dropped


def _listeners_key(plan_id: int) -> str:
    return f"live:listeners:{plan_id}"


def _registry_key(plan_id: int) -> str:
    return f"live:presence:{plan_id}"


def anyone_listening(plan_id: int) -> bool:
    """True unless the cache says nobody has been connected to the plan for EXPIRY seconds."""
    try:
        return cache.get(_listeners_key(plan_id)) is not None
    except Exception:  # a cache outage must not silence live updates
        logger.warning("Presence cache unavailable; sending plan %s events anyway", plan_id, exc_info=True)
        return True


def _fresh(entries: dict, now: float) -> dict:
    return {channel: entry for channel, entry in entries.items() if now - entry.get("seen", 0) < EXPIRY}


def register(plan_id: int, channel: str, entry: dict) -> None:
    """Add or refresh a socket's entry (and the plan's "someone listens" flag)."""
    now = time.time()
    try:
        cache.set(_listeners_key(plan_id), now, EXPIRY)
        entries = _fresh(cache.get(_registry_key(plan_id)) or {}, now)
        entries[channel] = {**entry, "seen": now}
        cache.set(_registry_key(plan_id), entries, EXPIRY)
    except Exception:
        logger.warning("Presence cache unavailable for plan %s", plan_id, exc_info=True)


def unregister(plan_id: int, channel: str) -> None:
    try:
        entries = cache.get(_registry_key(plan_id)) or {}
        if entries.pop(channel, None) is not None:
            cache.set(_registry_key(plan_id), entries, EXPIRY)
    except Exception:
        logger.warning("Presence cache unavailable for plan %s", plan_id, exc_info=True)


def here(plan_id: int) -> list[dict]:
    """The entries of the sockets connected to the plan now (one per socket, a person may have several)."""
    try:
        entries = _fresh(cache.get(_registry_key(plan_id)) or {}, time.time())
    except Exception:
        return []
    return sorted(entries.values(), key=lambda entry: (entry.get("name", ""), entry.get("user", 0)))
