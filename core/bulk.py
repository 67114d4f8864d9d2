"""Insert many rows through PostgreSQL's COPY: what `bulk_create` does (auto_now fields, ids set on the objects),
without building an INSERT of thousands of parameters (issue 16: Django compiled the SQL and psycopg converted the
parameters of each 2,000-row INSERT for most of a feedback import's time).

    saved = copy_create(objects)  # bulk_create on any other database
    ids = copy_rows(Model, ("plan_id", "name"), [(1, "a"), (1, "b")])  # plain values: no model instances at all

The ids are taken from the table's sequence first (one query), so the objects get them as with bulk_create; a
column whose field has a database default the object left unset (`db_default`) is left out of the COPY, so
PostgreSQL fills it. Values go to psycopg as they are (dates, numbers, text); JSON fields as jsonb, with the field's
encoder. `copy_rows` is for the largest writes (imports): building a model instance per row cost more than the COPY.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import JSONField
from django.db.models.expressions import DatabaseDefault

SEQUENCE_IDS = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


def copy_create(objects: list, *, using: str | None = None) -> list:
    """Insert model instances of one model, like bulk_create(objects), and return them with their ids."""
    if not objects:
        return objects
    model = type(objects[0])
    using = using or router.db_for_write(model)
    if connections[using].vendor != "postgresql":
        return model._default_manager.using(using).bulk_create(objects)
    first, pk = objects[0], model._meta.pk
    fields = [f for f in model._meta.concrete_fields
              if f is not pk and not isinstance(getattr(first, f.attname, None), DatabaseDefault)]
    ids = _copy(model, fields, ([f.pre_save(obj, True) for f in fields] for obj in objects), len(objects), using)
    for obj, new_id in zip(objects, ids, strict=True):
        obj.pk = new_id
        obj._state.adding, obj._state.db = False, using
    return objects


def copy_rows(model, columns: Sequence[str], rows: list[Sequence], *, using: str | None = None) -> list[int]:
    """Insert plain rows of `model` (each a sequence of values for `columns`, fields' attnames, as the database
    takes them: no defaults filled in, no auto_now) and return their new ids in order. bulk_create elsewhere."""
    if not rows:
        return []
    using = using or router.db_for_write(model)
    if connections[using].vendor != "postgresql":
        objects = model._default_manager.using(using).bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows])
        return [obj.pk for obj in objects]
    fields = [model._meta.get_field(column) for column in columns]
    return _copy(model, fields, rows, len(rows), using)


def _copy(model, fields: list, rows, count: int, using: str) -> list[int]:
    """COPY `count` rows of values for `fields` (an iterable, read once) with ids from the sequence; the ids."""
    connection = connections[using]
    meta = model._meta
    json = [f if isinstance(f, JSONField) else None for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(SEQUENCE_IDS, [meta.db_table, meta.pk.column, count])
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(connection.ops.quote_name(c) for c in [meta.pk.column, *(f.column for f in fields)])
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        adapt = connection.ops.adapt_json_value
        with cursor.cursor.copy(statement) as copy:
            if not any(json):
                for values, new_id in zip(rows, ids, strict=True):
                    copy.write_row((new_id, *values))
            else:
                for values, new_id in zip(rows, ids, strict=True):
                    copy.write_row([new_id, *(adapt(v, field.encoder) if field is not None and v is not None else v
                                              for v, field in zip(values, json, strict=True))])
    return ids
