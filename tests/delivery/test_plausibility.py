"""The plausibility checks of an update's figures, and the service that asks for their confirmation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from masar.delivery.models import ProgressUpdate
from masar.delivery.plausibility import (
    Check,
    Figures,
    PlausibilityWarning,
    months_between,
    plausibility_warnings,
    warning_text,
    warnings_text,
)
from masar.delivery.services import updates as update_services
from tests.portfolio.factories import make_project

MARCH, APRIL, JUNE = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 6, 1)


def check(percent, spend, previous=None, budget="740000", limit="25", period=APRIL):
    return [
        w.code
        for w in plausibility_warnings(
            current=Figures(period, Decimal(percent), Decimal(spend)),
            previous=Figures(previous[0], Decimal(previous[1]), Decimal(previous[2])) if previous else None,
            planned_budget=Decimal(budget) if budget is not None else None,
            percent_jump_limit=Decimal(limit),
        )
    ]


def test_figures_that_look_usual_raise_no_warning():
    assert check("30", "200000", previous=(MARCH, "20", "150000")) == []
    assert check("30", "740000") == []  # exactly the budget
    assert check("30", "9000000", budget=None) == []  # no budget, nothing to compare with


def test_spend_above_the_budget_is_flagged():
    assert check("30", "740000.01") == [Check.SPEND_ABOVE_BUDGET]


def test_percent_going_backwards_is_flagged():
    assert check("19.99", "150000", previous=(MARCH, "20", "150000")) == [Check.PERCENT_BACKWARDS]
    assert check("20", "150000", previous=(MARCH, "20", "150000")) == []


def test_a_jump_beyond_the_limit_per_month_is_flagged():
    assert check("45", "150000", previous=(MARCH, "20", "150000")) == []
    assert check("45.01", "150000", previous=(MARCH, "20", "150000")) == [Check.PERCENT_JUMP]
    assert check("45.01", "150000", previous=(MARCH, "20", "150000"), limit="30") == []
    # Three months since the previous report: three months' worth of progress is usual.
    assert check("95", "150000", previous=(MARCH, "20", "150000"), period=JUNE) == []
    assert months_between(MARCH, JUNE) == 3 and months_between(APRIL, APRIL) == 1


def test_spend_jumping_beyond_a_months_share_of_the_budget_is_flagged():
    # 25 % of 740 000 is 185 000 a month.
    assert check("30", "335000", previous=(MARCH, "25", "150000")) == []
    assert check("30", "335000.01", previous=(MARCH, "25", "150000")) == [Check.SPEND_JUMP]
    assert check("30", "800000", previous=(MARCH, "25", "150000")) == [Check.SPEND_ABOVE_BUDGET, Check.SPEND_JUMP]


def test_a_warning_is_stored_as_keys_and_worded_in_the_readers_language():
    warning = PlausibilityWarning(Check.SPEND_ABOVE_BUDGET, {"spend": "1200000.5", "budget": "740000"})
    stored = warning.to_dict()
    assert stored == {"code": "spend_above_budget", "params": {"spend": "1200000.5", "budget": "740000"}}
    assert PlausibilityWarning.from_dict(stored) == warning
    with translation.override("en"):
        assert warning_text(warning, currency="TND") == (
            "Spend to date (TND1,200,000.500) is above the planned budget (TND740,000.000)."
        )
        # A code a later version dropped is skipped, never shown as a key.
        assert warnings_text([stored, {"code": "gone", "params": {}}], currency="TND") == [
            warning_text(warning, currency="TND")
        ]


@pytest.fixture
def project(ministry_a, axis, manager_a):
    return make_project(
        "P-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("740000"),
    )


def save(project, actor, **extra):
    data = dict(
        period=APRIL,
        percent_complete=Decimal("30"),
        spend_to_date=Decimal("1200000500"),
        declared_confidence="green",
        today=datetime.date(2026, 5, 20),
    )
    data.update(extra)
    return update_services.update_save(project=project, actor=actor, **data)


def test_the_service_saves_unusual_figures_only_once_confirmed(project, manager_a):
    with pytest.raises(update_services.UnconfirmedFiguresError) as error:
        save(project, manager_a)
    assert [w.code for w in error.value.warnings] == [Check.SPEND_ABOVE_BUDGET]
    assert not ProgressUpdate.objects.exists()
    update = save(project, manager_a, figures_confirmed=True)
    assert update.confirmed_warnings == [
        {"code": "spend_above_budget", "params": {"spend": "1200000500", "budget": "740000"}}
    ]
    # Corrected figures leave no warning behind.
    update = save(project, manager_a, update=update, spend_to_date=Decimal("700000"), expected_version=update.version)
    assert ProgressUpdate.objects.get(pk=update.pk).confirmed_warnings == []
