"""The demo's data governance: an inventory entry for every kind of data Masar holds, and open datasets.

The inventory is labelled sample metadata (legal bases, retention periods and stewards are the demo's
choices, not the source documents'); the published datasets are public views of the demo's public
records: the 2025–2026 program's projects (`003_…`), the services-digitization strategy's projects
(`004_…`), the council's decisions and the public indicators' values. One more waits for approval, and
one is a draft, so the national unit's queue has something in it.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db.models import Max
from django.utils import timezone

from masar.accounts.models import User
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.delivery.models import Notification
from masar.demo.delivery import date_notifications
from masar.indicators.models import Indicator
from masar.opendata.models import (
    Dataset,
    Lineage,
    Publication,
    PublicationAction,
    PublicationStatus,
    PublicView,
    UpdateFrequency,
)
from masar.opendata.services import (
    dataset_create,
    publication_create,
    publication_decide,
    publication_propose,
    publications_refresh,
)
from masar.organizations.models import Organization
from masar.strategy.models import Strategy

LEGAL_BASIS = (
    "القانون الأساسي عدد 22 لسنة 2016 المتعلق بالحق في النفاذ إلى المعلومة؛ "
    "أمر حكومي يتعلق بالبيانات العمومية المفتوحة (عيّنة)"
)

# (code, record type, owner code, steward, classification, personal data, retention months, frequency, lineage,
#  names ar/fr/en)
INVENTORY: list[tuple[Any, ...]] = [
    (
        "tn-organizations",
        RecordType.ORGANIZATIONS,
        "TN-GOV",
        "admin",
        Classification.PUBLIC,
        False,
        None,
        UpdateFrequency.IRREGULAR,
        [Lineage.PAGES],
        (
            "الهياكل الحكومية ومهامها",
            "Organisations publiques et leurs missions",
            "Public organizations and their missions",
        ),
    ),
    (
        "tn-program-2025-2026-projects",
        RecordType.PROJECTS,
        "TN-GOV",
        "admin",
        Classification.PUBLIC,
        False,
        120,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES, Lineage.IMPORT, Lineage.EXCHANGE],
        (
            "مشاريع برنامج التحول الرقمي 2025-2026",
            "Projets du programme de transformation numérique 2025-2026",
            "Projects of the 2025–2026 digital-transformation program",
        ),
    ),
    (
        "tn-progress-updates",
        RecordType.PROGRESS_UPDATES,
        "TN-GOV",
        "admin",
        Classification.RESTRICTED,
        False,
        120,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES, Lineage.EXCHANGE],
        ("تقارير تقدم الإنجاز الشهرية", "Rapports mensuels d'avancement", "Monthly progress updates"),
    ),
    (
        "tn-obstacles",
        RecordType.OBSTACLES,
        "TN-GOV",
        "admin",
        Classification.CONFIDENTIAL,
        False,
        60,
        UpdateFrequency.CONTINUOUS,
        [Lineage.PAGES],
        ("العقبات والحلول المقترحة", "Obstacles et solutions proposées", "Obstacles and proposed solutions"),
    ),
    (
        "tn-council-decisions",
        RecordType.DECISIONS,
        "TN-GOV",
        "admin",
        Classification.PUBLIC,
        False,
        None,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES],
        (
            "قرارات المجلس الوزاري ومتابعتها",
            "Décisions du conseil des ministres et leur suivi",
            "Council decisions and their follow-up",
        ),
    ),
    (
        "tn-mtc-indicators",
        RecordType.MEASUREMENTS,
        "TN-MTC",
        "coord.mtc",
        Classification.PUBLIC,
        False,
        240,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES, Lineage.IMPORT, Lineage.EXCHANGE, Lineage.COMPUTED],
        (
            "قيم مؤشرات قطاع تكنولوجيات الاتصال",
            "Valeurs des indicateurs du secteur des technologies de la communication",
            "Values of the communication-technologies sector's indicators",
        ),
    ),
    (
        "tn-finance-indicators",
        RecordType.MEASUREMENTS,
        "TN-SMP-02",
        "coord.finance",
        Classification.PUBLIC,
        False,
        240,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES, Lineage.IMPORT],
        (
            "قيم مؤشرات وزارة المالية",
            "Valeurs des indicateurs du ministère des Finances",
            "Values of the Ministry of Finance's indicators",
        ),
    ),
    (
        "tn-staff-accounts",
        RecordType.ORGANIZATIONS,
        "TN-PM",
        "admin",
        Classification.CONFIDENTIAL,
        True,
        36,
        UpdateFrequency.CONTINUOUS,
        [Lineage.PAGES],
        ("حسابات الأعوان وأدوارهم", "Comptes des agents et leurs rôles", "Staff accounts and their roles"),
    ),
    (
        "str-004-projects",
        RecordType.PROJECTS,
        "GOV-004",
        "admin",
        Classification.PUBLIC,
        False,
        120,
        UpdateFrequency.MONTHLY,
        [Lineage.PAGES],
        (
            "مشاريع الاستراتيجية الوطنية لرقمنة الخدمات الحكومية",
            "Projets de la stratégie de numérisation des services",
            "Projects of the government-services digitization strategy",
        ),
    ),
]


def _texts(names: tuple[str, str, str]) -> dict[str, str]:
    return {"name_ar": names[0], "name_fr": names[1], "name_en": names[2]}


def _publication(
    dataset: Dataset,
    name: str,
    view: str,
    titles: tuple[str, str, str],
    descriptions: tuple[str, str, str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "view": view,
        "title_ar": titles[0],
        "title_fr": titles[1],
        "title_en": titles[2],
        "description_ar": descriptions[0],
        "description_fr": descriptions[1],
        "description_en": descriptions[2],
        **extra,
    }


def opendata_demo_load(*, stdout: Any = None, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo inventory and open datasets (skipping what exists by code or name) and generate the files."""
    out = stdout or io.StringIO()
    today = today or timezone.localdate()
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "coord.mtc", "coord.finance"])}
    admin = users["admin"]
    organizations = {o.code: o for o in Organization.objects.filter(code__in={row[2] for row in INVENTORY})}
    created = {"datasets": 0, "publications": 0}
    datasets: dict[str, Dataset] = {}
    for code, kind, owner, steward, level, personal, retention, frequency, lineage, names in INVENTORY:
        found = Dataset.objects.filter(code=code).first()
        if found is None:
            found = dataset_create(
                actor=admin,
                data={
                    "code": code,
                    "record_type": kind,
                    "owner": organizations[owner],
                    "steward": users[steward],
                    "classification": level,
                    "personal_data": personal,
                    "retention_months": retention,
                    "update_frequency": frequency,
                    "lineage": [str(x) for x in lineage],
                    "legal_basis": LEGAL_BASIS,
                    "quality_notes": "بيانات تجريبية (عيّنة) — Données d'exemple — Sample data",
                    **_texts(names),
                },
            )
            created["datasets"] += 1
        datasets[code] = found
    for dataset_code, steward, data, status in _publications(datasets):
        if Publication.objects.filter(name=data["name"]).exists():
            continue
        actor = users[steward]
        publication = publication_create(actor=actor, dataset=datasets[dataset_code], data=data)
        created["publications"] += 1
        if status in (PublicationStatus.PROPOSED, PublicationStatus.PUBLISHED):
            publication = publication_propose(actor=actor, publication=publication)
        if status == PublicationStatus.PUBLISHED:
            publication_decide(actor=admin, publication=publication, action=PublicationAction.APPROVE)
    # The proposals' messages to the national unit are dated within the sample history, like the others.
    date_notifications(Notification.objects.filter(pk__gt=last_notification), today)
    files = publications_refresh()
    out.write(
        f"open data: created {created['datasets']} datasets of the inventory and {created['publications']} "
        f"published datasets; generated the files of {files['generated']}\n"
    )
    return created


