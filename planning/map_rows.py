"""Rows other apps draw on the journey map, under and over its channel lanes (the experience lanes).

The map (and its PDF page) belongs to planning, but what the customer lives is modelled higher up (experience),
so those apps register a function here from their AppConfig.ready():

    register(rows)  # rows(journey, stages, *, can_edit, printing) -> list of row groups

A row group is a dict with "template" (rendered inside the map's <table>, with the grid's context plus "group"),
"place" ("above" or "below" the channel lanes) and whatever its template reads.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def rows_for(journey, stages, *, can_edit: bool = False, printing: bool = False) -> dict:
    """{"above": [...], "below": [...]}: the row groups of every registered provider, in registration order."""
    places = {"above": [], "below": []}
    for provider in _providers:
        for group in provider(journey, stages, can_edit=can_edit, printing=printing):
            places[group["place"]].append(group)
    return places
