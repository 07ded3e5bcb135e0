"""Datasets and publications for tests, written through the services like real ones."""

import datetime
from decimal import Decimal

from masar.core.models import Classification
from masar.opendata.models import Dataset, Publication, PublicationAction, PublicView
from masar.opendata.services import (
    dataset_create,
    publication_create,
    publication_decide,
    publication_propose,
)
from masar.organizations.models import Region, RegionKind
from masar.organizations.services import region_create
from masar.portfolio.models import FundingKind, ProjectStatus
from masar.portfolio.services import milestone_create
from tests.delivery.factories import make_update
from tests.indicators.factories import add_target, approved, make_indicator, set_baseline
from tests.portfolio.factories import make_project


def make_dataset(code, owner, *, by, classification=Classification.PUBLIC, record_type="projects", **extra) -> Dataset:
    data = dict(
        code=code,
        name_ar=f"بيانات {code}",
        name_fr=f"Données {code}",
        name_en=f"Data {code}",
        record_type=record_type,
        owner=owner,
        classification=classification,
        legal_basis="قانون النفاذ إلى المعلومة",
    )
    data.update(extra)
    return dataset_create(actor=by, data=data)


def make_publication(name, dataset, *, by, view=PublicView.PROJECTS, **extra) -> Publication:
    data = dict(
        name=name,
        view=view,
        title_ar=f"مشاريع {name}",
        title_fr=f"Projets {name}",
        title_en=f"Projects {name}",
        description_ar="مشاريع البرنامج مع حالتها وتقييمها",
        description_fr="Les projets du programme avec leur état et leur notation",
        description_en="The program's projects with their status and rating",
        themes=["GOVE", "TECH"],
        national_themes=["digital-administration"],
        keywords=["رقمنة", "numérique", "digital"],
    )
    data.update(extra)
    return publication_create(actor=by, dataset=dataset, data=data)


def publish(publication, *, by) -> Publication:
    """Propose and approve a publication (the national unit does both here); its files are generated."""
    publication = publication_propose(actor=by, publication=publication)
    return publication_decide(actor=by, publication=publication, action=PublicationAction.APPROVE)


def make_donor_project(code, owner, axis, *, partners, manager, coordinator, national, **extra):
    """Return a public donor-funded project with all an IATI activity reads: names and descriptions in three
    languages, partners, two governorates, a budget, milestones, approved monthly updates with spend (two
    published, one kept restricted) and a public indicator with baseline, targets and an approved value."""
    country = _country()
    tunis = region_create(
        actor=None, parent=country, kind=RegionKind.GOVERNORATE, code=f"{code}-11", name_ar="تونس", name_fr="Tunis"
    )
    sfax = region_create(actor=None, parent=country, kind=RegionKind.GOVERNORATE, code=f"{code}-61", name_ar="صفاقس")
    data = dict(
        name_fr=f"Projet {code}",
        name_en=f"Project {code}",
        description_ar="رقمنة الخدمات الإدارية",
        description_fr="Numérisation des services administratifs",
        funding_kind=FundingKind.DONOR,
        status=ProjectStatus.IN_PROGRESS,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("1200000"),
        currency="EUR",
        partners=partners,
        regions=[tunis, sfax],
    )
    data.update(extra)
    project = make_project(code, owner, axis, manager=manager, **data)
    milestone_create(
        actor=None, project=project, order=1, name_ar="إطلاق طلب العروض", planned_date=datetime.date(2026, 2, 1)
    )
    for period, spend, level in (
        (datetime.date(2026, 1, 1), 100000, Classification.PUBLIC),
        (datetime.date(2026, 2, 1), 250000, Classification.RESTRICTED),
        (datetime.date(2026, 3, 1), 400000, Classification.PUBLIC),
    ):
        make_update(project, period, spend, by=manager, reviewer=coordinator, classification=level)
    indicator = make_indicator(f"{code}-IND", owner, name_en=f"Services online {code}", projects=[project])
    set_baseline(indicator, datetime.date(2025, 1, 1), 10)
    add_target(indicator, datetime.date(2025, 1, 1), 20)
    add_target(indicator, datetime.date(2026, 1, 1), 40)
    approved(indicator, datetime.date(2025, 1, 1), 18, by=coordinator, approver=national)
    return project


def _country():
    country = Region.objects.filter(code="TN").first()
    return country or region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس")
