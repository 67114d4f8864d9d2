"""The feedback import at two sizes (issue 16, part 5): 10,000 and 100,000 rows (CI: 500 and 5,000), each beside a
bare COPY of the same responses into the same table in the same run, the floor no import goes under. The import
does more than the COPY (every row validated, sentiment, theme rules, rollups, a history row per response), so the
targets are on growth (time per row at the large size ≤ 1.5× the small size's) and on the distance to the floor.

Everything is written inside transactions that are rolled back: the data set is left as it was.
"""

import io
import time

from django.db import connection, transaction
from django.utils import timezone

from assessments.importers import ImportMode, feedback_import
from bench.cases import ratio
from bench.report import Row
from planning.models import Touchpoint
from tenancy.models import Plan

GROWTH_TARGET = 1.5
FLOOR_TARGET = 10.0  # issue 16's bar (80–200× before COPY and the index cleanup)
TEXTS = ["Le temps d'attente en caisse est interminable", "Great advice from the store staff",
         "Livraison rapide et merci", "The website is confusing", "Prix trop élevés sur les vestes"]


def _rows(count: int) -> list[tuple]:
    return [("nps", i % 11, f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "survey", f"{TEXTS[i % len(TEXTS)]} {i}")
            for i in range(count)]


def _csv(rows: list[tuple], touchpoint_id: int) -> bytes:
    lines = ["touchpoint,kind,score,date,source,verbatim"] + [f"{touchpoint_id},{','.join(map(str, row))}"
                                                              for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _copy_floor(plan_id: int, touchpoint_id: int, rows: list[tuple]) -> None:
    """The same responses through one COPY, with nothing computed: the database's own cost."""
    now = timezone.now()
    statement = ("COPY assessments_feedbackresponse (plan_id, touchpoint_id, kind, score, responded_on, source, "
                 "verbatim, sentiment, sentiment_corrected, version, created_at, updated_at) FROM STDIN")
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for kind, score, day, source, verbatim in rows:
            copy.write_row((plan_id, touchpoint_id, kind, score, day, source, verbatim, "", False, 1, now, now))


def _timed_rolled_back(function) -> tuple[float, object]:
    with transaction.atomic():
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, result


def run(ctx) -> list[Row]:
    if connection.vendor != "postgresql":
        ctx.notes.append("Feedback import beside a COPY: not measured on SQLite, which has no COPY.")
        return []
    plan = Plan.objects.get(pk=ctx.org["plan"])
    touchpoint = Touchpoint.objects.filter(journey__plan=plan).order_by("pk").first()
    user = ctx.member()
    sizes = (500, 5_000) if ctx.ci else (10_000, 100_000)
    measured = {}
    small, large = sizes
    for size in sizes:
        rows = _rows(size)
        data = _csv(rows, touchpoint.pk)
        ctx.log(f"  importing {size:,} rows…")
        seconds, result = _timed_rolled_back(lambda data=data: feedback_import(
            plan=plan, actor=user, file=io.BytesIO(data), mode=ImportMode.VALID_ROWS))
        assert result.imported == size, (result.imported, result.errors[:3])
        floor, _ = _timed_rolled_back(lambda rows=rows: _copy_floor(plan.pk, touchpoint.pk, rows))
        measured[size] = (seconds, floor)
    rows = []
    for size, (seconds, floor) in measured.items():
        value = ratio(seconds, floor)
        rows.append(Row(
            case=f"Feedback import of {size:,} rows (valid rows, sentiment, theme rules, rollups, history)",
            figure=f"{seconds:.2f} s · {seconds / size * 1e6:.0f} µs/row",
            baseline=f"COPY of the same rows: {floor:.3f} s", ratio=value,
            target=f"≤ {FLOOR_TARGET:g}×" if size == large else "—",  # the small COPY is too short to hold a target
            met=value is not None and value <= FLOOR_TARGET if size == large else None,
            details={"seconds": seconds, "copy_seconds": floor}))
    growth = ratio(measured[large][0] / large, measured[small][0] / small)
    rows.append(Row(
        case=f"Feedback import: time per row at {large:,} rows",
        figure=f"{measured[large][0] / large * 1e6:.0f} µs/row",
        baseline=f"{small:,} rows: {measured[small][0] / small * 1e6:.0f} µs/row", ratio=growth,
        target=f"≤ {GROWTH_TARGET:g}×", met=growth is not None and growth <= GROWTH_TARGET))
    return rows
