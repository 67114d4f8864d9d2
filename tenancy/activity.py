"""Tracked writes: every create, update and delete of a plan's objects leaves a field-level Activity row.

Updates and deletes are optimistic: they apply only to the version they were based on, in one statement
(core.versioning). A refused stale write is recorded too (verb "refused", with what was attempted), after the
failed transaction has rolled back, so the history shows both sides of a conflict.

The rows also feed `GET /api/v1/changes/` (sync.api.changes). Each row records the transaction that wrote it, and
the feed reads in (transaction, id) order below a horizon of running transactions (tenancy.feed_order), so a
single write takes no lock for the feed's sake and concurrent writers of one organisation do not queue. Multi-row
writers of existing rows (a tracked batch, a deletion and its cascade) take a transaction-scoped lock per
organisation (`bulk_lock`) before they write, so two of them queue instead of deadlocking on each other's rows;
single writes never wait for it. Deleting an object records a tombstone for every versioned row the database
cascade removes with it (a journey's stages and touchpoints...), so a mirror drops them too. Hooks registered
with `on_recorded` (webhooks) see every recorded batch of rows.

Within `tracked_batch()` (a bulk upsert: many writes in one all-or-none transaction) the writes share that work:
see its docstring.
"""

import datetime
import decimal
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db import models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from core.bulk import copy_create, copy_rows
from core.versioning import MAX_VERSION, StaleVersion, versioned_save
from tenancy.models import Activity, Verb

SKIPPED = {"id", "version", "created_at", "updated_at", "plan", "organisation"}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return sorted(_plain(item) for item in items)
    return value


def snapshot(instance, fields=None) -> dict:
    """JSON-able values of the instance's editable fields (foreign keys as ids, many-to-many as sorted ids)."""
    names = fields or [f.name for f in instance._meta.concrete_fields if f.name not in SKIPPED] + [
        f.name for f in instance._meta.many_to_many
    ]
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = _plain(getattr(instance, name).all()) if instance.pk else []
        else:
            values[name] = _plain(getattr(instance, field.attname))
    return values


def _scope(instance, *, deleting=False):
    plan_id = getattr(instance, "plan_id", None)
    if plan_id is None and instance._meta.model_name == "plan":
        plan_id = None if deleting else instance.pk  # a deleted plan's history stays with its organisation
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is None:
        organisation_id = instance.plan.organisation_id
    return organisation_id, plan_id


BULK_LOCK_NAMESPACE = 0x4A50  # first key of pg_advisory_xact_lock(int, int); the second is the organisation
_hooks: list[Callable[[list[Activity]], None]] = []


def on_recorded(hook: Callable[[list[Activity]], None]) -> Callable:
    """Call `hook(rows)` after activity rows are inserted (inside the writer's transaction; defer real work). The
    rows are Activity instances, or `Recorded` tuples of the same fields (activity_rows_record)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


class _Batch:
    def __init__(self):
        self.locked: dict[int, tuple] = {}  # organisation -> the savepoints open when its feed lock was taken
        self.activities: list[Activity] = []  # recorded, inserted when the batch ends
        self.checked: set[tuple[type, object]] = set()  # (model, pk) a write of the batch saw exist
        self.memo: dict = {}  # for services (e.g. the end of a touchpoint cell)


_batch: ContextVar[_Batch | None] = ContextVar("tracked_batch", default=None)


@contextmanager
def tracked_batch():
    """Let the tracked writes made in the block, inside the caller's all-or-none transaction, share their work.

    - the writes are multi-row: each organisation's bulk lock is taken once (it lasts until the transaction ends);
    - services and tracked writes open no savepoint of their own (`atomic_write`): any error ends the batch and
      the caller's transaction rolls everything back, so there is nothing to roll back to; for the same reason
      a refused (stale) write is not recorded, as its row would roll back with the rest;
    - validation checks a foreign key once per row it points at, not once per write (the database checks them
      all again when the transaction commits, as it does for any write);
    - the activity rows are inserted together when the block ends, in the order of the writes (one INSERT, and
      one call of the `on_recorded` hooks), still under the bulk locks;
    - `batch_memo()` is a dict the services may keep values in for the rest of the batch.

    Only for a block that ends the writes' transaction with it (commit or roll back): not for a caller that
    catches a write's error and goes on.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("tracked_batch() needs a transaction (transaction.atomic) around it")
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
        activity_bulk_record(batch.activities)
    finally:
        _batch.reset(token)


def batch_memo() -> dict | None:
    """The current tracked batch's memo (see `tracked_batch`), or None outside one."""
    batch = _batch.get()
    return None if batch is None else batch.memo


