"""Regions and organizations roll up to the nation by each indicator's rule, in the database.

Expected figures are computed here from the values inserted, with exact decimals, then rounded to
the four decimals the pages show; the same tests run on SQLite and PostgreSQL.
"""

from decimal import Decimal

import pytest

from masar.indicators.models import Indicator
from masar.indicators.selectors import latest_national_values, national_series
from masar.indicators.services import measurement_record
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.indicators.factories import approved, entry, make_indicator, year

# (region, value, weight, numerator, denominator) per year: values with decimals and unequal weights.
ROWS = {
    2023: [
        ("tunis", "71.25", "1056.5", "301", "413"),
        ("sfax", "64.5", "955", "122", "188"),
        ("gafsa", "38.0625", "337.25", "17", "61"),
    ],
    2024: [
        ("tunis", "78.4", "1070", "350", "420"),
        ("sfax", "66.125", "960.5", "140", "190"),
        ("gafsa", "41.3", "338", "25", "63"),
    ],
}


def r4(value):
    return round(float(value), 4)


@pytest.fixture
def filled(ministry_a, regions, coordinator_a, national):
    common = dict(disaggregation="region", jump_threshold=10)
    indicators = {
        "sum": make_indicator("IND-SUM", ministry_a, kind="index", aggregation="sum", **common),
        "mean": make_indicator("IND-MEAN", ministry_a, kind="index", aggregation="mean", **common),
        "weighted_mean": make_indicator("IND-WMEAN", ministry_a, kind="index", aggregation="weighted_mean", **common),
        "ratio": make_indicator("IND-RATIO", ministry_a, kind="ratio", aggregation="ratio", factor=100, **common),
    }
    for y, rows in ROWS.items():
        for region, value, weight, numerator, denominator in rows:
            place = regions[region]
            approved(indicators["sum"], year(y), value, region=place, by=coordinator_a, approver=national)
            approved(indicators["mean"], year(y), value, region=place, by=coordinator_a, approver=national)
            approved(
                indicators["weighted_mean"],
                year(y),
                value,
                region=place,
                weight=weight,
                by=coordinator_a,
                approver=national,
            )
            approved(
                indicators["ratio"],
                year(y),
                region=place,
                numerator=numerator,
                denominator=denominator,
                by=coordinator_a,
                approver=national,
            )
    return indicators


def expected(rule, rows):
    values = [Decimal(v) for _r, v, _w, _n, _d in rows]
    if rule == "sum":
        return r4(sum(values))
    if rule == "mean":
        return r4(sum(values) / len(values))
    if rule == "weighted_mean":
        return r4(
            sum(Decimal(v) * Decimal(w) for _r, v, w, _n, _d in rows) / sum(Decimal(w) for _r, _v, w, _n, _d in rows)
        )
    return r4(sum(Decimal(n) for *_x, n, _d in rows) / sum(Decimal(d) for *_x, d in rows) * 100)


@pytest.mark.parametrize("rule", ["sum", "mean", "weighted_mean", "ratio"])
def test_each_rule_rolls_the_regions_up_to_the_nation(filled, rule):
    series = national_series(filled[rule])
    assert [(p.year, v, n) for p, v, n in series] == [(y, expected(rule, rows), 3) for y, rows in ROWS.items()]


def test_the_ratio_of_sums_is_not_the_mean_of_the_ratios(filled):
    rows = ROWS[2024]
    mean_of_ratios = r4(sum(Decimal(n) / Decimal(d) * 100 for *_x, n, d in rows) / len(rows))
    assert national_series(filled["ratio"])[-1][1] != mean_of_ratios


def test_only_approved_values_count(filled, regions, coordinator_a):
    measurement_record(
        actor=coordinator_a,
        indicator=filled["sum"],
        entry=entry(year(2025), 1000, region=regions["tunis"], comment="x"),
        submit=True,
    )
    series = national_series(filled["sum"])
    assert [p.year for p, _v, _n in series] == [2023, 2024]


def test_the_latest_values_of_many_indicators_come_from_their_latest_approved_period(
    filled, regions, coordinator_a, national
):
    approved(filled["mean"], year(2025), "50.5", region=regions["sfax"], by=coordinator_a, approver=national)
    latest = latest_national_values(Indicator.objects.all())
    assert latest[filled["mean"].pk] == (year(2025), 50.5)
    for rule in ("sum", "weighted_mean", "ratio"):
        assert latest[filled[rule].pk] == (year(2024), expected(rule, ROWS[2024]))


def test_organizations_roll_up_to_the_nation(ministry_a, gov, coordinator_a, national):
    datasets = make_indicator("IND-OD", ministry_a, disaggregation="organization", jump_threshold=10)
    ministries = [
        organization_create(actor=None, parent=gov, kind=OrganizationKind.MINISTRY, code=f"M-{i}", name_ar=f"وزارة {i}")
        for i in range(3)
    ]
    counts = [120, 45, 7]
    for organization, count in zip(ministries, counts, strict=True):
        approved(datasets, year(2024), count, organization=organization, by=coordinator_a, approver=national)
    assert national_series(datasets) == [(year(2024), float(sum(counts)), 3)]
