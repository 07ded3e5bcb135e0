"""Integrity and early warning: the procurement trail of the projects, and the alerts raised on it.

Money reaches a project through a `Tender` (published by a buyer, answered by `Bid`s of `Supplier`s),
its `Award`, the `Contract` signed (changed by `Amendment`s) and the `Payment`s made on it. Every amount
is kept as stated (amount and currency) and, beside it, in the national currency (`*_base`), converted
with the dated `ExchangeRate` table when the record is written; a rule compares only converted amounts
and says "not computable" when a rate is missing.

Procurement records are restricted by default and read through the one policy like every record (a
tender's bids, awards, contracts and payments follow their tender). An `Alert` is what a rule or a
statistical detector found, with its evidence; alerts and their triage are read only by the
inspectorate and the national unit (`masar.core.policy.alerts_q`), never by the records' owners,
never by the public and never by open data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Provenance, Versioned, localized
from masar.core.records import RecordType
from masar.core.workflow import Workflow

AMOUNT = {"max_digits": 18, "decimal_places": 2}


class ProcurementMethod(models.TextChoices):
    """How a tender is run (OCDS `procurementMethod`, with framework agreements named apart)."""

    OPEN = "open", _("Open")
    SELECTIVE = "selective", pgettext_lazy("procurement method", "Restricted")
    LIMITED = "limited", _("Limited (negotiated)")
    DIRECT = "direct", _("Direct (single source)")
    FRAMEWORK = "framework", _("Framework agreement")


class MainCategory(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


class TaxStatus(models.TextChoices):
    """A supplier's standing with the tax administration, as it last reported it."""

    UNKNOWN = "unknown", _("Not reported")
    COMPLIANT = "compliant", _("Tax-compliant")
    NON_COMPLIANT = "non_compliant", _("Not tax-compliant")


class SupplierQuerySet(ClassifiedQuerySet):
    pass


class Supplier(Versioned, Provenance):
    """A company or person that bids for, wins or is paid on public contracts."""

    record_type = RecordType.PROCUREMENT

    # The identifier other systems know it by (OCDS party id): the registration number when known.
    identifier = models.CharField(_("identifier"), max_length=120, unique=True)
    registration_number = models.CharField(_("registration number"), max_length=80, blank=True, db_index=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=400, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=400, blank=True)
    # The names folded as Arabic is typed (hamza forms, tatweel, diacritics, case), so that two
    # spellings of one supplier compare equal; kept by `masar.integrity.services.supplier_keys`.
    name_key = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=400, blank=True)
    address_key = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    phone_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    email_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    directors = models.JSONField(_("directors"), default=list, blank=True)
    beneficial_owners = models.JSONField(_("beneficial owners"), default=list, blank=True)
    tax_status = models.CharField(
        _("tax compliance"), max_length=16, choices=TaxStatus.choices, default=TaxStatus.UNKNOWN, db_index=True
    )
    tax_status_on = models.DateField(_("tax compliance as of"), null=True, blank=True)
    classification = ClassificationField()
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="suppliers",
    )

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name or self.identifier

    @property
    def name(self):
        return localized(self, "name") or self.name_fr or self.identifier


class TaxStatusReport(models.Model):
    """One report of a supplier's tax compliance received from the tax administration (kept as history)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="tax_reports")
    status = models.CharField(_("tax compliance"), max_length=16, choices=TaxStatus.choices)
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received on"), auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("tax compliance report")
        verbose_name_plural = _("tax compliance reports")

    def __str__(self):
        return f"{self.supplier_id} {self.status} {self.as_of}"


class ExchangeRate(models.Model):
    """How many units of the national currency one unit of a currency was worth from a date on."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["currency", "valid_from"], name="exchange_rate_once")]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self):
        return f"{self.currency} {self.valid_from} {self.rate}"


class TenderQuerySet(ClassifiedQuerySet):
    reveals = ("project",)


