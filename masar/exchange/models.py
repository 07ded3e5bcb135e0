"""Data exchange between administrations: API clients and their tokens, sharing agreements, and the
hash-chained log of every call made with a token.

A client is another administration's system, owned by one organization. It acts through its own
account (a user with the role `Role.API_CLIENT`, which never signs in), so the services audit its
writes like anyone's, and `Reader.of(account)` reads as the client: deny by default (see
`masar.core.policy`).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.core.models import Classification, Named
from masar.core.policy import Grant, Reader, ReaderKind, managed_q
from masar.core.records import RecordType
from masar.core.roles import Role

# The kinds a client may be given the scope to write: what other systems really send.
WRITABLE_TYPES = (
    RecordType.PROJECTS,
    RecordType.PROGRESS_UPDATES,
    RecordType.OBSTACLES,
    RecordType.MEASUREMENTS,
    RecordType.ACTION_UPDATES,
    RecordType.DOCUMENTS,
    RecordType.PROCUREMENT,  # an e-procurement system pushes its OCDS releases
    RecordType.TAX_COMPLIANCE,  # the tax administration reports suppliers' compliance
    RecordType.SERVICES,  # a ministry's own services registry keeps its entries in the catalogue
    RecordType.SERVICE_USAGE,  # a service's back office reports its monthly transactions
)


def scope_choices() -> list[tuple[str, str]]:
    """Return every scope a client may hold ("projects:read", "measurements:write", ...)."""
    read, write = _("%(records)s — read"), _("%(records)s — write")
    choices = [(f"{value}:read", read % {"records": label}) for value, label in RecordType.choices]
    choices += [
        (f"{value}:write", write % {"records": label}) for value, label in RecordType.choices if value in WRITABLE_TYPES
    ]
    return choices


def _all_or_person(who: Any) -> tuple[bool, Reader | None]:
    """Return (reads everything, the person reading): the national unit and jobs see every exchange record."""
    reader = Reader.of(who)
    if reader.kind == ReaderKind.SYSTEM or reader.is_national:
        return True, None
    if not reader.is_person or reader.organization_id is None:
        return False, None
    return False, reader


class ApiClientQuerySet(models.QuerySet):
    def visible_to(self, who: Any) -> ApiClientQuerySet:
        """Return the clients this reader sees: those they manage (`may_manage_client`) and their organization's."""
        everything, reader = _all_or_person(who)
        if everything:
            return self.all()
        if reader is None:
            return self.none()
        return self.filter(Q(organization_id=reader.organization_id) | managed_q(reader, "organization"))


class ApiClient(Named):
    """Another administration's system (a ministry's budget system, a governorate's platform)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("technical contact"), blank=True)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    clearance = models.CharField(
        _("classification ceiling"), max_length=16, choices=Classification.choices, default=Classification.PUBLIC
    )
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "name_ar"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def grants(self) -> list[Grant]:
        """Return what this client's approved, unexpired sharing agreements open to it (read by the policy)."""
        today = timezone.localdate()
        return [
            Grant(record_type=a.record_type, owner_path=a.owner.path, level=a.max_classification, agreement_id=a.pk)
            for a in self.agreements.in_force(today).select_related("owner").order_by("pk")
        ]


def token_digest(token: str) -> str:
    """Return what is stored of a token: its SHA-256 (tokens are long and random, so this cannot be reversed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime | None = None) -> ApiTokenQuerySet:
        """Return the tokens neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A token that calls the API: a person's own, or an API client's. Only its digest is stored."""

    name = models.CharField(_("name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(_("starts with"), max_length=16, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class AgreementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class AgreementAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")
    REVOKE = "revoke", _("Revoke")


class SharingAgreementQuerySet(models.QuerySet):
    def in_force(self, today: datetime.date) -> SharingAgreementQuerySet:
        """Return the agreements approved and not expired on this day."""
        return self.filter(status=AgreementStatus.APPROVED, expires_on__gte=today)

    def visible_to(self, who: Any) -> SharingAgreementQuerySet:
        """Return the agreements this reader sees: those of clients they manage, those they decide, all if national."""
        everything, reader = _all_or_person(who)
        if everything:
            return self.all()
        if reader is None:
            return self.none()
        return self.filter(managed_q(reader, "client__organization") | managed_q(reader, "owner"))

    def concerning(self, who: Any) -> SharingAgreementQuerySet:
        """Return the agreements whose data flow concerns this reader (the exchange map).

        The national unit: all; a coordinator: those whose owner or receiving client's organization is
        in their subtree; another civil servant: those of their own organization, as owner or receiver.
        """
        everything, reader = _all_or_person(who)
        if everything:
            return self.all()
        if reader is None:
            return self.none()
        own = Q(owner_id=reader.organization_id) | Q(client__organization_id=reader.organization_id)
        return self.filter(own | managed_q(reader, "client__organization") | managed_q(reader, "owner"))


class SharingAgreement(models.Model):
    """An administration's request for a dataset another organization owns, and its owner's answer.

    The dataset is one kind of record owned in the owner's subtree, up to a classification. The
    grant works only while approved and unexpired (`in_force`).
    """

    client = models.ForeignKey(
        ApiClient, verbose_name=_("receiving system"), on_delete=models.CASCADE, related_name="agreements"
    )
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner of the data"),
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
    )
    record_type = models.CharField(_("records"), max_length=32, choices=RecordType.choices)
    max_classification = models.CharField(
        _("up to classification"), max_length=16, choices=Classification.choices, default=Classification.PUBLIC
    )
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")

    def __str__(self):
        return f"{self.client} ← {self.owner} · {self.get_record_type_display()}"

    def in_force_on(self, today: datetime.date) -> bool:
        return self.status == AgreementStatus.APPROVED and self.expires_on >= today


class ExchangeLogEntryQuerySet(models.QuerySet):
    def about_data_of(self, who: Any) -> ExchangeLogEntryQuerySet:
        """Return the calls that read records owned in this reader's subtree (all for the national unit).

        Only the owners' coordinators and the national unit see who read their data.
        """
        everything, reader = _all_or_person(who)
        if everything:
            return self.all()
        if reader is None or reader.role != Role.SECTOR_COORDINATOR:
            return self.none()
        through = ExchangeLogEntry.owners.through.objects.filter(managed_q(reader, "organization"))
        return self.filter(pk__in=through.values("exchangelogentry_id"))


class ExchangeLogEntry(models.Model):
    """One call to the API made with a token. Entries form a hash chain, checked by `exchange_verify`."""

    created_at = models.DateTimeField(_("when"), db_index=True)
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caller = models.CharField(_("caller"), max_length=400)
    agreements = models.JSONField(_("agreements used"), default=list, blank=True)
    owners = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("owners of the records"), blank=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=1000)
    status = models.PositiveSmallIntegerField(_("status"))
    records = models.PositiveIntegerField(_("records returned"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = ExchangeLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "created_at"])]
        verbose_name = _("exchange log entry")
        verbose_name_plural = _("exchange log")

    def __str__(self):
        return f"#{self.pk} {self.method} {self.path} {self.status}"
