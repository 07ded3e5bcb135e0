from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.jobs import LeasedJob
from masar.core.models import Classification


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CouncilPack(LeasedJob):
    """A council pack (PDF) asked by one person, for the nation or one organization, up to a classification."""

    job_task = "masar.reports.tasks.build_council_pack"
    job_owner = "requested_by"
    job_audited = True  # who took out a pack of classified material

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty for the national pack"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ar")
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices)
    status = models.CharField(_("status"), max_length=16, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(upload_to="packs/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("council pack")
        verbose_name_plural = _("council packs")

    def __str__(self):
        return f"{self.pk} {self.organization_id or 'national'} {self.classification}"

    @property
    def is_done(self):
        return self.status == PackStatus.DONE

    @property
    def is_failed(self):
        return self.status == PackStatus.FAILED

    @property
    def is_expired(self):
        """Ready once, but its PDF was deleted after the retention period (masar.exports.retention)."""
        return self.status == PackStatus.DONE and not self.file
