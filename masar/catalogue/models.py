"""The catalogue of government services (خدمات إدارية): what a citizen, a business or an administration can
obtain, how far it is digitized, how much it is used, and what its users think of it.

A `Service` belongs to an owner organization and carries a digitization level on the stated 0–5 scale; the
projects that change it are linked with the level they aim at and when (`ServiceProject`). Each required
document says whether another administration already holds it (a once-only opportunity). `ServiceUsage` is
one month of one channel (transactions, actual processing time, backlog). Citizens rate a service
(`Rating`: 1–5, an optional comment shown once moderated) and send complaints or suggestions (`Feedback`)
that carry a tracking number and get the owner's answer. Services are public by default and read through the
one policy like every record; ratings, feedback and usage follow their service.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.access import ClassifiedQuerySet
from masar.core.models import (
    Classification,
    ClassificationField,
    Described,
    Named,
    Provenance,
    Versioned,
    localized,
)
from masar.core.records import RecordType
from masar.core.workflow import Workflow


class DigitizationLevel(models.IntegerChoices):
    """The stated scale of how far a service is digitized."""

    INFORMATION = 0, _("0 — Information only")
    FORMS = 1, _("1 — Forms to download")
    SUBMISSION = 2, _("2 — Online submission")
    PROCESSING = 3, _("3 — Online processing and payment")
    FULLY_ONLINE = 4, _("4 — Fully online, result delivered")
    PROACTIVE = 5, _("5 — Proactive / once-only")


# The levels the digitization shares count: "online" means processed and paid online (≥ 3), "fully online" ≥ 4.
ONLINE_LEVEL = DigitizationLevel.PROCESSING
FULLY_ONLINE_LEVEL = DigitizationLevel.FULLY_ONLINE


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses")
    ADMINISTRATIONS = "administrations", _("Administrations")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile")
    KIOSK = "kiosk", _("Kiosk")
    CALL_CENTRE = "call_centre", _("Call centre")


# The channels whose transactions count as made online.
ONLINE_CHANNELS = (Channel.WEB, Channel.MOBILE, Channel.KIOSK)


def codes_field(verbose_name):
    """A set of enum values kept as ",a,b," so that one value is filtered with `__contains=",a,"` on any database."""
    return models.CharField(verbose_name, max_length=200, blank=True, default="")


def codes_join(values) -> str:
    """Return the stored form of a set of enum values (sorted, framed by commas), "" when empty."""
    values = sorted({str(v) for v in values if v})
    return f",{','.join(values)}," if values else ""


def codes_split(stored: str) -> list[str]:
    return [part for part in (stored or "").split(",") if part]


class LifeEvent(Named):
    """A moment of life a service answers (a birth, starting a business, building a house)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")


class ServiceCategory(Named):
    """A theme of the catalogue (civil status, taxes, health, ...)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


class ServiceQuerySet(ClassifiedQuerySet):
    def with_channel(self, channel: str):
        return self.filter(channels__contains=f",{channel},")

    def for_audience(self, audience: str):
        return self.filter(audiences__contains=f",{audience},")


class Service(Named, Described, Versioned, Provenance):
    """A government service as its users obtain it, with its digitization level and how to get it."""

    record_type = RecordType.SERVICES

    code = models.CharField(_("code"), max_length=40, unique=True)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    classification = ClassificationField(default=Classification.PUBLIC)
    audiences = codes_field(_("audience"))
    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("life event"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channels = codes_field(_("channels"))
    level = models.PositiveSmallIntegerField(
        _("digitization level"), choices=DigitizationLevel.choices, default=DigitizationLevel.INFORMATION, db_index=True
    )
    steps_ar = models.TextField(_("how to obtain it (Arabic)"), blank=True)
    steps_fr = models.TextField(_("how to obtain it (French)"), blank=True)
    steps_en = models.TextField(_("how to obtain it (English)"), blank=True)
    fee = models.DecimalField(
        _("fee"), max_digits=14, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True)
    fee_note_ar = models.CharField(_("fee note (Arabic)"), max_length=300, blank=True)
    fee_note_fr = models.CharField(_("fee note (French)"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("fee note (English)"), max_length=300, blank=True)
    processing_days = models.PositiveIntegerField(_("target processing time (days)"), null=True, blank=True)
    legal_basis_ar = models.TextField(_("legal basis (Arabic)"), blank=True)
    legal_basis_fr = models.TextField(_("legal basis (French)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    online_url = models.URLField(_("online address"), max_length=500, blank=True)
    # Kept by the rating service in the same transaction as each counted rating: the directory reads them
    # with its rows, never one query per service.
    rating_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["owner", "level"], name="service_owner_level"),
            # The directory without a query lists services by name: 7 ms → 1.7 ms at 5,000 services (bench.portal).
            models.Index(fields=["name_ar", "code"], name="service_name_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def steps(self):
        return localized(self, "steps")

    @property
    def fee_note(self):
        return localized(self, "fee_note")

    @property
    def legal_basis(self):
        return localized(self, "legal_basis")

    @property
    def channel_list(self) -> list[str]:
        return codes_split(self.channels)

    @property
    def audience_list(self) -> list[str]:
        return codes_split(self.audiences)

    def get_channels_display(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(code, code)) for code in self.channel_list]

    def get_audiences_display(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(code, code)) for code in self.audience_list]

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_total / self.rating_count, 1) if self.rating_count else None

    @property
    def is_online(self) -> bool:
        return self.level >= ONLINE_LEVEL


class FollowsService(ClassifiedQuerySet):
    """Records of a service (documents, project links, usage): read by whoever reads the service."""

    classification_lookup = "service__classification"
    owner_lookup = "service__owner"


class RequiredDocument(Named):
    """A document a user must provide; `held_by` names the administration that already holds it, if any."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveIntegerField(_("order"), default=0)
    held_by = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("already held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The administration that already holds this document: it could be fetched instead of asked for."),
    )

    objects = FollowsService.as_manager()

    class Meta:
        ordering = ["service", "order", "pk"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    @property
    def is_once_only_opportunity(self) -> bool:
        return self.held_by_id is not None and self.held_by_id != self.service.owner_id


class ServiceProjectQuerySet(FollowsService):
    reveals = ("project",)  # a link shows its project: read by whoever reads the service and the project


class ServiceProject(Versioned):
    """A project that digitizes a service, with the level it aims at and by when."""

    record_type = RecordType.SERVICES  # read by API clients with the scope to read services (and the project)

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="service_links"
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=DigitizationLevel.choices)
    target_date = models.DateField(_("target date"), null=True, blank=True)

    objects = ServiceProjectQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "project"], name="service_project_once")]
        verbose_name = _("project digitizing a service")
        verbose_name_plural = _("projects digitizing services")

    def __str__(self):
        return f"{self.service_id} ← {self.project_id}"


