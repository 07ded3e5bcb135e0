"""The demo's procurement trail: a labelled sample of tenders, bids, awards, contracts and payments on projects
of the 2025–2026 program, with red flags planted for the inspector to find.

Every record is sample data (`is_sample`, source "sample"): the suppliers, prices and dates are the demo's,
not any administration's. About 25 tenders of 3–4 ministries, 15 suppliers, and planted cases:
- a bid-rigging ring: three suppliers sharing one telephone (written three ways) who take turns winning
  with near-identical prices;
- purchases split just below the 200,000 TND threshold of an open tender;
- a shell supplier registered 30 days before winning a 900,000 TND contract;
- a contract amended by +60 %;
- a payment made before the contract was signed;
- a supplier reported not tax-compliant and paid after the report.
Then the detection runs (when the rules are installed), so the demo's inspector finds alerts.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from masar.core.models import Classification
from masar.demo.data import sample
from masar.integrity.keys import fill_supplier_keys
from masar.integrity.models import (
    Alert,
    Amendment,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Contract,
    ContractStatus,
    MainCategory,
    Payment,
    ProcurementMethod,
    Supplier,
    TaxStatus,
    TaxStatusReport,
    Tender,
)
from masar.integrity.money import to_base
from masar.organizations.models import Organization
from masar.portfolio.models import Project

PROGRAM = "TN-PTN-2526"
OCID_PREFIX = "ocds-sample-masar-"
SAMPLE = {"is_sample": True, "source": sample.SOURCE}

# (key, name ar, name fr, registered on, telephone, address, tax status)
SUPPLIERS: list[tuple[str, str, str, str, str, str, str]] = [
    # The ring: one telephone written three ways, one address.
    (
        "RING1",
        "شركة النور للأنظمة",
        "Société En-Nour Systèmes",
        "2012-03-01",
        "+216 71 555 010",
        "نهج الحرية 12، تونس",
        "c",
    ),
    (
        "RING2",
        "مؤسسة الضياء للإعلامية",
        "Ets Dhia Informatique",
        "2014-06-15",
        "0021671555010",
        "نهج الحرية 12، تونس",
        "c",
    ),
    (
        "RING3",
        "الشركة العصرية للخدمات الرقمية",
        "Moderne Services Numériques",
        "2016-09-20",
        "71 555 010",
        "12 rue de la Liberté, Tunis",
        "c",
    ),
    # Honest competitors.
    (
        "ALPHA",
        "شركة ألفا للبرمجيات",
        "Alpha Logiciels SARL",
        "2008-01-10",
        "+216 71 100 200",
        "المركز العمراني الشمالي، تونس",
        "c",
    ),
    (
        "CARTHAGE",
        "قرطاج للحلول الرقمية",
        "Carthage Solutions Digitales",
        "2010-05-05",
        "+216 71 300 400",
        "Les Berges du Lac, Tunis",
        "c",
    ),
    ("SFAXNET", "صفاقس نت", "Sfax Net", "2011-11-11", "+216 74 200 300", "طريق قرمدة، صفاقس", "c"),
    (
        "SOUSSE",
        "الساحل للهندسة المعلوماتية",
        "Sahel Ingénierie Informatique",
        "2009-02-02",
        "+216 73 222 333",
        "Sousse Corniche",
        "c",
    ),
    ("ATLAS", "أطلس للاستشارات", "Atlas Conseil", "2013-07-07", "+216 71 444 555", "المنار 2، تونس", "c"),
    ("MEDINA", "المدينة للتجهيزات", "Médina Équipements", "2007-04-04", "+216 71 666 777", "Bab Bhar, Tunis", "c"),
    ("JASMIN", "الياسمين للشبكات", "Jasmin Réseaux", "2015-10-10", "+216 72 888 999", "بنزرت", "c"),
    ("OASIS", "الواحة للخدمات", "Oasis Services", "2012-12-12", "+216 76 111 222", "Gafsa", "c"),
    ("KAIROUAN", "القيروان للتكنولوجيا", "Kairouan Technologies", "2010-08-08", "+216 77 333 444", "القيروان", "c"),
    # Split purchases' supplier.
    ("DELTA", "دلتا للتوريدات", "Delta Fournitures", "2011-03-03", "+216 71 777 888", "Ariana", "c"),
    # The shell: registered 30 days before its award.
    (
        "SHELL",
        "شركة الأفق الجديد",
        "Nouvel Horizon SARL",
        "2025-04-01",
        "+216 98 000 001",
        "صندوق بريد 44، أريانة",
        "c",
    ),
    # Reported not tax-compliant, and paid afterwards.
    ("NOTAX", "مؤسسة الرمال للأشغال", "Ets Rimal Travaux", "2009-09-09", "+216 75 123 456", "Gabès", "n"),
]
TAX = {"c": TaxStatus.COMPLIANT, "n": TaxStatus.NON_COMPLIANT}


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{text}T10:00:00"))


class _Writer:
    """Writes the sample trail with the ORM as the importers do: amounts converted, suppliers' keys filled."""

    def __init__(self, owner_of_suppliers: Organization) -> None:
        self.registrar = owner_of_suppliers
        self.suppliers: dict[str, Supplier] = {}
        self.tenders = 0

    def supplier(
        self, key: str, name_ar: str, name_fr: str, registered: str, phone: str, address: str, tax: str
    ) -> Supplier:
        supplier = Supplier(
            identifier=f"TN-RNE-SAMPLE-{key}",
            registration_number=f"SAMPLE-{key}",
            registered_on=_day(registered),
            name_ar=name_ar,
            name_fr=name_fr,
            address=address,
            phone=phone,
            email=f"contact@{key.lower()}.example.tn",
            contact_name="",
            directors=[{"name": f"مسير {name_ar}"}],
            beneficial_owners=[{"name": f"مالك {name_ar}", "share": 100}],
            tax_status=TAX[tax],
            tax_status_on=_day("2025-01-15") if tax == "c" else _day("2025-03-01"),
            classification=Classification.RESTRICTED,
            owner=self.registrar,
            **SAMPLE,
        )
        fill_supplier_keys(supplier)
        supplier.save()
        TaxStatusReport.objects.create(
            supplier=supplier, status=TaxStatus.COMPLIANT, as_of=_day("2024-06-30"), source="sample"
        )
        # The report the supplier's current status comes from (compliant again in January, or not in March).
        TaxStatusReport.objects.create(
            supplier=supplier, status=supplier.tax_status, as_of=supplier.tax_status_on, source="sample"
        )
        self.suppliers[key] = supplier
        return supplier

    def tender(self, buyer: Organization, project: Project | None, title: tuple[str, str], **extra: Any) -> Tender:
        self.tenders += 1
        published = extra.pop("published", "2025-03-01")
        data: dict[str, Any] = dict(
            ocid=f"{OCID_PREFIX}{self.tenders:03d}",
            title_ar=title[0],
            title_fr=title[1],
            buyer=buyer,
            buyer_ref=buyer.code,
            owner=buyer,
            project=project,
            method=ProcurementMethod.OPEN,
            main_category=MainCategory.SERVICES,
            published_at=_at(published),
            deadline=_at(published) + datetime.timedelta(days=30),
            currency="TND",
            classification=Classification.RESTRICTED,
            **SAMPLE,
        )
        data.update(extra)
        tender = Tender(**data)
        tender.estimated_value_base = to_base(tender.estimated_value, tender.currency, tender.published_at)
        tender.save()
        return tender

    def bid(self, tender: Tender, key: str, amount: float, currency: str = "TND", **extra: Any) -> Bid:
        received = tender.deadline - datetime.timedelta(days=1) if tender.deadline else None
        bid = Bid(
            tender=tender,
            supplier=self.suppliers[key],
            amount=Decimal(str(round(amount, 2))),
            currency=currency,
            received_at=received,
            status=extra.pop("status", BidStatus.VALID),
            **extra,
        )
        bid.amount_base = to_base(bid.amount, bid.currency, bid.received_at)
        bid.save()
        return bid

    def win(self, tender: Tender, key: str, amount: float, *, signed: str | None = None, **extra: Any) -> Contract:
        """Award tender to key and sign its contract (ten days after the deadline unless told)."""
        awarded = (tender.deadline or _at("2025-04-01")) + datetime.timedelta(days=10)
        value = Decimal(str(round(amount, 2)))
        award = Award(
            tender=tender, supplier=self.suppliers[key], amount=value, currency="TND", status=AwardStatus.ACTIVE
        )
        award.date = awarded
        award.amount_base = to_base(value, "TND", awarded)
        award.save()
        signed_on = _day(signed) if signed else awarded.date() + datetime.timedelta(days=5)
        contract = Contract(
            tender=tender,
            award=award,
            ref=f"{tender.ocid}-C1",
            supplier=self.suppliers[key],
            status=ContractStatus.ACTIVE,
            signed_on=signed_on,
            end_on=signed_on + datetime.timedelta(days=365),
            original_end_on=signed_on + datetime.timedelta(days=365),
            value=value,
            original_value=value,
            currency="TND",
            **extra,
        )
        contract.value_base = to_base(contract.value, "TND", signed_on)
        contract.original_value_base = to_base(contract.original_value, "TND", signed_on)
        contract.save()
        return contract

    def pay(self, contract: Contract, amount: float, day: str, ref: str = "") -> Payment:
        payment = Payment(
            contract=contract,
            ref=ref or f"{contract.ref}-P",
            amount=Decimal(str(round(amount, 2))),
            currency="TND",
            date=_day(day),
        )
        payment.amount_base = to_base(payment.amount, "TND", payment.date)
        payment.save()
        return payment

    def amend(self, contract: Contract, new_value: float, day: str, rationale: str) -> Amendment:
        after = Decimal(str(new_value))
        amendment = Amendment.objects.create(
            contract=contract,
            ref=f"{contract.ref}-A1",
            date=_day(day),
            rationale=rationale,
            value_before=contract.value,
            value_after=after,
            end_before=contract.end_on,
            end_after=contract.end_on,
        )
        contract.value = after
        contract.value_base = to_base(after, contract.currency, amendment.date)
        contract.save(update_fields=["value", "value_base"])
        return amendment


