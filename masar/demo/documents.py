"""The five source documents themselves, in the document library: the texts the demo's records quote."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from masar.documents.models import Document, DocumentKind
from masar.documents.services import document_create

TEXTS = Path(__file__).parent / "data" / "texts"

# (file, title, kind, date, issuing organization, links by kind to codes)
SEEDS = (
    ("000.txt", "مهام وزارة تكنولوجيات الاتصال", DocumentKind.MANDATE, None, "TN-MTC", {"organizations": ["TN-MTC"]}),
    (
        "001.txt",
        "المهام المنوطة بقطاع التواصل وهياكله المركزية واللاممركزة",
        DocumentKind.MANDATE,
        None,
        "MA-COM",
        {"organizations": ["MA-COM"]},
    ),
    (
        "002.txt",
        "رئيس الحكومة يستقبل فيدرالية تكنولوجيا المعلومات والاتصالات وترحيل الخدمات",
        DocumentKind.OTHER,
        None,
        "MA-GOV",
        {"organizations": ["MA-GOV"]},
    ),
    (
        "003.txt",
        "بلاغ المجلس الوزاري لمتابعة تقدم مشاريع التحول الرقمي",
        DocumentKind.COMMUNIQUE,
        None,
        "TN-PM",
        {"strategies": ["TN-PTN-2526", "TN-VISION-2030"], "organizations": ["TN-PM"]},
    ),
    (
        "004.txt",
        "الاستراتيجية الوطنية للتحول الرقمي للخدمات الحكومية",
        DocumentKind.STRATEGY,
        datetime.date(2021, 8, 31),
        "GOV-004",
        {"strategies": ["STR-004"]},
    ),
)


def load_documents(loader: Any, actor: Any) -> None:
    """Add each source document once, as its text was published, public, linked to the records it sets up."""
    from masar.strategy.models import Strategy

    for name, title, kind, date, organization, links in SEEDS:
        source = f"seed {name[:3]}"
        if Document.objects.filter(source=source).exists():
            continue
        related: dict[str, list[Any]] = {}
        for relation, codes in links.items():
            if relation == "organizations":
                related[relation] = [loader.organizations[code] for code in codes]
            else:
                related[relation] = list(Strategy.objects.filter(code__in=codes))
        document_create(
            actor=actor,
            title=title,
            kind=kind,
            classification="public",
            organization=loader.organizations[organization],
            date=date,
            text=(TEXTS / name).read_text(encoding="utf-8"),
            source=source,
            **related,
        )
        loader.count(Document)
