"""The rules a value must pass when it is entered: each broken rule is named, and nothing is saved."""

import datetime
import statistics

import pytest

from masar.indicators.models import Measurement
from masar.indicators.services import MeasurementInvalid, NotPermitted, measurement_record
from tests.accounts.factories import make_user
from tests.indicators.factories import approved, entry, make_indicator, year


def refused(indicator, actor, e):
    with pytest.raises(MeasurementInvalid) as caught:
        measurement_record(actor=actor, indicator=indicator, entry=e)
    return dict(caught.value.errors)


def test_a_percentage_of_140_is_refused_and_nothing_is_saved(coverage, regions, coordinator_a):
    errors = refused(coverage, coordinator_a, entry(year(2024), 140, region=regions["tunis"], weight=10))
    assert "between 0 and 100" in errors["value"]
    assert not Measurement.objects.exists()


def test_a_count_must_be_whole_and_not_negative(services_online, coordinator_a):
    assert "whole number" in refused(services_online, coordinator_a, entry(year(2024), "12.5"))["value"]
    assert "cannot be negative" in refused(services_online, coordinator_a, entry(year(2024), -3))["value"]
    assert not Measurement.objects.exists()


def test_declared_limits_are_enforced(ministry_a, coordinator_a):
    index = make_indicator("IND-IDX", ministry_a, kind="index", min_value=1, max_value=5)
    assert "outside the acceptable range" in refused(index, coordinator_a, entry(year(2024), 7))["value"]


def test_a_region_must_be_one_the_indicator_is_measured_in(coverage, regions, coordinator_a):
    errors = refused(coverage, coordinator_a, entry(year(2024), 50, region=regions["country"], weight=1))
    assert "not one of the regions" in errors["region"]
    assert "Give the region" in refused(coverage, coordinator_a, entry(year(2024), 50, weight=1))["region"]


def test_a_period_of_another_frequency_or_not_ended_yet_is_refused(services_online, coordinator_a):
    assert (
        "not a period of this indicator"
        in refused(services_online, coordinator_a, entry(datetime.date(2024, 3, 1), 200))["period"]
    )
    next_year = datetime.date(datetime.date.today().year + 1, 1, 1)
    assert "has not ended" in refused(services_online, coordinator_a, entry(next_year, 200))["period"]
    this_year = datetime.date(datetime.date.today().year, 1, 1)
    assert "has not ended" in refused(services_online, coordinator_a, entry(this_year, 200))["period"]


def test_a_second_value_for_the_same_period_and_region_is_refused(coverage, regions, coordinator_a, national):
    approved(coverage, year(2024), 50, region=regions["tunis"], weight=5, by=coordinator_a, approver=national)
    errors = refused(coverage, coordinator_a, entry(year(2024), 51, region=regions["tunis"], weight=5))
    assert "is approved: the period is locked" in errors["period"]
    measurement_record(
        actor=coordinator_a, indicator=coverage, entry=entry(year(2024), 40, region=regions["sfax"], weight=5)
    )
    errors = refused(coverage, coordinator_a, entry(year(2024), 41, region=regions["sfax"], weight=5))
    assert "already exists" in errors["period"]
    assert Measurement.objects.count() == 2


def test_a_jump_beyond_the_threshold_needs_a_comment(services_online, coordinator_a, national):
    approved(services_online, year(2022), 200, by=coordinator_a, approver=national)
    # +50 % is the threshold itself: accepted without comment.
    measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2023), 300))
    errors = refused(services_online, coordinator_a, entry(year(2024), 451))
    assert "explain the change in a comment" in errors["comment"]
    saved = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 451, comment="إطلاق البوابة الموحدة")
    )
    assert saved.comment == "إطلاق البوابة الموحدة"


def test_a_value_far_from_its_series_is_saved_but_flagged_for_review(ministry_a, coordinator_a, national):
    indicator = make_indicator("IND-M", ministry_a, frequency="monthly", jump_threshold=100)
    series = [100, 104, 98, 102, 101, 99]
    for month, value in enumerate(series, start=1):
        approved(indicator, datetime.date(2024, month, 1), value, by=coordinator_a, approver=national)
    ordinary = measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(datetime.date(2024, 7, 1), 103))
    outlier = measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(datetime.date(2024, 8, 1), 160))
    expected_z = (160 - statistics.fmean(series + [103])) / statistics.stdev(series + [103])
    assert not ordinary.needs_review
    assert outlier.needs_review and outlier.z_score == pytest.approx(expected_z, abs=1e-3) and expected_z > 3


def test_a_weighted_mean_needs_a_positive_weight(coverage, regions, coordinator_a):
    assert (
        "give the weight" in refused(coverage, coordinator_a, entry(year(2024), 50, region=regions["tunis"]))["weight"]
    )
    assert (
        "greater than zero"
        in refused(coverage, coordinator_a, entry(year(2024), 50, region=regions["tunis"], weight=0))["weight"]
    )


def test_a_ratio_is_entered_as_numerator_and_denominator_and_the_numerator_may_not_exceed_it(ministry_a, coordinator_a):
    share = make_indicator(
        "IND-R", ministry_a, kind="ratio", aggregation="ratio", factor=100, numerator_within_denominator=True
    )
    errors = refused(share, coordinator_a, entry(year(2024), numerator=120, denominator=100))
    assert "cannot exceed the denominator" in errors["numerator"]
    saved = measurement_record(
        actor=coordinator_a, indicator=share, entry=entry(year(2024), numerator=30, denominator=120)
    )
    assert str(saved.value) == "25.0000"


def test_the_components_of_a_bounded_ratio_check_each_other(ministry_a, coordinator_a, national):
    online = make_indicator("IND-ON", ministry_a)
    total = make_indicator("IND-TOT", ministry_a)
    make_indicator(
        "IND-SHARE",
        ministry_a,
        kind="ratio",
        aggregation="ratio",
        numerator=online,
        denominator=total,
        factor=100,
        numerator_within_denominator=True,
    )
    approved(total, year(2024), 80, by=coordinator_a, approver=national)
    errors = refused(online, coordinator_a, entry(year(2024), 95))
    assert "exceeds the value of" in errors["value"]
    measurement_record(actor=coordinator_a, indicator=online, entry=entry(year(2024), 60))


def test_only_coordinators_of_the_owner_and_the_national_unit_enter_values(
    services_online, manager_a, viewer_a, coordinator_b, directorate_a
):
    coordinator_of_directorate = make_user("coord_d", "sector_coordinator", directorate_a)
    for user in (manager_a, viewer_a, coordinator_b, coordinator_of_directorate):
        with pytest.raises(NotPermitted):
            measurement_record(actor=user, indicator=services_online, entry=entry(year(2024), 200))
    assert not Measurement.objects.exists()
