"""A plan version: the plan frozen at a moment ("after workshop 2"), stored once as a compressed snapshot; and the
background job that duplicates a journey or a whole plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PlanVersion(models.Model):
    """The plan as it was when someone froze it: read-only; `snapshot` is the gathered export data, zlib-compressed
    JSON (versions/snapshot.py), never re-rendered from the live rows."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="plan_versions",
                                     verbose_name=_("organisation"))
    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("frozen by"))
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)  # a version never changes
    snapshot = models.BinaryField(_("snapshot"), editable=False)
    snapshot_format = models.PositiveSmallIntegerField(_("snapshot format"), default=1, editable=False)
    size_bytes = models.PositiveIntegerField(_("stored size (bytes)"), default=0, editable=False)
    touchpoint_count = models.PositiveIntegerField(_("touchpoints"), default=0, editable=False)
    journey_count = models.PositiveIntegerField(_("journeys"), default=0, editable=False)
    roadmap_item_count = models.PositiveIntegerField(_("roadmap items"), default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        indexes = [models.Index(fields=["plan", "-created_at"], name="plan_version_recent")]

    def __str__(self):
        return self.name


class DuplicationKind(models.TextChoices):
    PLAN = "plan", _("A whole plan")
    JOURNEY = "journey", _("One journey")


class DuplicationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(TimeStampedModel):
    """A job that makes a plan or a journey in the background (versions/jobs.py runs its life): its status and
    progress while a worker makes it, then what it made or a readable error."""

    status = models.CharField(_("status"), max_length=10, choices=DuplicationStatus.choices,
                              default=DuplicationStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    result_plan = models.ForeignKey("tenancy.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("plan made"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (DuplicationStatus.SUCCEEDED, DuplicationStatus.FAILED)


class DuplicationJob(Job):
    """One duplication of a journey (into its plan or another plan of the organisation) or of a whole plan: its
    status and progress while the worker copies, then what it made or a readable error."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE,
                                     related_name="duplication_jobs", verbose_name=_("organisation"))
    kind = models.CharField(_("what is copied"), max_length=10, choices=DuplicationKind.choices)
    source_plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="duplications",
                                    verbose_name=_("source plan"))
    source_journey = models.ForeignKey("planning.Journey", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="+", verbose_name=_("source journey"))
    target_plan = models.ForeignKey("tenancy.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("target plan"))
    name = models.CharField(_("name of the copy"), max_length=200)
    result_journey = models.ForeignKey("planning.Journey", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("journey made"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duplication")
        verbose_name_plural = _("duplications")
        constraints = [
            models.CheckConstraint(condition=Q(kind="plan", source_journey__isnull=True)
                                   | Q(kind="journey", source_journey__isnull=False),
                                   name="duplication_journey_iff_journey_kind"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="duplication_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name} · {self.status}"

