"""Shared model pieces: the user, timestamps, the optimistic-locking version, external ids, API tokens and
idempotency records."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: creation and modification times on every row."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Abstract base for co-edited rows: `version` grows by one on every write (optimistic locking)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in; belongs to organisations through memberships."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        parts = [p for p in (self.first_name, self.last_name) if p] or [self.username]
        return "".join(p[0] for p in parts[:2]).upper()


class ExternalIdModel(models.Model):
    """Abstract base: the id another system (a CRM, another planning tool) knows this row by, for upserts."""

    external_source = models.CharField(
        _("external source"), max_length=50, blank=True, default="",
        help_text=_("The system the external id comes from, for example “crm”. Required with an external id."),
    )
    external_id = models.CharField(
        _("external id"), max_length=200, blank=True, default="",
        help_text=_("This object's id in that system; unique per source within the plan (or organisation)."),
    )

    class Meta:
        abstract = True

    # The database enforces external_id_constraints(); validation checks the same rules itself, with one plain
    # query, instead of Django's generic check of each constraint (a savepoint and a query per rule, inside a
    # transaction): bulk upserts validate a thousand rows at a time. Its messages also name the field.

    def get_constraints(self):
        return [(model, [c for c in constraints if not c.name.endswith(EXTERNAL_ID_CONSTRAINTS)])
                for model, constraints in super().get_constraints()]

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not {"external_source", "external_id"} & set(exclude or ()):
            message = self.external_id_error()
            if message:
                errors.setdefault("external_id", []).append(message)
        if errors:
            raise ValidationError(errors)

    def external_id_error(self) -> str | None:
        if not self.external_id:
            return None
        if not self.external_source:
            return _("An external id needs its source.")
        scope = next(c.fields[0] for c in self._meta.constraints if c.name.endswith("_unique_external_id"))
        attname = self._meta.get_field(scope).attname
        taken = type(self)._default_manager.filter(
            **{attname: getattr(self, attname)}, external_source=self.external_source, external_id=self.external_id,
        ).exclude(pk=self.pk).exists()
        return EXTERNAL_ID_TAKEN[scope] if taken else None


EXTERNAL_ID_CONSTRAINTS = ("_unique_external_id", "_external_id_has_source")  # name suffixes
EXTERNAL_ID_TAKEN = {
    "plan": _("Another object of this plan already has this external source and id."),
    "organisation": _("Another object of this organisation already has this external source and id."),
}


def external_id_constraints(scope: str, prefix: str) -> list:
    """Rules for ExternalIdModel rows: an id needs its source; (source, id) is unique within `scope` when set.

    `scope` is the field the ids are unique within ("plan" for a plan's objects, "organisation" for plans, teams
    and channels); blank ids are not unique (most rows have none).
    """
    return [
        models.UniqueConstraint(
            fields=[scope, "external_source", "external_id"], condition=~models.Q(external_id=""),
            name=f"{prefix}_unique_external_id",
            violation_error_message=EXTERNAL_ID_TAKEN[scope],
        ),
        models.CheckConstraint(
            condition=models.Q(external_id="") | ~models.Q(external_source=""),
            name=f"{prefix}_external_id_has_source",
            violation_error_message=_("An external id needs its source."),
        ),
    ]
