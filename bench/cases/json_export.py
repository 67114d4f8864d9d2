"""The JSON export of a whole plan (gather + roadmaps/exports/json_io.render, what the export task runs) against
the floor: every row of the plan's tables read with .values() and dumped by orjson. Time, and peak Python memory
(tracemalloc, in a run of its own since tracing slows everything down)."""

import orjson

from assessments.models import DataCaptureItem, FeedbackResponse, TouchpointAgreement, TouchpointEvaluation
from bench.measure import interleaved, ms, traced_peak
from bench.report import Row
from planning.models import Journey, Persona, Stage, Stakeholder, Touchpoint
from roadmaps.exports.gather import gather
from roadmaps.exports.json_io import plan_document, render
from roadmaps.models import (
    Export,  # noqa: F401  (the export exists)
    RoadmapItem,
)
from tenancy.models import Plan

TARGET_RATIO = 3.0
TARGET_MIB = 50.0


def floor(plan_id: int) -> bytes:
    """The same rows, straight from the database to JSON."""

    document = {"plan": list(Plan.objects.filter(pk=plan_id).values())}
    for model in (Stakeholder, Persona, Journey, Stage, Touchpoint, TouchpointEvaluation, DataCaptureItem,
                  TouchpointAgreement, FeedbackResponse, RoadmapItem):
        document[model._meta.model_name] = list(model.objects.filter(plan_id=plan_id).values())
    return orjson.dumps(document, default=str)


def memory_steps(plan) -> str:
    """Where the peak comes from: what each step of the export holds while the next one runs."""
    import json
    import tracemalloc

    tracemalloc.start()
    try:
        lines = []
        base = tracemalloc.get_traced_memory()[0]
        data = gather(plan, feedback_rows=True)
        lines.append(f"  gather(plan) result: {(tracemalloc.get_traced_memory()[0] - base) / 2**20:.1f} MiB")
        document = plan_document(data)
        lines.append(f"  + plan_document(data): {(tracemalloc.get_traced_memory()[0] - base) / 2**20:.1f} MiB")
        text = json.dumps(document, ensure_ascii=False, indent=1)
        lines.append(f"  + json.dumps(indent=1) text: {(tracemalloc.get_traced_memory()[0] - base) / 2**20:.1f} MiB")
        content = text.encode("utf-8")
        current, peak = tracemalloc.get_traced_memory()
        lines.append(f"  + .encode() bytes: {(current - base) / 2**20:.1f} MiB; peak {(peak - base) / 2**20:.1f} MiB "
                     f"(the file is {len(content) / 2**20:.1f} MiB)")
        del data, document, text, content
        return "\n".join(lines)
    finally:
        tracemalloc.stop()


def run(ctx) -> list[Row]:

    plan = Plan.objects.get(pk=ctx.org["plan"])

    def export():
        return render(gather(plan, feedback_rows=True))

    size = len(export())
    timings = interleaved({"export": export, "floor": lambda: floor(plan.pk)}, runs=ctx.slow_runs)
    peak, floor_peak = traced_peak(export), traced_peak(lambda: floor(plan.pk))
    value = timings["export"].p50 / timings["floor"].p50
    responses = ctx.data["spec"]["responses"]
    time_met, memory_met = value <= TARGET_RATIO, peak <= TARGET_MIB
    if not (time_met and memory_met):
        ctx.explain_miss("JSON export of a whole plan", export)
        if not memory_met and ctx.profile:
            ctx.profiles[-1].text += "\n\nPython memory held after each step (tracemalloc):\n" + memory_steps(plan)
    return [
        Row(case=f"JSON export of a whole plan ({responses:,} responses): time",
            figure=f"{ms(timings['export'].p50)} · p95 {ms(timings['export'].p95)} · {size / 2**20:.1f} MiB file",
            baseline=f".values() + orjson: {ms(timings['floor'].p50)}", ratio=value, target=f"≤ {TARGET_RATIO:g}×",
            met=time_met, details={"p50": timings["export"].p50, "p95": timings["export"].p95,
                                   "baseline_p50": timings["floor"].p50, "bytes": size}),
        Row(case=f"JSON export of a whole plan ({responses:,} responses): peak memory",
            figure=f"{peak:.1f} MiB (tracemalloc)", baseline=f".values() + orjson: {floor_peak:.1f} MiB",
            ratio=peak / floor_peak if floor_peak else None, target=f"≤ {TARGET_MIB:g} MiB", met=memory_met,
            details={"peak_mib": peak, "baseline_peak_mib": floor_peak}),
    ]