class ServiceUsage(models.Model):
    """One month of one channel of a service: transactions, actual processing time and backlog."""

    record_type = RecordType.SERVICE_USAGE

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="usage", db_index=False)
    month = models.DateField(_("month"))  # the first day of the month
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    transactions = models.PositiveIntegerField(_("transactions"))
    processing_days = models.DecimalField(
        _("actual processing time (days)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    backlog = models.PositiveIntegerField(_("backlog"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    is_sample = models.BooleanField(_("sample record"), default=False)

    objects = FollowsService.as_manager()

    class Meta:
        ordering = ["service", "month", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["service", "month", "channel"], name="usage_one_per_month_channel")
        ]
        indexes = [models.Index(fields=["month", "service"], name="usage_month_service")]
        verbose_name = _("monthly usage")
        verbose_name_plural = _("monthly usage")

    def __str__(self):
        return f"{self.service_id} {self.month:%Y-%m} {self.channel}"

    @property
    def is_online(self) -> bool:
        return self.channel in ONLINE_CHANNELS


class CommentStatus(models.TextChoices):
    NONE = "none", _("No comment")
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Shown publicly")
    REJECTED = "rejected", _("Not shown")


class ModerationAction(models.TextChoices):
    APPROVE = "approve", _("Show publicly")
    REJECT = "reject", _("Do not show")


COMMENT_WORKFLOW = Workflow(
    {
        (CommentStatus.PENDING, ModerationAction.APPROVE): CommentStatus.APPROVED,
        (CommentStatus.PENDING, ModerationAction.REJECT): CommentStatus.REJECTED,
        (CommentStatus.APPROVED, ModerationAction.REJECT): CommentStatus.REJECTED,
        (CommentStatus.REJECTED, ModerationAction.APPROVE): CommentStatus.APPROVED,
    },
    field="comment_status",
)


class RatingQuerySet(FollowsService):
    def visible_to(self, reader):
        """Return the ratings this reader reads: of services they read, with a comment shown to the public only
        once moderated (the moderators and the inspectorate read the others)."""
        lookups = Service.objects.all().lookups()
        voice = policy.citizens_voice_q(reader, lookups)
        return super().visible_to(reader).filter(policy.either(policy.public_comments_q(), voice))


class Rating(Versioned):
    """A citizen's rating of a service (1–5) with an optional comment shown only once moderated. Anonymous."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    comment_status = models.CharField(
        _("comment"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.NONE, db_index=True
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample record"), default=False)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.service_id}: {self.score}/5"


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class FeedbackAction(models.TextChoices):
    ANSWER = "answer", _("Answer")
    CLOSE = "close", _("Close")


FEEDBACK_WORKFLOW = Workflow(
    {
        (FeedbackStatus.RECEIVED, FeedbackAction.ANSWER): FeedbackStatus.ANSWERED,
        (FeedbackStatus.ANSWERED, FeedbackAction.ANSWER): FeedbackStatus.ANSWERED,
        (FeedbackStatus.RECEIVED, FeedbackAction.CLOSE): FeedbackStatus.CLOSED,
        (FeedbackStatus.ANSWERED, FeedbackAction.CLOSE): FeedbackStatus.CLOSED,
    }
)


class FeedbackQuerySet(FollowsService):
    def visible_to(self, reader):
        """Return the complaints and suggestions this reader reads: only those who answer them, and inspectors.

        The citizen who sent one reads it by its tracking number (`masar.catalogue.selectors.feedback_tracked`).
        """
        lookups = Service.objects.all().lookups()
        return super().visible_to(reader).filter(policy.citizens_voice_q(reader, lookups))


class Feedback(Versioned):
    """A complaint or a suggestion about a service, followed by its tracking number.

    Anonymous: the only personal data is a contact the citizen chooses to give to be answered, erased when
    the request is closed.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    text = models.TextField(_("text"))
    contact = models.CharField(_("contact to be answered"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    is_sample = models.BooleanField(_("sample record"), default=False)

    objects = FeedbackQuerySet.as_manager()

    audit_redacted = ("contact",)  # the trail keeps that a contact was given or erased, never the contact

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint or suggestion")
        verbose_name_plural = _("complaints and suggestions")

    def __str__(self):
        return self.tracking_number


class SubmissionCount(models.Model):
    """How many public submissions one address made in one window, for throttling.

    The key is a keyed hash of the address, the kind of submission and the window: it names no one, cannot be
    linked from one window to the next, and the rows are deleted once their window is over.
    """

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.window_start}: {self.count}"
