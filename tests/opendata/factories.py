"""Datasets and publications for tests, written through the services like real ones."""

from masar.core.models import Classification
from masar.opendata.models import Dataset, Publication, PublicationAction, PublicView
from masar.opendata.services import (
    dataset_create,
    publication_create,
    publication_decide,
    publication_propose,
)


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
