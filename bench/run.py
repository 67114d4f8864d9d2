"""Run the benchmark suite and write bench/results/latest.md and latest.json.

    make bench                      # SQLite (bench/results/bench.sqlite3), or PostgreSQL when DATABASE_URL is set
    make bench-ci                   # the tiny data set, 2 runs a figure: seconds, to check the bench still works
    .venv/bin/python -m bench.run --only lists,pages --runs 10

The data set is built (manage.py bench_dataset) unless one of the same spec is already in the database. Every
figure is measured beside its baseline in the same run, alternating, and reported as a ratio; targets the issue
sets are checked, and a missed one is profiled (pyinstrument; EXPLAIN ANALYZE on PostgreSQL) into the report.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first.


import argparse
import importlib
import os
import sys
import time
import traceback
import warnings
from dataclasses import replace
from pathlib import Path

CASES = ["middleware", "lists", "permissions", "pages", "pages_growth", "present", "map_lanes", "voice", "kpis",
         "statistics", "statistics_growth", "listening", "listening_mentions", "json_export", "pdf", "pdf_growth",
         "http_load", "asgi_workers", "feed_writers", "feedback_import", "versions_compare", "plan_templates",
         "sign_in_security"]


def bench_settings_overrides() -> dict:
    """What the suite runs under even inside the test settings: the bench URLs, no throttling ever tripping."""
    return {"ROOT_URLCONF": "bench.urls", "API_THROTTLE_ANON": "100000000/min",
            "API_THROTTLE_USER": "100000000/min", "API_THROTTLE_TOKEN": "100000000/min"}


def run_suite(data: dict, *, runs: int, slow_runs: int, ci: bool = False, only=None, profile: bool = True,
              server_url: str | None = None, subprocesses: bool = True, log=print):
    """Every case, in order, against the described data set; returns the Report (not written)."""
    from django.test.utils import override_settings

    from bench.cases import Context
    from bench.report import Report, Row, machine_meta

    report = Report(meta=machine_meta() | {"dataset": {"key": data["key"], "spec": data["spec"]}, "runs": runs,
                                          "slow_runs": slow_runs, "ci": ci})
    ctx = Context(data=data, runs=runs, slow_runs=slow_runs, ci=ci, profile=profile, server_url=server_url,
                  subprocesses=subprocesses, log=log)
    with override_settings(**bench_settings_overrides()):
        for name in only or CASES:
            log(f"{name}…")
            started = time.perf_counter()
            try:
                rows = importlib.import_module(f"bench.cases.{name}").run(ctx)
            except Exception as error:  # one broken case must not hide the others' figures
                if not ci and os.environ.get("BENCH_RAISE") != "1":
                    traceback.print_exc()
                    rows = [Row(case=f"{name}: failed", figure=f"error: {error!r}"[:300], baseline="—", met=False)]
                else:
                    raise
            report.rows += rows
            log(f"  {len(rows)} rows in {time.perf_counter() - started:.1f}s")
    report.profiles = ctx.profiles
    report.meta["notes"] = ctx.notes + _notes(data)
    from bench.report import _load

    report.meta["load_after"] = _load()
    return report


def _notes(data: dict) -> list[str]:
    return [
        "List endpoints: the floor reads the same page (count + rows' own columns + one query per many-to-many or "
        "nested list the API returns) with raw SQL and dumps it with orjson; the rows are checked to be the API's.",
        "Pages and lists: the query count is taken at two sizes (10 and 100 rows a page; the big and the small "
        "journey or plan); a difference means a query per row.",
        "HTTP load: ratio = no-op requests/s ÷ the page's requests/s at the same concurrency (2 CPUs shared with the "
        "load generator).",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ci", action="store_true", help="tiny data set, 2 runs a figure (seconds)")
    parser.add_argument("--organisations", type=int, help="default 10 (1 with --ci)")
    parser.add_argument("--scale", type=float, default=1.0, help="per-plan counts times this (0.1 for a quick run)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 30; 2 with --ci)")
    parser.add_argument("--slow-runs", type=int, help="runs of the slow figures: exports (default 5; 1 with --ci)")
    parser.add_argument("--only", help=f"comma-separated cases among {', '.join(CASES)}")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set even if it is there")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets (never with --ci)")
    parser.add_argument("--output", help="directory of latest.md / latest.json (default bench/results)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)  # whitenoise, no collectstatic
    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset
    from bench.report import RESULTS

    call_command("migrate", verbosity=0)
    spec = dataset.CI_SPEC if args.ci else dataset.Spec().scaled(args.scale)
    if args.organisations:
        spec = replace(spec, organisations=args.organisations)
    data = None if args.rebuild else dataset.existing(spec)
    if data is None:
        print(f"Building the data set {spec.key}…", file=sys.stderr)
        started = time.perf_counter()
        data = dataset.build(spec, log=lambda text: print(text, file=sys.stderr))
        print(f"  built in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    runs, slow_runs = args.runs or (2 if args.ci else 30), args.slow_runs or (1 if args.ci else 5)
    report = run_suite(data, runs=runs, slow_runs=slow_runs, ci=args.ci,
                       only=args.only.split(",") if args.only else None, profile=not (args.no_profile or args.ci),
                       subprocesses=not args.ci, log=lambda text: print(text, file=sys.stderr))
    markdown, _json = report.write(Path(args.output) if args.output else RESULTS,
                                   "latest-ci" if args.ci else "latest")
    print(markdown.read_text())
    print(f"Written {markdown} and {_json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
