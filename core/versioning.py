"""Optimistic locking: a write applies only to the version it was based on, in one UPDATE statement."""

from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

# The largest version a row can have (a PositiveIntegerField); a write based on a larger one is simply stale.
MAX_VERSION = 2_147_483_647


class StaleVersion(Exception):
    """The row changed since the client loaded it; `current` is the row as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current._meta.verbose_name} {current.pk} is at version {current.version}")


def versioned_save(instance, *, fields: list[str], expected_version: int | None = None, exclude=None):
    """Validate, then `UPDATE ... SET fields, version=version+1 WHERE id=%s AND version=%s`.

    With `expected_version=None` the write is based on the version the instance was loaded with.
    Raises StaleVersion (holding a fresh copy of the row) if another write got there first. `exclude`: fields
    validation may skip, as for full_clean (a caller that checked them already).
    """
    based_on = instance.version if expected_version is None else expected_version
    instance.full_clean(exclude=exclude)
    instance.updated_at = timezone.now()
    attnames = [instance._meta.get_field(name).attname for name in fields]
    values = {attname: getattr(instance, attname) for attname in attnames}
    model = type(instance)
    updated = model._base_manager.filter(pk=instance.pk, version=based_on).update(
        **values, updated_at=instance.updated_at, version=F("version") + 1
    )
    if not updated:
        current = model._base_manager.filter(pk=instance.pk).first()
        if current is None:
            raise Http404(_("Someone deleted this meanwhile."))
        raise StaleVersion(current)
    instance.version = based_on + 1
    return instance
