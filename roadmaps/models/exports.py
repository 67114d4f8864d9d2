"""Plan exports as jobs: a row per request, a Celery task that fills it in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ExportFormat(models.TextChoices):
    PDF = "pdf", _("PDF document")
    CSV = "csv", _("CSV files (zip)")
    XLSX = "xlsx", _("Excel workbook")
    JSON = "json", _("JSON (can be imported back)")


class PdfAppendix(models.TextChoices):
    """What a PDF holds beyond its summaries: the appendix of every row (evaluations, data, feedback, roadmap)."""

    AUTO = "auto", _("Full appendix, unless the PDF would go over its page budget (then a summary)")
    FULL = "full", _("Full appendix, however long the PDF")
    SUMMARY = "summary", _("Summary only, without the appendix")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Export(TimeStampedModel):
    """One export of a plan: its status and progress while the worker runs, then the file or a readable error."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the task was last handed to the broker (the sweep sends a lost one again), and the running task's last
    # sign of life (every EXPORT_HEARTBEAT_SECONDS while it renders; roadmaps/exports/heartbeat.py).
    sent_at = models.DateTimeField(_("sent to the task queue at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life at"), null=True, blank=True)
    pdf_appendix = models.CharField(_("PDF appendix"), max_length=7, choices=PdfAppendix.choices,
                                    default=PdfAppendix.AUTO)
    # The task's hard time limit in seconds, fixed when asked for from the plan's size (services.export_time_limit);
    # null: the settings' default.
    time_limit = models.PositiveIntegerField(_("time limit (s)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["plan", "-created_at"], name="export_plan_recent")]

    def __str__(self):
        return f"{self.plan} · {self.format} · {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED)
