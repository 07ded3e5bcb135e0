"""The demo indicators load on top of load_demo's organizations and regions, once."""

import pytest

from masar.demo.data.regions import COUNTRIES
from masar.demo.indicators import DemoDataMissing, indicators_demo_load
from masar.indicators.models import Indicator, Measurement
from masar.organizations.models import OrganizationKind, RegionKind
from masar.organizations.services import organization_create, region_create


@pytest.fixture
def tunisia(db):
    government = organization_create(actor=None, kind=OrganizationKind.GOVERNMENT, code="TN-GOV", name_ar="الحكومة")
    organization_create(
        actor=None, parent=government, kind=OrganizationKind.MINISTRY, code="TN-MTC", name_ar="وزارة تكنولوجيات الاتصال"
    )
    for number in range(1, 7):
        organization_create(
            actor=None,
            parent=government,
            kind=OrganizationKind.MINISTRY,
            code=f"TN-SMP-{number:02d}",
            name_ar=f"وزارة {number}",
        )
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس")
    for code, name_ar, name_fr, name_en in COUNTRIES[0]["subdivisions"]:
        region_create(
            actor=None,
            parent=country,
            kind=RegionKind.GOVERNORATE,
            code=code,
            name_ar=name_ar,
            name_fr=name_fr,
            name_en=name_en,
        )


def test_the_demo_creates_sample_indicators_with_values_once(tunisia, client):
    first = indicators_demo_load()
    assert first["indicators"] == Indicator.objects.count() >= 8
    assert first["values"] == Measurement.objects.count() > 500
    assert not Indicator.objects.filter(is_sample=False).exists()
    assert not Measurement.objects.filter(is_sample=False).exists()
    assert indicators_demo_load() == {"indicators": 0, "values": 0}
    broadband = Indicator.objects.get(code="TN-KPI-BROADBAND")
    body = client.get(f"/en/indicators/{broadband.pk}/").content.decode()
    assert 'id="indicator-chart"' in body and body.count("TN-8") >= 3 and 'id="outlook"' in body
    share = Indicator.objects.get(code="TN-KPI-SRV-SHARE")
    assert share.is_derived and share.measurements.exists()
    assert client.get("/en/indicators/scorecards/").status_code == 200


def test_the_demo_says_which_organizations_and_regions_are_missing(db):
    organization_create(actor=None, kind=OrganizationKind.GOVERNMENT, code="TN-GOV", name_ar="الحكومة")
    with pytest.raises(DemoDataMissing) as caught:
        indicators_demo_load()
    assert "TN-MTC" in str(caught.value.message) and "TN-83" in str(caught.value.message)
    assert not Indicator.objects.exists()
