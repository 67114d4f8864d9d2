"""Concurrent writers of one organisation (PostgreSQL): do they queue on each other?

- 16 writer threads each update their own touchpoint through the service (touchpoint_update: the PATCH's write
  path without HTTP), all in one organisation, against the same 16 threads spread over 4 organisations, in the same
  run, alternating. Ratio = one organisation's updates/s ÷ four's: 1 means a shared organisation costs nothing;
  when every write took the organisation's feed lock it was well below 1.
- Single updates while a bulk feedback import of the same organisation runs: their p95 latency beside the same
  updates with no import.

The organisations are made for the case and deleted afterwards. SQLite serialises every writer: not measured there.
"""

import multiprocessing
import statistics
import time
from datetime import date

from django.db import connection, transaction

from assessments.services import feedback_bulk_create
from bench.report import Row
from planning import services
from planning.models import Channel, Touchpoint
from tenancy.models import Role
from tests.factories import OrganisationFactory, PlanFactory, member

WRITERS = 16
ORGANISATIONS = 4


def run(ctx) -> list[Row]:
    if connection.vendor != "postgresql":
        ctx.notes.append("Concurrent writers: not measured on SQLite, which lets one writer at a time.")
        return []
    seconds = 1.0 if ctx.ci else 6.0
    import_rows = 2_000 if ctx.ci else 100_000
    world = _world()
    try:
        together, spread = [], []
        for _ in range(1 if ctx.ci else 3):
            ctx.log("  16 writers, one organisation")
            together.append(_throughput(world, organisations=1, seconds=seconds))
            ctx.log("  16 writers, four organisations")
            spread.append(_throughput(world, organisations=ORGANISATIONS, seconds=seconds))
        one, four = statistics.median(together), statistics.median(spread)
        ctx.log(f"  single updates during a {import_rows:,}-row import")
        quiet = _latencies(world, seconds=seconds)
        busy, import_seconds = _latencies_during_import(world, rows=import_rows)
        return [
            Row(case=f"{WRITERS} concurrent writers (touchpoint updates), one organisation vs {ORGANISATIONS}",
                figure=f"{one:.0f} updates/s", baseline=f"{ORGANISATIONS} organisations: {four:.0f} updates/s",
                ratio=one / four if four else None, target="—" if ctx.ci else "≥ 0.8×",
                met=None if ctx.ci else one >= 0.8 * four, details={"one": together, "four": spread}),
            Row(case=f"Touchpoint update during a {import_rows:,}-row feedback import of the same organisation",
                figure=f"p95 {_p95(busy) * 1000:.0f} ms ({len(busy)} updates over {import_seconds:.1f} s)",
                baseline=f"no import: p95 {_p95(quiet) * 1000:.0f} ms ({len(quiet)} updates)",
                ratio=_p95(busy) / _p95(quiet) if quiet and busy else None,
                target="—" if ctx.ci else "p95 ≤ 0.5 s", met=None if ctx.ci else bool(busy) and _p95(busy) <= 0.5,
                details={"busy": busy[:200], "quiet": quiet[:200]}),
        ]
    finally:
        _delete(world)


def _world() -> list[dict]:
    world = []
    for n in range(ORGANISATIONS):
        org = OrganisationFactory(name=f"Writers bench {n}")
        owner = member(org, Role.OWNER, username=f"writers-bench-{n}-{time.monotonic_ns()}")
        plan = PlanFactory(organisation=org, name=f"Writers bench plan {n}")
        channel = Channel.objects.create(organisation=org, name="Website", kind="online")
        journey = services.journey_create(plan=plan, actor=owner, name="Purchase", template="purchase")
        stage = journey.stages.first()
        touchpoints = [services.touchpoint_create(stage=stage, channel=channel, actor=owner, name=f"T{i}")
                       for i in range(WRITERS)]
        world.append({"org": org, "owner": owner, "plan": plan, "touchpoints": [t.pk for t in touchpoints],
                      "model": Touchpoint})
    return world


def _delete(world: list[dict]) -> None:
    for entry in world:
        entry["plan"].delete()  # first: its touchpoints protect the organisation's channels
        entry["org"].delete()


def _writer(entry: dict, touchpoint_id: int, seconds: float, out, stop=None) -> None:
    """Update one touchpoint again and again, for `seconds` or until `stop` is set; put the latencies on `out`."""

    model, owner = entry["model"], entry["owner"]
    latencies, n = [], 0
    until = time.perf_counter() + seconds
    try:
        while (time.perf_counter() < until) if stop is None else not stop.is_set():
            touchpoint = model.objects.select_related("journey__plan").get(pk=touchpoint_id)
            started = time.perf_counter()
            with transaction.atomic():
                services.touchpoint_update(touchpoint=touchpoint, actor=owner, version=touchpoint.version,
                                           customer_action=f"step {n}")
            latencies.append(time.perf_counter() - started)
            n += 1
    finally:
        connection.close()
        out.put(latencies)


def _processes(targets: list[tuple]) -> list[float]:
    """Run each (function, args) in a forked process of its own, as web workers and Celery workers are (separate
    processes, so one's Python never waits for another's: only the database can make them wait); gather their
    latencies."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    connection.close()  # each child opens its own
    children = [context.Process(target=function, args=(*args, out)) for function, args in targets]
    for child in children:
        child.start()
    latencies = []
    for _child in children:
        latencies += out.get(timeout=600)
    for child in children:
        child.join()
    return latencies


def _throughput(world: list[dict], *, organisations: int, seconds: float) -> float:
    targets = []
    for i in range(WRITERS):
        entry = world[i % organisations]
        targets.append((_writer, (entry, entry["touchpoints"][i], seconds)))
    return len(_processes(targets)) / seconds


def _latencies(world: list[dict], *, seconds: float) -> list[float]:
    return _processes([(_writer, (world[0], world[0]["touchpoints"][0], seconds))])


def _import(entry: dict, rows: int, out) -> None:
    started = time.perf_counter()
    try:
        data = ({"touchpoint_id": entry["touchpoints"][1], "kind": "csat", "score": 1 + i % 5,
                 "responded_on": date(2026, 1, 1), "verbatim": ""} for i in range(rows))
        feedback_bulk_create(plan=entry["plan"], actor=entry["owner"], rows=data)
    finally:
        connection.close()
        out.put([time.perf_counter() - started])


def _latencies_during_import(world: list[dict], *, rows: int) -> tuple[list[float], float]:
    """Update a touchpoint again and again (one process) while another process imports `rows` responses."""
    context = multiprocessing.get_context("fork")
    out, stop = context.Queue(), context.Event()
    connection.close()
    importer = context.Process(target=_import, args=(world[0], rows, out))
    writer = context.Process(target=_writer, args=(world[0], world[0]["touchpoints"][0], 0, out, stop))
    importer.start()
    writer.start()
    import_seconds = out.get(timeout=1800)[0]  # the importer finishes first: the writer runs until told to stop
    stop.set()
    latencies = out.get(timeout=60)
    importer.join()
    writer.join()
    return latencies, import_seconds


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0
