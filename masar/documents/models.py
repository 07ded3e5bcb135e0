"""The document library: laws and decrees, mandates, strategies, council communiqués, minutes and
reports, each with its versions (the original file kept under a random name) and its text."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Provenance, Versioned
from masar.core.records import RecordType


class DocumentKind(models.TextChoices):
    LAW = "law", _("Law or decree")
    MANDATE = "mandate", _("Mandate")
    STRATEGY = "strategy", _("Strategy")
    COMMUNIQUE = "communique", _("Council communiqué")
    MINUTES = "minutes", _("Minutes")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class DocumentLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class TextStatus(models.TextChoices):
    EXTRACTED = "extracted", _("Text extracted from the file")
    PASTED = "pasted", _("Text pasted")
    NO_TEXT_LAYER = "no_text_layer", _("No text layer (a scan?): the text cannot be searched")


class DocumentQuerySet(ClassifiedQuerySet):
    """A document is read by the readers of its classification and owner (its issuing organization)."""

    owner_lookup = "organization"


class Document(Versioned, Provenance):
    """A text a ministry keeps and cites: its metadata, its links to the records it concerns, its current text."""

    record_type = RecordType.DOCUMENTS
    # The trail keeps a fingerprint of the text (it shows that it changed), not a copy of a whole law per change.
    audit_redacted = ("text",)

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    date = models.DateField(_("date"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("issuing organization"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=DocumentLanguage.choices, default=DocumentLanguage.ARABIC
    )
    classification = ClassificationField()
    # The current version's text: the one copy search reads. Kept by the services only.
    text = models.TextField(_("text"), blank=True, editable=False)
    text_status = models.CharField(
        _("text"), max_length=16, choices=TextStatus.choices, default=TextStatus.PASTED, editable=False
    )
    organizations = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("organizations concerned"),
        blank=True,
        related_name="documents_concerning",
    )
    strategies = models.ManyToManyField(
        "strategy.Strategy", verbose_name=_("strategies concerned"), blank=True, related_name="documents"
    )
    projects = models.ManyToManyField(
        "portfolio.Project", verbose_name=_("projects concerned"), blank=True, related_name="documents"
    )
    meetings = models.ManyToManyField(
        "decisions.Meeting", verbose_name=_("meetings concerned"), blank=True, related_name="documents"
    )
    decisions = models.ManyToManyField(
        "decisions.Decision", verbose_name=_("decisions concerned"), blank=True, related_name="documents"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    @property
    def lacks_text_layer(self) -> bool:
        """Whether the current version is a PDF without text (a scan): kept, but its text cannot be searched."""
        return self.text_status == TextStatus.NO_TEXT_LAYER

    @property
    def owner(self):
        """The organization that owns the document (as the policy names owners): its issuing organization."""
        return self.organization


class DocumentVersionQuerySet(ClassifiedQuerySet):
    """A version is read by exactly those who may read its document."""

    classification_lookup = "document__classification"
    owner_lookup = "document__organization"


class DocumentVersion(models.Model):
    """One version of a document: the original file (or the pasted text) and the text read from it."""

    record_type = RecordType.DOCUMENTS
    audit_redacted = ("text",)

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("kind of file"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("text"), blank=True)
    text_status = models.CharField(_("text"), max_length=16, choices=TextStatus.choices)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self):
        return self.original_name or str(self.number)

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
