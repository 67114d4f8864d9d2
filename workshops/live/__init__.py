"""Live workshops: everyone on a plan sees each other's changes, presence and workshop tools at once.

- broadcast.py: after every tracked write commits, its Activity rows go to the plan's group `plan-<id>` on the
  channel layer (registered as a tenancy.activity hook in workshops/apps.py); workshop state changes go the same way.
- consumers.py: the websocket at `ws/plans/<id>/` (signed in by the session cookie, refused without view access),
  presence and "is editing" markers, and the replay of missed changes from the Activity table on reconnect.
- presence.py: the small registry in the cache that tells a writer whether anyone listens (and who).
- events.py: the JSON a client receives for one change.
"""

from workshops.live.broadcast import broadcast_activity, plan_group, send_workshop_state

__all__ = ["broadcast_activity", "plan_group", "send_workshop_state"]
