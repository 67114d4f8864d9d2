"""The activity history of a plan: who changed what, when, field by field."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancy.models.organisations import Organisation
from tenancy.models.plans import Plan


class CurrentTransactionId(models.Func):
    """The writing transaction's 64-bit id (PostgreSQL's pg_current_xact_id()), as a bigint; 0 elsewhere.

    The changes feed orders rows by (transaction, id) and reads only below a horizon no running transaction of the
    database lies under (tenancy.feed_order): a row can never appear behind a cursor, without a lock around writes.
    """

    template = "0"
    output_field = models.BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return "(pg_current_xact_id()::text::bigint)", []


class Verb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")
    REFUSED = "refused", _("change refused (stale version)")


class Activity(models.Model):
    """One recorded write. `changes` maps a field to [before, after]; a refused write keeps what was attempted."""

    # No index of their own: activity_feed and activity_plan_recent start with them (one history row is written per
    # imported response, so every index costs).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="activities",
                             db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    verb = models.CharField(_("action"), max_length=10, choices=Verb.choices)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.BigIntegerField(_("object id"))
    target_repr = models.CharField(_("object"), max_length=200)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    transaction = models.BigIntegerField(_("transaction"), db_default=CurrentTransactionId(), editable=False)

    class Meta:
        db_table = "planning_activity"  # its table from when it lived in planning (tenancy/migrations/0001)
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["plan", "-created_at"], name="activity_plan_recent"),
                   models.Index(fields=["target_type", "target_id"], name="activity_target"),
                   # The changes feed: an organisation's rows after a cursor, in (transaction, id) order
                   # (sync.api.changes); the live layer's replays read rows after an id (organisation, id).
                   models.Index(fields=["organisation", "transaction", "id"], name="activity_feed_tx"),
                   models.Index(fields=["organisation", "id"], name="activity_feed")]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.target_type} {self.target_id}"
