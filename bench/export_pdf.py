"""Benchmark: the plan PDF through the real export pipeline, against WeasyPrint alone on the same HTML.

    .venv/bin/python bench/export_pdf.py [--copies 4] [--runs 3]
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/export_pdf.py   # adds the run through a worker

Builds the demo plan (seed_demo plus a few roadmap items), scales its journeys up to about 40 PDF pages (by importing
a JSON export with the journeys copied), then measures:
- time, in one fresh process, alternating run by run so machine load hits both alike:
  "WeasyPrint alone" = HTML(string=<the export's HTML>).render().write_pdf(), nothing else, against
  "pipeline" = the Celery task function called directly (claim the row, gather, templates, locked-down fetcher,
  WeasyPrint, store the file, mark it succeeded);
- peak memory of each, in a process of its own (ru_maxrss);
- with REDIS_URL: the task enqueued on commit and run by a real `celery worker` (solo pool), timed from the request
  to the row marked succeeded; its CPU time and peak RSS (VmHWM) are the worker process's, from /proc.
Medians after one warm-up. The CPU-time ratio (pipeline ÷ WeasyPrint alone) is our overhead, and the figure to
trust on a busy machine; the aim is ≤ 1.2×. Not a test: numbers depend on the machine.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first.


import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.gettempdir()) / "journeys-bench-export"


def django_setup(database: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")  # DEBUG keeps every query in memory: not what production does
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_MEDIA_ROOT"] = str(WORK / "media")
    import django

    django.setup()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Building the plan -----------------------------------------------------------------------------------------------


ROADMAP = [
    ("Real-time store stock API", "api", "now", 9, 4), ("Unified customer id (CRM)", "crm", "now", 8, 6),
    ("Clienteling app for advisors", "internal_app", "next", 7, 5),
    ("Loyalty points online and in store", "offer_loyalty", "next", 8, 3),
    ("Customer reviews on product pages", "reviews", "later", 5, 2), ("DMP for online ads", "dmp", "later", 6, 7),
]


def build_plan(copies: int):
    """The demo plan with its journeys copied `copies` times (through our own JSON import)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from demo.management.commands.seed_demo import PLAN
    from planning.models import Touchpoint
    from roadmaps import services
    from roadmaps.exports import gather
    from roadmaps.exports.json_io import plan_document, plan_import
    from tenancy.models import Plan

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = Plan.objects.get(name=PLAN)
    owner = get_user_model().objects.get(username="owner")
    if not demo.roadmap_items.exists():
        touchpoints = list(Touchpoint.objects.filter(plan=demo).order_by("id"))
        for index, (title, category, horizon, value, effort) in enumerate(ROADMAP):
            services.roadmap_item_create(plan=demo, actor=owner, title=title, category=category, horizon=horizon,
                                         value=value, effort=effort, touchpoints=touchpoints[index::7][:3])
    document = json.loads(json.dumps(plan_document(gather(demo)), default=str))
    name = f"Bench plan ({copies} copies)"
    Plan.objects.filter(name=name).delete()
    return plan_import(scale(document, copies), organisation=demo.organisation, actor=owner, name=name).plan


def scale(document: dict, copies: int) -> dict:
    """Copy every journey (stages, touchpoints, evaluations, agreements, feedback) `copies - 1` more times."""
    originals = {key: list(document[key]) for key in ("journeys", "touchpoints", "evaluations", "agreements",
                                                      "feedback")}
    counters = {"J": len(originals["journeys"]), "ST": sum(len(j["stages"]) for j in originals["journeys"]),
                "TP": len(originals["touchpoints"]), "E": len(originals["evaluations"])}

    def new(prefix):
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    for copy in range(2, copies + 1):
        refs = {}
        for journey in originals["journeys"]:
            refs[journey["ref"]] = new("J")
            stages = []
            for stage in journey["stages"]:
                refs[stage["ref"]] = new("ST")
                stages.append(dict(stage, ref=refs[stage["ref"]]))
            document["journeys"].append(dict(journey, ref=refs[journey["ref"]], stages=stages,
                                             name=f"{journey['name']} ({copy})"))
        for touchpoint in originals["touchpoints"]:
            refs[touchpoint["ref"]] = new("TP")
            document["touchpoints"].append(dict(touchpoint, ref=refs[touchpoint["ref"]], journey=refs[
                touchpoint["journey"]], stage=refs[touchpoint["stage"]]))
        for key, prefix in (("evaluations", "E"), ("agreements", None), ("feedback", None)):
            for row in originals[key]:
                copied = dict(row, touchpoint=refs[row["touchpoint"]])
                if prefix:
                    copied["ref"] = new(prefix)
                document[key].append(copied)
    return document


# Measuring -------------------------------------------------------------------------------------------------------


def child(phase: str, args) -> dict:
    """Run one phase in a fresh Python process; it prints one JSON line."""
    command = [sys.executable, __file__, "--phase", phase, "--runs", str(args.runs), "--database", args.database,
               "--export-plan", str(args.export_plan)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=BASE_DIR).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(function) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def render_alone(html: str) -> int:
    from weasyprint import HTML

    document = HTML(string=html).render()
    document.write_pdf()
    return len(document.pages)


