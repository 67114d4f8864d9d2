"""The JSON a client receives for one recorded change, and the references that tell a page what to redraw.

A change event is {"id": <activity id>, "verb", "target_type", "target_id", "version", "repr", "at", "actor":
{"id", "name", "initials"}, "refs": {...}}. `refs` names the object's place (a touchpoint's journey, stage and
channel; an evaluation's touchpoint and team...) so the journey map refreshes the right cells without asking.
They come from the recorded changes when present (a creation or deletion lists every field), else from one query
per object type, made only when someone listens (a deleted row keeps only what its changes say).
"""

from collections import defaultdict

from django.apps import apps

# Activity.target_type -> {ref name: lookup from that model}. A lookup without "__" is a field of the row itself.
REFS = {
    "planning.touchpoint": {"journey": "journey_id", "stage": "stage_id", "channel": "channel_id"},
    "planning.stage": {"journey": "journey_id"},
    "experience.lane": {"journey": "journey_id"},
    "experience.lanecard": {"journey": "journey_id"},
    "experience.emotionscore": {"journey": "journey_id"},
    "experience.painpoint": {"journey": "journey_id"},
    "experience.opportunity": {"journey": "journey_id"},
    "assessments.touchpointevaluation": {"touchpoint": "touchpoint_id", "team": "team_id"},
    "assessments.datacaptureitem": {"touchpoint": "evaluation__touchpoint_id", "team": "evaluation__team_id"},
    "assessments.touchpointagreement": {"touchpoint": "touchpoint_id"},
    "assessments.maturityvote": {"assessment": "assessment_id"},
    "workshops.comment": {"kind": "target_type", "object": "target_id", "mentions": "mentions",
                         "resolved": "resolved_at"},
}


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": str(user), "initials": user.initials}


def _field_of(lookup: str) -> str | None:
    if "__" in lookup:
        return None
    return lookup[:-3] if lookup.endswith("_id") else lookup


def _refs_from_changes(target_type: str, verb: str, changes: dict) -> dict:
    """The values after the change (before it, for a deletion) of the fields the change recorded."""
    refs = {}
    for name, lookup in REFS.get(target_type, {}).items():
        field = _field_of(lookup)
        if field and field in changes:
            before, after = changes[field]
            refs[name] = before if verb == "deleted" else after
    return refs


def change_event(activity) -> dict:
    """The event for one Activity row; `activity.actor` should be loaded (it is when the row was just written)."""
    return {
        "id": activity.pk,
        "verb": activity.verb,
        "target_type": activity.target_type,
        "target_id": activity.target_id,
        "version": activity.version,
        "repr": activity.target_repr,
        "at": activity.created_at.isoformat() if activity.created_at else None,
        "actor": person(activity.actor) if activity.actor_id else None,
        "refs": _refs_from_changes(activity.target_type, activity.verb, activity.changes or {}),
    }


def complete_refs(events: list[dict]) -> list[dict]:
    """Fill the references a change did not record from the rows as they are now (one query per type)."""
    missing = defaultdict(set)
    for event in events:
        wanted = REFS.get(event["target_type"], {})
        if event["verb"] != "deleted" and any(name not in event["refs"] for name in wanted):
            missing[event["target_type"]].add(event["target_id"])
    for target_type, ids in missing.items():
        wanted = REFS[target_type]
        model = apps.get_model(target_type)
        plain = {name: lookup for name, lookup in wanted.items() if lookup != "mentions"}
        rows = {row["pk"]: row for row in model._base_manager.filter(pk__in=ids).values("pk", *plain.values())}
        for event in events:
            row = rows.get(event["target_id"]) if event["target_type"] == target_type else None
            if row is not None:
                for name, lookup in plain.items():
                    value = row[lookup]
                    event["refs"].setdefault(name, value.isoformat() if hasattr(value, "isoformat") else value)
    return events
