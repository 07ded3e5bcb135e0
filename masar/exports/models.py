from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.jobs import LeasedJob


class ExportKind(models.TextChoices):
    PROJECTS = "projects", _("Projects")
    OBSTACLES = "obstacles", _("Obstacles")
    DECISIONS = "decisions", _("Decisions")
    INDICATOR_VALUES = "indicator-values", _("Indicator values")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Export(LeasedJob):
    """A large export built in the background for the one person who asked for it."""

    job_task = "masar.exports.tasks.export_build_task"
    job_owner = "user"
    job_audited = True  # who took a file of records out

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    query = models.TextField(_("filters"), blank=True, help_text=_("The query string of the list, as asked"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED, db_index=True
    )
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("total rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.kind}.{self.format} #{self.pk}"

    @property
    def is_done(self):
        return self.status == ExportStatus.DONE

    @property
    def is_failed(self):
        return self.status == ExportStatus.FAILED

    @property
    def is_expired(self):
        """Finished, but its file was deleted after the retention period (masar.exports.retention)."""
        return self.status == ExportStatus.DONE and not self.file

    @property
    def filename(self):
        return f"{self.kind}.{self.format}"

    @property
    def percent(self):
        if not self.total:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(100, round(100 * self.rows_written / self.total))
