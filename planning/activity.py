"""Tracked writes: every create, update and delete of a plan's objects leaves a field-level Activity row.

Updates and deletes are optimistic: they apply only to the version they were based on, in one statement
(core.versioning). A refused stale write is recorded too (verb "refused", with what was attempted), after the
failed transaction has rolled back, so the history shows both sides of a conflict.
"""

import datetime
import decimal

from django.db import models, transaction

from core.versioning import StaleVersion, versioned_save

from .models import Activity, Verb

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


def activity_record(*, actor, instance, verb: str, changes: dict, version=None, target_id=None) -> Activity:
    organisation_id, plan_id = _scope(instance, deleting=verb == Verb.DELETED)
    return Activity.objects.create(
        organisation_id=organisation_id,
        plan_id=plan_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=instance._meta.label_lower,
        target_id=target_id or instance.pk,
        target_repr=str(instance)[:200],
        version=version if version is not None else getattr(instance, "version", None),
        changes=changes,
    )


def tracked_create(instance, *, actor, m2m: dict | None = None):
    """Validate, save, set many-to-many values, and record the creation with every field's value."""
    instance.full_clean()
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
    try:
        with transaction.atomic():
            for name, value in plain.items():
                setattr(instance, name, value)
            # Even an m2m-only change bumps the version, so concurrent edits of the list conflict too.
            versioned_save(instance, fields=list(plain), expected_version=based_on)
            for name, values in m2m.items():
                getattr(instance, name).set(values)
            after = snapshot(instance, list(changes))
            diff = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
            activity_record(actor=actor, instance=instance, verb=Verb.UPDATED, changes=diff)
    except StaleVersion as stale:
        current = snapshot(stale.current, list(changes))
        attempted = {k: [current[k], _plain(v)] for k, v in changes.items()}
        activity_record(actor=actor, instance=stale.current, verb=Verb.REFUSED, changes=attempted, version=based_on)
        raise
    return instance


def tracked_delete(instance, *, actor, version: int | None = None) -> None:
    """Delete the row (and its cascade) only if it is still at `version`; record the deletion with its values."""
    based_on = instance.version if version is None else version
    before = snapshot(instance)
    pk = instance.pk
    model = type(instance)
    with transaction.atomic():
        deleted, _ = model._base_manager.filter(pk=pk, version=based_on).delete()
        if not deleted:
            current = model._base_manager.filter(pk=pk).first()
            if current is None:
                return  # already gone: deleting twice is harmless
            raise StaleVersion(current)
        activity_record(actor=actor, instance=instance, verb=Verb.DELETED, version=based_on, target_id=pk,
                        changes={name: [value, None] for name, value in before.items() if value not in (None, "", [])})
