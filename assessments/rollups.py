"""Keeps the feedback rollups (assessments.models.rollups) equal to what the responses say, in the writing transaction.

Every write of a response turns into deltas: +1 response with its score in the cells it now counts in, −1 in the
cells it counted in before (the row is read locked first, so the "before" is the committed one). The deltas of a
write (or of a whole import) are summed per cell and applied with one INSERT … ON CONFLICT DO UPDATE SET n = n +
EXCLUDED.n per table (PostgreSQL and SQLite both speak it), cells in key order so two imports never deadlock, as the
last statements of the transaction so the cells' row locks are held briefly. A cell falling to zero responses is
deleted. Touchpoints, plans and organisations that go take their cells with them (foreign keys); the plan × day
cells of a deleted touchpoint are subtracted by `touchpoint_removed` (assessments.apps connects it).

`rebuild` recomputes the cells from the responses (a plan, or everything) and `drift` says which cells differ:
the management command `feedback_rollups` runs both.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, WhereNode

from assessments.models import FeedbackDay, FeedbackKind, FeedbackPlanDay, FeedbackResponse, FeedbackTotal

VALUES = ("n", "total", "total_of_squares", "promoters", "passives", "detractors", "verbatims")
UPSERT_CHUNK = 200  # rows per INSERT (× 11 parameters: far below SQLite's and PostgreSQL's limits)


@dataclass(frozen=True)
class Table:
    """One rollup table: its model, the columns a cell is keyed by, and the unique ones ON CONFLICT names."""

    model: type
    keys: tuple[str, ...]  # plan_id first, then what the cell is per
    unique: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.model._meta.db_table


TABLES = (
    Table(FeedbackDay, ("plan_id", "touchpoint_id", "kind", "day"), ("touchpoint_id", "kind", "day")),
    Table(FeedbackPlanDay, ("plan_id", "kind", "day"), ("plan_id", "kind", "day")),
    Table(FeedbackTotal, ("plan_id", "touchpoint_id", "kind"), ("touchpoint_id", "kind")),
)
# The response column each key column is read from.
SOURCE = {"plan_id": "plan_id", "touchpoint_id": "touchpoint_id", "kind": "kind", "day": "responded_on"}


@dataclass(frozen=True)
class Counted:
    """What one response contributes to the rollups."""

    plan_id: int
    touchpoint_id: int
    kind: str
    day: date
    score: int
    has_verbatim: bool

    @classmethod
    def of(cls, response: FeedbackResponse) -> "Counted":
        return cls(response.plan_id, response.touchpoint_id, response.kind, response.responded_on, response.score,
                   bool(response.verbatim))

    def values(self, sign: int) -> tuple[int, ...]:
        score, nps = self.score, self.kind == FeedbackKind.NPS
        return (sign, sign * score, sign * score * score, sign * (nps and score >= 9),
                sign * (nps and 7 <= score <= 8), sign * (nps and score <= 6), sign * self.has_verbatim)

    def key(self, table: Table) -> tuple:
        return tuple(getattr(self, column) for column in table.keys)


class Deltas:
    """Changes to the cells, summed per cell before they are written."""

    def __init__(self):
        self.cells: dict[Table, dict[tuple, list[int]]] = {table: {} for table in TABLES}

    def add(self, counted: Counted | None, sign: int = 1) -> None:
        if counted is None:
            return
        values = counted.values(sign)
        for table in TABLES:
            cell = self.cells[table].setdefault(counted.key(table), [0] * len(VALUES))
            for index, value in enumerate(values):
                cell[index] += value

    def add_all(self, responses: Iterable[FeedbackResponse]) -> None:
        for response in responses:
            self.add(Counted.of(response))

    def add_rows(self, rows: Iterable[tuple]) -> None:
        """Count new responses given as Counted's fields (plan_id, touchpoint_id, kind, day, score, has_verbatim):
        equal rows are counted together first (an import's rows share a few thousand cells)."""
        for fields, count in Counter(rows).items():
            self.add(Counted(*fields), count)

    def apply(self) -> None:
        """Write every non-zero change (one statement per table and 200 cells), then drop the emptied cells."""
        for table, cells in self.cells.items():
            changed = sorted((key, values) for key, values in cells.items() if any(values))
            for start in range(0, len(changed), UPSERT_CHUNK):
                _upsert(table, changed[start:start + UPSERT_CHUNK])
            emptied = [key for key, values in changed if values[0] < 0]
            if emptied:
                _drop_empty(table, emptied)
        self.cells = {table: {} for table in TABLES}


def _upsert(table: Table, rows: list[tuple[tuple, list[int]]]) -> None:
    columns = table.keys + VALUES
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    increments = ", ".join(f"{name} = {table.name}.{name} + EXCLUDED.{name}" for name in VALUES)
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {placeholders} "
           f"ON CONFLICT ({', '.join(table.unique)}) DO UPDATE SET {increments}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for key, values in rows for value in (*key, *values)])


def _drop_empty(table: Table, keys: list[tuple]) -> None:
    matching = reduce(or_, (Q(**dict(zip(table.keys, key, strict=True))) for key in keys))
    table.model.objects.filter(matching, n__lte=0).delete()


def counted_now(pk: int) -> Counted | None:
    """The committed state of a response, its row locked until the transaction ends (None if it is gone)."""
    row = (FeedbackResponse.objects.select_for_update().filter(pk=pk)
           .values_list("plan_id", "touchpoint_id", "kind", "responded_on", "score", "verbatim").first())
    return None if row is None else Counted(*row[:5], bool(row[5]))


def record(*, added: Iterable[FeedbackResponse] = (), before: Counted | None = None,
           after: Counted | None = None) -> None:
    """Count created responses, and one response's change from `before` to `after` (either may be None)."""
    deltas = Deltas()
    deltas.add_all(added)
    deltas.add(before, -1)
    deltas.add(after)
    deltas.apply()


def touchpoint_removed(sender, instance, origin=None, **kwargs) -> None:
    """pre_delete of a touchpoint: its plan × day cells lose its responses (its own cells go by foreign key).
    Nothing to do when its plan or organisation goes too: their plan × day cells go with the plan."""
    origin_model = getattr(origin, "model", type(origin))
    if origin_model is not None and origin_model._meta.label_lower in ("tenancy.plan", "tenancy.organisation"):
        return
    deltas = Deltas()
    plan_days = deltas.cells[TABLES[1]]
    for kind, day, *values in (FeedbackDay.objects.filter(touchpoint_id=instance.pk)
                               .values_list("kind", "day", *VALUES)):
        cell = plan_days.setdefault((instance.plan_id, kind, day), [0] * len(VALUES))
        for index, value in enumerate(values):
            cell[index] -= value
    deltas.apply()


# Rebuild and drift -------------------------------------------------------------------------------------------------

SUMS = ("COUNT(*), SUM(score), SUM(score * score), "
        "SUM(CASE WHEN kind = 'nps' AND score >= 9 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'nps' AND score BETWEEN 7 AND 8 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'nps' AND score <= 6 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN verbatim <> '' THEN 1 ELSE 0 END)")


def _raw_select(table: Table, plan_id: int | None) -> tuple[str, list]:
    sources = ", ".join(SOURCE[column] for column in table.keys)
    where, params = ("WHERE plan_id = %s", [plan_id]) if plan_id is not None else ("", [])
    return (f"SELECT {sources}, {SUMS} FROM {FeedbackResponse._meta.db_table} {where} GROUP BY {sources}", params)


def drift(plan_id: int | None = None) -> dict[str, int]:
    """Per table, how many cells differ from the responses (wrong, missing or extra); empty when all agree."""
    found = {}
    for table in TABLES:
        sql, params = _raw_select(table, plan_id)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            expected = {tuple(row[:len(table.keys)]): tuple(int(v) for v in row[len(table.keys):])
                        for row in cursor.fetchall()}
        stored_rows = table.model.objects.all() if plan_id is None else table.model.objects.filter(plan_id=plan_id)
        stored = {tuple(row[:len(table.keys)]): tuple(row[len(table.keys):])
                  for row in stored_rows.values_list(*table.keys, *VALUES)}
        differing = sum(1 for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key))
        if differing:
            found[table.model.__name__] = differing
    return found