def run_task(plan_id: int) -> None:
    from roadmaps.models import Export
    from roadmaps.tasks import plan_export_task

    export = Export.objects.create(plan_id=plan_id, format="pdf")
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "succeeded", export.error


def phase_compare(args) -> dict:
    """Both in one process, alternating run by run, so machine load hits them alike."""
    django_setup(args.database)
    html = (WORK / "plan.html").read_text()
    pages = render_alone(html)  # warm-ups: imports, fonts, templates
    run_task(args.export_plan)
    alone, pipeline = [], []
    for _ in range(args.runs):
        alone.append(measure(lambda: render_alone(html)))
        pipeline.append(measure(lambda: run_task(args.export_plan)))
    return {"alone": alone, "pipeline": pipeline, "pages": pages}


def phase_memory_alone(args) -> dict:
    render_alone((WORK / "plan.html").read_text())  # nothing else in this process: no Django
    return {"peak_mib": peak_rss_mib()}


def phase_memory_pipeline(args) -> dict:
    django_setup(args.database)
    run_task(args.export_plan)
    return {"peak_mib": peak_rss_mib()}


def proc_status(pid: int) -> dict:
    """Resident memory (MiB) and CPU seconds used so far by a process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss": int(values["VmRSS"].split()[0]) / 1024, "hwm": int(values["VmHWM"].split()[0]) / 1024,
            "cpu": (int(fields[11]) + int(fields[12])) / ticks}


def phase_worker(args) -> dict:
    """Through Redis and a real worker process (solo pool: the task runs in the process we watch)."""
    django_setup(args.database)
    from django.conf import settings

    from config import celery_app
    from roadmaps import services
    from roadmaps.models import Export
    from tenancy.models import Plan

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    log_path = WORK / "worker.log"
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL}
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"], cwd=BASE_DIR, env=env, stdout=log,
            stderr=log)
    try:
        deadline = time.monotonic() + 60
        while b" ready." not in log_path.read_bytes():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError(f"The worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
        plan = Plan.objects.get(pk=args.export_plan)
        idle = proc_status(worker.pid)["rss"]

        def run():
            export = services.export_request(plan=plan, actor=None, format="pdf")  # enqueued on commit
            while not Export.objects.filter(pk=export.pk, status__in=("succeeded", "failed")).exists():
                time.sleep(0.02)
            assert Export.objects.get(pk=export.pk).status == "succeeded"

        run()  # warm-up
        runs = []
        for _ in range(args.runs):
            cpu = proc_status(worker.pid)["cpu"]
            wall, _own_cpu = measure(run)
            runs.append((wall, proc_status(worker.pid)["cpu"] - cpu))
        return {"runs": runs, "peak_mib": proc_status(worker.pid)["hwm"], "idle_mib": idle}
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def redis_answers() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


def main(args) -> None:
    WORK.mkdir(exist_ok=True)
    django_setup(args.database)
    from roadmaps.exports import gather
    from roadmaps.exports.pdf import plan_html

    started = time.perf_counter()
    plan = build_plan(args.copies)
    (WORK / "plan.html").write_text(plan_html(gather(plan, feedback_rows=False, photos=True)))
    args.export_plan = plan.pk
    print(f"Built “{plan.name}” in {time.perf_counter() - started:.1f}s; measuring {args.runs} runs…",
          file=sys.stderr)
    compared = child("compare", args)
    rows = [("WeasyPrint alone, same HTML", compared["alone"], child("memory_alone", args)["peak_mib"], ""),
            ("Pipeline: task in-process", compared["pipeline"], child("memory_pipeline", args)["peak_mib"], "")]
    if redis_answers():
        worker = child("worker", args)
        rows.append(("Pipeline: real worker via Redis", worker["runs"], worker["peak_mib"],
                     f" (idle {worker['idle_mib']:.0f})"))
    report(rows, compared["pages"], args)


def report(rows: list, pages: int, args) -> None:
    def median(runs, index):
        return statistics.median(run[index] for run in runs)

    base_wall, base_cpu = median(rows[0][1], 0), median(rows[0][1], 1)
    print(f"\nPlan PDF: {pages} pages; medians of {args.runs} runs after a warm-up; CPU = the rendering process's "
          f"CPU time\n")
    print("| run | wall time | CPU time | × WeasyPrint alone (CPU) | × (wall) | peak memory (RSS) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs, peak, note in rows:
        wall, cpu = median(runs, 0), median(runs, 1)
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {cpu / base_cpu:.2f}× | {wall / base_wall:.2f}× "
              f"| {peak:.0f} MiB{note} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="how many times the demo journeys appear")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL") or f"sqlite:///{WORK}/bench.sqlite3")
    parser.add_argument("--phase", choices=["compare", "memory_alone", "memory_pipeline", "worker"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--export-plan", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.phase:
        phase = {"compare": phase_compare, "memory_alone": phase_memory_alone,
                 "memory_pipeline": phase_memory_pipeline, "worker": phase_worker}
        print(json.dumps(phase[arguments.phase](arguments)))
    else:
        main(arguments)
