"""Bulk imports: the jobs people and systems start, and the ids other systems know our records by."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masar.core.jobs import LeasedJob


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("Projects with milestones")
    PROGRESS_UPDATES = "progress_updates", _("Progress updates")
    OBSTACLES = "obstacles", _("Obstacles")
    MEASUREMENTS = "measurements", _("Indicator values")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("an import", "Done")
    REFUSED = "refused", _("Refused: nothing was saved")
    FAILED = "failed", pgettext_lazy("an import", "Failed")


class ImportJob(LeasedJob):
    """One file sent for import, checked (dry run) or saved, by one person or system.

    errors holds [{"row", "column", "code", "params"}]: reason keys with their parameters, worded in
    the reader's language when shown (masar.imports.reasons), never stored as text.
    """

    job_task = "masar.imports.tasks.import_run_task"
    job_owner = "user"
    # Not audited as a job: every record it saves is in the trail already.

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ImportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/", blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("records unchanged"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} {self.filename} #{self.pk}"

    @property
    def is_running(self):
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_done(self):
        return self.status == ImportStatus.DONE

    @property
    def has_failed(self):
        return self.status == ImportStatus.FAILED

    @property
    def percent(self):
        if not self.total_rows:
            return 0 if self.is_running else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ExternalReference(models.Model):
    """The id another administration's system knows one of our records by: what makes an import idempotent."""

    source_system = models.CharField(_("source system"), max_length=100)
    external_id = models.CharField(_("external id"), max_length=200)
    # Not indexed alone: the (content_type, object_id) index below begins with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "content_type", "external_id"], name="external_reference_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="external_reference_object")]
        verbose_name = _("external reference")
        verbose_name_plural = _("external references")

    def __str__(self):
        return f"{self.source_system}:{self.external_id}"
