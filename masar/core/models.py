"""Building blocks shared by every domain model: names in three languages, classification,
versions for optimistic locking, trees kept as materialized paths, and provenance."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


SECRET_WORDS = {"secret", "top_secret", "top-secret", "سري للغاية", "سري جدا", "secret défense", "très secret"}


def validate_classification(value):
    """Refuse secret material with a message that says why; refuse unknown levels."""
    if str(value).strip().casefold() in SECRET_WORDS:
        raise ValidationError(
            _("Masar does not hold secret material. Keep it in the channels approved for secret documents."),
            code="secret",
        )
    if value not in Classification.values:
        raise ValidationError(
            _("%(value)s is not a classification level. Choose public, restricted or confidential."),
            code="invalid_classification",
            params={"value": value},
        )


class ClassificationField(models.CharField):
    """A record's classification: public, restricted or confidential; secret is refused."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("choices", Classification.choices)
        kwargs.setdefault("default", Classification.RESTRICTED)
        kwargs.setdefault("verbose_name", _("classification"))
        kwargs.setdefault("db_index", True)
        kwargs["validators"] = [validate_classification]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        # The secret check must speak before the generic "not a valid choice" message.
        validate_classification(value)
        super().validate(value, model_instance)


def localized(obj, field):
    """Return obj.<field>_<active language>, falling back to the Arabic text."""
    language = (get_language() or "ar")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_ar", "")


class Named(models.Model):
    """A name typed by a person: required in Arabic, optional in French and English."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=400)
    name_fr = models.CharField(_("name (French)"), max_length=400, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")


class Described(models.Model):
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self):
        return localized(self, "description")


class Versioned(models.Model):
    """A version number raised by every edit, so a stale edit can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # When the record last changed: what other administrations' systems sync from (`updated_since`).
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Provenance(models.Model):
    """Where a record comes from: a source document, or generated as a labelled sample."""

    is_sample = models.BooleanField(_("sample record"), default=False, db_index=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Names of the fields of a record from a source that the source is silent on and a sample fills in.
    sample_fields = models.JSONField(_("sample fields"), default=list, blank=True)

    class Meta:
        abstract = True

    def field_is_sample(self, name: str) -> bool:
        """Return whether one field of a record taken from a source is sample data (the record itself is not)."""
        return not self.is_sample and name in (self.sample_fields or ())


class TreeNode(models.Model):
    """A node of a tree stored with its materialized path ("/1/7/42/").

    The path makes a subtree one indexed prefix match and the ancestors a parse of one
    string, which stays fast with hundreds of organizations and thousands of readers.
    Paths are kept by `masar.core.services.tree_node_place`, never by save().
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def ancestor_ids(self):
        """Return the ids from the root down to this node, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def clean(self):
        super().clean()
        if self.parent_id and self.pk:
            if self.parent_id == self.pk or (self.parent.path and f"/{self.pk}/" in self.parent.path):
                raise ValidationError({"parent": _("A node cannot be placed under itself or one of its descendants.")})
