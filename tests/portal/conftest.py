"""Records of the public portal's tests: two ministries' services, public and restricted, with what citizens sent."""

import pytest

from masar.catalogue.models import Channel, DigitizationLevel
from masar.core.models import Classification
from tests.catalogue.factories import make_category, make_document, make_life_event, make_service


@pytest.fixture(autouse=True)
def _one_address_one_hour(settings):
    """The throttle's limits as production has them, whatever the environment says."""
    settings.PORTAL_RATINGS_PER_HOUR = 10
    settings.PORTAL_FEEDBACK_PER_HOUR = 5


@pytest.fixture
def life_event(db):
    return make_life_event(
        "moving", name_ar="تغيير مقر السكنى", name_fr="Déménagement", name_en="Moving house", order=1
    )


@pytest.fixture
def category(db):
    return make_category("civil", name_ar="الحالة المدنية", name_fr="État civil", name_en="Civil status", order=1)


@pytest.fixture
def residence(ministry_a, ministry_b, life_event, category):
    """A public service at level 4 whose birth certificate the civil registry (ministry b) already holds."""
    service = make_service(
        ministry_a,
        code="SRV-RES",
        name_ar="شهادة إقامة",
        name_fr="Certificat de résidence",
        name_en="Residence certificate",
        description_ar="وثيقة تثبت مقر السكنى",
        level=DigitizationLevel.FULLY_ONLINE,
        channels=[Channel.WEB, Channel.COUNTER],
        audiences=["citizens"],
        life_event=life_event,
        category=category,
        fee=0,
        processing_days=3,
        steps_ar="١. املأ الاستمارة\n٢. أرسلها",
        steps_fr="1. Remplir le formulaire\n2. L'envoyer",
        steps_en="1. Fill in the form\n2. Send it",
        legal_basis_ar="الأمر عدد 12 لسنة 2020",
        legal_basis_fr="Décret n° 12 de 2020",
        online_url="https://services.example.org/residence",
    )
    make_document(service, "بطاقة التعريف الوطنية", name_fr="Carte d'identité nationale", name_en="National ID card")
    make_document(service, "مضمون ولادة", held_by=ministry_b, name_fr="Extrait de naissance", name_en="Birth extract")
    return service


@pytest.fixture
def secret_service(ministry_a):
    return make_service(
        ministry_a,
        code="SRV-SECRET",
        name_ar="خدمة داخلية مقيدة",
        name_fr="Service interne restreint",
        name_en="Restricted internal service",
        classification=Classification.RESTRICTED,
        level=DigitizationLevel.SUBMISSION,
    )


@pytest.fixture
def licence(ministry_b):
    return make_service(
        ministry_b,
        code="SRV-LIC",
        name_ar="رخصة بناء",
        name_fr="Permis de bâtir",
        name_en="Building permit",
        level=DigitizationLevel.FORMS,
        channels=[Channel.COUNTER],
        audiences=["citizens", "businesses"],
        fee="35.000",
        fee_currency="TND",
        processing_days=30,
    )
