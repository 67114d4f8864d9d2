"""Comparing two versions of a plan (versions.compare, what the compare page and API run after loading both
snapshots): at the data set's plan size and at ten times as many touchpoints (the plan's gathered data with each
touchpoint and evaluation repeated under new ids, so 500 becomes 5,000 at scale 1). Baseline: loading one snapshot
(decompress + JSON) of the same plan; the target is that comparing costs a few loads, and that it grows linearly."""

import copy

from bench.measure import interleaved, ms
from bench.report import Row
from tenancy.models import Plan
from versions import snapshot
from versions.compare import compare

TARGET_RATIO = 4.0  # compare (two states already loaded) ≤ 4 × one snapshot load
GROWTH_TARGET = 15.0  # 10 × the touchpoints costs at most 15 × the time


def scaled(data, times: int):
    """The gathered data with `times` copies of every touchpoint and evaluation (new ids and references)."""
    bigger = copy.deepcopy(data)
    step = max([t["id"] for t in data.touchpoints] + [e["id"] for e in data.evaluations] + [0]) + 1
    for n in range(1, times):
        for t in data.touchpoints:
            bigger.touchpoints.append(dict(t, id=t["id"] + n * step, ref=f"{t['ref']}x{n}", position=t["position"] + n))
        for e in data.evaluations:
            bigger.evaluations.append(dict(e, id=e["id"] + n * step, touchpoint=f"{e['touchpoint']}x{n}"))
    return bigger


def changed(data):
    """The same state with three changes: a card moved to another stage, a maturity changed, the last item first."""
    after = copy.deepcopy(data)
    if after.touchpoints and len(after.journeys[0]["stages"]) > 1:
        card = after.touchpoints[0]
        other = next(s for s in after.journeys[0]["stages"] if s["ref"] != card["stage"])
        card.update(stage=other["ref"], stage_name=other["name"])
    if after.evaluations:
        after.evaluations[0]["maturity"] = 4 if after.evaluations[0]["maturity"] != 4 else 1
    if after.roadmap:
        for item in after.roadmap:
            item["rank"] += 1
        after.roadmap[-1]["rank"] = 1
    return after


def run(ctx) -> list[Row]:
    plan = Plan.objects.get(pk=ctx.org["plan"])
    small = snapshot.current(plan)
    blob = snapshot.dump(small)
    large = scaled(small, 10)
    pairs = {"small": (small, changed(small)), "large": (large, changed(large))}
    timings = interleaved({"small": lambda: compare(*pairs["small"]), "large": lambda: compare(*pairs["large"]),
                           "load": lambda: snapshot.load(blob)}, runs=ctx.slow_runs)
    found = compare(*pairs["large"])["total"]
    ratio = timings["small"].p50 / timings["load"].p50
    growth = timings["large"].p50 / timings["small"].p50
    n_small, n_large = len(small.touchpoints), len(large.touchpoints)
    return [
        Row(case=f"Compare two versions ({n_small:,} touchpoints)",
            figure=f"{ms(timings['small'].p50)} · p95 {ms(timings['small'].p95)} · snapshot {len(blob) / 1024:.0f} KiB",
            baseline=f"one snapshot load: {ms(timings['load'].p50)}", ratio=ratio, target=f"≤ {TARGET_RATIO:g}×",
            met=ratio <= TARGET_RATIO, details={"p50": timings["small"].p50, "bytes": len(blob)}),
        Row(case=f"Compare two versions ({n_large:,} touchpoints)",
            figure=f"{ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {found} changes found",
            baseline=f"{n_small:,} touchpoints: {ms(timings['small'].p50)}", ratio=growth,
            target=f"≤ {GROWTH_TARGET:g}× for 10× the touchpoints", met=growth <= GROWTH_TARGET and found == 3,
            details={"p50": timings["large"].p50, "changes": found}),
    ]
