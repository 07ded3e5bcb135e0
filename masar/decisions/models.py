from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Named, Provenance, Versioned, localized
from masar.core.records import RecordType
from masar.core.workflow import Workflow


class MeetingKind(models.TextChoices):
    COUNCIL_OF_MINISTERS = "council_of_ministers", _("Council of ministers")
    MINISTERIAL_COUNCIL = "ministerial_council", _("Ministerial council")
    STOCKTAKE = "stocktake", _("Stocktake")


class MeetingQuerySet(ClassifiedQuerySet):
    coordinator_writes = False


class Meeting(Named, Versioned, Provenance):
    """A meeting of a deciding body: a council of ministers, a ministerial council, a stocktake."""

    record_type = RecordType.MEETINGS

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
    minutes_ar = models.TextField(_("minutes (Arabic)"), blank=True)
    minutes_fr = models.TextField(_("minutes (French)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    decisions_published = models.BooleanField(_("decisions published"), default=False, editable=False)
    decisions_published_at = models.DateTimeField(_("decisions published at"), null=True, blank=True, editable=False)
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

    @property
    def minutes(self):
        return localized(self, "minutes")


class DecisionQuerySet(ClassifiedQuerySet):
    """Decisions of a meeting whose list is not yet published are read by the national unit and the
    coordinators of the responsible organization's line only."""

    owner_lookup = "responsible"
    coordinator_writes = False
    coordinators_read_drafts = True
    published = ("meeting__decisions_published", True)
    reveals = ("meeting",)


class AgendaItemQuerySet(ClassifiedQuerySet):
    """An agenda item is read with its meeting, and shows its project and obstacle only to their readers."""

    classification_lookup = "meeting__classification"
    owner_lookup = "meeting__owner"
    coordinator_writes = False
    reveals = ("project", "obstacle", "decision")


class Decision(Versioned, Provenance):
    """A decision taken at a meeting, with the organization responsible for it and its due date."""

    record_type = RecordType.DECISIONS

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
    """An item on a meeting's agenda: a project to review, an obstacle escalated for a decision, or an
    earlier decision falling due."""

    record_type = RecordType.MEETINGS

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
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
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


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AttendanceQuerySet(ClassifiedQuerySet):
    """Attendance is read with its meeting (pages show it to signed-in readers only); the national unit changes it."""

    classification_lookup = "meeting__classification"
    owner_lookup = "meeting__owner"
    coordinator_writes = False


class Attendance(Provenance):
    """Who attended a meeting for an organization: present, absent or excused."""

    record_type = RecordType.MEETINGS

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    person_name = models.CharField(_("name of the person"), max_length=200)
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "organization__code", "person_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return self.person_name


class DecisionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_VALIDATION = "awaiting_validation", _("Reported done, awaiting validation")
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

    record_type = RecordType.DECISIONS

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="action_updates")
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("action taken"))
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "reported_on", "id"]
        verbose_name = _("action-taken update")
        verbose_name_plural = _("action-taken updates")

    def __str__(self):
        return self.text[:80]


class ClosureStatus(models.TextChoices):
    """Where a decision's closure stands. NONE is the state of a decision nobody reported done; it is never stored."""

    NONE = "none", _("Not reported done")
    REQUESTED = "requested", _("Awaiting validation")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ClosureAction(models.TextChoices):
    REQUEST = "request"
    ACCEPT = "accept"
    RETURN = "return"


# A decision is closed by a request with evidence that the national unit accepts or returns with a
# reason; a returned request may be followed by a new one. One request waits at a time.
DECISION_WORKFLOW = Workflow(
    {
        (ClosureStatus.NONE, ClosureAction.REQUEST): ClosureStatus.REQUESTED,
        (ClosureStatus.RETURNED, ClosureAction.REQUEST): ClosureStatus.REQUESTED,
        (ClosureStatus.REQUESTED, ClosureAction.ACCEPT): ClosureStatus.ACCEPTED,
        (ClosureStatus.REQUESTED, ClosureAction.RETURN): ClosureStatus.RETURNED,
    }
)


class DecisionClosureQuerySet(ClassifiedQuerySet):
    classification_lookup = "decision__classification"
    owner_lookup = "decision__responsible"
    reveals = ("decision",)


class DecisionClosure(Versioned, Provenance):
    """A request to close a decision as carried out, with its evidence, and the national unit's review of it.

    Attachments (scanned decrees, photos, reports) will hang from the request: a later
    `ClosureAttachment` model with a foreign key to it.
    """

    record_type = RecordType.DECISIONS

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="closures")
    status = models.CharField(
        _("status"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED, db_index=True
    )
    evidence = models.TextField(_("evidence that the decision is carried out"))
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = DecisionClosureQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=models.Q(status=ClosureStatus.REQUESTED), name="closure_one_pending"
            )
        ]
        verbose_name = _("decision closure")
        verbose_name_plural = _("decision closures")

    def __str__(self):
        return self.evidence[:80]

    @property
    def is_returned(self):
        return self.status == ClosureStatus.RETURNED

    @property
    def is_pending(self):
        """A pending request waits for the national unit's acceptance or return."""
        return DECISION_WORKFLOW.allows(self.status, ClosureAction.ACCEPT)
