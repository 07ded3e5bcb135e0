"""The indicator page and the indicator list run the same number of queries whatever the amount of data.

Counts, never times: a page whose queries grow with its rows (one per value, per region, per indicator)
is slow at national size however fast it is here.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.indicators.services import measurement_record
from tests.indicators.factories import add_target, approved, entry, make_indicator, set_baseline, year

pytestmark = pytest.mark.django_db


def queries(client, url):
    """Return the number of queries of the page cold (cache emptied) and warm (its cached fragment kept)."""
    client.get(url)  # a session's first request also writes its bookkeeping, which is not the page's work
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    return tuple(counts)


def fill(indicator, regions, years, *, by, approver, waiting):
    """Approve a value per year in Tunis and Sfax, and leave `waiting` values of Gafsa submitted."""
    for y in years:
        for region in ("tunis", "sfax"):
            approved(indicator, year(y), 40 + y - 2000, region=regions[region], weight=100, by=by, approver=approver)
    for y in years[:waiting]:
        measurement_record(
            actor=by, indicator=indicator, entry=entry(year(y), 45, region=regions["gafsa"], weight=100), submit=True
        )


def test_the_indicator_page_runs_as_many_queries_with_twenty_values_as_with_two(
    coverage, ministry_a, regions, client_for, coordinator_a, national
):
    few = make_indicator("IND-FEW", ministry_a, kind="percentage", disaggregation="region", aggregation="weighted_mean")
    set_baseline(few, datetime.date(2020, 1, 1), 40)
    add_target(few, year(2026), 90)
    fill(few, regions, [2021], by=coordinator_a, approver=national, waiting=1)
    fill(coverage, regions, list(range(2011, 2021)), by=coordinator_a, approver=national, waiting=4)
    for reader in (national, coordinator_a):
        client = client_for(reader)
        small = queries(client, f"/en/indicators/{few.pk}/")
        large = queries(client, f"/en/indicators/{coverage.pk}/")
        assert large == small
        body = client.get(f"/en/indicators/{coverage.pk}/").content.decode()
        assert body.count("workflow-approved") == 20 and 'id="pending"' in body  # positive control: all shown
    cold, warm = small
    assert warm < cold  # the figures every reader sees alike come from the cache


def test_the_indicator_list_runs_as_many_queries_with_twenty_indicators_as_with_two(
    ministry_a, client_for, coordinator_a, national
):
    def add(number):
        indicator = make_indicator(f"IND-L{number:02d}", ministry_a)
        set_baseline(indicator, datetime.date(2020, 1, 1), 100)
        add_target(indicator, year(2025), 600)
        approved(indicator, year(2022), 300 + number, by=coordinator_a, approver=national)

    client = client_for(national)
    for number in range(2):
        add(number)
    small = queries(client, "/en/indicators/")
    for number in range(2, 20):
        add(number)
    large = queries(client, "/en/indicators/")
    assert large == small
    assert client.get("/en/indicators/").content.decode().count('class="code">IND-L') == 20


def test_a_newly_approved_value_shows_at_once_on_a_cached_page(coverage, regions, client_for, coordinator_a, national):
    client = client_for(national)
    approved(coverage, year(2023), 70, region=regions["tunis"], weight=100, by=coordinator_a, approver=national)
    url = f"/en/indicators/{coverage.pk}/"
    assert "(2023)" in client.get(url).content.decode()
    assert "(2023)" in client.get(url).content.decode()  # served from the cache
    approved(coverage, year(2024), 75, region=regions["tunis"], weight=100, by=coordinator_a, approver=national)
    latest = client.get(url).content.decode()
    figure = latest[latest.index('id="latest-value"') : latest.index('id="expected-value"')]
    assert "(2024)" in figure and "75.0" in figure