def atomic_write(func):
    """`transaction.atomic` for a write service; inside a tracked batch, without a savepoint (see there)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(savepoint=_batch.get() is None):
            return func(*args, **kwargs)

    return wrapper


def bulk_lock(organisation_id: int) -> None:
    """Hold the organisation's bulk-write lock until the current transaction ends (PostgreSQL; SQLite already
    serialises writers). Taken by multi-row writers before they touch their rows, so two of them queue on the lock
    instead of deadlocking on each other's rows. Single-row writes do not take it."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    batch = _batch.get()
    # A lock taken after a savepoint goes if that savepoint is rolled back: it counts as held only while every
    # savepoint open when it was taken still is (Django never reuses a savepoint's name).
    savepoints = tuple(sid for sid in connection.savepoint_ids if sid is not None)
    if batch is not None:
        taken_under = batch.locked.get(organisation_id)
        if taken_under is not None and savepoints[:len(taken_under)] == taken_under:
            return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BULK_LOCK_NAMESPACE, int(organisation_id) % 2**31])
    if batch is not None:
        batch.locked[organisation_id] = savepoints


def _constrained_fields(instance) -> set[str] | None:
    """Names of the fields the instance's validated constraints name; None when they cannot be told apart."""
    names = {name for together in instance._meta.unique_together for name in together}
    for _model, constraints in instance.get_constraints():
        for constraint in constraints:
            if getattr(constraint, "expressions", ()):
                return None
            names.update(getattr(constraint, "fields", ()))
            pending = [getattr(constraint, "condition", None)]
            while pending:
                node = pending.pop()
                for child in getattr(node, "children", ()):
                    if isinstance(child, tuple):
                        names.add(child[0].split("__")[0])
                    else:
                        pending.append(child)
    return names


def _checked_relations(instance) -> list[str]:
    """Inside a tracked batch, the foreign keys full_clean may skip: they point at rows an earlier write of the
    batch checked, and no unique rule or constraint names them."""
    batch = _batch.get()
    if batch is None:
        return []
    constrained = _constrained_fields(instance)
    if constrained is None:
        return []
    return [field.name for field in instance._meta.concrete_fields
            if field.many_to_one and not field.unique and not field.remote_field.limit_choices_to
            and field.name not in constrained
            and (field.related_model, getattr(instance, field.attname)) in batch.checked]


def _remember_relations(instance) -> None:
    batch = _batch.get()
    if batch is not None:
        batch.checked.update((field.related_model, getattr(instance, field.attname))
                             for field in instance._meta.concrete_fields
                             if field.many_to_one and getattr(instance, field.attname) is not None)


def _lock_if_batch(instance) -> None:
    if _batch.get() is not None:
        bulk_lock(_scope(instance)[0])


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def activity_record(*, actor, instance, verb: str, changes: dict, version=None, target_id=None) -> Activity:
    organisation_id, plan_id = _scope(instance, deleting=verb == Verb.DELETED)
    with transaction.atomic(savepoint=False):
        activity = Activity(
            organisation_id=organisation_id,
            plan_id=plan_id,
            actor=_actor(actor),
            verb=verb,
            target_type=instance._meta.label_lower,
            target_id=target_id or instance.pk,
            target_repr=str(instance)[:200],
            version=version if version is not None else getattr(instance, "version", None),
            changes=changes,
        )
        batch = _batch.get()
        if batch is not None:
            batch.activities.append(activity)  # inserted when the batch ends
            return activity
        activity.save(force_insert=True)
        for hook in _hooks:
            hook([activity])
    return activity


def activity_bulk_record(activities: list[Activity], *, batch_size: int = 5000) -> list[Activity]:
    """Insert many rows at once (imports, cascaded deletions, a batch's writes). Inserting takes no lock: the
    writers that change existing rows took their bulk locks already."""
    if not activities:
        return []
    with transaction.atomic(savepoint=False):
        created = [row for start in range(0, len(activities), batch_size)
                   for row in copy_create(activities[start:start + batch_size])]
        for hook in _hooks:
            hook(created)
    return created


class Recorded(NamedTuple):
    """A row `activity_rows_record` inserted, as the hooks get it: an Activity's fields, without the instance."""

    pk: int
    organisation_id: int
    plan_id: int | None
    actor_id: int | None
    actor: object
    verb: str
    target_type: str
    target_id: int
    target_repr: str
    version: int | None
    changes: dict
    created_at: datetime.datetime


def activity_rows_record(*, organisation_id: int, plan_id: int | None, actor, verb: str, target_type: str,
                         rows: Iterable[tuple]) -> int:
    """Insert history rows of one writer from plain values, (target_id, target_repr, version, changes) each: what
    activity_bulk_record does without an Activity instance per row (a 100,000-row import spent more time building
    them than the database spent storing them). Hooks get `Recorded` rows. Returns the number of rows."""
    actor = actor if actor is not None and actor.is_authenticated else None
    actor_id = actor.pk if actor is not None else None
    now = timezone.now()
    rows = [(target_id, target_repr[:200], version, changes) for target_id, target_repr, version, changes in rows]
    if not rows:
        return 0
    columns = ("organisation_id", "plan_id", "actor_id", "verb", "target_type", "target_id", "target_repr", "version",
               "changes", "created_at")
    ids = copy_rows(Activity, columns, [(organisation_id, plan_id, actor_id, verb, target_type, *row, now)
                                        for row in rows])
    recorded = [Recorded(pk, organisation_id, plan_id, actor_id, actor, verb, target_type, *row, now)
                for pk, row in zip(ids, rows, strict=True)]
    for hook in _hooks:
        hook(recorded)
    return len(ids)


