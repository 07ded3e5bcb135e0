"""Triage of alerts: the inspectorate moves an alert through its workflow, each step audited; nobody else does."""

import pytest

from masar.audit.models import AuditEntry
from masar.core.errors import Invalid, NotPermitted, StaleEditError
from masar.integrity.models import Alert, AlertAction, AlertStatus, RuleSetting
from masar.integrity.services import alert_triage, rule_params_check, rule_setting_update
from tests.integrity.factories import make_alert, make_inspector, make_supplier, make_trail


@pytest.fixture
def inspector(gov):
    return make_inspector(gov)


@pytest.fixture
def alert(ministry_a):
    winner = make_supplier(owner=ministry_a)
    tender, _contract = make_trail(ministry_a, winner=winner)
    return make_alert(tender, supplier=winner)


def triage(actor, alert, action, reason=""):
    alert.refresh_from_db()
    return alert_triage(actor=actor, alert=alert, action=action, reason=reason, version=alert.version)


def test_an_inspector_reviews_then_dismisses_with_a_reason_each_step_audited(inspector, alert):
    triage(inspector, alert, AlertAction.REVIEW)
    dismissed = triage(inspector, alert, AlertAction.DISMISS, "  العرض الوحيد مبرر: مزود وحيد معتمد  ")
    assert dismissed.status == AlertStatus.DISMISSED
    assert dismissed.reason == "العرض الوحيد مبرر: مزود وحيد معتمد"
    assert dismissed.decided_by == inspector and dismissed.decided_at is not None
    entries = list(AuditEntry.objects.for_object(dismissed).order_by("seq"))
    assert [entry.changes["status"][1] for entry in entries] == [AlertStatus.UNDER_REVIEW, AlertStatus.DISMISSED]
    assert all(entry.actor == inspector for entry in entries)


@pytest.mark.parametrize("reason", ["", "   "])
def test_dismissing_or_referring_without_a_reason_is_refused_and_changes_nothing(inspector, alert, reason):
    triage(inspector, alert, AlertAction.REVIEW)
    alert.refresh_from_db()
    before = (alert.status, alert.version, AuditEntry.objects.for_object(alert).count())
    with pytest.raises(Invalid) as refused:
        triage(inspector, alert, AlertAction.DISMISS, reason)
    assert refused.value.errors[0][0] == "reason"
    alert.refresh_from_db()
    assert (alert.status, alert.version, AuditEntry.objects.for_object(alert).count()) == before
    triage(inspector, alert, AlertAction.CONFIRM)
    with pytest.raises(Invalid):
        triage(inspector, alert, AlertAction.REFER, reason)
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.CONFIRMED


def test_a_confirmed_alert_is_referred_with_its_reason(inspector, alert):
    for action in (AlertAction.REVIEW, AlertAction.CONFIRM):
        triage(inspector, alert, action)
    referred = triage(inspector, alert, AlertAction.REFER, "أحيل إلى هيئة الرقابة العامة للمصالح العمومية")
    assert referred.status == AlertStatus.REFERRED and referred.reason.startswith("أحيل")
    assert AuditEntry.objects.for_object(referred).count() == 3


def test_a_stale_version_is_refused(inspector, alert):
    stale_version = alert.version
    triage(inspector, alert, AlertAction.REVIEW)
    alert.refresh_from_db()
    with pytest.raises(StaleEditError):
        alert_triage(actor=inspector, alert=alert, action=AlertAction.CONFIRM, reason="", version=stale_version)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.UNDER_REVIEW
    triage(inspector, alert, AlertAction.CONFIRM)  # positive control: the current version is taken
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.CONFIRMED


def test_only_the_inspectorate_triages(alert, national, coordinator_a, viewer_a, manager_b):
    for user in (national, coordinator_a, viewer_a, manager_b):
        with pytest.raises(NotPermitted):
            triage(user, alert, AlertAction.REVIEW)
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW
    assert not AuditEntry.objects.for_object(alert).exists()


def test_the_national_unit_sets_a_rule_and_a_stale_save_is_refused(national):
    setting = rule_setting_update(actor=national, code="SPLIT", enabled=False, params={"band": 0.8}, version=0)
    assert (setting.enabled, setting.params) == (False, {"band": 0.8})
    assert AuditEntry.objects.for_object(setting).count() == 1
    setting = rule_setting_update(actor=national, code="SPLIT", enabled=True, params={"band": 1, "days": 20}, version=1)
    assert setting.params == {"band": 1.0, "days": 20} and setting.version == 2
    with pytest.raises(StaleEditError):
        rule_setting_update(actor=national, code="SPLIT", enabled=False, params={}, version=1)
    assert RuleSetting.objects.get(code="SPLIT").enabled is True


@pytest.mark.parametrize(
    "params",
    [{"unknown": 1}, {"days": "2"}, {"days": 2.5}, {"days": True}, {"band": "x"}],
)
def test_parameters_are_checked_against_the_rules_defaults(national, params):
    with pytest.raises(Invalid):
        rule_setting_update(actor=national, code="SPLIT", enabled=True, params=params, version=0)
    assert not RuleSetting.objects.exists()
    assert rule_params_check("SPLIT", {"days": 3, "band": 0.7}) == {"days": 3, "band": 0.7}
    with pytest.raises(Invalid):
        rule_params_check("NOSUCH", {})


def test_only_the_national_unit_sets_rules(coordinator_a, viewer_a, gov):
    for user in (coordinator_a, viewer_a, make_inspector(gov)):
        with pytest.raises(NotPermitted):
            rule_setting_update(actor=user, code="SPLIT", enabled=False, params={}, version=0)
    assert not RuleSetting.objects.exists()
