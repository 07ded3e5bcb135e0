"""Templates ask records what their state means (is_locked, is_done, …) instead of comparing enum values."""

import pytest

from masar.delivery.models import Baseline, BaselineStatus, ProgressUpdate, UpdateStatus
from masar.exports.models import Export, ExportStatus
from masar.indicators.models import Disaggregation, Indicator, Measurement, MeasurementStatus
from masar.reports.models import CouncilPack, PackStatus

CASES = [
    (ProgressUpdate, UpdateStatus, "is_locked", {UpdateStatus.APPROVED}),
    (ProgressUpdate, UpdateStatus, "is_returned", {UpdateStatus.RETURNED}),
    (ProgressUpdate, UpdateStatus, "is_editable", {UpdateStatus.DRAFT, UpdateStatus.RETURNED}),
    (Baseline, BaselineStatus, "is_proposed", {BaselineStatus.PROPOSED}),
    (Measurement, MeasurementStatus, "is_draft", {MeasurementStatus.DRAFT}),
    (Measurement, MeasurementStatus, "is_rejected", {MeasurementStatus.REJECTED}),
    (Measurement, MeasurementStatus, "is_locked", {MeasurementStatus.APPROVED}),
    (Export, ExportStatus, "is_done", {ExportStatus.DONE}),
    (Export, ExportStatus, "is_failed", {ExportStatus.FAILED}),
    (CouncilPack, PackStatus, "is_done", {PackStatus.DONE}),
    (CouncilPack, PackStatus, "is_failed", {PackStatus.FAILED}),
]


@pytest.mark.parametrize("model, choices, name, true_for", CASES)
def test_each_state_answers_for_itself(model, choices, name, true_for):
    answers = {value: getattr(model(status=value), name) for value in choices}
    assert {value for value, answer in answers.items() if answer} == true_for
    assert not all(answers.values())  # positive control: some state answers no


def test_an_indicator_says_how_it_is_broken_down():
    assert [Indicator(disaggregation=d).is_broken_down for d in Disaggregation] == [False, True, True]
    assert [Indicator(disaggregation=d).is_by_region for d in Disaggregation] == [False, True, False]
