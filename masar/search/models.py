"""The search index: one entry per searchable record, its vocabulary for typo tolerance, and the thesaurus.

An entry keeps the record's original texts (for snippets) and their analyzed terms; the full-text
structure over the terms is the database's own (a `tsvector` with a GIN index on PostgreSQL, an
FTS5 table on SQLite, see `schema.py`). Who may read an entry is never stored here: the engine asks
the record's own `visible_to` inside the query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.models import ClassificationField


class EntryKind(models.TextChoices):
    PROJECT = "project", _("Project")
    ORGANIZATION = "organization", _("Organization")
    STRATEGY = "strategy", _("Strategy")
    AXIS = "axis", _("Axis")
    PROGRAM = "program", _("Program")
    DECISION = "decision", _("Decision")
    OBSTACLE = "obstacle", _("Obstacle")
    INDICATOR = "indicator", _("Indicator")
    MEETING = "meeting", _("Meeting")
    DOCUMENT = "document", _("Document")
    SERVICE = "service", _("Government service")


class SearchEntry(models.Model):
    """What search knows of one record, rebuilt by `index.entry_refresh` after each audited change."""

    kind = models.CharField(_("type"), max_length=16, choices=EntryKind.choices)
    object_id = models.BigIntegerField()
    title_ar = models.TextField(blank=True)
    title_fr = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    body_ar = models.TextField(blank=True)  # the record's texts as written, by language, for snippets
    body_fr = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    title_folded = models.TextField(blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    classification = ClassificationField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_record")]
        indexes = [models.Index(fields=["kind", "object_id"])]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class SearchTermKey(models.Model):
    """A word of the index (as written, without its article) under itself and each of its one-letter
    deletions, with its index term: finds the words one edit from a typed word, and their terms."""

    key = models.CharField(max_length=100, db_index=True)
    word = models.CharField(max_length=100)
    term = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "word"], name="search_term_key")]

    def __str__(self):
        return f"{self.key} → {self.word} ({self.term})"


class ThesaurusGroup(models.Model):
    """Words and phrases that mean the same to a civil servant, one per line; kept by the national unit."""

    terms = models.TextField(_("words and phrases, one per line"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("thesaurus")

    def __str__(self):
        return " · ".join(self.members)

    @property
    def members(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
