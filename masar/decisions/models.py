from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Named, Provenance, Versioned, localized


class MeetingKind(models.TextChoices):
    COUNCIL_OF_MINISTERS = "council_of_ministers", _("Council of ministers")
    MINISTERIAL_COUNCIL = "ministerial_council", _("Ministerial council")
    STOCKTAKE = "stocktake", _("Stocktake")


class MeetingQuerySet(ClassifiedQuerySet):
    coordinator_writes = False


class Meeting(Named, Versioned, Provenance):
    """A meeting of a deciding body: a council of ministers, a ministerial council, a stocktake."""

    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices)
    body_ar = models.CharField(_("body (Arabic)"), max_length=300)
    body_fr = models.CharField(_("body (French)"), max_length=300, blank=True)
    body_en = models.CharField(_("body (English)"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    place_ar = models.CharField(_("place (Arabic)"), max_length=200, blank=True)
    place_fr = models.CharField(_("place (French)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("convened by"), on_delete=models.PROTECT, related_name="meetings"
    )
    classification = ClassificationField()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    @property
    def body(self):
        return localized(self, "body")

    @property
    def place(self):
        return localized(self, "place")

    @property
    def summary(self):
        return localized(self, "summary")


class DecisionQuerySet(ClassifiedQuerySet):
    owner_lookup = "responsible"
    coordinator_writes = False
    reveals = ("meeting",)


class AgendaItemQuerySet(ClassifiedQuerySet):
    """An agenda item is read with its meeting, and shows its project and obstacle only to their readers."""

    classification_lookup = "meeting__classification"
    owner_lookup = "meeting__owner"
    coordinator_writes = False
    reveals = ("project", "obstacle")


class Decision(Versioned, Provenance):
    """A decision taken at a meeting, with the organization responsible for it and its due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveIntegerField(_("order"))
    text_ar = models.TextField(_("text (Arabic)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    responsible = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    classification = ClassificationField()
    projects = models.ManyToManyField(
        "portfolio.Project", verbose_name=_("projects concerned"), blank=True, related_name="decisions"
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("indicators concerned"), blank=True, related_name="decisions"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="decision_order_unique")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    @property
    def text(self):
        return localized(self, "text")

    def __str__(self):
        return self.text[:80]


class AgendaItem(Provenance):
    """An item on a meeting's agenda: a project to review or an obstacle escalated for a decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(_("order"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=400)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    obstacle = models.ForeignKey(
        "delivery.Obstacle", null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    @property
    def title(self):
        return localized(self, "title")

    def __str__(self):
        return self.title


class DecisionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")

    @property
    def mark(self):
        """Return the sign shown before the label: done and overdue catch the eye."""
        return {DecisionStatus.DONE: "✔", DecisionStatus.OVERDUE: "⚠"}.get(self, "")


class ActionUpdateQuerySet(ClassifiedQuerySet):
    classification_lookup = "decision__classification"
    owner_lookup = "decision__responsible"
    reveals = ("decision",)


class ActionUpdate(Provenance):
    """What the responsible organization reports having done on a decision, point by point."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="action_updates")
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("action taken"))
    completes = models.BooleanField(_("the decision is carried out"), default=False)
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "reported_on", "id"]
        verbose_name = _("action-taken update")
        verbose_name_plural = _("action-taken updates")

    def __str__(self):
        return self.text[:80]