@transaction.atomic
def rebuild(plan_id: int | None = None) -> None:
    """Recompute every cell (of one plan, or of every plan) from the responses, in one INSERT … SELECT a table."""
    for table in TABLES:
        rows = table.model.objects.all() if plan_id is None else table.model.objects.filter(plan_id=plan_id)
        rows._raw_delete(rows.db)
        select, params = _raw_select(table, plan_id)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table.name} ({', '.join(table.keys + VALUES)}) {select}", params)


# Reading ----------------------------------------------------------------------------------------------------------

LOOKUPS = {"exact", "in", "gt", "gte", "lt", "lte", "range"}
RESPONSE_FIELDS = {"plan": ("plan", "plan"), "touchpoint": ("touchpoint", "touchpoint"), "kind": ("kind", "kind"),
                   "responded_on": ("day", "day")}
# Which rollup answers which filters, cheapest first: the all-time cells, then a plan's days, then every cell.
SERVES = ((FeedbackTotal, {"plan", "touchpoint", "kind"}), (FeedbackPlanDay, {"plan", "kind", "day"}),
          (FeedbackDay, {"plan", "touchpoint", "kind", "day"}))


def _path(field) -> tuple[str, str] | None:
    """(the same filter's path on a rollup, the dimension it needs) for a field a response filter reads."""
    label = field.model._meta.label_lower
    if label == "assessments.feedbackresponse":
        return RESPONSE_FIELDS.get(field.name)
    if label == "tenancy.plan":
        return f"plan__{field.name}", "plan"
    if label == "planning.touchpoint":  # journey and stage: where the touchpoint is now
        return f"touchpoint__{field.name}", "touchpoint"
    return None


