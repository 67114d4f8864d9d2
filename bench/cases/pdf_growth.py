"""Growth: the plan PDF (with its full appendix, the most it ever holds) at several plan sizes in one run: its time,
its CPU per touchpoint and the peak memory of the process that builds it. Each size runs in a fresh process (the
export task called as a worker would, with nothing else before it), so its ru_maxrss is that export's peak. The
issue's bar: ≤ 600 MiB at every size, CPU per touchpoint constant (here: the largest size's ÷ the smallest's).

    BENCH_PDF_GROWTH=500,2000,5000 .venv/bin/python -m bench.run --only pdf_growth   # default "500,2000"

Plans are built as the data set's main plan (bench/dataset.py), scaled from its 500 touchpoints: personas,
journeys (25 touchpoints each), responses and roadmap items grow with the touchpoints. They are kept between runs
(an organisation of their own, which `bench_dataset` drops with the others). With `--ci` (no subprocesses) two
tiny plans are exported in this process, to check that the case works.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first when it
# runs as the export's own process (python -m bench.cases.pdf_growth PLAN_ID).

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.report import Row

TARGET_MIB = 600.0
TARGET_CPU_RATIO = 1.5  # CPU per touchpoint, largest plan ÷ smallest: "constant", with room for noise
ORGANISATION = "Bench org PDF growth"  # bench/dataset.py's ORG_PREFIX: dropped with the data set


def sizes(ctx) -> list[int]:
    if ctx.ci or not ctx.subprocesses:
        return [20, 60]
    return sorted(int(size) for size in os.environ.get("BENCH_PDF_GROWTH", "500,2000").split(","))


def run(ctx) -> list[Row]:
    results = {}
    for size in sizes(ctx):
        plan_id = growth_plan(size, log=ctx.log)
        ctx.log(f"  PDF of the {size}-touchpoint plan…")
        results[size] = child(plan_id) if ctx.subprocesses else measure(plan_id)
    smallest, largest = min(results), max(results)
    per_touchpoint = {size: result["cpu"] / size for size, result in results.items()}
    rows = []
    for size, result in results.items():
        rows.append(Row(
            case=f"PDF export growth, {size:,} touchpoints (full appendix): peak memory",
            figure=f"{result['peak_mib']:.0f} MiB · {result['pages']:,} pages · CPU {result['cpu']:.1f} s · wall "
                   f"{result['wall']:.1f} s · {result['bytes'] / 2**20:.1f} MiB file",
            baseline=f"the process before the export: {result['idle_mib']:.0f} MiB",
            target=f"≤ {TARGET_MIB:g} MiB" if ctx.subprocesses else "—",
            ratio=result["peak_mib"] / result["idle_mib"] if result["idle_mib"] else None,
            met=result["peak_mib"] <= TARGET_MIB if ctx.subprocesses else None, details=result))
    ratio = per_touchpoint[largest] / per_touchpoint[smallest]
    rows.append(Row(
        case=f"PDF export growth: CPU per touchpoint at {largest:,} touchpoints",
        figure=f"{per_touchpoint[largest] * 1000:.0f} ms per touchpoint ({results[largest]['pages']:,} pages)",
        baseline=f"{smallest:,} touchpoints: {per_touchpoint[smallest] * 1000:.0f} ms per touchpoint "
                 f"({results[smallest]['pages']:,} pages)",
        ratio=ratio, target=f"≤ {TARGET_CPU_RATIO:g}×" if ctx.subprocesses else "—",
        met=ratio <= TARGET_CPU_RATIO if ctx.subprocesses else None,
        details={"per_touchpoint": per_touchpoint}))
    return rows


def growth_plan(touchpoints: int, *, log=print) -> int:
    """The plan of this many touchpoints (built once, then reused)."""
    from django.db import transaction
    from django.utils import translation

    from bench import dataset
    from tenancy.models import Plan

    name = f"Bench PDF plan {touchpoints}"
    found = Plan.objects.filter(organisation__name=ORGANISATION, name=name).first()
    if found is not None:
        return found.pk
    log(f"  building the {touchpoints}-touchpoint plan…")
    scale = touchpoints / dataset.Spec().touchpoints
    spec = replace(dataset.Spec().scaled(scale), touchpoints=touchpoints, journeys=max(1, round(touchpoints / 25)))
    with translation.override("en"), transaction.atomic():
        organisation, channels, teams, member = _organisation(dataset)
        plan = Plan.objects.create(organisation=organisation, name=name, status="active", created_by=member)
        dataset._plan(plan, spec, random.Random(touchpoints), channels, teams, member)
    return plan.pk


def _organisation(dataset):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from planning.models import Channel
    from planning.services.journeys import channels_seed
    from tenancy.models import Membership, Organisation, Role, Team

    organisation, created = Organisation.objects.get_or_create(name=ORGANISATION,
                                                               defaults={"slug": "bench-pdf-growth"})
    if created:
        channels_seed(organisation)
    member, _new = get_user_model().objects.get_or_create(username=f"{dataset.USER_PREFIX}pdf-growth",
                                                         defaults={"email": "pdf-growth@bench.invalid"})
    Membership.objects.get_or_create(organisation=organisation, user=member, defaults={"role": Role.EDITOR})
    teams = []
    for name, department in dataset.TEAMS[:4]:
        team = Team.objects.filter(organisation=organisation, name=name).first()
        if team is None:
            group = Group.objects.create(name=f"bench-team-pdf-growth-{department}")
            team = Team.objects.create(organisation=organisation, name=name, department=department, group=group)
        teams.append(team)
    return organisation, list(Channel.objects.filter(organisation=organisation).order_by("position", "id")), teams, \
        member


def measure(plan_id: int) -> dict:
    """The export task on the plan, as a worker runs it: its time, CPU, pages and this process's peak memory."""
    import resource

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from roadmaps.exports.pdf.layout import resident_mib
    from roadmaps.models import Export
    from roadmaps.tasks import plan_export_task

    idle = resident_mib()
    export = Export.objects.create(plan_id=plan_id, format="pdf", pdf_appendix="full")
    wall, cpu = time.perf_counter(), time.process_time()
    plan_export_task(export.pk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    export.refresh_from_db()
    if export.status != "succeeded":
        raise RuntimeError(f"The PDF export failed: {export.error}")
    with default_storage.open(export.file.name, "rb") as handle:
        pages, size = len(PdfReader(handle).pages), export.file.size
    default_storage.delete(export.file.name)
    return {"wall": wall, "cpu": cpu, "pages": pages, "bytes": size, "idle_mib": idle,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(plan_id: int) -> dict:
    """`measure` in a fresh process (no memory budget: the figure is the real peak)."""
    base = Path(__file__).resolve().parent.parent.parent
    env = {**os.environ, "EXPORT_MEMORY_BUDGET_MIB": "0"}
    command = [sys.executable, "-m", "bench.cases.pdf_growth", str(plan_id)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=base, env=env)
    if done.returncode:
        raise RuntimeError(f"The export's process failed: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    print(json.dumps(measure(int(sys.argv[1]))))