def _ministries_and_projects(strategy_code: str) -> list[tuple[Organization, list[Project]]]:
    """Return the 4 organizations with the most projects of the program, each with its projects by code."""
    projects = Project.objects.filter(strategy__code=strategy_code)
    owners = (
        projects.values("owner").annotate(n=Count("id")).order_by("-n", "owner")[:4].values_list("owner", flat=True)
    )
    result = []
    for organization in Organization.objects.filter(pk__in=list(owners)).order_by("code"):
        result.append((organization, list(projects.filter(owner=organization).order_by("code")[:6])))
    return result


def _write_trail(writer: _Writer, ministries: list[tuple[Organization, list[Project]]]) -> None:
    (first, p1), (second, p2), (third, p3) = ministries[0], ministries[1], ministries[2]
    fourth, p4 = ministries[3] if len(ministries) > 3 else ministries[0]

    def project(projects: list[Project], n: int) -> Project | None:
        return projects[n % len(projects)] if projects else None

    # The ring: six tenders of the first ministry, only the ring bids, within 1 % of each other, turns.
    ring = ["RING1", "RING2", "RING3"]
    for n in range(6):
        tender = writer.tender(
            first,
            project(p1, n),
            (f"اقتناء معدات إعلامية — قسط {n + 1}", f"Acquisition de matériel informatique — lot {n + 1}"),
            published=f"2025-{2 + n:02d}-05",
            estimated_value=Decimal(400_000),
            main_category=MainCategory.GOODS,
        )
        base = 380_000 + 2_000 * n
        winner = ring[n % 3]
        writer.bid(tender, winner, base)
        for k, other in enumerate(x for x in ring if x != winner):
            # Every third tender the two losers even bid the very same price.
            writer.bid(tender, other, base * (1.004 + (0 if n % 3 == 0 else 0.003 * k)))
        contract = writer.win(tender, winner, base)
        writer.pay(contract, base * 0.3, f"2025-{4 + n:02d}-20")

    # Split purchases: four direct purchases of the second ministry, same month, just below 200,000 TND.
    for n, amount in enumerate((195_000, 198_500, 192_000, 199_400)):
        tender = writer.tender(
            second,
            project(p2, 0),
            (f"اقتناء تراخيص برمجية — طلب {n + 1}", f"Acquisition de licences logicielles — commande {n + 1}"),
            published=f"2025-05-{3 + 6 * n:02d}",
            method=ProcurementMethod.DIRECT,
            estimated_value=Decimal(amount),
            main_category=MainCategory.GOODS,
        )
        writer.bid(tender, "DELTA", amount)
        writer.win(tender, "DELTA", amount)

    # The shell: registered on 2025-04-01, awarded 900,000 TND on 2025-05-01 against two honest bids.
    tender = writer.tender(
        third,
        project(p3, 0),
        ("منصة رقمية للخدمات عن بعد", "Plateforme numérique de services en ligne"),
        published="2025-03-22",
        estimated_value=Decimal(950_000),
    )
    writer.bid(tender, "SHELL", 900_000)
    writer.bid(tender, "ALPHA", 940_000)
    writer.bid(tender, "CARTHAGE", 910_000, status=BidStatus.DISQUALIFIED, disqualification_reason="ضمان وقتي منقوص")
    shell = writer.win(tender, "SHELL", 900_000)
    writer.pay(shell, 270_000, "2025-07-01")

    # An amendment of +60 %: 500,000 TND becomes 800,000 TND.
    tender = writer.tender(
        third,
        project(p3, 1),
        ("تطوير نظام التصرف في الموارد البشرية", "Développement du système de gestion des ressources humaines"),
        published="2025-02-10",
        estimated_value=Decimal(520_000),
    )
    writer.bid(tender, "SOUSSE", 500_000)
    writer.bid(tender, "ATLAS", 540_000)
    amended = writer.win(tender, "SOUSSE", 500_000)
    writer.amend(amended, 800_000, "2025-09-15", "توسيع مجال التدخل ليشمل المصالح الجهوية")
    writer.pay(amended, 250_000, "2025-06-30")

    # A payment before the signature.
    tender = writer.tender(
        fourth,
        project(p4, 0),
        ("تركيز شبكة محلية", "Installation d'un réseau local"),
        published="2025-04-02",
        estimated_value=Decimal(300_000),
        main_category=MainCategory.WORKS,
    )
    writer.bid(tender, "JASMIN", 280_000)
    writer.bid(tender, "MEDINA", 295_000)
    early = writer.win(tender, "JASMIN", 280_000, signed="2025-06-15")
    writer.pay(early, 84_000, "2025-05-20", ref=f"{early.ref}-P0")

    # A supplier reported not tax-compliant on 2025-03-01, paid afterwards.
    tender = writer.tender(
        fourth,
        project(p4, 1),
        ("أشغال تهيئة قاعة الخوادم", "Travaux d'aménagement de la salle serveurs"),
        published="2025-01-10",
        estimated_value=Decimal(260_000),
        main_category=MainCategory.WORKS,
    )
    writer.bid(tender, "NOTAX", 240_000)
    writer.bid(tender, "OASIS", 255_000)
    notax = writer.win(tender, "NOTAX", 240_000, signed="2025-02-25")
    writer.pay(notax, 120_000, "2025-04-10")

    # Ordinary competitive tenders, nothing to flag, so the queue is not all red.
    honest = ["ALPHA", "CARTHAGE", "SFAXNET", "SOUSSE", "ATLAS", "MEDINA", "KAIROUAN", "OASIS"]
    subjects = [
        ("دراسة تصميم بوابة", "Étude de conception d'un portail"),
        ("تكوين الأعوان في الأمن السيبراني", "Formation des agents à la cybersécurité"),
        ("صيانة التطبيقات", "Maintenance des applications"),
        ("رقمنة الأرشيف", "Numérisation des archives"),
        ("اقتناء خوادم", "Acquisition de serveurs"),
        ("تدقيق أمن المعلومات", "Audit de la sécurité de l'information"),
        ("تطوير تطبيقة جوالة", "Développement d'une application mobile"),
        ("استضافة سحابية", "Hébergement en nuage"),
        ("مساعدة فنية", "Assistance technique"),
        ("اقتناء حواسيب محمولة", "Acquisition d'ordinateurs portables"),
        ("إرساء نظام التوقيع الإلكتروني", "Mise en place de la signature électronique"),
    ]
    for n, title in enumerate(subjects):
        buyer, projects = [(first, p1), (second, p2), (third, p3), (fourth, p4)][n % 4]
        estimate = 150_000 + 35_000 * n
        bought_for = project(projects, n + 2)
        # A public project's ordinary tenders are public: open data (/ocds/releases.json) publishes them.
        public = bought_for is not None and bought_for.classification == Classification.PUBLIC
        tender = writer.tender(
            buyer,
            bought_for,
            title,
            published=f"2025-{1 + n % 11:02d}-15",
            estimated_value=Decimal(estimate),
            classification=Classification.PUBLIC if public else Classification.RESTRICTED,
        )
        bidders = [honest[(n + k) % len(honest)] for k in range(3 + n % 2)]
        prices = [estimate * (0.82 + 0.07 * k + 0.01 * (n % 3)) for k in range(len(bidders))]
        for key, price in zip(bidders, prices, strict=True):
            writer.bid(tender, key, round(price, 3))
        contract = writer.win(tender, bidders[0], round(prices[0], 3))
        paid = (contract.signed_on or datetime.date(2025, 6, 1)) + datetime.timedelta(days=60)
        writer.pay(contract, round(prices[0] * 0.4, 3), paid.isoformat())


