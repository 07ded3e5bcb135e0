import datetime

import pytest
from django.utils import translation

from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from tests.indicators.factories import add_target, make_indicator, set_baseline, year


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests never sign in with a password: hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Messages read by service-level tests are compared with their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def regions(db):
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس", name_fr="Tunisie")
    return {
        "country": country,
        "tunis": region_create(
            actor=None, parent=country, kind=RegionKind.GOVERNORATE, code="TN-11", name_ar="تونس", name_fr="Tunis"
        ),
        "sfax": region_create(
            actor=None, parent=country, kind=RegionKind.GOVERNORATE, code="TN-61", name_ar="صفاقس", name_fr="Sfax"
        ),
        "gafsa": region_create(
            actor=None, parent=country, kind=RegionKind.GOVERNORATE, code="TN-71", name_ar="قفصة", name_fr="Gafsa"
        ),
    }


@pytest.fixture
def coverage(ministry_a, regions):
    """Broadband coverage by governorate: a percentage averaged with population weights, yearly."""
    indicator = make_indicator(
        "IND-COV",
        ministry_a,
        name_ar="نسبة التغطية بالنطاق العريض",
        unit_ar="%",
        unit_fr="%",
        kind="percentage",
        disaggregation="region",
        aggregation="weighted_mean",
    )
    set_baseline(indicator, datetime.date(2020, 1, 1), 40)
    add_target(indicator, year(2026), 90)
    return indicator


@pytest.fixture
def services_online(ministry_a):
    """E-services online nationally: a yearly count, higher is better."""
    indicator = make_indicator("IND-SRV", ministry_a, name_ar="عدد الخدمات على الخط")
    set_baseline(indicator, datetime.date(2020, 1, 1), 100)
    add_target(indicator, year(2025), 600)
    return indicator