class Tender(Versioned, Provenance):
    """One contracting process: a buyer's call for bids (an OCDS contracting process, named by its ocid)."""

    record_type = RecordType.PROCUREMENT

    ocid = models.CharField(_("OCID"), max_length=200, unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=400, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    # The buyer: a Masar organization when known; `buyer_ref` is always set (its code, or the OCDS party id).
    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenders",
    )
    buyer_ref = models.CharField(_("buyer identifier"), max_length=120, blank=True, db_index=True)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenders",
    )
    method = models.CharField(_("procurement method"), max_length=16, choices=ProcurementMethod.choices, blank=True)
    method_details = models.CharField(_("procurement method details"), max_length=200, blank=True)
    main_category = models.CharField(_("main category"), max_length=16, choices=MainCategory.choices, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    estimated_value = models.DecimalField(_("estimated value"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    estimated_value_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)
    # As the publisher states it (OCDS `numberOfTenderers`); null when only the bids say it.
    number_of_tenderers = models.PositiveIntegerField(_("number of tenderers"), null=True, blank=True)
    classification = ClassificationField()
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="owned_tenders",
    )

    objects = TenderQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "ocid"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")

    def __str__(self):
        return self.title or self.ocid

    @property
    def title(self):
        return localized(self, "title") or self.title_fr or self.title_en


class FollowsTender(ClassifiedQuerySet):
    """The records of a tender (lots, bids, awards, items): read by whoever reads the tender."""

    classification_lookup = "tender__classification"
    owner_lookup = "tender__owner"


class Lot(models.Model):
    record_type = RecordType.PROCUREMENT

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    ref = models.CharField(_("lot"), max_length=120)
    title = models.CharField(_("title"), max_length=400, blank=True)
    estimated_value = models.DecimalField(_("estimated value"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    objects = FollowsTender.as_manager()

    class Meta:
        ordering = ["tender", "ref"]
        constraints = [models.UniqueConstraint(fields=["tender", "ref"], name="lot_once_per_tender")]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return self.title or self.ref


class BidStatus(models.TextChoices):
    """OCDS bid statuses (bids extension)."""

    VALID = "valid", _("Valid")
    DISQUALIFIED = "disqualified", _("Disqualified")
    PENDING = "pending", _("Being evaluated")
    INVITED = "invited", _("Invited")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Bid(models.Model):
    record_type = RecordType.PROCUREMENT

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    ref = models.CharField(_("bid"), max_length=120, blank=True)
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="bids")
    # Null when the publisher does not say who bid; `tenderers_count` > 1 for a joint bid.
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="bids")
    tenderers_count = models.PositiveSmallIntegerField(default=1)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)
    received_at = models.DateTimeField(_("received on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, blank=True, db_index=True)
    disqualification_reason = models.TextField(_("reason for disqualification"), blank=True)

    objects = FollowsTender.as_manager()

    class Meta:
        ordering = ["tender", "amount_base", "id"]
        indexes = [models.Index(fields=["tender", "status"])]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self):
        return self.ref or f"{self.tender_id}-{self.pk}"


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")


class Award(models.Model):
    record_type = RecordType.PROCUREMENT

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="awards")
    ref = models.CharField(_("award"), max_length=120, blank=True)
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    suppliers_count = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus.choices, blank=True, db_index=True)
    date = models.DateTimeField(_("award date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)

    objects = FollowsTender.as_manager()

    class Meta:
        ordering = ["tender", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return self.ref or f"{self.tender_id}-{self.pk}"


class Item(models.Model):
    """A line of what is bought (a tender's or an award's), classified (CPV, UNSPSC) with its unit price."""

    record_type = RecordType.PROCUREMENT

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="items")
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    scheme = models.CharField(_("classification scheme"), max_length=20, blank=True)
    code = models.CharField(_("classification code"), max_length=40, blank=True, db_index=True)
    description = models.CharField(_("description"), max_length=400, blank=True)
    quantity = models.DecimalField(_("quantity"), null=True, blank=True, max_digits=18, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    unit_price_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)

    objects = FollowsTender.as_manager()

    class Meta:
        ordering = ["tender", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.description or self.code


class ContractStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Terminated")


class ContractQuerySet(ClassifiedQuerySet):
    classification_lookup = "tender__classification"
    owner_lookup = "tender__owner"


class Contract(Versioned):
    record_type = RecordType.PROCUREMENT

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="contracts")
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts")
    ref = models.CharField(_("contract"), max_length=120)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(_("title"), max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True)
    value = models.DecimalField(_("value"), null=True, blank=True, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    value_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)
    # The value and end date as first signed (the amendments change `value` and `end_on`).
    original_value = models.DecimalField(_("value when signed"), null=True, blank=True, **AMOUNT)
    original_value_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)
    original_end_on = models.DateField(_("end date when signed"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["tender", "ref"]
        constraints = [models.UniqueConstraint(fields=["tender", "ref"], name="contract_once_per_tender")]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self):
        return self.title or self.ref


class FollowsContract(ClassifiedQuerySet):
    classification_lookup = "contract__tender__classification"
    owner_lookup = "contract__tender__owner"


class Amendment(models.Model):
    record_type = RecordType.PROCUREMENT

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    ref = models.CharField(_("amendment"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    value_before = models.DecimalField(_("value before"), null=True, blank=True, **AMOUNT)
    value_after = models.DecimalField(_("value after"), null=True, blank=True, **AMOUNT)
    end_before = models.DateField(_("end date before"), null=True, blank=True)
    end_after = models.DateField(_("end date after"), null=True, blank=True)

    objects = FollowsContract.as_manager()

    class Meta:
        ordering = ["contract", "date", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self):
        return self.ref or f"{self.contract_id}-{self.pk}"


class Payment(models.Model):
    """Money paid on a contract; `progress_update` links it to the project's reported spend."""

    record_type = RecordType.PROCUREMENT

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    ref = models.CharField(_("payment"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_base = models.DecimalField(null=True, blank=True, editable=False, **AMOUNT)
    progress_update = models.ForeignKey(
        "delivery.ProgressUpdate",
        verbose_name=_("reported in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )

    objects = FollowsContract.as_manager()

    class Meta:
        ordering = ["contract", "date", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return self.ref or f"{self.contract_id}-{self.pk}"


class RuleSetting(Versioned):
    """The national unit's settings of one rule: on or off, and its parameters over the defaults."""

    code = models.CharField(_("rule"), max_length=16, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")


class DetectionRun(models.Model):
    """One run of the rules and detectors by the worker, with what it found (its progress while it runs)."""

    started_at = models.DateTimeField(_("started on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(_("alerts per rule"), default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    DISMISSED = "dismissed", _("Dismissed")
    CONFIRMED = "confirmed", _("Confirmed")
    REFERRED = "referred", _("Referred")


class AlertAction(models.TextChoices):
    REVIEW = "review", _("Take for review")
    DISMISS = "dismiss", _("Dismiss")
    CONFIRM = "confirm", _("Confirm")
    REFER = "refer", _("Refer")


ALERT_WORKFLOW = Workflow(
    {
        (AlertStatus.NEW, AlertAction.REVIEW): AlertStatus.UNDER_REVIEW,
        (AlertStatus.UNDER_REVIEW, AlertAction.DISMISS): AlertStatus.DISMISSED,
        (AlertStatus.UNDER_REVIEW, AlertAction.CONFIRM): AlertStatus.CONFIRMED,
        (AlertStatus.CONFIRMED, AlertAction.REFER): AlertStatus.REFERRED,
    }
)


class AlertSubject(models.TextChoices):
    """What an alert is about (Cardinal's groups, plus contracts, payments and projects)."""

    TENDER = "tender", _("Tender")
    CONTRACT = "contract", _("Contract")
    PAYMENT = "payment", _("Payment")
    SUPPLIER = "supplier", _("Supplier")
    BUYER = "buyer", _("Buyer")


class Alert(Versioned):
    """What a rule or a detector found on the procurement trail, with the evidence an inspector acts on."""

    rule = models.CharField(_("rule"), max_length=16, db_index=True)
    subject = models.CharField(_("about"), max_length=16, choices=AlertSubject.choices)
    # One alert per rule and subject: a later run updates it instead of raising it again.
    key = models.CharField(max_length=200, unique=True)
    tender = models.ForeignKey(Tender, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    buyer = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    buyer_ref = models.CharField(_("buyer identifier"), max_length=120, blank=True, db_index=True)
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    score = models.FloatField(_("score"), default=0.0, db_index=True)
    # The numbers that triggered it and the records behind them: {"figures": {...}, "records": [...]}.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.NEW, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first raised"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last found"), null=True, blank=True)
    # False once a later run no longer finds it (the data was corrected); kept for the history.
    current = models.BooleanField(_("still found"), default=True, db_index=True)
    is_sample = models.BooleanField(_("sample record"), default=False)

    class Meta:
        ordering = ["-score", "-id"]
        indexes = [models.Index(fields=["status", "-score"])]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self):
        return f"{self.rule} {self.key}"
