"""Timing, query counting and profiling for the cases.

A figure and its baseline are timed alternately, run by run, after a warm-up, so a burst of load on the (shared)
machine hits both alike; the ratio of their medians is the number to trust, the absolute times are context.
"""

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    """Seconds per call, one sample per run."""

    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (with few runs, p95 is the slowest run or close to it)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def interleaved(functions: dict[str, Callable], *, runs: int, warmup: int = 1, repeat: int = 1) -> dict[str, Timing]:
    """Time each function `runs` times, alternating between them; a sample is the mean of `repeat` calls."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    gc_was_enabled = gc.isenabled()
    try:
        for run in range(runs):
            # Alternate which goes first, so neither always follows the other's garbage.
            order = list(functions.items()) if run % 2 == 0 else list(reversed(functions.items()))
            for name, function in order:
                gc.collect()
                gc.disable()
                started = time.perf_counter()
                for _ in range(repeat):
                    function()
                samples[name].append((time.perf_counter() - started) / repeat)
                if gc_was_enabled:
                    gc.enable()
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: Timing(values) for name, values in samples.items()}


def query_count(function: Callable) -> tuple[int, list[dict]]:
    """How many queries one call runs, and their SQL (for EXPLAIN)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries), list(captured.captured_queries)


def traced_peak(function: Callable) -> float:
    """Peak Python memory (MiB, tracemalloc) allocated during one call, above what was live before it."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 2**20


def profile_text(function: Callable, *, lines: int = 45) -> str:
    """A pyinstrument profile of one call, trimmed; empty when pyinstrument is not installed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return ""
    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        function()
    finally:
        profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    return "\n".join(text.splitlines()[:lines])


def explain_slowest(queries: list[dict]) -> str:
    """EXPLAIN ANALYZE of the slowest captured query, on PostgreSQL (SQLite's plans say too little)."""
    if connection.vendor != "postgresql" or not queries:
        return ""
    slowest = max(queries, key=lambda q: float(q.get("time") or 0))
    sql = slowest["sql"]
    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")  # the captured SQL has its parameters inlined
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- {slowest['time']} s\n{sql[:1500]}\n\n{plan}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.1f} ms" if seconds < 1 \
        else f"{seconds:.2f} s"
