"""The plan PDF through the export pipeline against WeasyPrint alone on the same HTML, and the worker's peak memory.

The measuring is bench/export_pdf.py's (the exports work's own benchmark): its demo plan scaled to about 40 pages,
its phases in fresh processes (time alternated run by run, peak RSS of a process doing only that, a real Celery
worker fed through Redis). Here they are called and put in the report. With no subprocesses (`make bench-ci`, the
smoke test on an in-memory database) the task runs through Celery's eager apply in this process, on the small
plan, beside export_pdf.render_alone; memory is then tracemalloc's.
"""

import argparse
import os
import statistics

from bench import export_pdf
from bench.measure import interleaved, ms, traced_peak
from bench.report import Row, unavailable
from roadmaps.exports import gather
from roadmaps.exports.pdf import plan_html
from roadmaps.models import Export
from roadmaps.tasks import plan_export_task
from tenancy.models import Plan

TARGET_RATIO = 1.2
TARGET_MIB = 400.0
COPIES = int(os.environ.get("BENCH_PDF_COPIES", "4"))  # the demo journeys ×4: about 40 pages
CASES = ("PDF export, task in-process: CPU time", "PDF export through Celery (worker via Redis): CPU time",
         "PDF export: worker peak memory")
TARGETS = (f"≤ {TARGET_RATIO:g}×", f"≤ {TARGET_RATIO:g}×", f"≤ {TARGET_MIB:g} MiB")


def run(ctx) -> list[Row]:
    return _in_subprocesses(ctx, export_pdf) if ctx.subprocesses else _in_process(ctx, export_pdf)


def _html(plan) -> str:

    return plan_html(gather(plan, feedback_rows=False, photos=True))


def _pages(html: str) -> int:
    from weasyprint import HTML

    return len(HTML(string=html).render().pages)


def _through_celery_eager(plan_id: int) -> None:
    """The task through Celery's own machinery (apply: tracing, signals, retries), in this process."""

    export = Export.objects.create(plan_id=plan_id, format="pdf")
    plan_export_task.apply(args=[export.pk]).get()
    export.refresh_from_db()
    assert export.status == "succeeded", export.error


def _in_process(ctx, export_pdf) -> list[Row]:

    plan = Plan.objects.get(pk=ctx.org["small_plan"])
    html = _html(plan)
    pages = _pages(html)  # also the warm-up: fonts, templates
    timings = interleaved({"celery": lambda: _through_celery_eager(plan.pk),
                           "alone": lambda: export_pdf.render_alone(html)}, runs=ctx.slow_runs, warmup=0)
    # In one long-lived process, resident size says little (freed memory is reused); Python's allocations do.
    alone_peak = traced_peak(lambda: export_pdf.render_alone(html))
    peak = traced_peak(lambda: export_pdf.run_task(plan.pk))
    value = timings["celery"].p50 / timings["alone"].p50
    rows = [Row(case=f"PDF export ({pages} pages, small plan), the task through Celery's eager apply, in-process: "
                     "wall time",
                figure=ms(timings["celery"].p50), baseline=f"WeasyPrint alone, same HTML: {ms(timings['alone'].p50)}",
                ratio=value, target=TARGETS[0], met=value <= TARGET_RATIO,
                details={"p50": timings["celery"].p50, "baseline_p50": timings["alone"].p50})]
    rows.append(Row(case=f"PDF export ({pages} pages, small plan): peak memory",
                    figure=f"{peak:.1f} MiB (tracemalloc: Python allocations)",
                    baseline=f"WeasyPrint alone: {alone_peak:.1f} MiB",
                    ratio=peak / alone_peak if alone_peak else None, target=TARGETS[2], met=peak <= TARGET_MIB,
                    details={"peak_mib": peak, "baseline_peak_mib": alone_peak}))
    return rows


def _median(runs: list, index: int) -> float:
    return statistics.median(run[index] for run in runs)


def _in_subprocesses(ctx, export_pdf) -> list[Row]:
    export_pdf.WORK.mkdir(exist_ok=True)
    ctx.log(f"  building the {COPIES}-copy demo plan (bench/export_pdf.py)…")
    plan = export_pdf.build_plan(COPIES)
    (export_pdf.WORK / "plan.html").write_text(_html(plan))
    args = argparse.Namespace(runs=ctx.slow_runs, database=os.environ["DATABASE_URL"], export_plan=plan.pk,
                              copies=COPIES)
    ctx.log("  PDF: alternating WeasyPrint alone and the task…")
    compared = export_pdf.child("compare", args)
    pages = compared["pages"]
    alone_cpu, alone_wall = _median(compared["alone"], 1), _median(compared["alone"], 0)
    alone = f"WeasyPrint alone, same HTML: CPU {alone_cpu:.2f} s · wall {alone_wall:.2f} s"
    alone_peak = export_pdf.child("memory_alone", args)["peak_mib"]
    pipeline_peak = export_pdf.child("memory_pipeline", args)["peak_mib"]
    cpu = _median(compared["pipeline"], 1)
    rows = [Row(case=f"PDF export ({pages} pages), task in-process: CPU time",
                figure=f"CPU {cpu:.2f} s · wall {_median(compared['pipeline'], 0):.2f} s", baseline=alone,
                ratio=cpu / alone_cpu, target=TARGETS[0], met=cpu / alone_cpu <= TARGET_RATIO,
                details={"cpu": cpu, "baseline_cpu": alone_cpu, "runs": compared})]
    worker = _worker(ctx, export_pdf, args)
    if worker is None:
        rows.append(unavailable(CASES[1], "Redis does not answer", TARGETS[1]))
        peak, label = pipeline_peak, "task process (no worker)"
    else:
        worker_cpu = _median(worker["runs"], 1)
        rows.append(Row(
            case=f"PDF export ({pages} pages) through Celery (worker via Redis): CPU time",
            figure=f"worker CPU {worker_cpu:.2f} s · request to file {_median(worker['runs'], 0):.2f} s",
            baseline=alone, ratio=worker_cpu / alone_cpu, target=TARGETS[1],
            met=worker_cpu / alone_cpu <= TARGET_RATIO, details={"cpu": worker_cpu, "runs": worker["runs"]}))
        peak, label = worker["peak_mib"], f"worker peak RSS (idle {worker['idle_mib']:.0f} MiB)"
    rows.append(Row(
        case=f"PDF export ({pages} pages): worker peak memory",
        figure=f"{peak:.0f} MiB {label}; task process {pipeline_peak:.0f} MiB",
        baseline=f"WeasyPrint alone, process peak RSS: {alone_peak:.0f} MiB", ratio=peak / alone_peak,
        target=TARGETS[2], met=peak <= TARGET_MIB, details={"peak_mib": peak, "baseline_peak_mib": alone_peak}))
    return rows


def _worker(ctx, export_pdf, args) -> dict | None:
    """The worker phase, with REDIS_URL set for it only (this process keeps its own cache and eager tasks)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = saved or url
    try:
        if not export_pdf.redis_answers():
            return None
        ctx.log("  PDF: through a Celery worker…")
        return export_pdf.child("worker", args)
    finally:
        if saved is None:
            del os.environ["REDIS_URL"]