def _filters(node, found: list) -> bool:
    """Collect the AND-ed lookups of a WHERE tree as rollup filters; False at anything the rollups cannot answer."""
    if isinstance(node, WhereNode):
        if node.negated or (node.connector != AND and len(node.children) > 1):
            return False
        return all(_filters(child, found) for child in node.children)
    if not (isinstance(node, Lookup) and isinstance(node.lhs, Col) and node.lookup_name in LOOKUPS):
        return False
    mapped = _path(node.lhs.target)
    rhs = node.rhs
    if mapped is None or (hasattr(rhs, "resolve_expression") and not isinstance(rhs, Query)):
        return False
    found.append((f"{mapped[0]}__{node.lookup_name}", rhs, mapped[1]))
    return True


def rollup_for(responses: QuerySet, *, by_day: bool = False) -> QuerySet | None:
    """The rollup cells holding exactly the figures of `responses`, or None when a filter needs the raw rows.

    Answered from the rollups: filters (AND-ed: filter(), not exclude() or |) on the plan (and its organisation),
    the touchpoint (and its journey, stage or any of its own fields), the kind, and the date (exact, in, ranges).
    Raw: anything else — the verbatim text, sentiment, source, themes and tags, a persona or channel reached by
    another path, scores, an exclude() or an OR, distinct, slicing or annotations. `by_day`: cells that keep
    their day (to group them by month, say).
    """
    query = responses.query
    if (query.model is not FeedbackResponse or query.distinct or query.is_sliced or query.combinator
            or query.extra or query.annotations or query.group_by is not None):
        return None
    found: list = []
    if not _filters(query.where, found):
        return None
    needed = {dimension for _path_, _value, dimension in found} | ({"day"} if by_day else set())
    model = next(model for model, serves in SERVES if needed <= serves)
    return model.objects.filter(*(Q(**{path: value}) for path, value, _dimension in found))
