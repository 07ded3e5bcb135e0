"""Draft → submitted → approved (or rejected with a reason); approved values are locked."""

import pytest

from masar.audit.models import AuditEntry
from masar.core.errors import StaleEditError
from masar.indicators.models import Measurement, MeasurementStatus
from masar.indicators.services import (
    MeasurementInvalid,
    MeasurementLocked,
    NotPermitted,
    WorkflowConflict,
    measurement_approve,
    measurement_record,
    measurement_reject,
    measurement_submit,
    measurement_update,
)
from tests.indicators.factories import approved, entry, make_indicator, year


def test_a_value_moves_from_draft_to_submitted_to_approved_and_every_step_is_audited(
    services_online, coordinator_a, national
):
    draft = measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420))
    assert draft.status == MeasurementStatus.DRAFT and draft.entered_by == coordinator_a
    submitted = measurement_submit(actor=coordinator_a, measurement=draft)
    assert submitted.status == MeasurementStatus.SUBMITTED and submitted.submitted_by == coordinator_a
    done = measurement_approve(actor=national, measurement=submitted)
    assert done.status == MeasurementStatus.APPROVED and done.decided_by == national and done.version == 3
    trail = list(AuditEntry.objects.for_object(done).order_by("id"))
    assert [e.changes.get("status") for e in trail] == [
        [None, "draft"],
        ["draft", "submitted"],
        ["submitted", "approved"],
    ]
    assert [e.actor for e in trail] == [coordinator_a, coordinator_a, national]


def test_nobody_approves_or_rejects_their_own_submission(services_online, coordinator_a):
    value = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420), submit=True
    )
    with pytest.raises(NotPermitted):
        measurement_approve(actor=coordinator_a, measurement=value)
    with pytest.raises(NotPermitted):
        measurement_reject(actor=coordinator_a, measurement=value, reason="x")
    assert Measurement.objects.get().status == MeasurementStatus.SUBMITTED


def test_readers_and_other_ministries_cannot_decide(services_online, coordinator_a, viewer_a, coordinator_b, manager_a):
    value = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420), submit=True
    )
    for user in (viewer_a, coordinator_b, manager_a):
        with pytest.raises(NotPermitted):
            measurement_approve(actor=user, measurement=value)
    assert Measurement.objects.get().status == MeasurementStatus.SUBMITTED


def test_of_two_approvers_at_once_one_wins_and_the_other_is_told(services_online, coordinator_a, national):
    from tests.accounts.factories import make_user

    second = make_user("national2", "national_admin", national.organization)
    value = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420), submit=True
    )
    seen_by_both = Measurement.objects.get(pk=value.pk)
    measurement_approve(actor=national, measurement=seen_by_both)
    with pytest.raises(WorkflowConflict) as caught:
        measurement_reject(actor=second, measurement=seen_by_both, reason="خطأ")
    assert "national already approved this value" in str(caught.value.message)
    fresh = Measurement.objects.get(pk=value.pk)
    assert fresh.status == MeasurementStatus.APPROVED and fresh.decided_by == national and fresh.rejection_reason == ""


def test_a_rejected_value_says_why_and_returns_as_a_draft_once_corrected(services_online, coordinator_a, national):
    value = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420), submit=True
    )
    with pytest.raises(MeasurementInvalid):
        measurement_reject(actor=national, measurement=value, reason="  ")
    rejected = measurement_reject(actor=national, measurement=value, reason="الرقم لا يطابق السجل الوطني")
    assert rejected.status == MeasurementStatus.REJECTED and rejected.rejection_reason == "الرقم لا يطابق السجل الوطني"
    corrected = measurement_update(
        actor=coordinator_a,
        measurement=rejected,
        expected_version=rejected.version,
        entry=entry(year(2024), 410),
        submit=True,
    )
    assert corrected.status == MeasurementStatus.SUBMITTED and corrected.value == 410
    assert measurement_approve(actor=national, measurement=corrected).status == MeasurementStatus.APPROVED


def test_an_approved_value_cannot_be_changed(services_online, coordinator_a, national):
    value = approved(services_online, year(2024), 420, by=coordinator_a, approver=national)
    with pytest.raises(MeasurementLocked):
        measurement_update(
            actor=national, measurement=value, expected_version=value.version, entry=entry(year(2024), 1)
        )
    assert str(Measurement.objects.get().value) == "420.0000"


def test_an_edit_from_a_stale_version_is_refused(services_online, coordinator_a, national):
    value = measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420))
    measurement_update(actor=national, measurement=value, expected_version=1, entry=entry(year(2024), 430))
    with pytest.raises(StaleEditError):
        measurement_update(actor=coordinator_a, measurement=value, expected_version=1, entry=entry(year(2024), 440))
    assert str(Measurement.objects.get().value) == "430.0000"


def test_a_value_approved_meanwhile_is_not_overwritten_by_an_edit(services_online, coordinator_a, national):
    value = measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 420))
    opened_at = value.version
    measurement_approve(actor=national, measurement=measurement_submit(actor=coordinator_a, measurement=value))
    with pytest.raises((StaleEditError, MeasurementLocked)):
        measurement_update(
            actor=coordinator_a, measurement=value, expected_version=opened_at, entry=entry(year(2024), 1)
        )
    assert Measurement.objects.get().status == MeasurementStatus.APPROVED


def test_approving_both_components_computes_the_ratio_approved(ministry_a, regions, coordinator_a, national):
    online = make_indicator("IND-ON", ministry_a, disaggregation="region")
    total = make_indicator("IND-TOT", ministry_a, disaggregation="region")
    share = make_indicator(
        "IND-SHARE",
        ministry_a,
        kind="ratio",
        aggregation="ratio",
        disaggregation="region",
        numerator=online,
        denominator=total,
        factor=100,
    )
    approved(online, year(2024), 30, region=regions["sfax"], by=coordinator_a, approver=national)
    assert not share.measurements.exists()
    approved(total, year(2024), 120, region=regions["sfax"], by=coordinator_a, approver=national)
    computed = share.measurements.get()
    assert computed.status == MeasurementStatus.APPROVED and computed.region == regions["sfax"]
    assert (computed.numerator, computed.denominator) == (30, 120) and float(computed.value) == 30 / 120 * 100
    with pytest.raises(MeasurementInvalid) as caught:
        measurement_record(
            actor=coordinator_a,
            indicator=share,
            entry=entry(year(2023), numerator=1, denominator=2, region=regions["sfax"]),
        )
    assert "computed from" in dict(caught.value.errors)["value"]