def _publications(datasets: dict[str, Dataset]) -> list[tuple[str, str, dict[str, Any], str]]:
    program = Strategy.objects.get(code="TN-PTN-2526")
    services = Strategy.objects.get(code="STR-004")
    tunisia = {"temporal_start": datetime.date(2025, 1, 1), "temporal_end": datetime.date(2026, 12, 31)}
    result = [
        (
            "tn-program-2025-2026-projects",
            "admin",
            _publication(
                datasets["tn-program-2025-2026-projects"],
                "tn-program-2025-2026-projects",
                PublicView.PROJECTS,
                (
                    "مشاريع برنامج التحول الرقمي 2025-2026",
                    "Projets du programme de transformation numérique 2025-2026",
                    "Projects of the 2025–2026 digital-transformation program",
                ),
                (
                    "المشاريع العمومية للبرنامج الوطني مع حالتها وتقييمها المحتسب ونسبة تقدمها الشهرية.",
                    "Les projets publics du programme national, avec leur "
                    "état, leur notation calculée et leur avancement mensuel.",
                    "The national program's public projects with their status, computed rating and monthly progress.",
                ),
                strategy=program,
                themes=["GOVE", "TECH"],
                national_themes=["digital-administration", "governance-follow-up"],
                keywords=["التحول الرقمي", "مشاريع", "transformation numérique", "projets", "digital transformation"],
                **tunisia,
            ),
            PublicationStatus.PUBLISHED,
        ),
        (
            "str-004-projects",
            "admin",
            _publication(
                datasets["str-004-projects"],
                "government-services-digitization-projects",
                PublicView.PROJECTS,
                (
                    "مشاريع استراتيجية رقمنة الخدمات الحكومية",
                    "Projets de la stratégie de numérisation des services publics",
                    "Projects of the government-services digitization strategy",
                ),
                (
                    "المشاريع العمومية للاستراتيجية الوطنية لرقمنة الخدمات الحكومية (2021-2030).",
                    "Les projets publics de la stratégie nationale de numérisation des services publics (2021-2030).",
                    "The public projects of the national strategy for digitizing government services (2021–2030).",
                ),
                strategy=services,
                themes=["GOVE"],
                national_themes=["digital-administration"],
                keywords=["خدمات حكومية", "services publics", "e-government"],
                temporal_start=datetime.date(2021, 8, 31),
                temporal_end=datetime.date(2030, 12, 31),
            ),
            PublicationStatus.PUBLISHED,
        ),
        (
            "tn-council-decisions",
            "admin",
            _publication(
                datasets["tn-council-decisions"],
                "council-decisions-follow-up",
                PublicView.DECISIONS,
                (
                    "قرارات المجلس الوزاري ومتابعتها",
                    "Décisions du conseil des ministres et leur suivi",
                    "Council decisions and their follow-up",
                ),
                (
                    "القرارات العمومية للمجالس الوزارية حول التحول "
                    "الرقمي، الهيكل المسؤول وتاريخ الاستحقاق وحالة المتابعة.",
                    "Les décisions publiques des conseils sur la "
                    "transformation numérique : responsable, échéance, état du suivi.",
                    "The councils' public decisions on digital transformation: "
                    "who is responsible, when due, follow-up status.",
                ),
                themes=["GOVE"],
                national_themes=["governance-follow-up"],
                keywords=["مجلس وزاري", "قرارات", "conseil des ministres", "décisions", "council decisions"],
            ),
            PublicationStatus.PUBLISHED,
        ),
    ]
    indicators = Indicator.objects.filter(classification=Classification.PUBLIC, owner__code="TN-MTC").order_by("code")
    for indicator in indicators[:4]:
        result.append(
            (
                "tn-mtc-indicators",
                "coord.mtc",
                _publication(
                    datasets["tn-mtc-indicators"],
                    f"indicator-{indicator.code.lower()}",
                    PublicView.INDICATOR_VALUES,
                    (
                        f"قيم المؤشر: {indicator.name_ar}",
                        f"Valeurs de l'indicateur : {indicator.name_fr or indicator.name_ar}",
                        f"Values of the indicator: {indicator.name_en or indicator.name_ar}",
                    ),
                    (
                        "القيم المصادق عليها للمؤشر حسب الفترة والجهة.",
                        "Les valeurs approuvées de l'indicateur par période et par région.",
                        "The indicator's approved values by period and region.",
                    ),
                    indicator=indicator,
                    themes=["TECH", "REGI"],
                    national_themes=["digital-infrastructure"],
                    keywords=[indicator.code, "مؤشر", "indicateur", "indicator"],
                ),
                PublicationStatus.PUBLISHED,
            )
        )
    finance = Indicator.objects.filter(classification=Classification.PUBLIC, owner__code="TN-SMP-02").first()
    if finance is not None:
        result.append(
            (
                "tn-finance-indicators",
                "coord.finance",
                _publication(
                    datasets["tn-finance-indicators"],
                    f"indicator-{finance.code.lower()}",
                    PublicView.INDICATOR_VALUES,
                    (
                        f"قيم المؤشر: {finance.name_ar}",
                        f"Valeurs de l'indicateur : {finance.name_fr or finance.name_ar}",
                        f"Values of the indicator: {finance.name_en or finance.name_ar}",
                    ),
                    (
                        "القيم المصادق عليها للمؤشر حسب الفترة.",
                        "Les valeurs approuvées de l'indicateur par période.",
                        "The indicator's approved values by period.",
                    ),
                    indicator=finance,
                    themes=["ECON"],
                    national_themes=["digital-economy"],
                    keywords=[finance.code],
                ),
                PublicationStatus.PROPOSED,
            )
        )
    return result
