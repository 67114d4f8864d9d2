"""Panels other apps add to the persona cards (what their customers say about them, say), through a registry: the
personas belong to planning, but feedback and listening sit on higher floors.

    register(panels)  # panels(plan, personas) -> {persona id: [panel, ...]}

A panel is a dict with "template" (rendered inside the persona's card with the page's context plus "panel") and
whatever its template reads. A provider answers for every persona at once, so the page's queries do not grow with
the number of personas.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(plan, personas) -> dict[int, list[dict]]:
    """{persona id: [panel, ...]} from every registered provider, in registration order."""
    found: dict[int, list[dict]] = {persona.pk: [] for persona in personas}
    for provider in _providers:
        for persona_id, panels in provider(plan, personas).items():
            found.setdefault(persona_id, []).extend(panels)
    return found
