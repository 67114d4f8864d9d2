"""The plan room: one websocket per open page at `ws/plans/<id>/`.

- Signed in like the site (the session cookie, through channels' AuthMiddlewareStack); the handshake is refused
  unless tenancy.access.plan_for lets the user view the plan, so an outsider receives nothing. Access is checked
  again at every heartbeat: someone whose access is withdrawn is disconnected within HEARTBEAT seconds.
- Joins the group `plan-<id>`; forwards change events (broadcast.py) and workshop state.
- Presence: the client says where it is ({"type": "hello", "page", "object", "last"}) and what it edits
  ({"type": "editing", "object": "touchpoint:12"} or null). A socket learns who is already here from the registry
  in the cache (presence.py), then keeps the others' entries from the group's messages (every change and every
  heartbeat is one group message) and sends its client the list whenever it changes. Nobody is asked to answer a
  newcomer: with 50 people joining at once, replies would be 50 × 50 messages.
- Replay: `last` is the last activity id the page has seen (rendered into the page, then the last event
  received); the changes recorded since are sent from the Activity table, up to REPLAY_LIMIT, else "reload".
  `drawn` is the last id that existed when the page was drawn: when more than REPLAY_LIMIT changes lie between
  `last` and `drawn` (an import committed seconds before the page was read, inside its replay margin), the page
  already shows them and only the changes after `drawn` are replayed; reloading would draw the same page again.
"""

import asyncio
import logging
import random
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tenancy.access import plan_for
from tenancy.selectors import activity_list
from workshops.live import presence
from workshops.live.broadcast import plan_group
from workshops.live.events import change_event, complete_refs, person

logger = logging.getLogger(__name__)

REPLAY_LIMIT = 500
MAX_LABEL = 60  # page names and object keys are short labels from our own script


def _label(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:MAX_LABEL]


class PlanConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        self.user = getattr(user, "_wrapped", user)
        self.plan_id = int(self.scope["url_route"]["kwargs"]["plan_id"])
        self.joined, self.heartbeat = False, None
        if self.user is None or not self.user.is_authenticated or not await self._may_view():
            await self.close()  # before accept: the handshake is refused
            return
        self.group = plan_group(self.plan_id)
        self.entry = {**person(self.user), "user": self.user.pk, "channel": self.channel_name,
                      "page": None, "object": None, "editing": None}
        self.peers: dict[str, dict] = {}
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # the channel layer (Redis) is away: refuse, the page says "paused" and tries again later
            logger.warning("Live socket to plan %s refused: the channel layer is unavailable", self.plan_id,
                           exc_info=True)
            await self.close()
            return
        self.joined = True
        await self.accept()
        await self._register()
        self.heartbeat = asyncio.create_task(self._beat())
        await self.send_json({"type": "welcome", "me": self.entry["user"]})

    async def disconnect(self, code):
        if not getattr(self, "joined", False):
            return
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_send(self.group, {"type": "presence.leave", "channel": self.channel_name})
        except Exception:  # the channel layer is away; its group entries expire on their own
            logger.warning("Live socket to plan %s left without telling the group", self.plan_id, exc_info=True)
        await database_sync_to_async(presence.unregister, thread_sensitive=False)(self.plan_id, self.channel_name)

    # From the client ---------------------------------------------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello":
            self.entry.update(page=_label(content.get("page")), object=_label(content.get("object")), editing=None)
            await self._announce()
            await self._load_peers()
            await self._send_presence()
            if isinstance(content.get("last"), int):
                drawn = content.get("drawn")
                await self._replay(content["last"], drawn if isinstance(drawn, int) else None)
        elif kind == "editing":
            self.entry["editing"] = _label(content.get("object"))
            await self._announce()
            await self._send_presence()
        elif kind == "replay" and isinstance(content.get("last"), int):
            drawn = content.get("drawn")
            await self._replay(content["last"], drawn if isinstance(drawn, int) else None)
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    # From the group ---------------------------------------------------------------------------------------------

    async def plan_changes(self, message):
        await self.send_json({"type": "changes", "events": message["events"]})

    async def plan_reload(self, message):
        await self.send_json({"type": "reload", "reason": message["reason"]})

    async def plan_workshop(self, message):
        await self.send_json({"type": "workshop", "state": message["state"]})

    async def presence_update(self, message):
        entry = message["entry"]
        if entry["channel"] == self.channel_name:
            return
        known = self.peers.get(entry["channel"])
        self.peers[entry["channel"]] = {**entry, "seen": time.monotonic()}
        if known is None or {k: v for k, v in known.items() if k != "seen"} != entry:
            await self._send_presence()

    async def presence_leave(self, message):
        if self.peers.pop(message["channel"], None) is not None:
            await self._send_presence()

    # Helpers ----------------------------------------------------------------------------------------------------

    @database_sync_to_async
    def _may_view(self) -> bool:
        try:
            plan_for(self.user, self.plan_id)
        except (Http404, PermissionDenied):
            return False
        return True

    async def _register(self):
        await database_sync_to_async(presence.register, thread_sensitive=False)(
            self.plan_id, self.channel_name, self.entry)

    async def _announce(self):
        await self._register()
        await self.channel_layer.group_send(self.group, {"type": "presence.update", "entry": self.entry})

    async def _load_peers(self):
        """Who was here before this socket joined, from the registry (their next heartbeat would tell too)."""
        entries = await database_sync_to_async(presence.here, thread_sensitive=False)(self.plan_id)
        now = time.monotonic()
        for entry in entries:
            channel = entry.get("channel")
            if channel and channel != self.channel_name and channel not in self.peers:
                self.peers[channel] = {key: value for key, value in entry.items() if key != "seen"} | {"seen": now}

    async def _send_presence(self):
        people = [self.entry, *(entry for entry in self.peers.values() if entry.get("page") is not None)]
        shown = [{key: entry.get(key) for key in ("user", "name", "initials", "page", "object", "editing")}
                 | {"me": entry["channel"] == self.channel_name} for entry in people if entry.get("page")]
        await self.send_json({"type": "presence", "people": sorted(shown, key=lambda p: (not p["me"], p["name"]))})

    async def _beat(self):
        # Spread the beats: sockets opened together (a workshop starting) must not all announce at the same moment,
        # or every beat queues N × N presence messages in front of the next change.
        await asyncio.sleep(presence.HEARTBEAT * random.uniform(0, 1))
        while True:
            await asyncio.sleep(presence.HEARTBEAT)
            try:
                allowed = await self._may_view()
            except Exception:  # the database is away for a moment: keep the socket, check at the next beat
                allowed = True
            if not allowed:
                await self.close(code=4403)
                return
            await self._announce()
            stale = [channel for channel, entry in self.peers.items()
                     if time.monotonic() - entry["seen"] > presence.EXPIRY]
            for channel in stale:
                del self.peers[channel]
            if stale:
                await self._send_presence()

    async def _replay(self, last: int, drawn: int | None = None):
        events = await self._missed(last, drawn)
        if events is None:
            await self.send_json({"type": "reload", "reason": "too_many_changes"})
            return
        await self.send_json({"type": "changes", "events": events, "replay": True})

    @database_sync_to_async
    def _missed(self, last: int, drawn: int | None = None) -> list[dict] | None:
        try:
            plan = plan_for(self.user, self.plan_id)
        except (Http404, PermissionDenied):
            return []
        recorded = activity_list(user=self.user, plan=plan).exclude(verb="refused").order_by("pk")
        rows = list(recorded.filter(pk__gt=last)[:REPLAY_LIMIT + 1])
        if len(rows) > REPLAY_LIMIT and drawn is not None and drawn > last:
            rows = list(recorded.filter(pk__gt=drawn)[:REPLAY_LIMIT + 1])
        if len(rows) > REPLAY_LIMIT:
            return None
        return complete_refs([change_event(row) for row in rows])
