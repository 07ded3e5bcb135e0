import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    BULK_CREATE = "bulk_create", _("created in bulk")


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))

    def data_version(self) -> int:
        """Return a number that changes whenever any record changes (every change writes an audit entry)."""
        return self.aggregate(v=models.Max("id"))["v"] or 0


class AuditEntry(models.Model):
    """One change to a domain record. Entries form a chain signed with a server key (HMAC-SHA256): each carries
    its place in the chain (`seq`) and the hash of the one before.

    The hash covers only values that never change once written: the actor's id is copied into `actor_ref` and
    the model's name into `model_label`, so a foreign key or a renamed model cannot break the chain.
    """

    seq = models.PositiveBigIntegerField(_("number in the trail"), unique=True)
    created_at = models.DateTimeField(_("when"), db_index=True)
    # Users are deactivated, never deleted (see masar.audit.apps); PROTECT says so to the ORM as well.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_ref = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    model_label = models.CharField(max_length=100, editable=False)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("record"), max_length=400)
    version = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    key_id = models.CharField(max_length=16, editable=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id", "id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        # The trail is append-only for the application's database user; TRUNCATE stays possible for test
        # flushes and restores, and a superuser can still drop the trigger, which the HMAC and anchors catch.
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}"
