"""Generate a synthetic procurement trail on the portfolio, with planted schemes the rules must catch.

`procurement_generate` adds tenders (bought by the owners of existing projects), bids, awards, items,
contracts, amendments, payments and suppliers. Everything is flagged is_sample with source "synthetic",
and the same seed gives the same rows (primary keys aside: they follow what the tables already hold).

Ordinary records are drawn to look like a working market: estimates log-normal around 150,000 TND,
1 to 8 bids around the estimate (direct purchases 1, competitive tenders at least 2), the second-lowest
valid bid 4 to 10 % above the winning one, a few disqualified bids (never the lowest nor the runner-up),
submission periods of three to eight weeks, contracts signed after the award, payments in instalments
after signature and under the contract's value, suppliers registered years before, tax-compliant or not
reported, each with its own telephone, address and e-mail. So the rules fire on them no more than at
their natural rate.

Planted schemes are drawn among them, each kept as a case: the set of finding keys
("<RULE>:<subject>:<id>", as `masar.integrity.findings.Finding.key`) of which at least one must be
found for the case to count as caught. `GenerateReport.planted` maps each rule code to its cases; the
benchmark and the tests read recall and precision from it. Contract and payment keys are their primary
keys, allocated by the generator before inserting, so the truth is known without reading it back.

Rows are inserted in batches: COPY on PostgreSQL (200,000 contracts and a million bids in minutes),
bulk_create elsewhere.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from masar.core.errors import DomainError
from masar.core.models import Classification
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
    ExchangeRate,
    Item,
    Lot,
    MainCategory,
    Payment,
    ProcurementMethod,
    Supplier,
    TaxStatus,
    TaxStatusReport,
    Tender,
)

SOURCE = "synthetic"
PROVENANCE = {"is_sample": True, "source": SOURCE}
CENT = Decimal("0.01")
UTC = datetime.UTC
FIRST_DAY = datetime.date(2021, 1, 4)
LAST_DAY = datetime.date(2025, 12, 31)
MEDIAN_ESTIMATE = 150_000
EUR_RATE = Decimal("3.30000000")
EUR_FROM = datetime.date(2015, 1, 1)
CHUNK = 5000  # tenders drawn and inserted at a time (bounded memory at national size)
BIDS_PER_SUPPLIER = 50  # the pool of ordinary suppliers is sized so that each bids about this often

# Defaults the planted cases are drawn against when the rules do not say theirs (see `_param`).
FALLBACK = {
    ("SPLIT", "threshold"): 200_000,
    ("SHELL", "minimum_value"): 500_000,
    ("SHELL", "days"): 180,
    ("AMEND", "share"): 0.25,
}

# CPV divisions (the first two digits of a code), with what the tenders of each buy.
DIVISIONS = [
    ("30", "معدات إعلامية", "Matériel informatique", MainCategory.GOODS),
    ("32", "معدات الاتصالات", "Équipements de télécommunication", MainCategory.GOODS),
    ("48", "برمجيات", "Logiciels", MainCategory.GOODS),
    ("72", "خدمات إعلامية", "Services informatiques", MainCategory.SERVICES),
    ("79", "خدمات استشارية", "Services aux entreprises", MainCategory.SERVICES),
    ("80", "خدمات التكوين", "Services de formation", MainCategory.SERVICES),
    ("45", "أشغال بناء", "Travaux de construction", MainCategory.WORKS),
    ("71", "خدمات هندسية", "Services d'ingénierie", MainCategory.SERVICES),
    ("50", "خدمات الصيانة", "Services de réparation et d'entretien", MainCategory.SERVICES),
    ("64", "خدمات الاتصالات", "Services de télécommunications", MainCategory.SERVICES),
    ("39", "أثاث", "Mobilier", MainCategory.GOODS),
    ("22", "مطبوعات", "Imprimés", MainCategory.GOODS),
    ("34", "معدات النقل", "Équipements de transport", MainCategory.GOODS),
    ("33", "معدات طبية", "Équipements médicaux", MainCategory.GOODS),
    ("31", "معدات كهربائية", "Équipements électriques", MainCategory.GOODS),
    ("73", "خدمات البحث", "Services de recherche", MainCategory.SERVICES),
    ("75", "خدمات إدارية", "Services de l'administration", MainCategory.SERVICES),
    ("90", "خدمات التطهير", "Services d'assainissement", MainCategory.SERVICES),
    ("92", "خدمات ثقافية", "Services culturels", MainCategory.SERVICES),
    ("98", "خدمات أخرى", "Autres services", MainCategory.SERVICES),
    ("09", "محروقات", "Carburants", MainCategory.GOODS),
    ("15", "مواد غذائية", "Produits alimentaires", MainCategory.GOODS),
    ("18", "ملابس", "Vêtements", MainCategory.GOODS),
    ("42", "آلات صناعية", "Machines industrielles", MainCategory.GOODS),
    ("44", "مواد بناء", "Matériaux de construction", MainCategory.GOODS),
    ("51", "خدمات التركيب", "Services d'installation", MainCategory.SERVICES),
    ("60", "خدمات النقل", "Services de transport", MainCategory.SERVICES),
    ("66", "خدمات مالية", "Services financiers", MainCategory.SERVICES),
    ("77", "خدمات فلاحية", "Services agricoles", MainCategory.SERVICES),
    ("85", "خدمات صحية", "Services de santé", MainCategory.SERVICES),
]
METHODS = [
    (ProcurementMethod.OPEN, 0.68),
    (ProcurementMethod.SELECTIVE, 0.10),
    (ProcurementMethod.LIMITED, 0.08),
    (ProcurementMethod.DIRECT, 0.12),
    (ProcurementMethod.FRAMEWORK, 0.02),
]
COMPETITIVE = {ProcurementMethod.OPEN, ProcurementMethod.SELECTIVE, ProcurementMethod.FRAMEWORK}
CITIES = ["تونس", "صفاقس", "سوسة", "القيروان", "بنزرت", "قابس", "أريانة", "نابل", "المنستير", "قفصة"]
STREETS = ["نهج الحرية", "شارع الحبيب بورقيبة", "نهج ابن خلدون", "شارع محمد الخامس", "نهج الجمهورية"]
FIRMS = ["الأمل", "النور", "المستقبل", "الرقمية", "الوفاق", "البناء", "التقدم", "الريادة", "الخليج", "الأطلس"]
REASONS = ["وثائق إدارية ناقصة", "ضمان وقتي غير مطابق", "عرض فني غير مطابق", "خارج الآجال"]


@dataclass
class GenerateReport:
    """What a run made: rows per model, seconds, and the planted cases per rule code."""

    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    planted: dict[str, list[frozenset[str]]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def planted_keys(planted: dict[str, list[frozenset[str]]]) -> dict[str, set[str]]:
    """Return, per rule, every finding key that belongs to a planted case."""
    return {rule: set().union(*cases) if cases else set() for rule, cases in planted.items()}


def score(planted: dict[str, list[frozenset[str]]], found: dict[str, set[str]]) -> dict[str, dict]:
    """Return per rule the cases caught, recall (cases caught / planted) and precision.

    Precision is the share of a rule's findings whose key belongs to a planted case. For the rules that
    fire on ordinary data at their natural rate (outliers, Benford, Isolation Forest) it is not a false
    alarm rate: the ordinary data is not known to be clean of what they look for.
    """
    result = {}
    for rule in sorted(set(planted) | set(found)):
        cases = planted.get(rule, [])
        keys = found.get(rule, set())
        caught = sum(1 for case in cases if case & keys)
        union = set().union(*cases) if cases else set()
        result[rule] = {
            "cases": len(cases),
            "caught": caught,
            "findings": len(keys),
            "recall": caught / len(cases) if cases else None,
            "precision": len(keys & union) / len(keys) if keys else None,
        }
    return result


def _param(code: str, name: str):
    """Return a rule's default parameter when the rule set says it, the generator's fallback otherwise."""
    try:
        from masar.integrity.rules import RULES
    except ImportError:
        return FALLBACK[(code, name)]
    rule = RULES.get(code)
    if rule is not None and name in rule.defaults:
        return rule.defaults[name]
    return FALLBACK[(code, name)]


def _money(value: float) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class _Rates:
    """The EUR rates in force (the generator's own, plus any the table already had), by date."""

    def __init__(self):
        ExchangeRate.objects.get_or_create(currency="EUR", valid_from=EUR_FROM, defaults={"rate": EUR_RATE})
        rates = ExchangeRate.objects.filter(currency="EUR").order_by("valid_from").values_list("valid_from", "rate")
        self.days = [day for day, _rate in rates]
        self.rates = [rate for _day, rate in rates]

    def base(self, amount: Decimal, currency: str, on: datetime.date) -> Decimal | None:
        if currency != "EUR":
            return amount
        i = bisect.bisect_right(self.days, on) - 1
        if i < 0:
            return None
        return (amount * self.rates[i]).quantize(CENT, rounding=ROUND_HALF_UP)


class _Ids:
    """Primary keys handed out by the generator, following what each table already holds."""

    def __init__(self, models_):
        self.next = {m: (m.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 for m in models_}

    def take(self, model) -> int:
        key = self.next[model]
        self.next[model] = key + 1
        return key


class _Writer:
    """Insert rows (dicts of attnames) per model: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, report: GenerateReport, batch_size: int):
        self.report = report
        self.batch_size = batch_size
        self.now = datetime.datetime.now(UTC)
        self.columns = {}

    def _layout(self, model):
        if model not in self.columns:
            fields = model._meta.concrete_fields
            defaults = {}
            for f in fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    defaults[f.attname] = self.now
                else:
                    defaults[f.attname] = f.get_default()  # "" for text that may be blank, None when nullable
            json = {f.attname for f in fields if isinstance(f, models.JSONField)}
            self.columns[model] = (fields, defaults, json)
        return self.columns[model]

    def write(self, model, rows: list[dict]):
        if not rows:
            return
        fields, defaults, json = self._layout(model)
        names = [f.attname for f in fields]
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [Jsonb(row.get(n, defaults[n])) if n in json else row.get(n, defaults[n]) for n in names]
                    )
        else:
            objects = [model(**{n: row.get(n, defaults[n]) for n in names}) for row in rows]
            model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.report.counts[model._meta.model_name] += len(rows)

    def finish(self, models_):
        """Move PostgreSQL's sequences past the keys the generator gave."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {table}",  # noqa: S608
                    [table],
                )


TRAIL = [Supplier, TaxStatusReport, Tender, Bid, Award, Item, Contract, Amendment, Payment]


def _buyers(rng: random.Random, contracts: int):
    """Return the buyers (owner id, code, its project ids) the tenders are drawn on: about 40 tenders each."""
    from masar.organizations.models import Organization
    from masar.portfolio.models import Project

    projects = defaultdict(list)
    for pk, owner_id in Project.objects.order_by("pk").values_list("pk", "owner_id"):
        projects[owner_id].append(pk)
    if len(projects) < 4:
        raise DomainError(
            _("The portfolio has projects of %(count)s organizations: at least 4 are needed as buyers.")
            % {"count": len(projects)}
        )
    codes = dict(Organization.objects.filter(pk__in=list(projects)).values_list("pk", "code"))
    owners = sorted(projects)
    count = min(len(owners), max(6, contracts // 40))
    chosen = sorted(rng.sample(owners, count))
    return [(owner, codes[owner], projects[owner]) for owner in chosen]


class _Draw:
    """Draw the trail tender by tender; planted schemes alter the tenders drawn for them."""

    def __init__(self, *, seed, contracts, bids_per_tender, writer, ids, rates):
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = contracts
        self.bpt = bids_per_tender
        self.w = writer
        self.ids = ids
        self.rates = rates
        self.planted = defaultdict(list)
        self.rows = defaultdict(list)
        self.split_threshold = float(_param("SPLIT", "threshold"))
        self.shell_value = float(_param("SHELL", "minimum_value"))
        self.shell_days = int(_param("SHELL", "days"))
        self.amend_share = float(_param("AMEND", "share"))
        self.wins = []
        self.valid = []

    # Suppliers ---------------------------------------------------------------------------------------

    def supplier(self, n, *, division, registered, phone=None, address=None, tax=TaxStatus.COMPLIANT, kind="S"):
        rng = self.rng
        number = len(self.wins)  # one number per supplier: no two share a name, telephone or address
        firm = f"{rng.choice(FIRMS)} {number}"
        supplier = Supplier(
            pk=self.ids.take(Supplier),
            identifier=f"SYN-{kind}{n:06d}",
            registration_number=f"{1000000 + n}{kind}",
            registered_on=registered,
            name_ar=f"شركة {firm}",
            name_fr=f"Société {firm}",
            address=address or f"{number} {rng.choice(STREETS)}، {rng.choice(CITIES)}",
            phone=phone or f"+216 7{number:07d}",
            email=f"contact{n}.{kind.lower()}@syn.example.tn",
            contact_name=f"مسؤول {number}",
            tax_status=tax,
            tax_status_on=datetime.date(2021, 1, 1) if tax != TaxStatus.UNKNOWN else None,
            classification=Classification.RESTRICTED,
            owner_id=self.registrar,
            **PROVENANCE,
        )
        fill_supplier_keys(supplier)
        row = {
            f.attname: getattr(supplier, f.attname) for f in Supplier._meta.concrete_fields if f.name != "updated_at"
        }
        self.rows[Supplier].append(row)
        if supplier.tax_status_on:
            self.rows[TaxStatusReport].append(
                dict(
                    id=self.ids.take(TaxStatusReport),
                    supplier_id=supplier.pk,
                    status=tax,
                    as_of=supplier.tax_status_on,
                    source=SOURCE,
                )
            )
        self.wins.append(0)
        self.valid.append(0)
        return {"pk": supplier.pk, "identifier": supplier.identifier, "division": division, "index": len(self.wins) - 1}

    def old_date(self):
        return datetime.date(1995, 1, 1) + datetime.timedelta(days=self.rng.randrange(365 * 23))

    def suppliers(self):
        rng = self.rng
        count = max(40, round(self.n * self.bpt / BIDS_PER_SUPPLIER))
        self.divisions = DIVISIONS[: max(4, min(len(DIVISIONS), count // 40))]
        self.pools = defaultdict(list)
        self.ordinary = []
        weights = defaultdict(list)
        for n in range(count):
            division = self.divisions[n % len(self.divisions)][0]
            tax = TaxStatus.COMPLIANT if rng.random() < 0.9 else TaxStatus.UNKNOWN
            s = self.supplier(n, division=division, registered=self.old_date(), tax=tax)
            # One supplier in seven is an established firm: it bids five times as often, in two or three
            # divisions (so that many suppliers win in twenty processes and more, as R048 compares them).
            established = rng.random() < 0.15
            homes = {division}
            if established:
                homes |= {d[0] for d in rng.sample(self.divisions, rng.randint(1, 2))}
            for home in sorted(homes):
                self.pools[home].append(s)
                weights[home].append(5 if established else 1)
            self.ordinary.append(s)
        self.cumulative = {home: list(itertools.accumulate(w)) for home, w in weights.items()}
        self.cumulative["*"] = list(itertools.accumulate(1 for _s in self.ordinary))
        self.pools["*"] = self.ordinary
        ring = {"phone": "+216 71 555 000", "address": "12 نهج الحرية، تونس", "kind": "R"}
        self.ring = [self.supplier(n, division=None, registered=self.old_date(), **ring) for n in range(3)]
        self.shells = [
            self.supplier(n, division=None, registered=None, phone="+216 98 777 111", kind="H") for n in range(3)
        ]
        self.tax_bad = [
            self.supplier(n, division=None, registered=self.old_date(), tax=TaxStatus.NON_COMPLIANT, kind="T")
            for n in range(2)
        ]
        self.splitter = self.supplier(0, division=None, registered=self.old_date(), kind="P")
        home = self.divisions[0][0]
        self.dominant = self.supplier(0, division=home, registered=self.old_date(), kind="D")
        self.heterogeneous = self.supplier(0, division=None, registered=self.old_date(), kind="G")
        self.loser = self.supplier(0, division=None, registered=self.old_date(), kind="L")
        self.flush([Supplier, TaxStatusReport])

    # The plan ----------------------------------------------------------------------------------------

    def plan(self, buyers):
        """Give each tender its buyer and its kind (ordinary or a planted scheme)."""
        rng = self.rng
        self.buyers = buyers
        self.tender_buyer = [i % len(buyers) for i in range(self.n)]
        rng.shuffle(self.tender_buyer)
        special = rng.sample(range(len(buyers)), 4)
        self.hhi_buyer, self.r038_buyer, self.benford_buyer, self.split_buyer = special
        free = [i for i in range(self.n) if self.tender_buyer[i] not in special]
        rng.shuffle(free)
        each = max(2, self.n // 25000)
        rings = max(1, self.n // 50000)
        self.kind = {}
        counts = [
            ("ring", 3 * rings),
            ("R018", each),
            ("R003", each),
            ("R030", each),
            ("R035", each),
            ("R036", each),
            ("R058", each),
            ("SHELL", len(self.shells)),
            ("AMEND", each),
            ("PAYDATE", each),
            ("PAYOVER", each),
            ("TAX", len(self.tax_bad)),
            ("IFOREST", 1),
            ("R048", 24),
        ]
        for kind, count in counts:
            for _i in range(count):
                self.kind[free.pop()] = kind
        splits = [i for i in range(self.n) if self.tender_buyer[i] == self.split_buyer][:4]
        for i in splits:
            self.kind[i] = "SPLIT"
        self.split_start = FIRST_DAY + datetime.timedelta(days=rng.randrange(1200))
        per_supplier = self.n * self.bpt / max(1, len(self.ordinary))
        self.loser_bids = set(rng.sample(range(self.n), min(self.n // 2, max(60, round(4 * per_supplier)))))
        self.r048_divisions = [d[0] for d in DIVISIONS[:24]]

    # One tender --------------------------------------------------------------------------------------

    def tender(self, i):
        rng = self.rng
        kind = self.kind.get(i, "ordinary")
        buyer_index = self.tender_buyer[i]
        owner, code, projects = self.buyers[buyer_index]
        method = rng.choices([m for m, _w in METHODS], [w for _m, w in METHODS])[0]
        division = rng.choice(self.divisions)
        currency = "EUR" if rng.random() < 0.005 and kind == "ordinary" else "TND"
        estimate = math.exp(rng.gauss(math.log(MEDIAN_ESTIMATE), 1.4))
        published = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        period = rng.randint(21, 56)
        t = dict(
            i=i, kind=kind, buyer=buyer_index, owner=owner, code=code, project=rng.choice(projects), method=method,
            division=division, currency=currency, estimate=estimate, published=published, period=period,
        )  # fmt: skip
        self.shape(t)
        return t

    def shape(self, t):
        """Apply the tender's planted scheme (or its buyer's) to what was drawn."""
        kind, rng = t["kind"], self.rng
        if kind in ("ring", "R018", "R003", "R030", "R035", "R036", "R058", "SHELL", "TAX", "R048"):
            t["method"] = ProcurementMethod.OPEN
        if kind == "R003":
            t["period"] = rng.randint(4, 9)
        if kind == "SPLIT":
            t["method"] = ProcurementMethod.DIRECT
            t["period"] = 21
            t["division"] = self.divisions[0]
            t["estimate"] = self.split_threshold * rng.uniform(0.93, 0.99)
            t["published"] = self.split_start + datetime.timedelta(days=len(self.planted["SPLIT-open"]) * 4)
            self.planted["SPLIT-open"].append(t["i"])
        if kind == "SHELL":
            t["estimate"] = self.shell_value * rng.uniform(2.0, 4.0)
        if kind == "IFOREST":
            t["method"] = ProcurementMethod.DIRECT
            # An ordinary value (a huge one would also dominate its buyer, R055): odd in its duration,
            # amendments and award delay.
            t["estimate"] = MEDIAN_ESTIMATE * 20
        if kind == "R048":
            t["division"] = next(d for d in DIVISIONS if d[0] == self.r048_divisions[len(self.planted["R048-n"])])
            self.planted["R048-n"].append(t["i"])
        if t["buyer"] == self.hhi_buyer and rng.random() < 0.7:
            t["kind"] = "HHI"
            t["estimate"] *= 3  # the dominant supplier's share counts in value
            t["division"] = self.divisions[0]
            t["method"] = ProcurementMethod.OPEN
        if t["buyer"] == self.r038_buyer:
            t["method"] = ProcurementMethod.OPEN
        if t["currency"] == "EUR":
            t["estimate"] /= float(EUR_RATE)
        t["estimate"] = max(2000.0, round(t["estimate"], -2))

    def bidders(self, t):
        """Return the bidders of a tender (first the winner), and how many there are."""
        rng, method, kind = self.rng, t["method"], t["kind"]
        home = t["division"][0] if t["division"][0] in self.pools else "*"
        pool = self.pools[home]
        if kind == "ring":
            ring = self.ring[t["i"] % 3 :] + self.ring[: t["i"] % 3]
            return ring + rng.sample(pool, rng.randint(0, 2))
        if method == ProcurementMethod.DIRECT or kind == "R018":
            count = 1
        elif method == ProcurementMethod.LIMITED:
            count = rng.randint(2, 3)
        else:
            mean = (self.bpt - 0.12 - 0.2) / 0.8
            count = max(2, min(8, round(rng.gauss(mean, 1.5))))
        if t["buyer"] == self.r038_buyer:
            count = max(count, 6)
        if kind in ("R035", "R036"):
            count = max(count, 4)
        chosen = self.pick(home, count)
        # The winner: the bidder who has won least for its bids, so that no ordinary supplier loses
        # abnormally often by chance (R025 looks for those).
        chosen.sort(key=lambda s: (self.wins[s["index"]] + 1) / (self.valid[s["index"]] + 1))
        forced = {
            "SHELL": lambda: self.shells[len(self.planted["SHELL"])],
            "TAX": lambda: self.tax_bad[len(self.planted["TAX"])],
            "SPLIT": lambda: self.splitter,
            "HHI": lambda: self.dominant,
            "R048": lambda: self.heterogeneous,
        }
        if kind in forced:
            chosen = [forced[kind]()] + chosen[: max(0, len(chosen) - 1)] if count > 1 else [forced[kind]()]
        return chosen

    def pick(self, home, count):
        """Return count distinct suppliers of a division's pool, drawn by their weights."""
        pool, cumulative = self.pools[home], self.cumulative[home]
        count = min(count, len(pool))
        chosen, seen = [], set()
        for _attempt in range(20 * count):
            if len(chosen) == count:
                break
            s = self.rng.choices(pool, cum_weights=cumulative)[0]
            if s["pk"] not in seen:
                seen.add(s["pk"])
                chosen.append(s)
        rest = [s for s in pool if s["pk"] not in seen]
        return chosen + self.rng.sample(rest, count - len(chosen))

    def bids(self, t, tender_id, bidders):
        """Return the bid rows of a tender, the winning one first; plant the price and status schemes."""
        rng, kind = self.rng, t["kind"]
        winning = t["estimate"] * rng.uniform(0.82, 1.02)
        if kind in ("IFOREST", "SPLIT"):
            winning = t["estimate"]
        ratios = [0.0]
        if len(bidders) > 1:
            second = rng.uniform(0.04, 0.10)
            if kind == "ring":
                second = 0.0
            elif kind == "R058":
                second = rng.uniform(0.45, 0.6)
            ratios.append(second)
            ratios += sorted(second + rng.uniform(0.005, 0.3) for _ in bidders[2:])
        deadline = t["published"] + datetime.timedelta(days=t["period"])
        published_at = datetime.datetime.combine(t["published"], datetime.time(9), UTC)
        deadline_at = datetime.datetime.combine(deadline, datetime.time(12), UTC)
        t["published_at"], t["deadline_at"] = published_at, deadline_at
        rows = []
        for rank, (supplier, ratio) in enumerate(zip(bidders, ratios, strict=True)):
            status = BidStatus.VALID
            if rank >= 2 and (rng.random() < (0.75 if t["buyer"] == self.r038_buyer else 0.05) or kind == "R035"):
                status = BidStatus.DISQUALIFIED
            if kind == "R035" and rank >= 1:
                status = BidStatus.DISQUALIFIED
            received = published_at + datetime.timedelta(seconds=rng.randrange(3600, t["period"] * 86400 - 3600))
            if kind == "R030" and rank == 0:
                received = deadline_at + datetime.timedelta(days=rng.randint(1, 4))
            rows.append(self.bid_row(t, tender_id, supplier, winning * (1 + ratio), status, received, rank))
        if kind == "R036":
            low = next(s for s in self.ordinary[t["i"] % 7 :] if all(b["supplier_id"] != s["pk"] for b in rows))
            received = published_at + datetime.timedelta(days=1)
            rows.append(self.bid_row(t, tender_id, low, winning * 0.93, BidStatus.DISQUALIFIED, received, len(rows)))
        if t["i"] in self.loser_bids and kind == "ordinary" and t["method"] == ProcurementMethod.OPEN:
            received = published_at + datetime.timedelta(days=2)
            ratio = rng.uniform(0.36, 0.5)
            rows.append(self.bid_row(t, tender_id, self.loser, winning * (1 + ratio), BidStatus.VALID, received, 9))
            self.planted["R025-n"].append(t["i"])
        return rows

    def bid_row(self, t, tender_id, supplier, amount, status, received, rank):
        amount = _money(amount)
        if status == BidStatus.VALID:
            self.valid[supplier["index"]] += 1
        return dict(
            id=self.ids.take(Bid),
            tender_id=tender_id,
            ref=f"B{rank + 1}",
            supplier_id=supplier["pk"],
            amount=amount,
            currency=t["currency"],
            amount_base=self.rates.base(amount, t["currency"], received.date()),
            received_at=received,
            status=status,
            disqualification_reason=self.rng.choice(REASONS) if status == BidStatus.DISQUALIFIED else "",
        )

    # After the bids --------------------------------------------------------------------------------

    def trail(self, t):
        """Draw one tender with its bids, award, item, contract, amendments and payments."""
        rng = self.rng
        tender_id = self.ids.take(Tender)
        bidders = self.bidders(t)
        bids = self.bids(t, tender_id, bidders)
        winner = bidders[0]
        self.wins[winner["index"]] += 1
        division = t["division"]
        ocid = f"ocds-syn{self.seed}-{t['i'] + 1:07d}"
        t["ocid"] = ocid
        self.rows[Tender].append(
            dict(
                id=tender_id, ocid=ocid, title_ar=f"اقتناء {division[1]}", title_fr=f"Acquisition : {division[2]}",
                title_en="", buyer_id=t["owner"], buyer_ref=t["code"], project_id=t["project"], method=t["method"],
                main_category=division[3], published_at=t["published_at"], deadline=t["deadline_at"],
                estimated_value=_money(t["estimate"]), currency=t["currency"],
                estimated_value_base=self.rates.base(_money(t["estimate"]), t["currency"], t["published"]),
                number_of_tenderers=len({b["supplier_id"] for b in bids}), classification=Classification.RESTRICTED,
                owner_id=t["owner"], **PROVENANCE,
            )
        )  # fmt: skip
        self.rows[Bid].extend(bids)
        if t["kind"] == "SHELL":
            self.shell_dates[winner["pk"]] = t["published"] - datetime.timedelta(days=rng.randint(10, 40))
        award_day = t["deadline_at"].date() + datetime.timedelta(days=rng.randint(7, 40))
        if t["kind"] == "SPLIT":
            award_day = t["deadline_at"].date() + datetime.timedelta(days=7)
        if t["kind"] == "IFOREST":
            award_day = t["deadline_at"].date() + datetime.timedelta(days=400)
        if t["kind"] == "R030":
            award_day = max(award_day, bids[0]["received_at"].date() + datetime.timedelta(days=3))
        amount = bids[0]["amount"]
        award_id = self.ids.take(Award)
        self.rows[Award].append(
            dict(
                id=award_id, tender_id=tender_id, ref="A1", supplier_id=winner["pk"], status=AwardStatus.ACTIVE,
                date=datetime.datetime.combine(award_day, datetime.time(10), UTC), amount=amount,
                currency=t["currency"], amount_base=self.rates.base(amount, t["currency"], award_day),
            )
        )  # fmt: skip
        self.rows[Item].append(
            dict(
                id=self.ids.take(Item), tender_id=tender_id, award_id=award_id, scheme="CPV",
                code=f"{division[0]}{rng.randrange(100000, 999999)}", description=division[2], quantity=Decimal(1),
                unit="unit", unit_price=amount, currency=t["currency"],
                unit_price_base=self.rates.base(amount, t["currency"], award_day),
            )
        )  # fmt: skip
        contract = self.contract(t, tender_id, award_id, winner, amount, award_day)
        self.record(t, winner, bidders, contract)

    def contract(self, t, tender_id, award_id, winner, amount, award_day):
        rng, kind = self.rng, t["kind"]
        signed = award_day + datetime.timedelta(days=3 if kind == "SPLIT" else rng.randint(3, 25))
        end = signed + datetime.timedelta(days=3650 if kind == "IFOREST" else rng.randint(90, 900))
        contract_id = self.ids.take(Contract)
        value, end_on = amount, end
        changes = []
        if kind == "AMEND":
            changes.append((rng.uniform(self.amend_share + 0.25, self.amend_share + 0.5), 90))
        elif kind == "IFOREST":
            changes += [(0.0, 365)] * 6
        elif rng.random() < 0.07:
            changes.append((rng.uniform(0.02, 0.10), rng.randint(30, 180)))
        for n, (share, days) in enumerate(changes, start=1):
            after = _money(float(value) * (1 + share))
            day = signed + datetime.timedelta(days=rng.randint(30, max(31, (end_on - signed).days - 10)))
            self.rows[Amendment].append(
                dict(
                    id=self.ids.take(Amendment), contract_id=contract_id, ref=f"AV{n}", date=day,
                    rationale="تعديل الكميات" if share else "تمديد الآجال", value_before=value, value_after=after,
                    end_before=end_on, end_after=end_on + datetime.timedelta(days=days),
                )
            )  # fmt: skip
            value, end_on = after, end_on + datetime.timedelta(days=days)
        base = self.rates.base
        self.rows[Contract].append(
            dict(
                id=contract_id, tender_id=tender_id, award_id=award_id, ref=f"SYN-C{t['i'] + 1:07d}",
                supplier_id=winner["pk"], title=t["division"][2], status=ContractStatus.ACTIVE, signed_on=signed,
                end_on=end_on, value=value, currency=t["currency"], value_base=base(value, t["currency"], signed),
                original_value=amount, original_value_base=base(amount, t["currency"], signed), original_end_on=end,
            )
        )  # fmt: skip
        payments = self.payments(t, contract_id, value, signed, end_on)
        return {"id": contract_id, "payments": payments}

    def payments(self, t, contract_id, value, signed, end):
        rng, kind = self.rng, t["kind"]
        count = rng.randint(1, 4)
        total = rng.uniform(1.2, 1.4) if kind == "PAYOVER" else rng.uniform(0.4, 0.95)
        cuts = sorted(rng.random() for _ in range(count - 1))
        shares = [max(0.02, b - a) for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
        shares = [share / sum(shares) for share in shares]
        span = max(30, (end - signed).days)
        days = sorted(rng.randint(15, span) for _ in range(count))
        ids = []
        for n, (share, day) in enumerate(zip(shares, days, strict=True)):
            amount = float(value) * total * share
            if t["buyer"] == self.benford_buyer and kind == "ordinary":
                # Made-up amounts: a leading 4 or 9 far more often than Benford's law expects.
                scale = 10 ** math.floor(math.log10(float(value) * 0.09 / count))
                amount = rng.choice((4, 9)) * scale + rng.randrange(max(1, scale))
            date = signed + datetime.timedelta(days=day)
            if kind == "PAYDATE" and n == 0:
                date = signed - datetime.timedelta(days=rng.randint(5, 30))
            amount = _money(amount)
            payment_id = self.ids.take(Payment)
            self.rows[Payment].append(
                dict(
                    id=payment_id, contract_id=contract_id, ref=f"SYN-P{t['i'] + 1:07d}-{n + 1}", date=date,
                    amount=amount, currency=t["currency"], amount_base=self.rates.base(amount, t["currency"], date),
                )
            )  # fmt: skip
            ids.append(payment_id)
        return ids

    def record(self, t, winner, bidders, contract):
        """Keep the finding keys of a planted tender (the rules' subjects: tender, supplier, contract, payment)."""
        kind = t["kind"]
        tender = f"tender:{t['ocid']}"
        won = f"supplier:{winner['identifier']}"
        c = f"contract:{contract['id']}"
        pays = [f"payment:{p}" for p in contract["payments"]]

        def case(rule, *subjects):
            self.planted[rule].append(frozenset(f"{rule}:{s}" for s in subjects))

        if kind == "ring":
            pair = [f"supplier:{s['identifier']}" for s in bidders[:2]]
            case("R028", tender, *pair)
            case("R024", tender, *pair)
            case("R044", tender, *[f"supplier:{s['identifier']}" for s in bidders[:3]])
        elif kind in ("R018", "R003", "R036"):
            case(kind, tender)
        elif kind in ("R030", "R035", "R058"):
            case(kind, tender, won)
        elif kind in ("SHELL", "TAX"):
            case(kind, won, c, tender, *(pays if kind == "TAX" else ()))
        elif kind == "AMEND":
            case(kind, c, tender)
        elif kind == "PAYDATE":
            case(kind, pays[0], c)
        elif kind == "PAYOVER":
            case(kind, c, *pays)
        elif kind == "IFOREST":
            case(kind, c)
        elif kind == "SPLIT":
            self.split_keys += [tender, c, won]

    def buyer_cases(self):
        def buyer(index):
            return f"buyer:{self.buyers[index][1]}"

        pair = f"supplier:{self.splitter['identifier']}:{buyer(self.split_buyer)}"
        split = [*self.split_keys, buyer(self.split_buyer), pair]
        self.planted["SPLIT"].append(frozenset(f"SPLIT:{k}" for k in split))
        dominant = f"supplier:{self.dominant['identifier']}"
        for rule in ("HHI", "R055"):
            keys = [buyer(self.hhi_buyer), dominant, f"{dominant}:{buyer(self.hhi_buyer)}"]
            self.planted[rule].append(frozenset(f"{rule}:{k}" for k in keys))
        self.planted["R038"].append(frozenset({f"R038:{buyer(self.r038_buyer)}"}))
        self.planted["BENFORD1"].append(frozenset({f"BENFORD1:{buyer(self.benford_buyer)}"}))
        self.planted["R048"].append(frozenset({f"R048:supplier:{self.heterogeneous['identifier']}"}))
        self.planted["R025"].append(frozenset({f"R025:supplier:{self.loser['identifier']}"}))

    # Running -----------------------------------------------------------------------------------------

    def flush(self, order):
        for model in order:
            self.w.write(model, self.rows.pop(model, []))

    def run(self, buyers):
        self.shell_dates = {}
        self.split_keys = []
        self.suppliers()
        self.plan(buyers)
        for start in range(0, self.n, CHUNK):
            for i in range(start, min(self.n, start + CHUNK)):
                self.trail(self.tender(i))
            self.flush([Tender, Bid, Award, Item, Contract, Amendment, Payment])
        for pk, day in self.shell_dates.items():
            Supplier.objects.filter(pk=pk).update(registered_on=day)
        self.buyer_cases()
        return {rule: cases for rule, cases in self.planted.items() if "-" not in rule}


def _audit(report: GenerateReport, seed: int):
    from masar.audit.models import Action
    from masar.audit.services import audit_record

    for model in TRAIL:
        count = report.counts[model._meta.model_name]
        if count:
            audit_record(
                actor=None,
                action=Action.BULK_CREATE,
                instance=None,
                model=model,
                object_id=SOURCE,
                changes={"count": count, "seed": seed},
            )


def procurement_clear() -> Counter:
    """Delete the synthetic procurement trail (tenders and suppliers of source "synthetic", and their records)."""
    tenders = Tender.objects.filter(source=SOURCE).values("pk")
    suppliers = Supplier.objects.filter(source=SOURCE).values("pk")
    counts = Counter()
    steps = [
        (Alert, Alert.objects.filter(models.Q(tender__in=tenders) | models.Q(supplier__in=suppliers))),
        (Payment, Payment.objects.filter(contract__tender__in=tenders)),
        (Amendment, Amendment.objects.filter(contract__tender__in=tenders)),
        (Contract, Contract.objects.filter(tender__in=tenders)),
        (Item, Item.objects.filter(tender__in=tenders)),
        (Bid, Bid.objects.filter(tender__in=tenders)),
        (Award, Award.objects.filter(tender__in=tenders)),
        (Lot, Lot.objects.filter(tender__in=tenders)),
        (Tender, Tender.objects.filter(source=SOURCE)),
        (TaxStatusReport, TaxStatusReport.objects.filter(supplier__in=suppliers)),
        (Supplier, Supplier.objects.filter(source=SOURCE)),
    ]
    for model, queryset in steps:
        # A subquery rather than a join, and no collector loading millions of rows: children go first.
        keys = list(queryset.values_list("pk", flat=True)) if model is Alert else queryset.values("pk")
        counts[model._meta.model_name] = model._default_manager.filter(pk__in=keys)._raw_delete(queryset.db)
    return counts


@transaction.atomic
def procurement_generate(
    *, seed: int = 1, contracts: int = 2000, bids_per_tender: float = 5.0, clear: bool = False, batch_size: int = 2000
) -> GenerateReport:
    """Add a synthetic procurement trail with planted schemes to the portfolio; return what it made.

    Refuses to run into a database that already holds synthetic procurement unless clear is given
    (which deletes it first and audits the deletion).
    """
    from masar.audit.models import Action
    from masar.audit.services import audit_record

    if contracts < 300:
        raise DomainError(_("At least %(count)s contracts are needed to plant every scheme.") % {"count": 300})
    if not 1 <= bids_per_tender <= 8:
        raise DomainError(_("The mean number of bids per tender must be between 1 and 8."))
    started = time.monotonic()
    if Tender.objects.filter(source=SOURCE).exists() or Supplier.objects.filter(source=SOURCE).exists():
        if not clear:
            raise DomainError(_("The database already holds synthetic procurement: clear it first."))
        for name, count in procurement_clear().items():
            if count:
                model = next(m for m in [*TRAIL, Lot, Alert] if m._meta.model_name == name)
                audit_record(
                    actor=None, action=Action.DELETE, instance=None, model=model, object_id=SOURCE,
                    changes={"count": count, "replaced_by_seed": seed},
                )  # fmt: skip
    report = GenerateReport()
    writer = _Writer(report, batch_size)
    draw = _Draw(
        seed=seed, contracts=contracts, bids_per_tender=bids_per_tender, writer=writer, ids=_Ids(TRAIL), rates=_Rates()
    )
    rng = random.Random(f"{seed}-buyers")
    draw.registrar = _registrar()
    report.planted = draw.run(_buyers(rng, contracts))
    writer.finish(TRAIL)
    _audit(report, seed)
    report.seconds = time.monotonic() - started
    return report


def _registrar() -> int:
    """Return the organization the synthetic suppliers are registered by: the root of the organizations."""
    from masar.organizations.models import Organization

    pk = Organization.objects.order_by("depth", "pk").values_list("pk", flat=True).first()
    if pk is None:
        raise DomainError(_("The portfolio has no organization: generate the portfolio first."))
    return pk


def digest() -> str:
    """Return a digest of the synthetic procurement rows without their primary keys (same seed, same digest)."""
    h = hashlib.sha256()
    parts = [
        Supplier.objects.filter(source=SOURCE).order_by("identifier").values_list(
            "identifier", "name_ar", "phone_key", "address_key", "registered_on", "tax_status"
        ),
        Tender.objects.filter(source=SOURCE).order_by("ocid").values_list(
            "ocid", "buyer_ref", "method", "published_at", "deadline", "estimated_value", "currency",
            "estimated_value_base",
        ),
        Bid.objects.filter(tender__source=SOURCE).order_by("tender__ocid", "ref").values_list(
            "tender__ocid", "ref", "supplier__identifier", "amount", "amount_base", "received_at", "status"
        ),
        Contract.objects.filter(tender__source=SOURCE).order_by("ref").values_list(
            "ref", "supplier__identifier", "signed_on", "end_on", "value", "value_base", "original_value"
        ),
        Amendment.objects.filter(contract__tender__source=SOURCE).order_by("contract__ref", "ref").values_list(
            "contract__ref", "ref", "date", "value_after"
        ),
        Payment.objects.filter(contract__tender__source=SOURCE).order_by("ref").values_list(
            "ref", "date", "amount", "amount_base"
        ),
        Item.objects.filter(tender__source=SOURCE).order_by("tender__ocid").values_list("tender__ocid", "code"),
    ]  # fmt: skip
    for rows in parts:
        for row in rows.iterator(chunk_size=5000):
            h.update(repr(row).encode())
    return h.hexdigest()