def tracked_create(instance, *, actor, m2m: dict | None = None):
    """Validate, save, set many-to-many values, and record the creation with every field's value."""
    instance.full_clean(exclude=_checked_relations(instance))
    _remember_relations(instance)
    with transaction.atomic(savepoint=False):
        _lock_if_batch(instance)
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        after = snapshot(instance)
        activity_record(actor=actor, instance=instance, verb=Verb.CREATED,
                        changes={name: [None, value] for name, value in after.items() if value not in (None, "", [])})
    return instance


def tracked_update(instance, *, actor, changes: dict, version: int | None = None):
    """Apply `changes` (field -> new value) if the row is still at `version`; record the field-level diff.

    Raises StaleVersion (with the current row) when another write got there first; that attempt is recorded.
    """
    m2m_names = {f.name for f in instance._meta.many_to_many}
    plain = {k: v for k, v in changes.items() if k not in m2m_names}
    m2m = {k: v for k, v in changes.items() if k in m2m_names}
    before = snapshot(instance, list(changes))
    based_on = instance.version if version is None else version
    batch = _batch.get()
    try:
        with transaction.atomic(savepoint=batch is None):
            _lock_if_batch(instance)
            for name, value in plain.items():
                setattr(instance, name, value)
            # Even an m2m-only change bumps the version, so concurrent edits of the list conflict too.
            versioned_save(instance, fields=list(plain), expected_version=based_on,
                           exclude=_checked_relations(instance))
            _remember_relations(instance)
            for name, values in m2m.items():
                getattr(instance, name).set(values)
            after = snapshot(instance, list(changes))
            diff = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
            activity_record(actor=actor, instance=instance, verb=Verb.UPDATED, changes=diff)
    except StaleVersion as stale:
        if batch is not None:
            raise  # the batch's transaction rolls back, and a refused row with it (see tracked_batch)
        current = snapshot(stale.current, list(changes))
        tried = {k: _plain(v) for k, v in changes.items()}
        attempted = {k: [current[k], tried[k]] for k in changes if current[k] != tried[k]}  # what it would change
        activity_record(actor=actor, instance=stale.current, verb=Verb.REFUSED, changes=attempted,
                        version=based_on if 0 <= based_on <= MAX_VERSION else None)  # a version no row can have
        raise
    return instance


def _cascaded(collector: Collector, root: models.Model) -> list[models.Model]:
    """The versioned rows a deletion takes with it (not the root, not link tables or history rows)."""
    def versioned(model):
        return any(field.name == "version" for field in model._meta.concrete_fields)

    rows = [obj for model, instances in collector.data.items() if versioned(model) for obj in instances
            if not (model is type(root) and obj.pk == root.pk)]
    return rows + [obj for qs in collector.fast_deletes if versioned(qs.model) for obj in qs]  # read before deleted


def tracked_delete(instance, *, actor, version: int | None = None) -> None:
    """Delete the row (and its cascade) only if it is still at `version`; record the deletion with its values.

    Each versioned row of the cascade gets its own "deleted" row (with empty changes) so the feed shows it gone;
    a plan's own objects go with the plan's history, so deleting a plan records only the plan.
    """
    based_on = instance.version if version is None else version
    before = snapshot(instance)
    pk = instance.pk
    model = type(instance)
    organisation_id, plan_id = _scope(instance, deleting=True)
    with transaction.atomic():
        bulk_lock(organisation_id)
        doomed = model._base_manager.filter(pk=pk, version=based_on)
        collector = Collector(using=doomed.db, origin=doomed)
        collector.collect(doomed)
        cascaded = [] if model._meta.model_name == "plan" else _cascaded(collector, instance)
        tombstones = [  # built now: the collector clears the deleted instances' ids
            Activity(organisation_id=organisation_id, plan_id=getattr(row, "plan_id", plan_id), actor=_actor(actor),
                     verb=Verb.DELETED, target_type=row._meta.label_lower, target_id=row.pk,
                     target_repr=str(row)[:200], version=row.version, changes={})
            for row in cascaded
        ]
        deleted, _ = collector.delete()
        if not deleted:
            current = model._base_manager.filter(pk=pk).first()
            if current is None:
                return  # already gone: deleting twice is harmless
            raise StaleVersion(current)
        activity_bulk_record(tombstones)
        activity_record(actor=actor, instance=instance, verb=Verb.DELETED, version=based_on, target_id=pk,
                        changes={name: [value, None] for name, value in before.items() if value not in (None, "", [])})
