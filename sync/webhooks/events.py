"""The event types an organisation can subscribe to: "<type>.<verb>" for each resource of the changes feed, plus
events that are not object changes."""

from django.utils.translation import gettext_lazy as _

from sync.api.changes import FEED_VERBS, TYPES

EXPORT_FINISHED = "export.finished"
OTHER_EVENTS = {EXPORT_FINISHED: _("An export of a plan is ready (or failed).")}


def change_event(type_name: str, verb: str) -> str:
    return f"{type_name}.{verb}"


def event_types() -> list[str]:
    return [change_event(t.name, verb) for t in TYPES for verb in FEED_VERBS] + list(OTHER_EVENTS)


def event_groups() -> list[tuple[str, list[str]]]:
    """For the form: one group per resource (its created/updated/deleted), then the other events."""
    groups = [(t.name, [change_event(t.name, verb) for verb in FEED_VERBS]) for t in TYPES]
    return groups + [(str(_("other")), list(OTHER_EVENTS))]
