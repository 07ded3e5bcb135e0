"""Evidence attached to a progress update, an obstacle or an action-taken report on a decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import Classification, ClassificationField

RECORD_FIELDS = ("update", "obstacle", "action_update")


class AttachmentQuerySet(ClassifiedQuerySet):
    """An attachment is read by exactly those who may read its record.

    It has no classification of its own (always public in itself): every rule comes from the
    record it reveals, so it follows the record when the record's classification or state moves.
    """

    owner_lookup = "uploaded_by__organization"  # never decisive: the attachment itself is public
    coordinator_writes = False
    reveals = RECORD_FIELDS


class Attachment(models.Model):
    """A file kept in the media storage under a random name and handed out only through the policy."""

    update = models.ForeignKey(
        "delivery.ProgressUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    obstacle = models.ForeignKey(
        "delivery.Obstacle", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    action_update = models.ForeignKey(
        "decisions.ActionUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("kind"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    classification = ClassificationField(default=Classification.PUBLIC, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(update__isnull=False, obstacle__isnull=True, action_update__isnull=True)
                    | Q(update__isnull=True, obstacle__isnull=False, action_update__isnull=True)
                    | Q(update__isnull=True, obstacle__isnull=True, action_update__isnull=False)
                ),
                name="attachment_one_record",
            )
        ]

    def __str__(self):
        return self.original_name
