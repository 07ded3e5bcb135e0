"""One indicator list and one value list: the pages, the export and the selectors count the same records."""

import csv
import io
import re

import pytest

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.indicators.models import Indicator, Measurement, MeasurementStatus
from masar.indicators.rows import measurement_row
from masar.indicators.selectors import IndicatorFilters, MeasurementFilters, indicator_list, measurement_list
from tests.accounts.factories import make_user
from tests.indicators.factories import approved, make_indicator, year

READERS = ["public", "coordinator_a", "national"]


@pytest.fixture
def indicators(ministry_a, directorate_a, ministry_b, national):
    made = [
        make_indicator("IND-ADM", ministry_a, name_ar="مؤشر الإدارة الرقمية", name_fr="Administration numérique"),
        make_indicator("IND-RES", directorate_a, classification=Classification.RESTRICTED),
        make_indicator("IND-CONF", directorate_a, classification=Classification.CONFIDENTIAL, name_ar="مسألة سرية"),
        make_indicator("IND-B", ministry_b, classification=Classification.CONFIDENTIAL, name_ar="الإدارة الصحية"),
    ]
    approver = make_user("national_2", Role.NATIONAL_ADMIN, None)
    for indicator in made:
        for y in (2023, 2024):
            approved(indicator, year(y), y - 2000, by=national, approver=approver)
    return made


def reader_for(request, who):
    return None if who == "public" else request.getfixturevalue(who)


def page_count(client, params):
    response = client.get("/en/indicators/", params)
    assert response.status_code == 200
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def csv_count(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))) - 1


@pytest.mark.parametrize(
    "typed",
    [
        "الادارة",  # bare alef for the hamza-carrying one
        "الإدارة",  # as written
        "الإدارـــة",  # tatweel
        "الإِدَارَة",  # diacritics
        "الأدارة",  # another hamza form
        "ind-adm",  # the code, in another case
    ],
)
def test_indicator_search_folds_arabic_as_typed(indicators, national, client_for, typed):
    found = indicator_list(national, IndicatorFilters(q=typed))
    codes = sorted(found.values_list("code", flat=True))
    assert "IND-ADM" in codes
    assert "IND-RES" not in codes  # positive control: the search narrows
    assert page_count(client_for(national), {"q": typed}) == len(codes)


@pytest.mark.parametrize("who", READERS)
def test_the_indicator_page_and_the_selector_count_the_same_indicators(
    indicators, ministry_a, client_for, request, who
):
    user = reader_for(request, who)
    reader = Reader.of(user)
    client = client_for(user)
    for params, filters in (
        ({}, IndicatorFilters()),
        ({"q": "الادارة"}, IndicatorFilters(q="الادارة")),
        ({"organization": ministry_a.pk}, IndicatorFilters(organization=ministry_a)),
    ):
        assert page_count(client, params) == indicator_list(reader, filters).count(), params
    expected = {"public": 1, "coordinator_a": 3, "national": 4}[who]
    assert indicator_list(reader).count() == expected
    # The search sees ministry B's "الإدارة الصحية" only for those who may read it.
    assert indicator_list(reader, IndicatorFilters(q="الادارة")).count() == (2 if who == "national" else 1)


@pytest.mark.parametrize("who", READERS)
def test_a_bad_indicator_filter_is_refused(indicators, client_for, request, who):
    client = client_for(reader_for(request, who))
    before = Indicator.objects.count()
    response = client.get("/en/indicators/", {"organization": 999999})
    assert response.status_code == 400
    assert 'data-count="0"' in response.content.decode()
    assert Indicator.objects.count() == before
    assert page_count(client, {}) > 0


@pytest.mark.parametrize("who", READERS)
def test_the_value_export_and_the_selector_count_the_same_values(indicators, ministry_a, client_for, request, who):
    user = reader_for(request, who)
    reader = Reader.of(user)
    client = client_for(user)
    for params, filters in (
        ({}, MeasurementFilters()),
        ({"indicator": "IND-ADM"}, MeasurementFilters(indicator=indicators[0])),
        ({"status": MeasurementStatus.SUBMITTED}, MeasurementFilters(status=MeasurementStatus.SUBMITTED)),
        ({"organization": ministry_a.pk}, MeasurementFilters(organization=ministry_a)),
    ):
        assert (
            csv_count(client, "/en/exports/indicator-values.csv", params) == measurement_list(reader, filters).count()
        )
    assert measurement_list(reader).count() == 2 * {"public": 1, "coordinator_a": 3, "national": 4}[who]
    before = Measurement.objects.count()
    assert client.get("/en/exports/indicator-values.csv", {"indicator": "IND-NONE"}).status_code == 400
    assert client.get("/en/exports/indicator-values.csv", {"status": "lost"}).status_code == 400
    assert Measurement.objects.count() == before


def test_the_value_row_names_its_indicator_in_the_readers_language(indicators, national):
    from django.utils import translation

    value = measurement_list(national, MeasurementFilters(indicator=indicators[0])).select_related(
        "indicator", "region", "organization"
    )[0]
    with translation.override("fr"):
        row = measurement_row(value)
    assert (row.indicator_code, row.indicator, row.value) == ("IND-ADM", "Administration numérique", 23)