def _detect(out: Any, today: datetime.date | None) -> int:
    """Link the payments to the projects' reported spend, run the detection, mark the sample's alerts as sample;
    return their count."""
    from masar.delivery.models import Notification
    from masar.integrity.detection import detection_run
    from masar.integrity.services import payments_link

    payments_link()
    run = detection_run()
    if today is not None:
        # The demo's history is dated from its load day, the inspectors' notice of this run with it.
        moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 0)))
        Notification.objects.filter(kind=Notification.Kind.ALERTS_RAISED, created_at__gte=run.started_at).update(
            created_at=moment
        )
    sample_alerts = Alert.objects.filter(
        Q(tender__is_sample=True) | Q(supplier__is_sample=True) | Q(contract__tender__is_sample=True)
    )
    sample_alerts.update(is_sample=True)
    return sample_alerts.count()


def procurement_demo_load(
    *, stdout: Any = None, today: datetime.date | None = None, strategy_code: str = PROGRAM
) -> dict[str, int]:
    """Create the sample procurement trail of the program's projects once, then run the detection.

    Loading again creates nothing (the sample's tenders are found by their ocid); the detection still runs.
    """
    out = stdout or io.StringIO()
    created = {"suppliers": 0, "tenders": 0, "alerts": 0}
    if not Tender.objects.filter(ocid__startswith=OCID_PREFIX).exists():
        ministries = _ministries_and_projects(strategy_code)
        if len(ministries) < 3:
            out.write("procurement: the program has too few ministries with projects; no sample trail\n")
            return created
        registrar = Organization.objects.filter(code="TN-PM").first() or ministries[0][0]
        writer = _Writer(registrar)
        for row in SUPPLIERS:
            writer.supplier(*row)
        _write_trail(writer, ministries)
        created.update(suppliers=len(writer.suppliers), tenders=writer.tenders)
    created["alerts"] = _detect(out, today)
    for label, count in created.items():
        out.write(f"procurement: {count:4d} {label}\n")
    return created
