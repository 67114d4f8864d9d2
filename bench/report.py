"""Rows of the report, their targets, and the Markdown and JSON files (bench/results/latest.md, latest.json)."""

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One line of the table: a figure beside its baseline measured in the same run."""

    case: str
    figure: str
    baseline: str
    ratio: float | None = None
    target: str = "—"
    met: bool | None = None  # None: no target, or not measurable
    available: bool = True
    details: dict = field(default_factory=dict)

    @property
    def has_baseline(self) -> bool:
        return self.available and self.baseline not in ("", "—")


def unavailable(case: str, why: str, target: str = "—") -> Row:
    return Row(case=case, figure=f"not available ({why})", baseline="—", target=target, available=False)


@dataclass
class Profile:
    """What a missed target's profile showed: pyinstrument's call tree and, on PostgreSQL, the slowest plan."""

    case: str
    text: str
    explain: str = ""


@dataclass
class Report:
    meta: dict
    rows: list[Row] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)

    @property
    def missed(self) -> list[Row]:
        return [row for row in self.rows if row.met is False]

    def markdown(self) -> str:
        meta = self.meta
        lines = [
            "# Benchmark results",
            "",
            f"{meta['started_at']} · {meta['database']} · Python {meta['python']} · Django {meta['django']} · "
            f"{meta['cpus']} CPUs · load average before/after {meta['load_before']} / {meta.get('load_after', '?')}",
            "",
            f"Data set `{meta['dataset']['key']}`: {_spec_text(meta['dataset']['spec'])}. "
            f"Runs per figure: {meta['runs']} (slow cases {meta['slow_runs']}), after a warm-up, figure and "
            "baseline alternated run by run. Times are medians (p50) unless marked; ratio = figure ÷ baseline "
            "(for requests/s: baseline ÷ figure, i.e. how many times slower).",
            "",
            "| case | figure | baseline | ratio | target | met? |",
            "|---|---|---|---:|---|:---:|",
        ]
        for row in self.rows:
            ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
            met = {True: "yes", False: "**no**", None: "—"}[row.met]
            lines.append(f"| {row.case} | {row.figure} | {row.baseline} | {ratio} | {row.target} | {met} |")
        lines += ["", _summary(self)]
        if meta.get("notes"):
            lines += ["", "## Notes", ""] + [f"- {note}" for note in meta["notes"]]
        if self.profiles:
            lines += ["", "## Profiles of the missed targets", ""]
            for profile in self.profiles:
                lines += [f"### {profile.case}", "", "```", profile.text or "(pyinstrument not installed)", "```"]
                if profile.explain:
                    lines += ["", "EXPLAIN (ANALYZE, BUFFERS) of the slowest query:", "", "```", profile.explain,
                              "```"]
                lines.append("")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict:
        return {"meta": self.meta, "rows": [asdict(row) for row in self.rows],
                "profiles": [asdict(profile) for profile in self.profiles]}

    def write(self, directory: Path = RESULTS, name: str = "latest") -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        markdown, data = directory / f"{name}.md", directory / f"{name}.json"
        markdown.write_text(self.markdown())
        data.write_text(json.dumps(self.as_json(), indent=1, default=str))
        return markdown, data


def _spec_text(spec: dict) -> str:
    return (f"{spec['organisations']} organisations × ({spec['personas']} personas, {spec['journeys']} journeys, "
            f"{spec['touchpoints']} touchpoints, {spec['teams']} teams' evaluations of each, {spec['responses']:,} "
            f"feedback responses, {spec['roadmap_items']} roadmap items); map journey of {spec['map_touchpoints']} "
            "touchpoints")


def _summary(report: Report) -> str:
    checked = [row for row in report.rows if row.met is not None]
    missing = [row for row in report.rows if not row.available]
    text = f"Targets met: {sum(1 for row in checked if row.met)} of {len(checked)}."
    if report.missed:
        text += " Missed: " + "; ".join(row.case for row in report.missed)
        text += " (profiles below)." if report.profiles else "."
    if missing:
        text += " Not available: " + "; ".join(row.case for row in missing) + "."
    return text


def machine_meta() -> dict:
    import django
    from django.db import connection

    return {"started_at": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "database": f"{connection.vendor} {_db_version(connection)}", "python": platform.python_version(),
            "django": django.get_version(), "cpus": os.cpu_count(), "load_before": _load()}


def _db_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return cursor.fetchone()[0]


def _load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"
