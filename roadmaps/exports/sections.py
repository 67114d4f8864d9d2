"""Sections of the plan's JSON export that apps above roadmaps add (KPIs, listening…), and their import back.

An app registers a `JsonSection` in its AppConfig.ready(): `export(data)` gives the section's rows from the gathered
plan (PlanExportData: rows carry their "id" and "ref", so a section can name touchpoints, personas and roadmap items
by the file's references); `load(ctx, rows, clean)` imports them into the new plan, after everything else (the
import context's `refs` hold every row created so far: "TP", "P", "R"…; `ctx.team(name, where)`, `ctx.user(name)`,
`ctx.channels`, `ctx.warnings`). Sections are written after the roadmap, in the order they were registered; a
document without a section's key imports as before.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class JsonSection:
    key: str
    export: Callable[..., Iterable[dict]]
    load: Callable[..., None]


_sections: dict[str, JsonSection] = {}


def register(section: JsonSection) -> JsonSection:
    _sections[section.key] = section
    return section


def json_sections() -> list[JsonSection]:
    return list(_sections.values())
